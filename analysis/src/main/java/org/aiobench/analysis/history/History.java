package org.aiobench.analysis.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.aiobench.analysis.comparison.Calibration;
import org.aiobench.analysis.comparison.KernelComparison;
import org.aiobench.analysis.run.BadInputException;
import org.aiobench.analysis.run.Comparison;
import org.aiobench.analysis.run.KernelOrder;
import org.aiobench.analysis.run.Result;
import org.aiobench.analysis.run.RunData;
import org.aiobench.analysis.stats.Better;
import org.aiobench.analysis.stats.ChangePoints;
import org.aiobench.analysis.stats.Multiplicity;
import org.aiobench.analysis.stats.PairedComparison;
import org.aiobench.analysis.stats.RatioCell;
import org.aiobench.analysis.stats.RatioInterval;
import org.aiobench.analysis.stats.Stats;
import org.aiobench.analysis.stats.Verdict;
import org.aiobench.analysis.stats.VerdictRule;
import org.aiobench.vocabulary.ConfigLabel;

/**
 * Runs over kernels: the runs in kernel order ({@link KernelOrder}: 6.1.9, 6.1.10, 6.10; by date within a kernel),
 * every configuration's numbers in every run, each step from one kernel to the next judged as compare judges it
 * ({@link KernelComparison}: the runs of the one kernel against the runs of the next), and the change points of each
 * configuration's whole series ({@link ChangePoints}).
 *
 * <p>Runs of one kernel are identical runs of the box: where a kernel has two or more, they calibrate the box
 * ({@link Calibration}), so that a step between kernels of one run each is still judged against that floor.
 */
final class History {
    /** One kernel: its runs, in date order, as one side of a comparison. */
    record Kernel(String release, KernelComparison.Side side) {}

    /** From one kernel to the next: the comparison, or null (then {@code missing} says why). */
    record Step(int from, int to, KernelComparison comparison, String missing) {
        /** The step's row for a configuration, or null. */
        KernelComparison.Row row(String key) {
            if (comparison == null) return null;
            return comparison.rows().stream().filter(r -> r.key().equals(key)).findFirst().orElse(null);
        }
    }

    /**
     * One configuration in one run.
     *
     * @param vsCp  its ratio to cp -r within the run's rounds with the interval, or null
     * @param level the run's level for the change points: the mean log ratio to cp -r, or the mean log value
     */
    record Point(int run, Stats stats, int rounds, RatioInterval vsCp, double absoluteLevel, double cpLevel) {}

    /**
     * One configuration across the runs that measured it, with its change points (indexes into {@code points}).
     */
    record Series(String key, Result example, String metric, String label, List<Point> points,
                  List<ChangePoints.ChangePoint> changes) {
        /** The change points read the ratio to cp -r where every run has one (it cancels the box), else the level. */
        boolean byCp() {
            return !points.isEmpty() && points.stream().allMatch(p -> Double.isFinite(p.cpLevel()));
        }
    }

    final List<RunData> runs;
    final List<Kernel> kernels;
    /** For each run (by index in {@link #runs}), its kernel's index in {@link #kernels}. */
    final int[] kernelOf;
    final List<Step> steps;
    final List<Series> series;
    final double threshold;
    /** The box's calibration the steps used (from kernels with several runs, else the results' file), or null. */
    final Calibration calibration;

    private History(List<RunData> runs, List<Kernel> kernels, int[] kernelOf, List<Step> steps, List<Series> series,
                    double threshold, Calibration calibration) {
        this.runs = runs;
        this.kernels = kernels;
        this.kernelOf = kernelOf;
        this.steps = steps;
        this.series = series;
        this.threshold = threshold;
        this.calibration = calibration;
    }

    static History of(List<RunData> given, double threshold) {
        return of(given, threshold, null);
    }

