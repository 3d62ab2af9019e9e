package org.aiobench.analysis.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.aiobench.analysis.run.Comparison;
import org.aiobench.analysis.run.Result;
import org.aiobench.analysis.run.RunData;
import org.aiobench.analysis.stats.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A comparison of two configurations measured in one fork (--pairing fork) reads the copies of those forks: what
 * differs between forks (here a fork effect of SD 30%) cancels, where the same configurations in forks of their own
 * would carry it into the ratio.
 */
class PairedForkTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void twinsInOneForkCompareWithinIt() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("run"));
        Random rnd = new Random(3);
        String x = "BasicCopy:engine=io_uring", y = "BasicCopy:engine=sync";
        StringBuilder samples = new StringBuilder();
        for (int round = 1; round <= 8; round++) {
            double shared = Math.exp(0.3 * rnd.nextGaussian()), own = Math.exp(0.3 * rnd.nextGaussian());
            for (int i = 1; i <= 3; i++) {
                samples.append(line(round, x, "io_uring", 0.1 * 1.10 * shared * Math.exp(0.01 * rnd.nextGaussian()), i,
                        y)).append('\n');
                samples.append(line(round, y, "sync", 0.1 * shared * Math.exp(0.01 * rnd.nextGaussian()), i, x))
                        .append('\n');
                // the twin's own fork, with its own fork effect
                samples.append(line(round, y, "sync", 0.1 * own * Math.exp(0.01 * rnd.nextGaussian()), i, null))
                        .append('\n');
            }
        }
        Files.writeString(dir.resolve("samples.jsonl"), samples);
        Files.writeString(dir.resolve("env.json"), "{\"runId\":\"run\",\"kernel\":{\"release\":\"6.99\"},"
                + "\"aiobench\":{\"version\":\"x\"}}");
        Files.writeString(dir.resolve("progress.json"), "{\"state\":\"complete\",\"rounds\":8,\"roundsDone\":8}");
        RunData run = RunData.load(dir);
        Result rx = run.group("basic").stream().filter(r -> r.config().equals(x)).findFirst().orElseThrow();
        Result ry = run.group("basic").stream().filter(r -> r.config().equals(y)).findFirst().orElseThrow();
        Comparison c = Comparison.of(rx, ry, Result.TIME);
        assertEquals(1.10, c.ratio(), 0.01, c.cell());
        assertEquals(Verdict.SLOWER, c.verdict(), c.cell());
        var e = c.paired().estimate();
        assertTrue(e.high() / e.low() < 1.03, "within one fork the ratio is known to about 1%: " + c.cell());
        // the same samples without the pairing: the round's medians mix the twin's own fork in
        Result unpairedX = new Result(rx.group(), rx.benchmark(), rx.config(), null, rx.params(), rx.samples(),
                rx.rounds());
        Comparison apart = Comparison.of(unpairedX, ry, Result.TIME);
        var a = apart.paired().estimate();
        assertTrue(a.high() / a.low() > 1.2, "paired by round only, the fork effects stay: " + apart.cell());
    }

    private static String line(int round, String config, String engine, double value, int iteration, String with)
            throws Exception {
        ObjectNode o = JSON.createObjectNode();
        o.put("round", round);
        o.put("group", "basic");
        o.put("config", config);
        o.put("benchmark", "org.aiobench.benchmarks.BasicCopy.copy");
        o.set("params", JSON.valueToTree(Map.of("engine", engine, "fileSize", "1M", "files", "128")));
        o.put("fork", 1);
        o.put("iteration", iteration);
        o.put("value", value);
        o.put("unit", "s/op");
        o.putObject("metrics");
        if (with != null) o.putObject("pair").put("with", with).put("entry", config);
        return JSON.writeValueAsString(o);
    }
}
