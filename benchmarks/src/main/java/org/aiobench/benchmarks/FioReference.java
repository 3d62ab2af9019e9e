package org.aiobench.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import org.aiobench.engines.UnsupportedConfigurationException;
import org.aiobench.workloads.randio.FioJob;
import org.aiobench.workloads.randio.JobSpec;
import org.aiobench.workloads.randio.RandomIoReport;
import org.aiobench.workloads.randio.Target;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.aiobench.vocabulary.ConfigLabel;

/**
 * The external reference of the random-I/O experiments, as {@link CpBaseline} is the copy study's: fio running the
 * job {@link RandomRead} or {@link RandomWrite} runs, on the same target, with the same engine (psync, posixaio,
 * libaio, io_uring), bs, iodepth, numjobs, O_DIRECT, ramp and runtime ({@link FioJob} lists the equivalences). One
 * measured iteration is one fio run; its score is fio's IOPS for the run and its secondary results are fio's total
 * latency percentiles (lat_percentiles=1), CPU and context switches under the same names as the Java job's, so a
 * Java/fio ratio pairs within a run (or a round). fio's own JSON is kept: under the run directory's {@code fio/}
 * (system property {@code aiobench.results}), else under the scratch directory's {@code fio/}. A warmup iteration
 * does nothing (fio has no JIT; its own ramp_time is part of every run).
 *
 * <p>Without fio the configuration is skipped with the reason and how to install it (Debian package fio).
 *
 * <p>What to look for: fio's io_uring and libaio at the same IOPS as the Java engines (the ratio table: at least
 * 0.97 expected), fio's posixaio far behind ours at depth (it queues every request on one descriptor, which glibc
 * serialises; ours spreads them over dup'd descriptors), fio's latency a little higher at depth 1 (it submits and
 * waits in two system calls per I/O, ours in one).
 */
@State(Scope.Benchmark)
public class FioReference extends RandomIoBenchmark {
    /** System property naming the run directory, under whose {@code fio/} fio's JSON is kept. */
    public static final String RESULTS_PROPERTY = "aiobench.results";

    @Param({"randread", "randwrite"}) public String rw;

    @Override
    protected void check(JobSpec s, Target t) {
        checkFio(s);
    }

    @Override
    protected RandomIoReport measure() {
        return runFio(spec, target, getClass(), params);
    }

    /** Refuses a job fio cannot run here (not installed, or an option fio lacks), with the reason. */
    static void checkFio(JobSpec s) {
        String why = FioJob.unsupported(s);
        if (why != null) throw new UnsupportedConfigurationException(why);
    }

    /** One fio run of the job of {@code benchmark}, its JSON kept under the run directory ({@link #jsonPath}). */
    static RandomIoReport runFio(JobSpec s, Target t, Class<?> benchmark, Map<String, String> p) {
        return FioJob.run(s, t, jsonPath(benchmark, p));
    }

    @Override
    protected void warmup() {}

    /** {@code <run>/fio/<configuration>/<instant>.json}: one file per fio run, kept whole. */
    static Path jsonPath(Class<?> benchmark, Map<String, String> p) {
        String prop = System.getProperty(RESULTS_PROPERTY);
        Path base = prop != null ? Path.of(prop).resolve("fio") : ScratchLayout.scratch().resolve("fio");
        String config = ConfigLabel.id(benchmark.getSimpleName(), p);
        Path dir = base.resolve(config.replaceAll("[^A-Za-z0-9=,:._-]", "_"));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        return dir.resolve(Instant.now().toString().replace(':', '-') + ".json");
    }
}
