package org.aiobench.plot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.aiobench.plot.stats.PairedComparison;
import org.aiobench.plot.stats.RatioInterval;
import org.aiobench.plot.stats.Stats;

/**
 * Runs over kernels: the runs in kernel order ({@link KernelOrder}: 6.1.9, 6.1.10, 6.10; by date within a kernel),
 * every configuration's numbers in every run, and each step from one kernel to the next judged as compare judges
 * it ({@link KernelComparison}: the runs of the one kernel against the runs of the next).
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
     * @param vsCp its ratio to cp -r within the run's rounds with the interval, or null
     */
    record Point(int run, Stats stats, int rounds, RatioInterval vsCp) {}

    /** One configuration across the runs that measured it. */
    record Series(String key, Result example, String metric, String label, List<Point> points) {}

    final List<RunData> runs;
    final List<Kernel> kernels;
    /** For each run (by index in {@link #runs}), its kernel's index in {@link #kernels}. */
    final int[] kernelOf;
    final List<Step> steps;
    final List<Series> series;
    final double threshold;

    private History(List<RunData> runs, List<Kernel> kernels, int[] kernelOf, List<Step> steps, List<Series> series,
                    double threshold) {
        this.runs = runs;
        this.kernels = kernels;
        this.kernelOf = kernelOf;
        this.steps = steps;
        this.series = series;
        this.threshold = threshold;
    }

    static History of(List<RunData> given, double threshold) {
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

        List<Step> steps = new ArrayList<>();
        for (int k = 0; k + 1 < kernels.size(); k++) {
            try {
                steps.add(new Step(k, k + 1, KernelComparison.of(kernels.get(k).side(), kernels.get(k + 1).side(),
                        threshold), ""));
            } catch (BadInputException e) {
                steps.add(new Step(k, k + 1, null, "no configuration in common"));
            }
        }

        List<Map<String, Result>> byRun = runs.stream().map(KernelComparison::byKey).toList();
        Map<String, Set<String>> varying = KernelComparison.varyingParams(byRun);
        boolean lessStart = KernelComparison.cpLessStart(runs);
        String cpMetric = lessStart ? Result.TIME_LESS_START : Result.TIME;
        Map<String, Series> series = new LinkedHashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            for (var e : byRun.get(i).entrySet()) {
                Result r = e.getValue();
                String metric = KernelComparison.primaryMetric(r);
                if (metric == null) continue;
                Series s = series.computeIfAbsent(e.getKey(), k -> new Series(k, r, metric,
                        (r.isCp() ? "" : r.group() + " ") + KernelComparison.label(r, varying), new ArrayList<>()));
                if (!s.metric().equals(metric)) continue;
                PairedComparison pc = r.isCp() || !metric.equals(Result.TIME) ? null
                        : KernelComparison.vsCp(runs.get(i), r, cpMetric, threshold);
                s.points().add(new Point(i, Stats.of(r.samples().get(metric)),
                        r.inRounds(metric) ? r.series(metric).rounds().size() : 0,
                        pc == null || pc.n() == 0 ? null : pc.estimate()));
            }
        }
        List<Series> ordered = new ArrayList<>(series.values());
        ordered.sort(Comparator.comparing(Series::label));
        return new History(runs, kernels, kernelOf, steps, ordered, threshold);
    }

    private static Kernel kernel(List<RunData> runs) {
        return new Kernel(runs.get(0).kernelRelease(), KernelComparison.Side.of(runs.get(0).kernelRelease(), runs));
    }

    /** The step cells of a configuration that say slower or faster, over every step. */
    List<Map.Entry<Step, KernelComparison.Cell>> significantSteps(Series s) {
        List<Map.Entry<Step, KernelComparison.Cell>> out = new ArrayList<>();
        for (Step st : steps) {
            KernelComparison.Row row = st.row(s.key());
            if (row == null) continue;
            for (KernelComparison.Cell c : row.judgedCells()) if (c.significant()) out.add(Map.entry(st, c));
        }
        return out;
    }

    /** Whether a step cell is the absolute one (else the ratio to cp -r). */
    static boolean isAbsolute(Step st, String key, KernelComparison.Cell c) {
        KernelComparison.Row row = st.row(key);
        return row != null && row.absolute() == c;
    }

    /** "6.1.10 (2 runs)" */
    String kernelLabel(int k) {
        Kernel kr = kernels.get(k);
        int n = kr.side().runs().size();
        return kr.release() + (n > 1 ? " (" + n + " runs)" : "");
    }
}
