package org.aiobench.benchmarks.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.aiobench.workloads.Scratch;
import org.junit.jupiter.api.Test;

import static org.aiobench.benchmarks.run.RunnerTests.BASE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Peers in a run (issue 15): a right one measured like cp -r in the same rounds, with its start cost; one that
 * damages a byte recorded as wrong data with the file and offset, and the run goes on.
 */
class RunnerPeerTest {
    static final Path RUN = BASE.resolve("peer-run");
    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A peer that copies with cp, then changes the byte at offset 5 of the first file in sorted order (an empty tree
     * it leaves as it is): a pipeline passed as {@code sh -c SCRIPT} with the placeholders as its arguments.
     */
    static final String DAMAGING_PEER = "broken=sh -c 'cp -r \"$0\" \"$1\" && f=$(find \"$1\" -type f | sort | head -n 1)"
            + " && if [ -n \"$f\" ]; then b=$(od -An -tu1 -j5 -N1 \"$f\");"
            + " printf \"\\\\$(printf %03o $(( (b + 1) % 256 )))\" | dd of=\"$f\" bs=1 seek=5 conv=notrunc 2>/dev/null; fi'"
            + " {src} {dst}";

    @Test
    void aRightPeerIsMeasuredAndAWrongOneIsRecordedAsWrongData() throws IOException {
        RunnerTests.deleteTree(RUN);
        // real forks: the peer's command reaches its JVM as a system property (and in one JVM, JMH keeps a failed
        // trial's state for the next run of the same benchmark)
        RunnerTests.Outcome o = RunnerTests.run(RunnerTests.tinyWith("--results", RUN.toString(), "--suite", "cp",
                "--forks", "1", "--rounds", "1", "--peer", "mycp=cp -r {src} {dst}", "--peer", DAMAGING_PEER));
        assertEquals(1, o.status(), "a peer failed: " + o.all());

        List<JsonNode> samples = new ArrayList<>();
        for (String l : Files.readAllLines(RUN.resolve("samples.jsonl"))) samples.add(JSON.readTree(l));
        List<JsonNode> mine = samples.stream().filter(s -> s.get("group").asText().equals("peer")
                && s.at("/params/peer").asText().equals("mycp")).toList();
        assertEquals(1, mine.size(), "mycp in its round: " + samples);
        assertEquals(1, samples.stream().filter(s -> s.at("/params/peer").asText().equals("cp-plain")).count(),
                "plain cp -r beside cp -r --reflink=never: " + samples);
        for (JsonNode s : mine) {
            assertEquals("PeerCopy:cache=warm,fileSize=4K,files=3,peer=mycp", s.get("config").asText());
            assertTrue(s.at("/metrics/spawnSec").asDouble() > 0, s.toString());
            assertTrue(s.at("/metrics/mbPerSec").asDouble() > 0, s.toString());
            assertTrue(s.at("/metrics/nativeBytes").isMissingNode(), s.toString());
        }
        assertTrue(samples.stream().anyMatch(s -> s.get("config").asText().equals("CpBaseline:cache=warm,fileSize=4K,files=3")),
                "cp keeps its configuration id");
        assertTrue(samples.stream().noneMatch(s -> "broken".equals(s.at("/params/peer").asText())), "no time for wrong data");

        JsonNode failures = JSON.readTree(RUN.resolve("failures.json").toFile());
        assertEquals(1, failures.size(), failures.toString());
        for (JsonNode f : failures) {
            assertEquals("peer", f.get("group").asText());
            assertEquals("broken", f.at("/params/peer").asText());
            JsonNode w = f.get("wrongData");
            assertEquals(5, w.get("offset").asLong(), f.toString());
            assertTrue(w.get("file").asText().matches("[^/].*file-\\d+\\.dat"), "relative to the tree: " + f);
            assertEquals("content differs from the manifest", w.get("what").asText());
        }
        assertEquals("complete", JSON.readTree(RUN.resolve("progress.json").toFile()).get("state").asText());
        assertTrue(Files.readString(RUN.resolve("run.log")).contains("WRONG DATA: "), "run.log says wrong data");

        JsonNode env = JSON.readTree(RUN.resolve("env.json").toFile());
        List<String> names = new ArrayList<>();
        env.get("peers").forEach(p -> names.add(p.get("name").asText() + ":" + p.get("group").asText()));
        assertEquals(List.of("cp:cp", "cp-plain:peer", "mycp:peer", "broken:peer"), names);
        assertEquals(List.of("cp", "-r", "{src}", "{dst}"), JSON.convertValue(env.at("/peers/2/command"), List.class));
        assertEquals(64, env.at("/peers/2/sha256").asText().length());
        assertEquals(env.at("/peers/0/version"), env.at("/peers/1/version"), "both cps are the same GNU cp");
        List<String> args = JSON.convertValue(JSON.readTree(RUN.resolve("progress.json").toFile()).get("args"), List.class);
        assertTrue(args.contains("mycp=cp -r {src} {dst}"), "--resume gets the peers again: " + args);
        // a fork that failed may leave it (JMH ends the fork without the trial's teardown): the next trial replaces it
        Path start = BASE.resolve("scratch").resolve("aiobench-scratch").resolve("peer-start");
        assertTrue(!Files.exists(start) || Scratch.isOwned(start), "the start cost's directory is aiobench's");
    }
}
