package org.aiobench.analysis.comparison;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.aiobench.analysis.comparison.KernelComparison.GroupRow;
import org.aiobench.analysis.comparison.KernelComparison.Row;
import org.aiobench.analysis.comparison.KernelComparison.Side;
import org.aiobench.analysis.comparison.KernelComparison.SideStats;
import org.aiobench.analysis.comparison.KernelComparison.WithinRow;
import org.aiobench.analysis.run.Comparison;
import org.aiobench.analysis.run.Result;
import org.aiobench.analysis.run.RunData;
import org.aiobench.analysis.stats.Better;
import org.aiobench.analysis.stats.CrossRun;
import org.aiobench.analysis.stats.Estimate;
import org.aiobench.analysis.stats.PairedComparison;
import org.aiobench.analysis.stats.RatioCell;
import org.aiobench.analysis.stats.RatioInterval;
import org.aiobench.analysis.stats.Stats;
import org.aiobench.analysis.stats.Verdict;

/**
 * Gathers every cell of a {@link KernelComparison} as {@link CrossRun}'s input, and makes the rows from its output:
 * per configuration its levels per run (absolute, against all) and its per-round ratios to cp -r, per group the mean
 * of its configurations', and the report's comparisons against a fixed baseline ({@link WithinPairings}).
 */
final class CellInputs {
    final Side base, next;
    final List<Map<String, Result>> baseRuns, nextRuns;
    final String cpMetric;
    final Calibration calibration;
    final List<CrossRun.Input> inputs = new ArrayList<>();
    /** Each input's calibration key. */
    final List<String> keys = new ArrayList<>();
    final List<Pending> rows = new ArrayList<>();
    final List<PendingGroup> groupRows = new ArrayList<>();
    final List<PendingWithin> withinRows = new ArrayList<>();
    /** Per configuration key, its vs-cp logs by run, for the groups. */
    final Map<String, List<double[]>[]> cpLogsByKey = new LinkedHashMap<>();

    CellInputs(Side base, Side next, List<Map<String, Result>> baseRuns, List<Map<String, Result>> nextRuns,
            String cpMetric, Calibration calibration) {
        this.base = base;
        this.next = next;
        this.baseRuns = baseRuns;
        this.nextRuns = nextRuns;
        this.cpMetric = cpMetric;
        this.calibration = calibration;
    }

    int add(CrossRun.Kind kind, List<double[]> b, List<double[]> n, Better better, boolean speed, String question,
            String calibrationKey) {
        inputs.add(new CrossRun.Input(kind, b, n, better, speed, question,
                calibration == null ? null : calibration.get(kind, calibrationKey)));
        keys.add(calibrationKey);
        return inputs.size() - 1;
    }

    record Pending(String key, Result example, String metric, SideStats base, SideStats next, int absolute,
                   int vsAll, int vsCp, RatioInterval baseVsCp, RatioInterval nextVsCp, double meansRatio,
                   String meansNote) {
        Row row(CrossRun.Output out) {
            RatioCell vs = vsCp >= 0 ? cell(out, vsCp) : meansNote == null ? null
                    : RatioCell.shownOnly(meansRatio, meansNote, Better.LOWER, true);
            return new Row(key, example, metric, base, next, cell(out, absolute), cell(out, vsAll), baseVsCp,
                    nextVsCp, vs);
        }
    }

    record PendingGroup(String group, int configs, int absolute, int cpConfigs, int vsCp) {
        GroupRow row(CrossRun.Output out) {
            return new GroupRow(group, configs, cell(out, absolute), cpConfigs, vsCp < 0 ? null : cell(out, vsCp));
        }
    }

    record PendingWithin(String group, String label, RatioInterval base, RatioInterval next, int change) {
        WithinRow row(CrossRun.Output out) {
            return new WithinRow(group, label, base, next, cell(out, change));
        }
    }

    static RatioCell cell(CrossRun.Output out, int i) {
        return new RatioCell(out.judgements().get(i), out.gates()[i]);
    }

