package org.aiobench.benchmarks.run;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runner's progress line: an estimate that means something from the first fork, and lines that fit. */
class ProgressLineTest {
    @Test
    void theFirstForksShowThePlansEstimateThenTheSpeedSeenScalesIt() {
        // one fork that took 20 s where the plan gave it 2 s (a fresh JVM and jar read from the disk, say) does not
        // make 58 s of plan into ten minutes
        assertEquals("~0m58s left (planned)", RoundExecutor.eta(58_000, 1, 20_000, 2_000));
        assertEquals("~0m58s left (planned)", RoundExecutor.eta(58_000, 2, 20_000, 4_000));
        // three forks running twice as long as planned: what remains takes twice the plan
        assertEquals("~1m56s left", RoundExecutor.eta(58_000, 3, 12_000, 6_000));
        assertEquals("~0m00s left", RoundExecutor.eta(-5, 5, 1_000, 1_000));
    }

    @Test
    void longLinesWrapAtWordsToTheTerminal() {
        String line = "[round 1/3 12/139 | forks 12/417] 1m02s elapsed, ~14m10s left | coop engine=io_uring"
                + " ringFlags=coop_taskrun+taskrun_flag placement=irq-cpu hogs=1 numjobs=4 iodepth=64 bs=4K -> 183612.0"
                + " ops/s";
        List<String> wrapped = TerminalLines.wrap(line, 80);
        assertTrue(wrapped.size() > 1, wrapped.toString());
        for (String l : wrapped) assertTrue(l.length() <= 80, l.length() + ": " + l);
        assertTrue(wrapped.get(1).startsWith(TerminalLines.INDENT), wrapped.toString());
        assertEquals(line.replace(" ", ""), String.join("", wrapped).replace(" ", ""), "nothing lost");
        assertEquals(List.of("short"), TerminalLines.wrap("short", 80));
        String word = "x".repeat(200);
        for (String l : TerminalLines.wrap(word, 80)) assertTrue(l.length() <= 80, l);
    }
}
