package org.aiobench.workloads;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The progress line's estimate of what remains counts the work's own time, not what came before it. */
class ProgressTest {
    @Test
    void theEstimateStartsWithTheTimedCopyNotBeforeItsWarmUps() {
        long[] now = {0};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress p = Progress.console("copy", new PrintStream(bytes, true, StandardCharsets.UTF_8), () -> now[0]);
        now[0] = 100_000_000_000L; // 100 s of warm-up copies (issue 23: "~4008966 s left" on a one-second copy)
        p.start();
        now[0] += 2_000_000_000L;
        p.update(50, 100); // half done after 2 s of the timed copy
        String line = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(line.contains("2 s elapsed, ~2 s left"), line);
    }
}
