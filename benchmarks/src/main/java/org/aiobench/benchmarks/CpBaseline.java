package org.aiobench.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.aiobench.engines.nat.ResourceUsage;
import org.aiobench.workloads.Scratch;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The external reference of the copy report's figures (its "cp"), measured as a user meets it: GNU
 * {@code cp -r --reflink=never SRC DST} run as a process on the same trees, in the same run, with the same
 * untimed preparation and verification as the engines. The time is process start to exit; peak memory is the
 * children's ru_maxrss (getrusage RUSAGE_CHILDREN: the largest cp of this JVM so far, and every cp copies the same
 * tree), CPU time and context switches are the children's deltas. There is no native-bytes figure.
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

    private record Run(long nanos, ResourceUsage usage, long maxRssKiB) {}

    @Override
    protected CopySpec spec(Map<String, String> params) {
        return CopySpec.ofCp(params);
    }

    @Override
    protected Object begin() {
        return ResourceUsage.children();
    }

    /** cp copies into an existing directory, which aiobench creates (and so may delete) untimed. */
    @Override
    protected void prepareDestination(Path dst) throws IOException {
        Scratch.createOwned(dst);
    }

    @Override
    protected Object timedCopy(Path src, Path dst) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("cp", "-r", "--reflink=never", src.toString(), dst.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        int rc = p.waitFor();
        long nanos = System.nanoTime() - t0;
        if (rc != 0) throw new IOException("cp -r --reflink=never exited with " + rc + ": " + out);
        ResourceUsage after = ResourceUsage.children();
        return new Run(nanos, after, after.maxRssKiB());
    }

    @Override
    protected void record(Object before, Object result) {
        Run r = (Run) result;
        double mbPerSec = spec.treeBytes() / 1e6 / (r.nanos() / 1e9);
        CopyMetrics.record(mbPerSec, r.maxRssKiB() * 1024, -1, r.usage().minus((ResourceUsage) before));
    }

    @Override
    protected Path copiedTree(Path dst, Path src) {
        return dst.resolve(src.getFileName());
    }
}
