package org.aiobench.benchmarks.run;

import static org.aiobench.benchmarks.run.RunnerTests.BASE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.aiobench.benchmarks.plan.Group;
import org.junit.jupiter.api.Test;

/**
 * --pairing fork: an engine configuration and its twin share one fork, their copies alternating; every sample says
 * the configuration it belongs to and the one it was paired with, each side gets its own copies, and cp -r keeps
 * forks of its own.
 */
class PairingTest {
    static final ObjectMapper JSON = new ObjectMapper();

    /** --jit: a copy's fork compiles with C1 only by default (less noise between forks); a random-I/O job keeps C2. */
    @Test
    void copiesCompileWithC1AndJobsWithTheDefault() {
        assertEquals(List.of("-XX:TieredStopAtLevel=1"), JmhFork.jitArgs(JmhFork.Jit.C1, Group.BASIC));
        assertEquals(List.of(), JmhFork.jitArgs(JmhFork.Jit.C1, Group.RANDREAD));
        assertEquals(List.of(), JmhFork.jitArgs(JmhFork.Jit.TIERED, Group.BASIC));
        assertEquals(JmhFork.Jit.TIERED, JmhFork.Jit.parse("tiered"));
        RunnerTests.Outcome bad = RunnerTests.run(RunnerTests.tinyWith("--suite", "cp", "--jit", "c3"));
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("--jit: 'c1' or 'tiered'"), bad.err());
    }

    @Test
    void aPairedRunRecordsEachSideWithItsPartner() throws Exception {
        Path run = BASE.resolve("paired");
        RunnerTests.deleteTree(run);
        RunnerTests.Outcome o = RunnerTests.run(RunnerTests.tinyWith("--suite", "basic,cp", "--engines",
                "sync,io_uring", "--pairing", "fork", "--results", run.toString()));
        assertEquals(0, o.status(), o.all());
        Map<String, Integer> perConfig = new HashMap<>();
        int pairedSamples = 0;
        for (String line : Files.readAllLines(run.resolve("samples.jsonl"))) {
            JsonNode s = JSON.readTree(line);
            String key = s.path("round").asInt() + " " + s.path("config").asText() + s.path("aa").asText("") + " " + s.path("pair").path("with")
                    .asText("-");
            perConfig.merge(key, 1, Integer::sum);
            if (s.has("pair")) {
                pairedSamples++;
                String engine = s.path("params").path("engine").asText();
                String with = s.path("pair").path("with").asText();
                String config = s.path("config").asText();
                boolean ring = config.contains("metadata=ring") || with.contains("metadata=ring");
                assertTrue(ring ? engine.equals("io_uring") && with.contains("engine=io_uring")
                                && config.replace(",metadata=ring", "").equals(with.replace(",metadata=ring", ""))
                        : engine.equals("io_uring") && with.contains("engine=sync")
                        || engine.equals("sync") && with.contains("engine=io_uring"), s.toString());
                String entry = ring ? (config.contains("metadata=ring") ? config : with)
                        : engine.equals("io_uring") ? config : with;
                assertEquals(entry, s.path("pair").path("entry").asText(),
                        "the entry is the compared configuration's (io_uring against sync, metadata=ring against the"
                                + " walk by system calls)");
            }
            assertTrue(!s.path("metrics").has("pairSide"), "the side is in the sample, not in its metrics");
        }
        assertTrue(pairedSamples > 0, "paired samples written");
        // each side of a paired fork: its own copy (the tiny matrix measures one a fork)
        perConfig.forEach((k, n) -> assertEquals(1, n, k));
        JsonNode env = JSON.readTree(run.resolve("env.json").toFile());
        assertEquals("fork", env.path("rounds").path("pairing").asText());
    }
}
