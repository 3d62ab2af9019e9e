package org.aiobench.plot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The Java/fio IOPS ratio of every random-I/O configuration that fio ran too: the Java engine's mean IOPS over
 * fio's with the same engine and job, with the range the samples allow (lowest Java over highest fio to highest
 * Java over lowest fio). Measured in the same run; until the runner interleaves them in rounds, the Java and fio
 * runs of one configuration are minutes apart, so the range also holds what the machine did meanwhile.
 */
final class FioRatioTable {
    /** The engines the thesis' comparison is about (fio's posixaio differs from aiobench's by design). */
    static final List<String> TARGET_ENGINES = List.of("io_uring", "libaio");
    static final double TARGET = 0.97;

    final String group;
    final List<List<String>> rows = new ArrayList<>();

    FioRatioTable(String group, List<Result> java, List<Result> fio) {
        this.group = group;
        List<Result> sorted = new ArrayList<>(java);
        sorted.sort(Comparator.comparing((Result r) -> Vocabulary.bytes(r.param("bs")))
                .thenComparing(r -> r.param("engine"), Vocabulary.order("engine"))
                .thenComparingInt(r -> Integer.parseInt(r.param("iodepth")) * Integer.parseInt(r.param("numjobs"))));
        for (Result j : sorted) {
            Result f = RandomIoFigures.reference(j, fio);
            if (f == null) continue;
            double[] jv = j.samples().get(Result.IOPS), fv = f.samples().get(Result.IOPS);
            Stats js = Stats.of(jv), fs = Stats.of(fv);
            double ratio = js.mean() / fs.mean();
            double lo = min(jv) / max(fv), hi = max(jv) / min(fv);
            String verdict = !TARGET_ENGINES.contains(j.param("engine")) ? ReportWriter.NONE
                    : lo >= TARGET ? "yes" : hi < TARGET ? "no" : "within the range";
            rows.add(List.of(j.param("bs"), j.param("engine"), j.param("iodepth"), j.param("numjobs"),
                    ReportWriter.num(js.mean()), Integer.toString(js.n()), ReportWriter.num(fs.mean()),
                    Integer.toString(fs.n()), String.format(Locale.ROOT, "%.3f", ratio),
                    String.format(Locale.ROOT, "%.3f – %.3f", lo, hi), verdict));
        }
    }

    List<String> header() {
        return List.of("bs", "engine", "iodepth", "numjobs", "Java IOPS", "n", "fio IOPS", "n", "Java / fio",
                "range", "≥ " + TARGET + " (io_uring, libaio)");
    }

    String title() {
        return "Java / fio IOPS, " + group;
    }

    String intro() {
        return "Mean IOPS of each aiobench configuration of group `" + group + "` over fio's with the same engine "
                + "and job (group `fio`, same target, same run); range: lowest Java sample over highest fio sample to "
                + "highest over lowest. The thesis' engines io_uring and libaio are expected at " + TARGET + " or more; "
                + "\"within the range\" means the samples do not settle it. fio's posixaio serialises on one descriptor "
                + "and is not comparable at depth.";
    }

    private static double min(double[] v) {
        double m = Double.MAX_VALUE;
        for (double x : v) m = Math.min(m, x);
        return m;
    }

    private static double max(double[] v) {
        double m = -Double.MAX_VALUE;
        for (double x : v) m = Math.max(m, x);
        return m;
    }
}
