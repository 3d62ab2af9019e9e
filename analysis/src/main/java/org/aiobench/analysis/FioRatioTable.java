package org.aiobench.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.aiobench.analysis.stats.Stats;
import org.aiobench.vocabulary.Vocabulary;

/**
 * The Java/fio IOPS ratio of every random-I/O configuration that fio ran too: the Java engine against fio with the
 * same engine and job ({@link Comparison}: per round the ratio of the two, their geometric mean over the rounds with
 * its interval and verdict; for a run made before rounds the ratio of the means), and whether the thesis' engines
 * reach {@link #TARGET} of fio's IOPS: "yes" when the interval lies at or above it, "no" when below, "undecided"
 * when it straddles it.
 */
final class FioRatioTable {
    /** The engines the comparison is about (fio's posixaio differs from aiobench's by design). */
    static final List<String> TARGET_ENGINES = List.of("io_uring", "libaio");
    static final double TARGET = 0.97;

    final String group;
    final List<List<String>> rows = new ArrayList<>();

    FioRatioTable(String group, List<Result> java, List<Result> fio) {
        this.group = group;
        List<Result> sorted = new ArrayList<>(java);
        sorted.sort(Comparator.comparing((Result r) -> Vocabulary.bytes(r.param("bs")))
                .thenComparing(r -> r.param("engine"), Vocabulary.order("engine"))
                .thenComparingInt(r -> Integer.parseInt(RandomIoFigures.inFlight(r))));
        for (Result j : sorted) {
            Result f = RandomIoFigures.reference(j, fio);
            if (f == null) continue;
            Comparison c = Comparison.of(j, f, Result.OPS);
            Stats js = Stats.of(j.samples().get(Result.OPS)), fs = Stats.of(f.samples().get(Result.OPS));
            rows.add(List.of(j.param("bs"), j.param("engine"), j.param("iodepth"), j.param("numjobs"),
                    Numbers.num(js.mean()), Numbers.num(fs.mean()), Integer.toString(js.n()), c.cell(),
                    TARGET_ENGINES.contains(j.param("engine")) ? reaches(c) : Numbers.NONE));
        }
    }

    /** yes / no / undecided: the ratio's interval against the target (the ratio itself without an interval). */
    static String reaches(Comparison c) {
        if (c.inRounds() && !Double.isNaN(c.paired().estimate().low())) {
            var e = c.paired().estimate();
            return e.low() >= TARGET ? "yes" : e.high() < TARGET ? "no" : "undecided";
        }
        return c.ratio() >= TARGET ? "yes (no interval)" : "no (no interval)";
    }

    List<String> header() {
        return List.of("bs", "engine", "iodepth", "numjobs", "Java IOPS", "fio IOPS", "n", "Java / fio",
                "≥ " + TARGET + " (io_uring, libaio)");
    }

    String title() {
        return "Java / fio IOPS, " + group;
    }

    String intro() {
        return "Each aiobench configuration of group `" + group + "` against fio's run of the same job (group `fio`, "
                + "same target, same rounds): the mean IOPS of each, and Java / fio, paired by round (the geometric mean "
                + "of the rounds' ratios with its 95% interval and the verdict; below 1: fio is faster). The thesis' "
                + "engines io_uring and libaio are expected to reach " + TARGET + " of fio's IOPS. fio's posixaio "
                + "serialises on one descriptor and is not comparable at depth.";
    }
}