    void config(String key) {
        Result example = baseRuns.stream().map(m -> m.get(key)).filter(r -> r != null).findFirst().orElseThrow();
        String metric = example.primaryMetric();
        Better better = Result.better(metric);
        boolean speed = Result.isSpeed(metric);
        List<double[]> bLogs = levels(baseRuns, key, metric), nLogs = levels(nextRuns, key, metric);
        SideStats bs = sideStats(baseRuns, key, metric), ns = sideStats(nextRuns, key, metric);
        int absolute = add(CrossRun.Kind.ABSOLUTE, bLogs, nLogs, better, speed, key, key);
        int vsAll = add(CrossRun.Kind.RELATIVE, bLogs, nLogs, better, speed, key, key);
        int vs = -1;
        RatioInterval baseVsCp = null, nextVsCp = null;
        double meansRatio = Double.NaN;
        String meansNote = null;
        if (!example.isCp() && metric.equals(Result.TIME)) {
            List<double[]> b = cpLogs(base.runs(), baseRuns, key), n = cpLogs(next.runs(), nextRuns, key);
            boolean calibrating = next.runs().isEmpty();
            if (b.stream().anyMatch(x -> x.length > 0) && (calibrating || n.stream().anyMatch(x -> x.length > 0))) {
                baseVsCp = Estimate.ofSide(b);
                nextVsCp = Estimate.ofSide(n);
                vs = add(CrossRun.Kind.VS_CP, b, n, Better.LOWER, true, key, key);
                @SuppressWarnings("unchecked")
                List<double[]>[] both = new List[] {b, n};
                cpLogsByKey.put(key, both);
            } else if (hasCp(base.runs(), baseRuns, key) && hasCp(next.runs(), nextRuns, key)) {
                // a run made before rounds: the ratio of the means, shown and not judged
                double b2 = meanRatioToCp(base.runs(), baseRuns, key), n2 = meanRatioToCp(next.runs(), nextRuns, key);
                baseVsCp = new RatioInterval(b2, Double.NaN, Double.NaN, 0);
                nextVsCp = new RatioInterval(n2, Double.NaN, Double.NaN, 0);
                meansRatio = n2 / b2;
                meansNote = "not measured in rounds: ratio of means, no verdict";
            }
        }
        rows.add(new Pending(key, example, metric, bs, ns, absolute, vsAll, vs, baseVsCp, nextVsCp, meansRatio,
                meansNote));
    }

    /**
     * The group's geometric mean of its configurations' ratios: per run, the mean of the levels of the
     * configurations every run of both sides measured (per round for the ratios to cp -r, over the rounds in which
     * all of them were paired), judged as one more cell.
     */
    void group(String group, List<String> keys) {
        List<String> everywhere = keys.stream().filter(k -> baseRuns.stream().allMatch(m -> m.containsKey(k))
                && nextRuns.stream().allMatch(m -> m.containsKey(k))).toList();
        Result first = baseRuns.stream().map(m -> m.get(keys.get(0))).filter(r -> r != null).findFirst()
                .orElseThrow();
        String metric = first.primaryMetric();
        Better better = Result.better(metric);
        boolean speed = Result.isSpeed(metric);
        List<String> sameMetric = everywhere.stream().filter(k -> metric.equals(baseRuns.get(0)
                .get(k).primaryMetric())).toList();
        if (sameMetric.isEmpty()) return;
        List<double[]> b = new ArrayList<>(), n = new ArrayList<>();
        for (Map<String, Result> m : baseRuns) b.add(new double[] {meanLevel(m, sameMetric, metric)});
        for (Map<String, Result> m : nextRuns) n.add(new double[] {meanLevel(m, sameMetric, metric)});
        int absolute = add(CrossRun.Kind.GROUP_ABSOLUTE, b, n, better, speed, "group " + group, "group " + group);
        List<String> withCp = sameMetric.stream().filter(cpLogsByKey::containsKey).toList();
        int vs = -1;
        if (!withCp.isEmpty()) {
            List<double[]> gb = groupLogs(withCp, 0), gn = groupLogs(withCp, 1);
            if (!gb.isEmpty() && gb.stream().allMatch(x -> x.length > 0) && gn.stream().allMatch(x -> x.length > 0)) {
                vs = add(CrossRun.Kind.GROUP_VS_CP, gb, gn, Better.LOWER, true, "group " + group,
                        "group " + group);
            }
        }
        groupRows.add(new PendingGroup(group, sameMetric.size(), absolute, withCp.size(), vs));
    }

