package org.aiobench.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.aiobench.benchmarks.metrics.RandomIoMetrics;
import org.aiobench.engines.UnsupportedConfigurationException;
import org.aiobench.engines.nat.Affinity;
import org.aiobench.workloads.randio.CpuHogs;
import org.aiobench.workloads.randio.IrqCpus;
import org.aiobench.workloads.randio.JobSpec;
import org.aiobench.workloads.randio.RandomIoJob;
import org.aiobench.workloads.randio.RandomIoReport;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What the io_uring thesis' experiments (../shared/papers/io_uring-thesis.md chapter 4; paper-artifacts.md part 2)
 * share beyond the random-I/O job of {@link RandomIoBenchmark}: the ring flags exactly as given ({@code none} is a
 * ring without flags, the thesis' default, not fio's), the CPU placement relative to the scratch device's interrupt
 * CPUs ({@link IrqCpus}), pinned CPU hogs beside the jobs, think time and registered files. One measured iteration
 * is one timed job run, its IOPS the score, as for randread.
 *
 * <p>{@code placement}: {@code any} (not pinned), {@code irq} (every job on the CPU that takes the device's queue
 * interrupts), {@code other} (every job on a CPU that takes none), {@code split} (the job on the other CPU, the
 * SQPOLL thread on the interrupt CPU: sqpoll_cpu), {@code both} (every job on both CPUs of split), {@code cross} (the
 * cross-thread experiments: the submitter on the other CPU, its partner on the interrupt CPU). Without an interrupt
 * CPU told apart from the others, irq and other cannot run (skipped with the reason); split, both and cross take the
 * first two CPUs then. {@code hogs}: busy threads per CPU the job is pinned to (all CPUs when it is not).
 */
@State(Scope.Benchmark)
public abstract class ThesisJob extends RandomIoBenchmark {
    @Param({"randread"}) public String rw;
    @Param({"none"}) public String ringFlags;
    @Param({"false"}) public String regfiles;
    @Param({"0"}) public String thinkcycles;
    @Param({"any"}) public String placement;
    @Param({"0"}) public String hogs;

    /** The placements, as the parameter spells them. */
    public static final List<String> PLACEMENTS = List.of("any", "irq", "other", "split", "both", "cross");

    /** The CPUs the current configuration runs on: [submitter or job, partner or SQPOLL thread] (cross, split). */
    protected int[] pair;

    /** Any number of io_uring jobs: the thesis varies numjobs and iodepth together. */
    @Override
    protected String notApplicableHere(Map<String, String> p) {
        return "io_uring".equals(p.get("engine")) ? null : "the thesis experiments use io_uring, not " + p.get("engine");
    }

    @Override
    protected JobSpec spec(Map<String, String> p) {
        IrqCpus irq = IrqCpus.of(ScratchLayout.scratch());
        String why = unplaceable(p, irq);
        if (why != null) throw new UnsupportedConfigurationException(why);
        pair = pair(irq);
        return jobSpec(p, irq);
    }

    /** Why the configuration cannot be placed on this machine, or null. */
    public static String unplaceable(Map<String, String> p, IrqCpus irq) {
        String placement = p.getOrDefault("placement", "any");
        if (!PLACEMENTS.contains(placement)) return "unknown placement '" + placement + "' (" + PLACEMENTS + ")";
        if ((placement.equals("irq") || placement.equals("other")) && !irq.distinct()) {
            return "placement " + placement + " needs a CPU that takes the scratch device's interrupts and one that"
                    + " takes none: " + irq.reason();
        }
        if (List.of("split", "both", "cross").contains(placement) && Affinity.currentThreadCpus().length < 2) {
            return "placement " + placement + " needs two CPUs; this process may use " + Arrays.toString(Affinity.currentThreadCpus());
        }
        return null;
    }

    /** [first, second]: the other CPU then the interrupt CPU when told apart, else the first two usable CPUs. */
    static int[] pair(IrqCpus irq) {
        if (irq.distinct()) return new int[] {irq.otherCpu(), irq.irqCpu()};
        int[] all = Affinity.currentThreadCpus();
        return all.length >= 2 ? new int[] {all[0], all[1]} : new int[] {all[0], all[0]};
    }

    /**
     * The job of a parameter set on this machine: the random-I/O job's parameters, the placement turned into
     * {@code cpus} (and sqpoll_cpu for split), ring flags as given.
     */
    public static JobSpec jobSpec(Map<String, String> p, IrqCpus irq) {
        Map<String, String> job = new LinkedHashMap<>();
        p.forEach((k, v) -> {
            if (JobSpec.PARAMS.contains(k)) job.put(k, v);
        });
        job.putIfAbsent("ringFlags", "none");
        int[] two = pair(irq);
        switch (p.getOrDefault("placement", "any")) {
            case "irq" -> job.put("cpus", Integer.toString(irq.irqCpu()));
            case "other" -> job.put("cpus", Integer.toString(irq.otherCpu()));
            case "split" -> {
                job.put("cpus", Integer.toString(two[0]));
                job.put("ringFlags", job.get("ringFlags").replace('+', ',') + ",sqpoll_cpu=" + two[1]);
            }
            case "both" -> job.put("cpus", two[0] + "," + two[1]);
            default -> { } // any, cross: the cross-thread classes pin their two threads themselves
        }
        return JobSpec.fromParams(job);
    }

    /** The CPUs the hogs spin on: the job's, or every CPU when it is not pinned. */
    protected List<Integer> hogCpus() {
        if (!spec.cpus().isEmpty()) return spec.cpus();
        List<Integer> all = new ArrayList<>();
        for (int c : Affinity.currentThreadCpus()) all.add(c);
        return all;
    }

    @Override
    protected final RandomIoReport measure() {
        try (CpuHogs h = CpuHogs.start(hogCpus(), Integer.parseInt(hogs))) {
            RandomIoReport r = measuredRun();
            if (h.count() > 0) RandomIoMetrics.recordExtra("cpuHogs", h.count());
            return r;
        }
    }

    /** The measured run (hogs already spinning): the Java job. */
    protected RandomIoReport measuredRun() {
        RandomIoReport r = RandomIoJob.run(spec, target);
        String workers = r.facts().get(RandomIoJob.IO_WQ_WORKERS);
        if (workers != null) RandomIoMetrics.recordExtra(RandomIoJob.IO_WQ_WORKERS, Double.parseDouble(workers));
        return r;
    }
}
