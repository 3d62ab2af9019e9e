package org.aiobench.benchmarks.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.aiobench.benchmarks.run.RunnerTests.BASE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run killed in the middle of a round (SIGTERM, as kill and Ctrl-C send) and resumed with --resume loses no sample
 * and measures none twice: every fork of every round has its samples exactly once, and the samples taken before the
 * kill are kept as they were.
 */
class ResumeAfterKillTest {
    static final Path RUN = BASE.resolve("killed-run");
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRunKilledMidRoundResumesWithoutLosingOrRepeatingASample() throws Exception {
        RunnerTests.deleteTree(RUN);
        Files.createDirectories(RunnerTests.SCRATCH); // --dir must exist
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Djmh.ignoreLock=true",
                // the tests' own machine-wide lock: a real experiment elsewhere on the machine must not refuse this run
                "-D" + org.aiobench.workloads.ScratchLock.EXPERIMENT_PROPERTY + "="
                        + org.aiobench.workloads.ScratchLock.experimentFile(),
                "-cp", System.getProperty("java.class.path"),
                ExperimentRunner.class.getName()));
        cmd.addAll(RunnerTests.tinyWith("--suite", "basic,cp"));
        cmd.addAll(List.of("--results", RUN.toString()));
        Path log = BASE.resolve("killed-run.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            // wait until the first round is under way, a few forks done
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (doneInRound(1) < 3) {
                assertTrue(p.isAlive(), "the run ended before it could be interrupted: " + Files.readString(log));
                assertTrue(System.nanoTime() < deadline, "no progress: " + Files.readString(log));
                Thread.sleep(5);
            }
        } finally {
            p.destroy(); // SIGTERM
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        JsonNode progress = JSON.readTree(RUN.resolve("progress.json").toFile());
        assertEquals("interrupted", progress.get("state").asText(), Files.readString(log));
        assertEquals(1, progress.at("/current/round").asInt(), "killed in the middle of round 1");
        int doneBefore = progress.at("/current/done").size();
        assertTrue(doneBefore >= 3);
        List<String> before = Files.readAllLines(RUN.resolve("samples.jsonl"));
        assertTrue(before.size() >= 3, "the finished forks' samples are written");
        // as if the kill had cut the last line short: the resume drops the cut line
        Files.writeString(RUN.resolve("samples.jsonl"), "{\"round\":1,\"gro", StandardOpenOption.APPEND);

        // while another process holds the run (as a second --resume would), it is refused and left as it is
        try (AutoCloseable held = new RunRecord(RUN, System.out).lock()) {
            RunnerTests.Outcome refused = RunnerTests.run(List.of("--repo", "..", "--resume", RUN.toString()));
            assertEquals(2, refused.status(), refused.all());
            assertTrue(refused.err().contains("another aiobench process"), refused.err());
        }
        assertEquals(before.size(), Files.readAllLines(RUN.resolve("samples.jsonl")).size() - 1, "nothing was written");

        RunnerTests.Outcome o = RunnerTests.run(List.of("--repo", "..", "--resume", RUN.toString()));
        assertEquals(0, o.status(), o.all());
        assertTrue(o.out().contains("resuming"), o.out());

        List<String> after = Files.readAllLines(RUN.resolve("samples.jsonl"));
        assertEquals(before, after.subList(0, before.size()), "the samples taken before the kill are kept as they were");
        List<JsonNode> rounds = new ArrayList<>();
        for (String l : Files.readAllLines(RUN.resolve("rounds.jsonl"))) rounds.add(JSON.readTree(l));
        assertEquals(2, rounds.size());
        assertTrue(rounds.get(0).path("resumed").asBoolean(), "round 1 spans the interruption");
        assertFalse(rounds.get(1).path("resumed").asBoolean());
        // every fork of every round exactly once (one measured copy each in the tiny matrix)
        Set<String> expected = new HashSet<>();
        for (JsonNode r : rounds) for (JsonNode id : r.get("order")) expected.add(r.get("round").asInt() + " " + id.asText());
        Map<String, Integer> seen = new HashMap<>();
        for (String l : after) {
            JsonNode s = JSON.readTree(l);
            seen.merge(s.get("round").asInt() + " " + s.get("config").asText() + (s.has("aa") ? "#B" : ""), 1, Integer::sum);
        }
        assertEquals(expected, seen.keySet());
        assertTrue(seen.values().stream().allMatch(n -> n == 1), "a fork measured twice: " + seen);
        assertEquals(rounds.get(1).get("order").size(), rounds.get(0).get("order").size(), "round 1 was completed");
        JsonNode done = JSON.readTree(RUN.resolve("progress.json").toFile());
        assertEquals("complete", done.get("state").asText());
        // JMH's JSON of round 1 holds each of its forks once too
        assertEquals(rounds.get(0).get("order").size(), JSON.readTree(RUN.resolve("jmh/rounds/round-001.json").toFile()).size());
    }

    private static int doneInRound(int round) {
        try {
            JsonNode p = JSON.readTree(Files.readString(RUN.resolve("progress.json"), StandardCharsets.UTF_8));
            return p.at("/current/round").asInt() == round ? p.at("/current/done").size() : 0;
        } catch (IOException e) {
            return 0; // not there yet, or being replaced
        }
    }
}
