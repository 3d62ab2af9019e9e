package org.aiobench.benchmarks.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.aiobench.benchmarks.ScratchLayout;
import org.junit.jupiter.api.Test;

import static org.aiobench.benchmarks.run.RunnerTests.BASE;
import static org.aiobench.benchmarks.run.RunnerTests.SCRATCH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an adversarial user tried (issue 10): every bad input gets one line and exit status 2, and nothing is
 * written: no run directory, no scratch directory, no change to the user's files.
 */
class RunnerBadInputTest {
    static final Path NEW_RUN = BASE.resolve("never-written");

    /** Runs the tiny matrix with {@code args} and checks the refusal: one line, exit 2, no new run directory. */
    static String refused(String... args) throws IOException {
        Files.createDirectories(BASE);
        RunnerTests.deleteTree(NEW_RUN);
        List<String> all = new ArrayList<>(RunnerTests.tinyWith(args));
        if (List.of(args).stream().noneMatch(a -> a.equals("--results") || a.equals("--resume"))) {
            all.addAll(List.of("--results", NEW_RUN.toString()));
        }
        if (List.of(args).contains("--resume")) all = List.of(args);
        RunnerTests.Outcome o = RunnerTests.run(all);
        String msg = o.err().trim();
        assertEquals(2, o.status(), String.join(" ", args) + ": " + o.all());
        assertEquals(1, msg.lines().count(), msg);
        assertTrue(msg.startsWith("run-experiments.sh: "), msg);
        assertFalse(Files.exists(NEW_RUN), String.join(" ", args) + " left " + NEW_RUN);
        return msg;
    }

    @Test
    void unknownNamesAndMalformedValues() throws IOException {
        refused("--suite", "nope");
        refused("--engines", "nope");
        refused("--sizes", "abc");
        refused("--frobnicate");
        refused("--rounds", "0");
        refused("--resume", BASE.resolve("no-such-run").toString());
    }

    /** A peer that cannot run is refused before anything is written or measured (issue 15). */
    @Test
    void badPeersAreRefusedBeforeAnythingRuns() throws IOException {
        assertTrue(refused("--peer", "rsync -r {src}/ {dst}").contains("expected NAME='COMMAND {src} {dst}'"));
        assertTrue(refused("--peer", "io_uring=cp -r {src} {dst}").contains("is an engine's name"));
        assertTrue(refused("--peer", "cp=cp -a {src} {dst}").contains("the built-in peer"));
        assertTrue(refused("--peer", "r=rsync -r {src}/").contains("has no {dst}"));
        assertTrue(refused("--peer", "r=no-such-program-aiobench {src} {dst}").contains("is not on PATH"));
        assertTrue(refused("--peer", "r=cp -r {src} {dst} | tee log").contains("without a shell"));
        assertTrue(refused("--peer", "a=cp -r {src} {dst}", "--peer", "a=cp -R {src} {dst}").contains("given twice"));
        assertTrue(refused("--suite", "peer").contains("not a --suite name"));
    }

    @Test
    void nothingToRunIsAnError() throws IOException {
        // --suite "" once started the full study; the others ran zero configurations and exited 0
        assertTrue(refused("--suite", "").contains("no group named"));
        assertTrue(refused("--suite", ",").contains("no group named"));
        assertTrue(refused("--engines", "").contains("no engine named"));
        assertTrue(refused("--engines", ",").contains("no engine named"));
        assertTrue(refused("--quick", "--suite", "qd", "--qd", "100000").contains("nothing to run"));
    }

    @Test
    void resultsMustBeNewOrEmpty() throws IOException {
        // a user's directory with an env.json of their own: refused, untouched (it once crashed, then the plot
        // step replaced the user's reports)
        Path user = BASE.resolve("users-results");
        RunnerTests.deleteTree(user);
        Files.createDirectories(user.resolve("figures"));
        Files.writeString(user.resolve("env.json"), "{}");
        Files.writeString(user.resolve("report.html"), "mine");
        assertTrue(refused("--results", user.toString()).contains("not empty"));
        try (var s = Files.list(user)) {
            assertEquals(3, s.count());
        }
        assertEquals("{}", Files.readString(user.resolve("env.json")));
        // a file
        Path file = BASE.resolve("a-file");
        Files.writeString(file, "x");
        assertTrue(refused("--results", file.toString()).contains("is a file"));
        assertEquals("x", Files.readString(file));
        // where no directory can be created: procfs and sysfs refuse every new name (the filesystem's reason is given)
        refused("--results", "/proc/aiobench-test-results/run");
        refused("--results", "/sys/aiobench-test-results");
        assertFalse(Files.exists(Path.of("/sys/aiobench-test-results")));
    }

