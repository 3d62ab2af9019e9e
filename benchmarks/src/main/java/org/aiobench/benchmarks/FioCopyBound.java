package org.aiobench.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.aiobench.benchmarks.metrics.CopyMetrics;
import org.aiobench.engines.UnsupportedConfigurationException;
import org.aiobench.workloads.CopyBound;
import org.aiobench.workloads.Scratch;
import org.aiobench.workloads.Sizes;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The device's copy bound for the large-file group ({@link LargeFileCopy}): fio reading the tree's own files while it
 * writes as many bytes into new files, at once, with the copies' request size (bs) and depth (iodepth), buffered or
 * O_DIRECT ({@link CopyBound} has the job). It runs on the large tree and cache state, in the same rounds and with
 * the same untimed preparation as every copy (the destination emptied, syncfs, the source's cache state reached and
 * checked), so each engine's time over fio's pairs by round.
 *
 * <p>The sample's time is fio's process from spawn to exit; the bound is the secondary metric {@value #BOUND}: the
 * longer job's runtime as fio measured it, without its start, layout and exit. {@code mbPerSec} is the tree's bytes
 * over that. fio's JSON of every run is kept under the run directory's {@code fio/}. The written bytes are fio's,
 * not a copy of the tree: nothing is verified. Without fio the configuration is skipped with the reason.
 */
@State(Scope.Benchmark)
public class FioCopyBound extends CopyBenchmark {
    /** The bound: the longer of fio's two jobs, in seconds. */
    public static final String BOUND = CopyMetrics.BOUND;

    @Param({"100M"}) public String fileSize;
    @Param({"16"}) public String files;
    @Param({"false", "true"}) public String direct;
    @Param({"128K"}) public String bs;
    @Param({"64"}) public String iodepth;
    @Param({"cold"}) public String cache;

    private CopyBound job;
    private List<Path> sourceFiles;

    @Override
    protected CopySpec spec(Map<String, String> params) {
        String why = CopyBound.unavailable();
        if (why != null) throw new UnsupportedConfigurationException(why);
        return CopySpec.ofCp(params);
    }

    /** The tree's files, and an empty destination for the write job (made again before every run). */
    @Override
    protected void prepareTrial(Path src, Path dst) throws IOException {
        try (Stream<Path> s = Files.walk(src)) {
            sourceFiles = s.filter(Files::isRegularFile).sorted().toList();
        }
        job = new CopyBound(sourceFiles, spec.fileSize(), dst, (int) Sizes.parse(bs), Integer.parseInt(iodepth),
                Boolean.parseBoolean(direct));
    }

    @Override
    protected void resetDestination(Path dst) throws IOException {
        Scratch.deleteOwned(dst);
        Scratch.createOwned(dst);
    }

    @Override
    protected Object begin() {
        return null;
    }

    @Override
    protected Object timedCopy(Path src, Path dst) throws IOException, InterruptedException {
        return job.run(FioReference.jsonPath(FioCopyBound.class, params()));
    }

    @Override
    protected void record(Object before, Object result) {
        CopyBound.Run r = (CopyBound.Run) result;
        Map<String, Double> m = new java.util.LinkedHashMap<>();
        m.put(BOUND, r.seconds());
        m.put(CopyMetrics.MB_PER_SEC, spec.treeBytes() / 1e6 / r.seconds());
        m.put(CopyMetrics.RESIDENT, residentFraction);
        CopyMetrics.record(m);
    }

    /** fio wrote its own bytes, no copy: nothing to verify, only to record. */
    @Override
    public void check() {
        Object r = takeLast();
        if (r != null) record(null, r);
    }
}
