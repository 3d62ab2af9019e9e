package org.aiobench.benchmarks.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.aiobench.benchmarks.ScratchLayout;
import org.junit.jupiter.api.Test;

import static org.aiobench.benchmarks.run.RunnerTests.BASE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fork that fails is recorded with its round and error (failures.json, rounds.jsonl, run.log), the run goes on
 * through every round and exits with status 1.
 */
class RunnerFailureTest {
    static final Path SCRATCH = BASE.resolve("failing-scratch");
    static final Path RUN = BASE.resolve("failing-run");
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void failedForksAreRecordedAndTheRunGoesOn() throws IOException {
        RunnerTests.deleteTree(RUN);
        RunnerTests.deleteTree(SCRATCH);
        // a directory of the user's where the copies go: aiobench refuses to delete it, so every copy fails
        Path userDir = ScratchLayout.destination(ScratchLayout.root(SCRATCH));
        Files.createDirectories(userDir);
        Files.writeString(userDir.resolve("keep-me.txt"), "the user's");
        RunnerTests.Outcome o = RunnerTests.run(RunnerTests.tinyWith("--suite", "cp", "--dir", SCRATCH.toString(),
                "--results", RUN.toString()));
        assertEquals(1, o.status(), o.all());
        assertEquals("the user's", Files.readString(userDir.resolve("keep-me.txt")));
        JsonNode failures = JSON.readTree(RUN.resolve("failures.json").toFile());
        assertEquals(6, failures.size(), "3 forks (the control, its twin and plain cp -r beside it) in each of 2"
                + " rounds: " + failures);
        for (JsonNode f : failures) {
            assertTrue(f.get("error").asText().contains(userDir.toString()), f.toString());
            assertTrue(f.get("group").asText().equals("cp") || f.at("/params/peer").asText().equals("cp-plain"), f.toString());
            assertTrue(f.get("params").isObject());
        }
        assertEquals(1, failures.get(0).get("round").asInt());
        assertEquals(2, failures.get(5).get("round").asInt());
        List<String> rounds = Files.readAllLines(RUN.resolve("rounds.jsonl"));
        assertEquals(2, rounds.size());
        for (String r : rounds) assertEquals(3, JSON.readTree(r).get("failed").size(), r);
        assertEquals("", Files.readString(RUN.resolve("samples.jsonl")));
        assertEquals("complete", JSON.readTree(RUN.resolve("progress.json").toFile()).get("state").asText());
        assertTrue(Files.readString(RUN.resolve("run.log")).contains("FAILED cp"));
    }
}