    @Test
    void resultsOnAReadOnlyFilesystem() throws Exception {
        try (ReadOnlyMount ro = ReadOnlyMount.tryMount(BASE.resolve("read-only"))) {
            if (ro == null) return; // not root or no mount permission here; the procfs and sysfs cases stand in
            assertTrue(refused("--results", ro.dir.resolve("run").toString()).contains("read-only filesystem"));
            assertTrue(refused("--dir", ro.dir.toString()).contains("read-only filesystem"));
        }
    }

    @Test
    void scratchDirectoryProblems() throws IOException {
        Path file = BASE.resolve("scratch-file");
        Files.createDirectories(BASE);
        Files.writeString(file, "x");
        assertTrue(refused("--dir", file.toString()).contains("not a directory"));
        refused("--dir", "/proc/aiobench-test-scratch");
        refused("--dir", BASE.resolve("no/such/parent").toString());
        // a mistyped --dir is refused, not created (issue 23: randio filled one with its target)
        Path typo = BASE.resolve("scartch");
        RunnerTests.deleteTree(typo);
        assertTrue(refused("--dir", typo.toString(), "--dry-run").contains("it does not exist"));
        assertFalse(Files.exists(typo), "the runner created the mistyped " + typo);
        // a run refused after it made its subdirectory (too little space) takes it away again
        Path fresh = BASE.resolve("fresh-scratch");
        RunnerTests.deleteTree(fresh);
        Files.createDirectories(fresh);
        assertTrue(refused("--dir", fresh.toString(), "--sizes", "100T", "--suite", "cp").contains("free"));
        assertEquals(List.of(), Files.list(fresh).toList(), "the refused run left its subdirectory");
    }

    @Test
    void aDryRunWritesNothing() throws IOException {
        Path fresh = BASE.resolve("dry-scratch");
        RunnerTests.deleteTree(fresh);
        Files.createDirectories(fresh);
        RunnerTests.deleteTree(NEW_RUN);
        List<String> args = new ArrayList<>(RunnerTests.tinyWith("--dir", fresh.toString(), "--dry-run"));
        args.addAll(List.of("--results", NEW_RUN.toString()));
        RunnerTests.Outcome o = RunnerTests.run(args);
        assertEquals(0, o.status(), o.all());
        assertTrue(o.out().contains("planned: "), o.out());
        assertEquals(List.of(), Files.list(fresh).toList(), "a dry run left its scratch subdirectory");
        assertFalse(Files.exists(NEW_RUN), "a dry run left a run directory");
    }

    @Test
    void theHarnessKeepsItsFilesInItsOwnSubdirectory() {
        // --dir / once created /trees
        assertEquals(Path.of("/aiobench-scratch"), ScratchLayout.root(Path.of("/")));
        assertEquals(SCRATCH.resolve("aiobench-scratch").resolve("trees").resolve("3x4K"),
                ScratchLayout.tree(ScratchLayout.root(SCRATCH), 3, 4096));
    }

    @Test
    void runIdsAreUniqueWithinASecond() throws IOException {
        Path parent = BASE.resolve("ids");
        RunnerTests.deleteTree(parent);
        Path a = ResultsDirectory.createUnique(parent);
        Path b = ResultsDirectory.createUnique(parent);
        Path c = ResultsDirectory.createUnique(parent);
        assertTrue(Files.isDirectory(a) && Files.isDirectory(b) && Files.isDirectory(c));
        assertEquals(3, List.of(a, b, c).stream().distinct().count());
        assertTrue(a.getFileName().toString().matches("\\d{4}-\\d\\d-\\d\\dT\\d{6}-.+"), a.toString());
    }

    /** A read-only tmpfs for the test's lifetime, where this process may mount one (root with CAP_SYS_ADMIN). */
    static final class ReadOnlyMount implements AutoCloseable {
        final Path dir;

        private ReadOnlyMount(Path dir) { this.dir = dir; }

        static ReadOnlyMount tryMount(Path dir) throws IOException, InterruptedException {
            Files.createDirectories(dir);
            Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "ro,size=64k", "aiobench-test", dir.toString())
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) return null;
            return new ReadOnlyMount(dir);
        }

        @Override
        public void close() throws IOException, InterruptedException {
            new ProcessBuilder("umount", dir.toString()).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