    /** Per run of side {@code side}, per round in which every configuration was paired, the mean of their logs. */
    private List<double[]> groupLogs(List<String> keys, int side) {
        int runs = (side == 0 ? baseRuns : nextRuns).size();
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            Map<Integer, double[]> sums = new TreeMap<>();
            RunData run = (side == 0 ? base : next).runs().get(i);
            for (String k : keys) {
                PairedComparison pc = Comparison.vsCp(run, (side == 0 ? baseRuns : nextRuns).get(i).get(k), cpMetric,
                        Verdict.THRESHOLD_WITHIN_RUN);
                if (pc == null) continue;
                double[] logs = pc.logRatios();
                for (int j = 0; j < logs.length; j++) {
                    double[] s = sums.computeIfAbsent(pc.rounds()[j], x -> new double[2]);
                    s[0] += logs[j];
                    s[1]++;
                }
            }
            out.add(sums.values().stream().filter(s -> s[1] == keys.size()).mapToDouble(s -> s[0] / s[1])
                    .toArray());
        }
        return out;
    }

    /**
     * The report's comparisons against a fixed baseline (flag on vs off, mode vs single, cold vs warm), in every
     * run of both sides, new against base.
     */
    void within(Map<String, Set<String>> varying) {
        Map<String, WithinPairings.Pairing> b = WithinPairings.of(base), n = WithinPairings.of(next);
        for (var e : b.entrySet()) {
            WithinPairings.Pairing pn = n.get(e.getKey());
            if (pn == null) continue;
            WithinPairings.Pairing pb = e.getValue();
            int i = add(CrossRun.Kind.WITHIN, pb.logs(), pn.logs(), pb.better(), pb.speed(), null, null);
            withinRows.add(new PendingWithin(pb.x().group(), WithinPairings.label(pb.def(), pb.x(), pb.y(), varying),
                    Estimate.ofSide(pb.logs()), Estimate.ofSide(pn.logs()), i));
        }
    }

    private String cpMetric() {
        return cpMetric;
    }

    /** Per run of a side, the logs of the configuration's per-round ratio to its cp -r (empty where none). */
    private List<double[]> cpLogs(List<RunData> data, List<Map<String, Result>> runs, String key) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            PairedComparison pc = Comparison.vsCp(data.get(i), runs.get(i).get(key), cpMetric(), Verdict.THRESHOLD_WITHIN_RUN);
            out.add(pc == null ? new double[0] : pc.logRatios());
        }
        return out;
    }

    /**
     * The cells of identical runs, for a calibration: every run on the base side, none on the new; keyed as
     * {@link Calibration} keys them (kind|key).
     */
    static Map<String, CrossRun.Input> calibrationInputs(List<RunData> runs) {
        Side side = Side.of("calibration", runs);
        Side none = new Side("none", List.of(), List.of());
        List<Map<String, Result>> byRun = runs.stream().map(RunData::byKey).toList();
        Map<String, Result> all = union(byRun);
        boolean lessStart = RunData.cpLessStart(runs);
        CellInputs b = new CellInputs(side, none, byRun, List.of(), lessStart ? Result.TIME_LESS_START : Result.TIME, null);
        List<String> keys = all.keySet().stream().filter(k -> all.get(k).primaryMetric() != null).toList();
        for (String k : keys) b.config(k);
        Map<String, List<String>> byGroup = new TreeMap<>();
        for (String k : keys) byGroup.computeIfAbsent(all.get(k).group(), g -> new ArrayList<>()).add(k);
        byGroup.forEach(b::group);
        Map<String, CrossRun.Input> out = new LinkedHashMap<>();
        for (int i = 0; i < b.inputs.size(); i++) out.put(b.inputs.get(i).kind() + "|" + b.keys.get(i), b.inputs.get(i));
        return out;
    }

    static List<Result> concat(Collection<Result> a, Collection<Result> b) {
        List<Result> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    static Map<String, Result> union(List<Map<String, Result>> runs) {
        Map<String, Result> out = new LinkedHashMap<>();
        runs.forEach(m -> m.forEach(out::putIfAbsent));
        return out;
    }

    /** Per run, the logs of the configuration's round medians (empty where the run did not measure it). */
    private static List<double[]> levels(List<Map<String, Result>> runs, String key, String metric) {
        List<double[]> out = new ArrayList<>();
        for (Map<String, Result> m : runs) {
            Result r = m.get(key);
            out.add(r == null || !r.samples().containsKey(metric) ? new double[0] : r.levelLogs(metric));
        }
        return out;
    }

    private static SideStats sideStats(List<Map<String, Result>> runs, String key, String metric) {
        List<Double> all = new ArrayList<>();
        int nRuns = 0, rounds = 0;
        for (Map<String, Result> m : runs) {
            Result r = m.get(key);
            if (r == null || !r.samples().containsKey(metric)) continue;
            nRuns++;
            for (double v : r.samples().get(metric)) all.add(v);
            if (r.inRounds(metric)) rounds += r.series(metric).rounds().size();
        }
        return new SideStats(Stats.of(all.stream().mapToDouble(Double::doubleValue).toArray()), nRuns, rounds);
    }

    /** The geometric mean over a side's runs of each run's ratio of means to cp -r (runs made before rounds). */
    private static double meanRatioToCp(List<RunData> data, List<Map<String, Result>> runs, String key) {
        double s = 0;
        int n = 0;
        for (int i = 0; i < runs.size(); i++) {
            Result r = runs.get(i).get(key);
            Result cp = r == null ? null : data.get(i).cpFor(r.params(), Result.TIME);
            if (cp == null) continue;
            s += Math.log(Comparison.of(r, cp, Result.TIME).ratioOfMeans());
            n++;
        }
        return Math.exp(s / n);
    }

    private static boolean hasCp(List<RunData> data, List<Map<String, Result>> runs, String key) {
        for (int i = 0; i < runs.size(); i++) {
            Result r = runs.get(i).get(key);
            if (r != null && data.get(i).cpFor(r.params(), Result.TIME) != null) return true;
        }
        return false;
    }

    private static double meanLevel(Map<String, Result> run, List<String> keys, String metric) {
        double s = 0;
        for (String k : keys) s += Arrays.stream(run.get(k).levelLogs(metric)).average().orElseThrow();
        return s / keys.size();
    }
}
