package org.aiobench.analysis.figures;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.aiobench.analysis.run.Comparison;
import org.aiobench.analysis.run.Result;
import org.aiobench.analysis.stats.Numbers;
import org.aiobench.analysis.stats.Stats;
import org.aiobench.vocabulary.Vocabulary;

/**
 * The Java/fio ratio of every random-I/O configuration that fio ran too, on IOPS ({@link #iops}) or on CPU time per
 * I/O ({@link #cpu}): the Java engine against fio with the same engine and job ({@link Comparison}: per round the
 * ratio of the two, their geometric mean over the rounds with its interval and verdict; for a run made before rounds
 * the ratio of the means), and whether the thesis' engines reach fio: IOPS at least {@link #TARGET} of fio's, CPU per
 * I/O at most {@link #CPU_TARGET} of fio's (1 / 0.97). "yes" when the interval lies on the good side of the target,
 * "no" when on the other, "undecided" when it straddles it.
 *
 * <p>CPU: fio's usr_cpu and sys_cpu are its job threads' alone (getrusage RUSAGE_THREAD), so the comparison reads the
 * Java job's job-thread CPU per I/O ({@code jobCpuPerIoUs}) where the run has it, and shows the CPU of its helper
 * threads (the io_uring SQPOLL thread, io-wq workers, glibc's AIO threads; fio does not count its own) apart.
 */
public final class FioRatioTable {
    /** The engines the comparison is about (fio's posixaio differs from aiobench's by design). */
    static final List<String> TARGET_ENGINES = List.of("io_uring", "libaio");
    public static final double TARGET = 0.97;
    public static final double CPU_TARGET = 1 / TARGET;
    static final String JOB_CPU = "jobCpuPerIoUs";
    static final String CPU = "cpuPerIoUs";
    static final String HELPER_CPU = "helperCpuSec";

    final String group;
    final boolean cpu;
    public final List<List<String>> rows = new ArrayList<>();

    private FioRatioTable(String group, boolean cpu) {
        this.group = group;
        this.cpu = cpu;
    }

    /** Java / fio IOPS of each configuration fio ran too. */
    static FioRatioTable iops(String group, List<Result> java, List<Result> fio) {
        FioRatioTable t = new FioRatioTable(group, false);
        for (Result j : sorted(java)) {
            Result f = RandomIoFigures.reference(j, fio);
            if (f == null) continue;
            Comparison c = Comparison.of(j, f, Result.OPS);
            Stats js = Stats.of(j.samples().get(Result.OPS)), fs = Stats.of(f.samples().get(Result.OPS));
            t.rows.add(List.of(j.param("bs"), j.param("engine"), j.param("iodepth"), j.param("numjobs"),
                    Numbers.num(js.mean()), Numbers.num(fs.mean()), Integer.toString(js.n()), c.cell(),
                    TARGET_ENGINES.contains(j.param("engine")) ? reaches(c) : Numbers.NONE));
        }
        return t;
    }

    /** Java / fio CPU time per I/O (job threads, what fio counts), with the Java job's helper threads apart. */
    static FioRatioTable cpu(String group, List<Result> java, List<Result> fio) {
        FioRatioTable t = new FioRatioTable(group, true);
        for (Result j : sorted(java)) {
            Result f = RandomIoFigures.reference(j, fio);
            if (f == null) continue;
            // fio's cpuPerIoUs is its job threads' (it has no helper figure); a run made before jobCpuPerIoUs existed
            // compares the Java total
            String jm = j.samples().containsKey(JOB_CPU) ? JOB_CPU : CPU;
            String fm = f.samples().containsKey(JOB_CPU) ? JOB_CPU : CPU;
            if (!j.samples().containsKey(jm) || !f.samples().containsKey(fm)) continue;
            Comparison c = jm.equals(fm) ? Comparison.of(j, f, jm) : null;
            Stats js = Stats.of(j.samples().get(jm)), fs = Stats.of(f.samples().get(fm));
            t.rows.add(List.of(j.param("bs"), j.param("engine"), j.param("iodepth"), j.param("numjobs"),
                    Numbers.num(js.mean()), helperPerIo(j), Numbers.num(fs.mean()), helperPerIo(f),
                    Integer.toString(js.n()),
                    c == null ? Comparison.ratioText(js.mean() / fs.mean()) + " (means; Java with its helpers)" : c.cell(),
                    c != null && TARGET_ENGINES.contains(j.param("engine")) ? atMost(c) : Numbers.NONE));
        }
        return t;
    }

