package org.aiobench.workloads;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One writer per scratch directory, with the locks above and below it; a dead holder's lock is gone. */
class ScratchLockTest {
    @TempDir Path work;

    private static void conflicts(Path dir, List<Path> writes, List<Path> reads) {
        CopyException e = assertThrows(CopyException.class, () -> ScratchLock.acquire(writes, reads).close());
        assertTrue(e.badInput());
        assertTrue(e.getMessage().contains("scratch directory " + dir + " is in use by"), e.getMessage());
    }

    @Test
    void aWriterKeepsOutWritersAndReadersAboveAndBelow() throws Exception {
        Path scratch = Files.createDirectories(work.resolve("scratch/aiobench/trees")).getParent().getParent().toRealPath();
        Path trees = scratch.resolve("aiobench/trees");
        try (ScratchLock held = ScratchLock.acquire(List.of(scratch), List.of())) {
            conflicts(scratch, List.of(scratch), List.of());
            conflicts(scratch, List.of(trees), List.of());                    // below it
            Path elsewhere = Files.createDirectory(work.resolve("elsewhere"));
            conflicts(scratch, List.of(elsewhere), List.of(trees.resolve("128x1M"))); // reading below it
            conflicts(work.toRealPath(), List.of(work), List.of());              // above it: the holder has it shared
            ScratchLock.acquire(List.of(Files.createDirectory(work.resolve("other"))), List.of()).close(); // beside it
        }
        ScratchLock.acquire(List.of(trees), List.of()).close();
        // two readers of one tree do not exclude each other
        try (ScratchLock a = ScratchLock.acquire(List.of(), List.of(trees));
             ScratchLock b = ScratchLock.acquire(List.of(), List.of(trees))) {
            assertNotNull(a);
            assertNotNull(b);
        }
    }

    @Test
    void anotherProcessIsNamedAndItsLockDiesWithIt() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/flock")), "no flock(1)");
        Path dir = work.toRealPath();
        Process holder = new ProcessBuilder("/usr/bin/flock", "-o", "-x", dir.toString(), "sleep", "60").start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ScratchLock.lockHolders(dir).isEmpty() && System.nanoTime() < deadline) Thread.sleep(20);
            CopyException e = assertThrows(CopyException.class, () -> ScratchLock.acquire(List.of(dir), List.of()));
            assertTrue(e.getMessage().matches(".*in use by /usr/bin/flock -o -x .* \\(pid " + holder.pid() + "\\).*"), e.getMessage());
        } finally {
            holder.destroyForcibly().waitFor(); // killed, as a crash would: the kernel drops its lock
        }
        ScratchLock.acquire(List.of(dir), List.of()).close();
    }

    @Test
    void anExperimentIsSeenFromAnywhere() throws Exception {
        String before = System.getProperty(ScratchLock.EXPERIMENT_PROPERTY);
        System.setProperty(ScratchLock.EXPERIMENT_PROPERTY, work.resolve("experiment.lock").toString());
        try {
            assertNull(ScratchLock.runningExperiment());
            Path runScratch = Files.createDirectory(work.resolve("run"));
            try (ScratchLock run = ScratchLock.forExperiment(runScratch)) {
                String s = ScratchLock.runningExperiment();
                assertNotNull(s);
                assertTrue(s.contains("pid " + ProcessHandle.current().pid()), s);
                CopyException e = assertThrows(CopyException.class,
                        () -> ScratchLock.acquire(List.of(runScratch), List.of()));
                assertTrue(e.getMessage().contains("in use by an aiobench experiment"), e.getMessage());
                // beside it in the same scratch directory: allowed (copy says that it disturbs the measurement)
                ScratchLock.acquire(List.of(work), List.of()).close();
                // a second experiment, even in another directory, is refused: the two would measure each other
                Path other = Files.createDirectory(work.resolve("other"));
                Process second = new ProcessBuilder("flock", "-n", "-x", ScratchLock.experimentFile().toString(), "true").start();
                assertEquals(1, second.waitFor(), "flock(1) -n on the experiment file must fail while a run holds it");
                CopyException twice = assertThrows(CopyException.class, () -> ScratchLock.forExperiment(other));
                assertTrue(twice.getMessage().contains("two experiments at once measure each other"), twice.getMessage());
            }
            assertNull(ScratchLock.runningExperiment(), "released at the end of the run");
        } finally {
            if (before == null) System.clearProperty(ScratchLock.EXPERIMENT_PROPERTY);
            else System.setProperty(ScratchLock.EXPERIMENT_PROPERTY, before);
        }
    }
}