    /** @param fileCalibration the results directory's calibration of this box, used where no kernel has two runs */
    static History of(List<RunData> given, double threshold, Calibration fileCalibration) {
        List<RunData> runs = given.stream().sorted(KernelOrder.RUNS).toList();
        List<Kernel> kernels = new ArrayList<>();
        int[] kernelOf = new int[runs.size()];
        List<RunData> current = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            RunData r = runs.get(i);
            if (!current.isEmpty() && !current.get(0).kernelRelease().equals(r.kernelRelease())) {
                kernels.add(kernel(current));
                current = new ArrayList<>();
            }
            current.add(r);
            kernelOf[i] = kernels.size();
        }
        kernels.add(kernel(current));

        Calibration calibration = calibrate(kernels);
        if (calibration == null) calibration = fileCalibration;
        List<Step> steps = new ArrayList<>();
        for (int k = 0; k + 1 < kernels.size(); k++) {
            try {
                Calibration cal = calibration != null && sameBox(calibration, kernels.get(k), kernels.get(k + 1))
                        ? calibration : null;
                steps.add(new Step(k, k + 1, KernelComparison.of(kernels.get(k).side(), kernels.get(k + 1).side(),
                        threshold, cal), ""));
            } catch (BadInputException e) {
                steps.add(new Step(k, k + 1, null, "no configuration in common"));
            }
        }