    /**
     * A job's helper threads' CPU per I/O (us): its total less its job threads', mean over the samples (fio's: sampled
     * by aiobench from outside fio, FioHelpers).
     */
    private static String helperPerIo(Result j) {
        double[] all = j.samples().get(CPU), job = j.samples().get(JOB_CPU);
        if (all == null || job == null || all.length != job.length || all.length == 0) return Numbers.NONE;
        double s = 0;
        for (int i = 0; i < all.length; i++) s += all[i] - job[i];
        return Numbers.num(s / all.length);
    }

    private static List<Result> sorted(List<Result> java) {
        List<Result> sorted = new ArrayList<>(java);
        sorted.sort(Comparator.comparing((Result r) -> Vocabulary.bytes(r.param("bs")))
                .thenComparing(r -> r.param("engine"), Vocabulary.order("engine"))
                .thenComparingInt(r -> Integer.parseInt(RandomIoFigures.inFlight(r))));
        return sorted;
    }

    /** yes / no / undecided: the ratio's interval against the target (the ratio itself without an interval). */
    static String reaches(Comparison c) {
        if (c.inRounds() && !Double.isNaN(c.paired().estimate().low())) {
            var e = c.paired().estimate();
            return e.low() >= TARGET ? "yes" : e.high() < TARGET ? "no" : "undecided";
        }
        return c.ratio() >= TARGET ? "yes (no interval)" : "no (no interval)";
    }

    /** yes / no / undecided: CPU per I/O at most {@link #CPU_TARGET} of fio's. */
    static String atMost(Comparison c) {
        if (c.inRounds() && !Double.isNaN(c.paired().estimate().low())) {
            var e = c.paired().estimate();
            return e.high() <= CPU_TARGET ? "yes" : e.low() > CPU_TARGET ? "no" : "undecided";
        }
        return c.ratio() <= CPU_TARGET ? "yes (no interval)" : "no (no interval)";
    }

    public List<String> header() {
        if (cpu) {
            return List.of("bs", "engine", "iodepth", "numjobs", "Java job threads (us/I/O)", "Java helpers (us/I/O)",
                    "fio job threads (us/I/O)", "fio helpers (us/I/O)", "n", "Java / fio (job threads)",
                    "≤ " + Comparison.ratioText(CPU_TARGET) + " (io_uring, libaio)");
        }
        return List.of("bs", "engine", "iodepth", "numjobs", "Java IOPS", "fio IOPS", "n", "Java / fio",
                "≥ " + TARGET + " (io_uring, libaio)");
    }

    public String title() {
        return (cpu ? "Java / fio CPU time per I/O, " : "Java / fio IOPS, ") + group;
    }

    public String intro() {
        if (cpu) {
            return "Each aiobench configuration of group `" + group + "` against fio's run of the same job: CPU time per "
                    + "I/O of the job threads, which is what fio's usr_cpu and sys_cpu count (getrusage RUSAGE_THREAD), "
                    + "mean of each, and Java / fio paired by round (geometric mean of the rounds' ratios, 95% interval, "
                    + "verdict; below 1: the Java job spends less). The helper threads (io_uring's SQPOLL thread and "
                    + "io-wq workers, glibc's AIO threads) are shown apart: the Java job's measured in its process, "
                    + "fio's sampled by aiobench from outside fio (fio's own figures leave them out). The "
                    + "thesis' engines are expected to spend at most " + Comparison.ratioText(CPU_TARGET) + " (1 / "
                    + TARGET + ") of fio's CPU per I/O.";
        }
        return "Each aiobench configuration of group `" + group + "` against fio's run of the same job (group `fio`, "
                + "same target, same rounds): the mean IOPS of each, and Java / fio, paired by round (the geometric mean "
                + "of the rounds' ratios with its 95% interval and the verdict; below 1: fio is faster). The thesis' "
                + "engines io_uring and libaio are expected to reach " + TARGET + " of fio's IOPS. fio's posixaio "
                + "serialises on one descriptor and is not comparable at depth.";
    }
}
