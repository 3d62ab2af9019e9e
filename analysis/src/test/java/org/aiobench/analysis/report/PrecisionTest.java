package org.aiobench.analysis.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aiobench.analysis.Console;
import org.aiobench.analysis.SyntheticRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's precision (issue 20): the report's Precision section and variance.json, and PrecisionMain's answer to the
 * runner, on runs whose noise is known.
 */
class PrecisionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void aPreciseRunIsDecidedAndANoisyOneIsNot() throws Exception {
        Path quiet = new SyntheticRun().rounds(20).noise(0.01).engine("sync", 1.0).engine("io_uring", 0.8)
                .write(tmp.resolve("quiet"));
        Console q = Console.capture(() -> PrecisionMain.run(quiet.toString(), "5"));
        assertEquals(0, q.status(), q.err());
        JsonNode j = JSON.readTree(q.out());
        assertEquals(20, j.path("rounds").asInt());
        assertTrue(j.path("judged").asInt() >= 3, j.toString());
        assertEquals(0, j.path("undecided").asInt(), j.toString());
        assertEquals("same", j.path("control").path("verdict").asText(), j.toString());

        Path noisy = new SyntheticRun().rounds(3).noise(0.3).engine("sync", 1.0).engine("io_uring", 0.97).seed(4)
                .write(tmp.resolve("noisy"));
        JsonNode n = JSON.readTree(Console.capture(() -> PrecisionMain.run(noisy.toString(), "5")).out());
        assertTrue(n.path("undecided").asInt() > 0, n.toString());
        assertTrue(n.path("open").get(0).path("what").asText().contains(" vs "), n.toString());
    }

    @Test
    void theReportAndVarianceJsonGiveTheComponents() throws Exception {
        Path run = new SyntheticRun().rounds(10).noise(0.05).engine("sync", 1.0).engine("io_uring", 0.9)
                .write(tmp.resolve("run"));
        PlotMain.render(run);
        String md = Files.readString(run.resolve(PlotMain.MD));
        assertTrue(md.contains("## Precision") && md.contains("| basic | "), md);
        JsonNode v = JSON.readTree(run.resolve(PrecisionSection.JSON).toFile());
        JsonNode basic = v.path("groups").get(0);
        assertEquals("basic", basic.path("group").asText());
        // the synthetic copies vary by 5% each, within a fork as between forks
        double copySd = Math.sqrt(basic.path("copyVar").asDouble());
        assertTrue(copySd > 0.035 && copySd < 0.065, basic.toString());
        assertTrue(basic.path("roundsForFivePercent").asInt() >= 3, basic.toString());
        assertTrue(basic.path("halfWidthAtTwiceTheRounds").asDouble() < basic.path("medianHalfWidth").asDouble(),
                basic.toString());
    }

    /**
     * --pairing fork: a configuration can run in its own fork and as another's twin in the same round. Those are two
     * forks: taken as one, a copy's cost was the time between them (43 s for a 0.1 s copy in a regression run).
     */
    @Test
    void aConfigurationAloneAndAsATwinInOneRoundIsTwoForks() throws Exception {
        Path run = new SyntheticRun().rounds(6).noise(0.05).engine("sync", 1.0).engine("io_uring", 0.9)
                .write(tmp.resolve("paired"));
        Path samples = run.resolve("samples.jsonl");
        StringBuilder out = new StringBuilder();
        String syncConfig = null;
        for (String line : Files.readAllLines(samples)) {
            JsonNode n = JSON.readTree(line);
            if (n.path("params").path("engine").asText().equals("sync")) syncConfig = n.path("config").asText();
        }
        for (String line : Files.readAllLines(samples)) {
            out.append(line).append('\n');
            com.fasterxml.jackson.databind.node.ObjectNode n = (com.fasterxml.jackson.databind.node.ObjectNode) JSON
                    .readTree(line);
            if (!n.path("params").path("engine").asText().equals("io_uring") || n.has("aa")) continue;
            // the same configuration again, a minute later in the same round, in a fork shared with sync
            n.put("start", java.time.Instant.parse(n.path("start").asText()).plusSeconds(60).toString());
            n.putObject("pair").put("entry", n.path("config").asText()).put("with", syncConfig);
            out.append(JSON.writeValueAsString(n)).append('\n');
        }
        Files.writeString(samples, out.toString());
        PlotMain.render(run);
        JsonNode basic = JSON.readTree(run.resolve(PrecisionSection.JSON).toFile()).path("groups").get(0);
        assertTrue(basic.path("copySeconds").asDouble() < 30, "a copy's cost is not the gap between two forks: "
                + basic);
        double copySd = Math.sqrt(basic.path("copyVar").asDouble());
        assertTrue(copySd < 0.065, "nor is a copy's variance the forks': " + basic);
    }

    @Test
    void badInputIsOneLine() {
        Console c = Console.capture(() -> PrecisionMain.run("/nonexistent", "5"));
        assertEquals(2, c.status());
        assertEquals(1, c.err().lines().count(), c.err());
    }
}
