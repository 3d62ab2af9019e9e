package org.aiobench.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.aiobench.engines.nat.ResourceUsage;
import org.aiobench.workloads.Scratch;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The external reference of the copy report's figures (its "cp"), measured as a user meets it: GNU
 * {@code cp -r --reflink=never SRC DST} run as a process on the same trees, in the same run, with the same
 * untimed preparation and verification as the engines. The time is process start to exit; CPU time and context
 * switches are the deltas of this JVM's children (getrusage RUSAGE_CHILDREN). There is no native-bytes figure.
 *
 * <p>What starting cp costs is measured beside it, untimed, before every copy: the same command through the same
 * spawn path on an empty directory (the median of three), recorded as {@code spawnSec}. The copy less that is cp's
 * own work; the engines' time has no process start in it (their JVM is running), so the report shows cp both as
 * measured and less its start cost. The cold cache evicts only the source's pages, so cp's program stays as
 * resident as in a warm run.
 *
 * <p>Peak memory is cp's own ru_maxrss as GNU time reports it ({@code /usr/bin/time -f %M}, which then runs cp
 * and is timed with it: about a millisecond, like a shell starting cp). It cannot come from RUSAGE_CHILDREN: the
 * JVM starts processes with posix_spawn (CLONE_VM|CLONE_VFORK), and the kernel charges the JVM's own peak RSS to
 * the child's ru_maxrss when it execs (exec_mmap records the old mm's high-water mark), so every direct child of
 * a JVM reports at least the JVM's RSS. Without /usr/bin/time, cp runs directly and {@code peakRssBytes} is
 * left out.
 *
 * <p>What to look for: the study's own "cp" was a copy_file_range loop (compare {@code engine=copy_file_range});
 * GNU cp also uses copy_file_range where it can, so the two should be close, and the process start is part of
 * what a user pays. {@code --reflink=never} keeps a CoW filesystem from cloning instead of copying.
 */
@State(Scope.Benchmark)
public class CpBaseline extends CopyBenchmark {
    @Param({"32K", "1M", "100M"}) public String fileSize;
    @Param({"128"}) public String files;
    @Param({"warm", "cold"}) public String cache;

    private static final Path GNU_TIME = Path.of("/usr/bin/time");

    /** Spawns of cp on an empty directory per copy; their median is its start cost. */
    static final int SPAWN_SAMPLES = 3;

    /** maxRssKiB is -1 when not measured. */
    private record Run(long nanos, ResourceUsage usage, long maxRssKiB) {}

    private Path emptySource;
    private Path spawnTarget;
    private long spawnNanos;

    @Override
    protected CopySpec spec(Map<String, String> params) {
        return CopySpec.ofCp(params);
    }

    /** No plan: cp has its own. An empty directory and a place to copy it to, for the start cost. */
    @Override
    protected void prepareTrial(Path src, Path dst) throws IOException {
        Path spawn = dst.resolveSibling("cp-start");
        Scratch.deleteOwned(spawn);
        Scratch.createOwned(spawn);
        emptySource = Files.createDirectory(spawn.resolve("empty"));
        spawnTarget = Files.createDirectory(spawn.resolve("into"));
    }

    @Override
    protected Object begin() {
        return ResourceUsage.children();
    }

    /**
     * cp copies into an existing directory, which aiobench creates (and so may delete) untimed; then cp's start
     * cost: the same command on the empty directory.
     */
    @Override
    protected void resetDestination(Path dst) throws IOException, InterruptedException {
        Scratch.deleteOwned(dst);
        Scratch.createOwned(dst);
        long[] t = new long[SPAWN_SAMPLES];
        for (int i = 0; i < t.length; i++) {
            t[i] = cp(emptySource, spawnTarget).nanos();
            Files.delete(spawnTarget.resolve(emptySource.getFileName()));
        }
        java.util.Arrays.sort(t);
        spawnNanos = t[t.length / 2];
    }

    @Override
    protected Object timedCopy(Path src, Path dst) throws IOException, InterruptedException {
        return cp(src, dst);
    }

    /** {@code [time -f %M] cp -r --reflink=never SRC DST}, timed from the spawn to the exit. */
    private static Run cp(Path src, Path dst) throws IOException, InterruptedException {
        boolean gnuTime = Files.isExecutable(GNU_TIME);
        Path report = dst.resolveSibling(".cp-maxrss");
        List<String> cmd = new ArrayList<>();
        if (gnuTime) cmd.addAll(List.of(GNU_TIME.toString(), "-f", "%M", "-o", report.toString()));
        cmd.addAll(List.of("cp", "-r", "--reflink=never", src.toString(), dst.toString()));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        int rc = p.waitFor();
        long nanos = System.nanoTime() - t0;
        if (rc != 0) throw new IOException("cp -r --reflink=never exited with " + rc + ": " + out);
        ResourceUsage after = ResourceUsage.children();
        long maxRssKiB = -1;
        if (gnuTime) {
            List<String> lines = Files.readAllLines(report);
            Files.delete(report);
            maxRssKiB = Long.parseLong(lines.get(lines.size() - 1).trim());
        }
        return new Run(nanos, after, maxRssKiB);
    }

    @Override
    protected void record(Object before, Object result) {
        Run r = (Run) result;
        Map<String, Double> m = CopyMetrics.process(r.usage().minus((ResourceUsage) before),
                r.maxRssKiB() < 0 ? -1 : r.maxRssKiB() * 1024);
        m.put(CopyMetrics.MB_PER_SEC, spec.treeBytes() / 1e6 / (r.nanos() / 1e9));
        m.put(CopyMetrics.SPAWN, spawnNanos / 1e9);
        m.put(CopyMetrics.RESIDENT, residentFraction);
        CopyMetrics.record(m);
    }

    @Override
    protected void cleanUpTrial() {
        if (emptySource != null) Scratch.deleteOwned(emptySource.getParent());
    }

    @Override
    protected Path copiedTree(Path dst, Path src) {
        return dst.resolve(src.getFileName());
    }
}
