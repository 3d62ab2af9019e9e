package org.aiobench.benchmarks.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * run-experiments.sh's build decisions, its functions sourced into bash: JMH's generated sources under target/ do
 * not make a jar stale (the first copy after the tests rebuilt everything, benchmarks.jar included, possibly under
 * a running experiment), and a running experiment is seen by the lock it holds.
 */
class RunScriptTest {
    static final Path SCRIPT = Path.of("..", "run-experiments.sh").toAbsolutePath().normalize();
    @TempDir Path root;

    private String bash(String commands) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", "source \"$1\"; set +e; ROOT=\"$2\"; EXPERIMENT_LOCK=\"$2/experiment.lock\"; "
                + commands, "bash", SCRIPT.toString(), root.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out.strip();
    }

    private Path file(String rel, long ageSeconds) throws IOException {
        Path f = root.resolve(rel);
        Files.createDirectories(f.getParent());
        Files.writeString(f, "x");
        Files.setLastModifiedTime(f, FileTime.from(Instant.now().minusSeconds(ageSeconds)));
        return f;
    }

    @Test
    void generatedSourcesUnderTargetDoNotMakeAJarStale() throws Exception {
        file("pom.xml", 100);
        file("engines/src/main/java/A.java", 100);
        file("workloads/src/main/java/B.java", 100);
        file("benchmarks/src/main/java/C.java", 100);
        file("workloads/target/aiobench-cli.jar", 50);
        file("benchmarks/target/benchmarks.jar", 50);
        // what `mvn verify` leaves: JMH's generated sources, newer than the CLI jar (built earlier in the reactor)
        file("benchmarks/target/generated-sources/annotations/C_jmhTest.java", 10);
        String check = "sources_newer \"$ROOT/workloads/target/aiobench-cli.jar\" engines workloads && echo stale || echo current; "
                + "sources_newer \"$ROOT/benchmarks/target/benchmarks.jar\" engines workloads benchmarks && echo stale || echo current";
        assertEquals("current\ncurrent", bash(check));
        file("benchmarks/src/main/java/C.java", 0); // a benchmark changed: only benchmarks.jar is out of date
        assertEquals("current\nstale", bash(check));
        Files.delete(root.resolve("workloads/target/aiobench-cli.jar"));
        assertEquals("stale\nstale", bash(check));
    }

    /**
     * Issue 23: on a fresh machine the fio reference was skipped with a warning. The script names what is missing
     * as Debian packages, installs them as root with apt-get (said in a line), and elsewhere prints the one command.
     */
    @Test
    void whatTheExperimentsNeedIsNamedAndInstalledOrTheCommandPrinted() throws Exception {
        Path empty = Files.createDirectories(root.resolve("empty-path"));
        String nothing = "GNU_TIME=/nonexistent/time; PATH=" + empty + "; ";
        assertEquals("fio time fontconfig fonts-dejavu-core", bash(nothing + "missing_packages"));
        // not installing (asked not to, or a dry run): the one command that would
        String note = bash(nothing + "AIOBENCH_NO_INSTALL=1 ensure_packages");
        assertEquals(1, note.lines().count(), note);
        org.junit.jupiter.api.Assertions.assertTrue(note.endsWith("apt-get install -y fio time fontconfig"
                + " fonts-dejavu-core"), note);
        org.junit.jupiter.api.Assertions.assertTrue(bash(nothing + "ensure_packages dry").contains("not installed: fio"));
        // where everything is there, nothing is said
        Assumptions.assumeTrue(bash("missing_packages").isEmpty(), "this machine lacks some of them");
        assertEquals("", bash("ensure_packages"));
    }

    @Test
    void aRunningExperimentIsSeenByItsLock() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/flock")), "no flock(1)");
        assertEquals("", bash("experiment_pids"));
        Path lock = Files.createFile(root.resolve("experiment.lock"));
        assertEquals("", bash("experiment_pids"), "the file alone is no experiment");
        // an experiment holds it shared (ScratchLock.forExperiment)
        Process holder = new ProcessBuilder("/usr/bin/flock", "-o", "-s", lock.toString(), "sleep", "60").start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            String pids = "";
            while (pids.isEmpty() && System.nanoTime() < deadline) {
                pids = bash("experiment_pids");
                if (pids.isEmpty()) Thread.sleep(50);
            }
            assertEquals(Long.toString(holder.pid()), pids);
            // issue 23: it runs no jar of this checkout, so a fresh clone may still build its own
            assertEquals("", bash("experiment_pids_here"));
        } finally {
            holder.destroyForcibly().waitFor();
        }
        assertEquals("", bash("experiment_pids"));
        // one that runs this checkout's jar keeps it from being rebuilt
        Process ours = new ProcessBuilder("/usr/bin/flock", "-o", "-s", lock.toString(), "sh", "-c", "sleep 60",
                root.resolve("benchmarks/target/benchmarks.jar").toString()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            String pids = "";
            while (pids.isEmpty() && System.nanoTime() < deadline) {
                pids = bash("experiment_pids_here");
                if (pids.isEmpty()) Thread.sleep(50);
            }
            assertEquals(Long.toString(ours.pid()), pids);
        } finally {
            ours.destroyForcibly().waitFor();
        }
    }
}