        List<Map<String, Result>> byRun = runs.stream().map(RunData::byKey).toList();
        Map<String, Set<String>> varying = Result.varying(byRun.stream().flatMap(m -> m.values().stream()).toList());
        boolean lessStart = RunData.cpLessStart(runs);
        String cpMetric = lessStart ? Result.TIME_LESS_START : Result.TIME;
        Map<String, Series> series = new LinkedHashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            for (var e : byRun.get(i).entrySet()) {
                Result r = e.getValue();
                String metric = r.primaryMetric();
                if (metric == null) continue;
                Series s = series.computeIfAbsent(e.getKey(), k -> new Series(k, r, metric,
                        ConfigLabel.acrossGroups(r.group(), r.params(), varying), new ArrayList<>(),
                        new ArrayList<>()));
                if (!s.metric().equals(metric)) continue;
                PairedComparison pc = r.isCp() || !metric.equals(Result.TIME) ? null
                        : Comparison.vsCp(runs.get(i), r, cpMetric, threshold);
                double level = java.util.Arrays.stream(r.levelLogs(metric)).average().orElse(Double.NaN);
                double cpLevel = pc == null || pc.n() == 0 ? Double.NaN
                        : java.util.Arrays.stream(pc.logRatios()).average().orElse(Double.NaN);
                s.points().add(new Point(i, Stats.of(r.samples().get(metric)),
                        r.inRounds(metric) ? r.series(metric).rounds().size() : 0,
                        pc == null || pc.n() == 0 ? null : pc.estimate(), level, cpLevel));
            }
        }
        List<Series> ordered = new ArrayList<>(series.values());
        ordered.sort(Comparator.comparing(Series::label));
        changePoints(ordered, kernelOf, threshold);
        return new History(runs, kernels, kernelOf, steps, ordered, threshold, calibration);
    }

    /** The box's calibration from the kernels that have two runs or more; null where none has. */
    private static Calibration calibrate(List<Kernel> kernels) {
        List<Calibration> parts = new ArrayList<>();
        for (Kernel k : kernels) {
            if (k.side().runs().size() < 2) continue;
            try {
                parts.add(Calibration.of(k.side().runs()));
            } catch (BadInputException e) {
                // runs of one kernel on two boxes: they calibrate nothing
            }
        }
        if (parts.isEmpty()) return null;
        String box = parts.get(0).box();
        return Calibration.pooled(parts.stream().filter(c -> c.box().equals(box)).toList());
    }

    private static boolean sameBox(Calibration c, Kernel a, Kernel b) {
        return java.util.stream.Stream.concat(a.side().runs().stream(), b.side().runs().stream())
                .allMatch(r -> r.box().equals(c.box()));
    }

    /**
     * Every series' change points: the strongest cut of each series tested by permutation, those p-values corrected
     * across the series (Benjamini-Hochberg), and the series whose cut survives searched for more.
     */
    private static void changePoints(List<Series> series, int[] kernelOf, double threshold) {
        List<Series> tested = new ArrayList<>();
        List<double[]> levels = new ArrayList<>();
        List<int[]> bounds = new ArrayList<>();
        List<Double> p = new ArrayList<>();
        for (Series s : series) {
            if (s.points().size() < 3) continue;
            double[] v = s.points().stream().mapToDouble(x -> s.byCp() ? x.cpLevel() : x.absoluteLevel()).toArray();
            if (!java.util.Arrays.stream(v).allMatch(Double::isFinite)) continue;
            List<Integer> b = new ArrayList<>();
            for (int i = 1; i < s.points().size(); i++) {
                if (kernelOf[s.points().get(i).run()] != kernelOf[s.points().get(i - 1).run()]) b.add(i);
            }
            if (b.isEmpty()) continue;
            int[] bs = b.stream().mapToInt(Integer::intValue).toArray();
            Better better = s.byCp() ? Better.LOWER : Result.better(s.metric());
            ChangePoints.ChangePoint top = ChangePoints.strongest(v, bs, threshold, better, Result.isSpeed(s.metric()),
                    seed(s.key()));
            if (top == null) continue;
            tested.add(s);
            levels.add(v);
            bounds.add(bs);
            p.add(top.p());
        }
        double[] adj = Multiplicity.benjaminiHochberg(p.stream().mapToDouble(Double::doubleValue).toArray());
        for (int i = 0; i < tested.size(); i++) {
            if (adj[i] >= VerdictRule.ALPHA) continue;
            Series s = tested.get(i);
            Better better = s.byCp() ? Better.LOWER : Result.better(s.metric());
            s.changes().addAll(ChangePoints.find(levels.get(i), bounds.get(i), threshold, better,
                    Result.isSpeed(s.metric()), VerdictRule.ALPHA, seed(s.key())));
        }
    }

    private static long seed(String key) {
        return key.hashCode() * 0x9E3779B97F4A7C15L;
    }

    private static Kernel kernel(List<RunData> runs) {
        return new Kernel(runs.get(0).kernelRelease(), KernelComparison.Side.of(runs.get(0).kernelRelease(), runs));
    }

    /** The step cells of a configuration that say slower or faster, over every step. */
    List<Map.Entry<Step, RatioCell>> significantSteps(Series s) {
        List<Map.Entry<Step, RatioCell>> out = new ArrayList<>();
        for (Step st : steps) {
            KernelComparison.Row row = st.row(s.key());
            if (row == null) continue;
            for (RatioCell c : row.cells()) if (c.significant()) out.add(Map.entry(st, c));
        }
        return out;
    }

    /** What a step cell compares: "absolute", "vs all" or "vs cp -r". */
    static String what(Step st, String key, RatioCell c) {
        KernelComparison.Row row = st.row(key);
        return row == null ? "" : row.what(c);
    }

    /** The kernel a change point's later side starts with. */
    int kernelAt(Series s, ChangePoints.ChangePoint cp) {
        return kernelOf[s.points().get(cp.at()).run()];
    }

    /**
     * The newest change points (those at the latest kernel any series changed at) that are slowdowns: what
     * {@code history --fail-on-regression} exits 1 on.
     */
    List<Map.Entry<Series, ChangePoints.ChangePoint>> newestSlowdowns() {
        int newest = -1;
        for (Series s : series) for (var cp : s.changes()) newest = Math.max(newest, kernelAt(s, cp));
        List<Map.Entry<Series, ChangePoints.ChangePoint>> out = new ArrayList<>();
        for (Series s : series) {
            for (var cp : s.changes()) {
                if (kernelAt(s, cp) == newest && cp.judgement().verdict() == Verdict.SLOWER) out.add(Map.entry(s, cp));
            }
        }
        return out;
    }

    /** "6.1.10 (2 runs)" */
    String kernelLabel(int k) {
        Kernel kr = kernels.get(k);
        int n = kr.side().runs().size();
        return kr.release() + (n > 1 ? " (" + n + " runs)" : "");
    }
}
