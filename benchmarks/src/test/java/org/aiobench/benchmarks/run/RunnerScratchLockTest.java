package org.aiobench.benchmarks.run;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.aiobench.benchmarks.ScratchLayout;
import org.aiobench.workloads.ScratchLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two runs sharing one --dir: the second stops with one line before it touches the trees; a run keeps to --dir/aiobench-scratch. */
class RunnerScratchLockTest {
    @TempDir Path work;

    private record Result(int status, String out, String err) {}

    private Result run(Path scratch, String results) {
        System.setProperty("jmh.ignoreLock", "true"); // JMH's machine-wide lock; these runs are a few KiB
        String[] args = {"--suite", "basic", "--engines", "sync", "--sizes", "4K", "--files", "2", "--caches", "warm",
                "--forks", "0", "--warmups", "0", "--iterations", "1", "--dir", scratch.toString(), "--repo", "..",
                "--results", work.resolve(results).toString()};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int st = ExperimentRunner.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(st, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aSecondRunOnTheSameScratchDirectoryStopsAndARunKeepsToItsOwnSubdirectory() throws Exception {
        Path scratch = Files.createDirectory(work.resolve("scratch"));
        Path users = Files.writeString(scratch.resolve("users-file"), "kept");
        Path home = ScratchLayout.root(scratch);
        try (ScratchLock first = ScratchLock.forExperiment(home)) {
            Result r = run(scratch, "run1");
            assertEquals(2, r.status(), r.out() + r.err());
            assertEquals("run-experiments.sh: scratch directory " + home.toRealPath() + " is in use by an aiobench experiment"
                    + " (pid " + ProcessHandle.current().pid() + ", this process); wait until it finishes, or use another"
                    + " directory", r.err().strip());
            assertFalse(Files.exists(ScratchLayout.tree(home, 2, 4096)), "nothing prepared under the first run");
        }
        Result r = run(scratch, "run2");
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(Files.isDirectory(ScratchLayout.tree(home, 2, 4096)));
        try (Stream<Path> s = Files.list(scratch)) {
            assertEquals(List.of(home, users).stream().sorted().toList(), s.sorted().toList(),
                    "nothing loose beside the user's files");
        }
        assertEquals("kept", Files.readString(users));
        ScratchLock.acquire(List.of(home), List.of()).close(); // released at the end of the run
    }
}
