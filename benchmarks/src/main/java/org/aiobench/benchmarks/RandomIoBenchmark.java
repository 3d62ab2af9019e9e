package org.aiobench.benchmarks;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.aiobench.benchmarks.metrics.RandomIoMetrics;
import org.aiobench.benchmarks.metrics.RandomIoProfiler;
import org.aiobench.benchmarks.metrics.StartTimeProfiler;
import org.aiobench.engines.UnsupportedConfigurationException;
import org.aiobench.workloads.Progress;
import org.aiobench.workloads.Sizes;
import org.aiobench.workloads.randio.JobSpec;
import org.aiobench.workloads.randio.RandomIoJob;
import org.aiobench.workloads.randio.RandomIoReport;
import org.aiobench.workloads.randio.Target;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * What the random-I/O experiments share: each measured JMH iteration is one timed job run (its ramp, then its
 * measured window, exactly as fio runs a time-based job), and its score is that run's IOPS in ops/s. The job runs
 * on its own threads ({@code numjobs} of them), so JMH's own thread only starts it and waits; JMH's iteration time
 * is set to a millisecond, which the first call outlasts, so one iteration is one call. JMH cannot take a score from
 * the benchmark itself, so {@link RandomIoProfiler} (required: the iteration fails without it) reports the run's
 * IOPS and its latency, CPU and interval IOPS as secondary results (results/README.md); the runner takes the IOPS as
 * the sample's value. A warmup iteration runs the ramp alone (the loop is compiled, the device settles).
 *
 * <p>The parameters are the job's, named as in the CLI ({@link JobSpec#PARAMS}) plus {@code size}, the target's
 * size; every experiment sweeps the engines over the same depths and block sizes (declared here) and names its
 * direction ({@code rw}) itself. The target is the run's prepared scratch file (the runner lays it out or verifies
 * it once per run; by hand it is laid out when missing).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 1, time = 1, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 1, time = 1, timeUnit = TimeUnit.MILLISECONDS)
@Threads(1)
public abstract class RandomIoBenchmark {
    /** The io_uring flags fio (3.33 and later) sets on every ring: the Java job uses them too, to be the same job. */
    public static final String FIO_RING_FLAGS = "coop_taskrun,single_issuer,defer_taskrun";

    @Param({"sync", "posixaio", "libaio", "io_uring"}) public String engine;
    @Param({"4K", "512"}) public String bs;
    @Param({"1", "2", "4", "8", "16", "32", "64", "128"}) public String iodepth;
    @Param({"1", "2", "4", "8", "16", "32", "64", "128"}) public String numjobs;
    @Param({"true"}) public String direct;
    @Param({"1G"}) public String size;
    @Param({"1s"}) public String ramp;
    @Param({"3s"}) public String runtime;

    protected JobSpec spec;
    protected Target target;
    protected Map<String, String> params;
    private boolean warmup;

    @Setup(Level.Trial)
    public void trial(BenchmarkParams bp) {
        params = new LinkedHashMap<>();
        for (String k : bp.getParamsKeys()) params.put(k, bp.getParam(k));
        String na = notApplicableHere(params);
        if (na != null) throw new UnsupportedConfigurationException(na);
        spec = spec(params);
        long size = Sizes.parse(params.get("size"), "size");
        boolean writes = spec.rw().writes();
        Path scratch = ScratchLayout.scratch();
        Target t = Target.openScratch(scratch, size, writes);
        target = t != null ? t : Target.ensureScratch(scratch, size, writes, Progress.NONE, s -> {});
        target.checkJob(spec);
        check(spec, target);
    }

    @Setup(Level.Iteration)
    public void iteration(IterationParams ip) {
        if (!RandomIoMetrics.profilerActive()) {
            throw new UnsupportedConfigurationException("run with -prof " + RandomIoProfiler.class.getName()
                    + ": it reports each job run's IOPS (JMH cannot take it from the benchmark)");
        }
        warmup = ip.getType() == IterationType.WARMUP;
    }

    /** One timed job run (a measured iteration), or the ramp alone (a warmup iteration). */
    @Benchmark
    public void run() {
        if (warmup) {
            warmup();
            return;
        }
        StartTimeProfiler.mark(); // the sample's place in time (samples.jsonl start)
        RandomIoMetrics.record(measure());
    }

    /** Why this benchmark does not run a parameter set ({@link #notApplicable}: the queue-depth sweep's rule). */
    protected String notApplicableHere(Map<String, String> p) {
        return notApplicable(p);
    }

    /** The job this configuration runs. */
    protected JobSpec spec(Map<String, String> p) {
        return jobSpec(p);
    }

    /** Checks what the target and this benchmark's tool need before anything runs (throws UnsupportedConfiguration). */
    protected void check(JobSpec s, Target t) {}

    /** One measured run: the Java job. */
    protected RandomIoReport measure() {
        return RandomIoJob.run(spec, target);
    }

    /** What a warmup iteration does: the job's ramp alone. */
    protected void warmup() {
        RandomIoJob.run(spec, target, true);
    }

    /**
     * The job of a parameter set: the JobSpec's own names, io_uring with fio's ring flags. {@code size} belongs to
     * the target and is left out.
     */
    public static JobSpec jobSpec(Map<String, String> p) {
        Map<String, String> job = new LinkedHashMap<>();
        p.forEach((k, v) -> {
            if (JobSpec.PARAMS.contains(k)) job.put(k, v);
        });
        if ("io_uring".equals(job.get("engine")) && !job.containsKey("ringFlags")) job.put("ringFlags", FIO_RING_FLAGS);
        return JobSpec.fromParams(job);
    }

    /**
     * Why a parameter set is not part of the queue-depth sweep, or null: the asynchronous engines vary iodepth with
     * one job; sync has one I/O in flight per job, so it runs at iodepth 1 and its concurrency is numjobs (numjobs =
     * the sweep's iodepth: as many I/Os in flight as the asynchronous engines at that depth).
     */
    public static String notApplicable(Map<String, String> p) {
        String engine = p.get("engine");
        int iodepth = Integer.parseInt(p.getOrDefault("iodepth", "1"));
        int numjobs = Integer.parseInt(p.getOrDefault("numjobs", "1"));
        if ("sync".equals(engine)) {
            return iodepth == 1 ? null : "sync has one I/O in flight per job (pread/pwrite): it runs at iodepth 1,"
                    + " with numjobs threads for concurrency";
        }
        return numjobs == 1 ? null : "the sweep varies iodepth of one job for " + engine + "; numjobs > 1 is for sync";
    }
}
