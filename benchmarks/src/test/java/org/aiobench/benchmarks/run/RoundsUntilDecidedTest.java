package org.aiobench.benchmarks.run;

import static org.aiobench.benchmarks.run.RunnerTests.BASE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.aiobench.benchmarks.plan.PrecisionStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rounds until decided (issue 20): a run with --precision stops once every judged comparison is decided, one with
 * --budget before a round that would end past it; either says why in progress.json, and --resume RUN --budget T
 * extends it with the same rounds' orders.
 */
class RoundsUntilDecidedTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @AfterEach
    void noChecker() {
        ExperimentRunner.checkerForTests = null;
    }

    private static JsonNode progress(Path run) throws Exception {
        return JSON.readTree(run.resolve("progress.json").toFile());
    }

    @Test
    void aRunStopsWhenEveryComparisonIsDecided() throws Exception {
        Path run = BASE.resolve("decided");
        RunnerTests.deleteTree(run);
        int[] asked = {0};
        // the analysis module's answer, as a test gives it: open comparisons until the fourth round, then none
        ExperimentRunner.checkerForTests = dir -> {
            asked[0]++;
            int open = asked[0] < 2 ? 3 : 0;
            return new PrecisionStop.Check(5, open, 0.2, 0.04, "same", 0.02, List.of());
        };
        RunnerTests.Outcome o = RunnerTests.run(RunnerTests.tinyWith("--suite", "cp", "--rounds", "20",
                "--precision", "5", "--results", run.toString()));
        assertEquals(0, o.status(), o.all());
        JsonNode p = progress(run);
        assertEquals("complete", p.path("state").asText(), p.toString());
        assertEquals("precision", p.path("stoppedBy").asText(), p.toString());
        assertEquals(4, p.path("roundsDone").asInt(), "checked from round 3: open, then decided at round 4");
        assertTrue(o.out().contains("precision: 3 of 5 judged comparisons neither decided nor within ±5%"), o.out());
        assertTrue(o.out().contains("stopping after round 4: every judged comparison is decided or within ±5%"),
                o.out());
        // a run stopped by its precision is complete: resuming it without a new target says what to give
        RunnerTests.Outcome again = RunnerTests.run(List.of("--resume", run.toString()));
        assertEquals(2, again.status(), again.all());
        assertTrue(again.err().contains("stopped by its precision; give --budget TIME"), again.err());
    }

    @Test
    void aBudgetStopsTheRoundsAndResumeExtendsThem() throws Exception {
        Path run = BASE.resolve("budget");
        RunnerTests.deleteTree(run);
        RunnerTests.Outcome o = RunnerTests.run(RunnerTests.tinyWith("--suite", "cp", "--rounds", "50",
                "--budget", "1s", "--results", run.toString()));
        assertEquals(0, o.status(), o.all());
        JsonNode p = progress(run);
        int done = p.path("roundsDone").asInt();
        assertEquals("budget", p.path("stoppedBy").asText(), p.toString());
        assertTrue(done >= 1 && done < 50, p.toString());
        assertEquals(done, p.path("rounds").asInt(), "the rounds planned are the rounds done");
        assertTrue(o.out().contains("another round would end past the budget of 0m01s"), o.out());
        assertTrue(o.out().contains("--resume " + run + " --budget TIME"), o.out());

        RunnerTests.Outcome more = RunnerTests.run(List.of("--resume", run.toString(), "--budget", "2s"));
        assertEquals(0, more.status(), more.all());
        JsonNode q = progress(run);
        assertTrue(q.path("roundsDone").asInt() > done, q.toString());
        assertEquals("complete", q.path("state").asText());
        // every round's samples once, no round twice
        long lines = java.nio.file.Files.readAllLines(run.resolve("rounds.jsonl")).size();
        assertEquals(q.path("roundsDone").asInt(), lines, "one rounds.jsonl line per round");
    }

    @Test
    void badPrecisionAndBudgetAreOneLine() {
        RunnerTests.Outcome p = RunnerTests.run(RunnerTests.tinyWith("--suite", "cp", "--precision", "0"));
        assertEquals(2, p.status());
        assertTrue(p.err().contains("--precision must lie between 0 and 100 percent"), p.err());
        RunnerTests.Outcome b = RunnerTests.run(RunnerTests.tinyWith("--suite", "cp", "--budget", "soon"));
        assertEquals(2, b.status());
        assertTrue(b.err().contains("--budget") && b.err().contains("1h, 20m"), b.err());
    }
}
