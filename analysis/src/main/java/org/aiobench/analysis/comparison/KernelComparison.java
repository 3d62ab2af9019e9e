package org.aiobench.analysis.comparison;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.aiobench.analysis.figures.Figure;
import org.aiobench.analysis.figures.FigureBuilder;
import org.aiobench.analysis.figures.FigureDef;
import org.aiobench.analysis.report.Analysis;
import org.aiobench.analysis.run.BadInputException;
import org.aiobench.analysis.run.Comparison;
import org.aiobench.analysis.run.Result;
import org.aiobench.analysis.run.RunData;
import org.aiobench.analysis.stats.Better;
import org.aiobench.analysis.stats.CrossRun;
import org.aiobench.analysis.stats.Estimate;
import org.aiobench.analysis.stats.Judgement;
import org.aiobench.analysis.stats.PairedComparison;
import org.aiobench.analysis.stats.RatioInterval;
import org.aiobench.analysis.stats.Stats;
import org.aiobench.analysis.stats.Verdict;
import org.aiobench.vocabulary.ConfigLabel;

/**
 * compare's statistics: a base side and a new side, each one run or several (several boots of one kernel), every
 * configuration both sides measured judged twice, new against base, all cells at once by {@link CrossRun}.
 *
 * <ul>
 *   <li><b>Absolute</b> (the time per copy, or the rate): per run its level, the mean of its round medians' logs;
 *       new against base with the run as the unit (the box's own level per run is separated and counted once).</li>
 *   <li><b>Against all</b>: the absolute change less the change of every configuration together (each run's common
 *       level): what moved this configuration and not the whole box, measured against a reference made of every
 *       configuration, far steadier than any one.</li>
 *   <li><b>Against cp -r</b>: per round the configuration's median over cp -r's (less its start cost where every run
 *       records it), measured in the same round; per run the mean of those logs; again the run as the unit. The
 *       rounds cancel what the box does within a run, not what differs between runs (a fresh JVM's JIT decisions,
 *       the tree's layout), so a ratio to cp -r is judged across runs like an absolute time.</li>
 * </ul>
 * With one run a side neither has a run-level variance: the cells are unknown, unless the box was calibrated
 * ({@link Calibration}). Besides, every comparison the report's figures make against a fixed baseline (flag on vs off,
 * mode vs single, cold vs warm) is compared the same way, and each group's configurations give a geometric mean of
 * their ratios. The verdicts are {@link org.aiobench.analysis.stats.VerdictRule}'s with the practical threshold (default
 * {@value #DEFAULT_THRESHOLD}), listed at a 5% false discovery rate, the exit status family-wise.
 */
public final class KernelComparison {
    static final double DEFAULT_THRESHOLD = 0.05;

    /** One side of the comparison: its runs in the order given, each with its report's analysis. */
    public record Side(String name, List<RunData> runs, List<Analysis> analyses) {
        public static Side of(String name, List<RunData> runs) {
            return new Side(name, List.copyOf(runs), runs.stream().map(Analysis::new).toList());
        }

        /** "2 runs of 6.18.44 (runA, runB)" */
        String describe() {
            Set<String> kernels = new LinkedHashSet<>();
            runs.forEach(r -> kernels.add(r.kernelRelease()));
            return runs.size() + " run" + (runs.size() == 1 ? "" : "s") + " of " + String.join(" and ", kernels)
                    + " (" + runs.stream().map(RunData::runId).collect(Collectors.joining(", ")) + ")";
        }
    }

    /**
     * A ratio new/base and what it says.
     *
     * @param gates whether it sets the exit status (slower, and backed by the family-wise correction)
     */
    public record Cell(Judgement judgement, boolean gates) {
        /** Shown without a verdict: a run made before rounds, whose ratios are of means. */
        static Cell shownOnly(double ratio, String note, Better better, boolean speed) {
            Estimate e = new Estimate(Math.log(ratio), 0, Double.NaN, Double.NaN, Double.NaN, 0, Estimate.Unit.ROUNDS,
                    0);
            return new Cell(new Judgement(e, Double.NaN, better, speed, Verdict.UNKNOWN, 0, note), false);
        }

        public RatioInterval ratio() {
            return judgement.interval();
        }

        public Verdict verdict() {
            return judgement.verdict();
        }

        public boolean speed() {
            return judgement.speed();
        }

        public boolean significant() {
            return judgement.significant();
        }

        /** How much slower new is: the ratio for a time, its inverse for a rate (above 1: slower). */
        double slowdown() {
            return judgement.slowdown();
        }

        /** "1.094 [1.051, 1.139] slower", "1.02 [0.91, 1.14] unknown: ~4 runs a side would decide (2 a side now)". */
        public String text() {
            return judgement.text();
        }
    }

    /** One side's numbers of one configuration: all its samples pooled, and how many runs and rounds gave them. */
    record SideStats(Stats stats, int runs, int rounds) {}

    /**
     * One configuration both sides measured.
     *
     * @param example   the configuration as one of the runs recorded it (group, params)
     * @param baseVsCp  the base side's ratio to cp -r with its interval, or null
     * @param vsCp      null for cp -r itself and where no cp -r reference was measured
     */
    public record Row(String key, Result example, String metric, SideStats base, SideStats next, Cell absolute,
               Cell vsAll, RatioInterval baseVsCp, RatioInterval nextVsCp, Cell vsCp) {
        String group() {
            return example.group();
        }

        public List<Cell> cells() {
            List<Cell> out = new ArrayList<>();
            out.add(absolute);
            if (vsAll != null) out.add(vsAll);
            if (vsCp != null) out.add(vsCp);
            return out;
        }

        /** What a cell of this row compares: "absolute", "vs all", "vs cp -r". */
        public String what(Cell c) {
            return c == absolute ? "absolute" : c == vsAll ? "vs all" : "vs cp -r";
        }

        /** The row's most telling slowdown: its slower cells first, then its largest point estimate. */
        double worst() {
            double w = absolute.slowdown();
            if (vsCp != null) w = Math.max(w, vsCp.slowdown());
            if (vsAll != null && vsAll.judgement().estimate().hasInterval()) w = Math.max(w, vsAll.slowdown());
            boolean slower = cells().stream().anyMatch(c -> c.verdict() == Verdict.SLOWER);
            return slower ? 1000 + w : w;
        }
    }

    /** A group's geometric mean of its configurations' ratios. */
    record GroupRow(String group, int configs, Cell absolute, int cpConfigs, Cell vsCp) {}

    /** A comparison within the runs (X against a fixed baseline Y, e.g. fallocate on vs off), new against base. */
    record WithinRow(String group, String label, RatioInterval base, RatioInterval next, Cell change) {}

    /** Verdict counts over cells. */
    public record Counts(int slower, int faster, int same, int unknown, int exploratory) {
        public static Counts of(List<Cell> cells) {
            int[] c = new int[4];
            int exploratory = 0;
            for (Cell x : cells) {
                c[x.verdict().ordinal()]++;
                if (x.judgement().exploratory()) exploratory++;
            }
            return new Counts(c[Verdict.SLOWER.ordinal()], c[Verdict.FASTER.ordinal()], c[Verdict.SAME.ordinal()],
                    c[Verdict.UNKNOWN.ordinal()], exploratory);
        }

        public String text() {
            return slower + " slower, " + faster + " faster, " + same + " same, " + unknown + " unknown"
                    + (exploratory > 0 ? " (" + exploratory + " of the verdicts exploratory)" : "");
        }
    }

    final Side base;
    final Side next;
    final double threshold;
    /** Rows by group (groups in name order), each group's largest slowdowns first. */
    final Map<String, List<Row>> groups;
    final List<GroupRow> groupRows;
    final List<WithinRow> within;
    /** Configuration keys measured on one side only, as labels. */
    final List<String> onlyBase;
    final List<String> onlyNew;
    /** Per group, the parameters that tell its configurations apart (what a label names). */
    final Map<String, Set<String>> varying;
    /** The decision over every cell: its corrections and moderation. */
    final CrossRun.Output decision;
    /** The calibration used for cells with one run on a side, or null. */
    final Calibration calibration;

    private KernelComparison(Side base, Side next, double threshold, Map<String, List<Row>> groups,
                             List<GroupRow> groupRows, List<WithinRow> within, List<String> onlyBase,
                             List<String> onlyNew, Map<String, Set<String>> varying, CrossRun.Output decision,
                             Calibration calibration) {
        this.base = base;
        this.next = next;
        this.threshold = threshold;
        this.groups = groups;
        this.groupRows = groupRows;
        this.within = within;
        this.onlyBase = onlyBase;
        this.onlyNew = onlyNew;
        this.varying = varying;
        this.decision = decision;
        this.calibration = calibration;
    }

    String label(Row r) {
        return label(r.example(), varying);
    }

    /** A configuration among the compared ones: the parameters that tell its group's configurations apart. */
    static String label(Result r, Map<String, Set<String>> varying) {
        return ConfigLabel.distinguishing(r.group(), r.params(), varying.getOrDefault(r.group(), Set.of()));
    }

    /** Both sides have two runs or more: the runs give their own run-level variance. */
    boolean replicated() {
        return base.runs().size() >= 2 && next.runs().size() >= 2;
    }

    public List<Row> rows() {
        return groups.values().stream().flatMap(List::stream).toList();
    }

    public Counts absoluteCounts() {
        return Counts.of(rows().stream().map(Row::absolute).toList());
    }

    public Counts vsCpCounts() {
        return Counts.of(rows().stream().map(Row::vsCp).filter(c -> c != null).toList());
    }

    Counts vsAllCounts() {
        return Counts.of(rows().stream().map(Row::vsAll).filter(c -> c != null).toList());
    }

    Counts withinCounts() {
        return Counts.of(within.stream().map(WithinRow::change).toList());
    }

    Counts groupCounts() {
        List<Cell> cells = new ArrayList<>();
        for (GroupRow g : groupRows) {
            cells.add(g.absolute());
            if (g.vsCp() != null) cells.add(g.vsCp());
        }
        return Counts.of(cells);
    }

    /** Every configuration or group cell listed slower, the largest slowdown first: the gating ones first. */
    List<Map.Entry<String, Cell>> regressions() {
        List<Map.Entry<String, Cell>> out = new ArrayList<>();
        for (Row r : rows()) {
            String what = r.group() + "\t" + label(r);
            for (Cell c : r.cells()) if (c.verdict() == Verdict.SLOWER) out.add(Map.entry(what + "\t" + r.what(c), c));
        }
        for (GroupRow g : groupRows) {
            String what = g.group() + "\t(group: geometric mean)";
            if (g.absolute().verdict() == Verdict.SLOWER) out.add(Map.entry(what + "\tabsolute", g.absolute()));
            if (g.vsCp() != null && g.vsCp().verdict() == Verdict.SLOWER) out.add(Map.entry(what + "\tvs cp -r",
                    g.vsCp()));
        }
        out.sort(Comparator.comparing((Map.Entry<String, Cell> e) -> !e.getValue().gates())
                .thenComparingDouble(e -> -e.getValue().slowdown()));
        return out;
    }

    /** What compare's exit status says: a cell slower, backed by the family-wise correction. */
    boolean anySlower() {
        return decision.anyGate();
    }

    long gating() {
        return regressions().stream().filter(e -> e.getValue().gates()).count();
    }

    // ---- building it ----

    public static KernelComparison of(Side base, Side next, double threshold) throws BadInputException {
        return of(base, next, threshold, null);
    }

    /**
     * @param calibration the box's calibration for cells with one run on a side, or null
     * @throws BadInputException when the sides have no configuration in common
     */
    public static KernelComparison of(Side base, Side next, double threshold, Calibration calibration)
            throws BadInputException {
        List<Map<String, Result>> baseRuns = base.runs().stream().map(RunData::byKey).toList();
        List<Map<String, Result>> nextRuns = next.runs().stream().map(RunData::byKey).toList();
        Map<String, Result> baseAll = union(baseRuns), nextAll = union(nextRuns);
        List<String> common = baseAll.keySet().stream().filter(nextAll::containsKey)
                .filter(k -> baseAll.get(k).primaryMetric() != null
                        && baseAll.get(k).primaryMetric().equals(nextAll.get(k).primaryMetric())).toList();
        if (common.isEmpty()) {
            throw new BadInputException(next.runs().get(0).dir, "no configuration in common with "
                    + base.runs().get(0).dir + " (base: " + baseAll.size() + " configuration(s), new: "
                    + nextAll.size() + "): nothing to compare");
        }
        Map<String, Set<String>> varying = Result.varying(concat(baseAll.values(), nextAll.values()));
        List<String> onlyBase = baseAll.keySet().stream().filter(k -> !nextAll.containsKey(k))
                .map(k -> baseAll.get(k).group() + " " + label(baseAll.get(k), varying)).toList();
        List<String> onlyNew = nextAll.keySet().stream().filter(k -> !baseAll.containsKey(k))
                .map(k -> nextAll.get(k).group() + " " + label(nextAll.get(k), varying)).toList();
        // whether every cp -r involved records its start cost: then ratios to cp -r use cp less it, on both sides
        boolean lessStart = cpLessStart(base.runs()) && cpLessStart(next.runs());
        String cpMetric = lessStart ? Result.TIME_LESS_START : Result.TIME;
        Builder b = new Builder(base, next, baseRuns, nextRuns, cpMetric, calibration);
        for (String k : common) b.config(k);
        Map<String, List<String>> byGroup = new TreeMap<>();
        for (String k : common) byGroup.computeIfAbsent(baseAll.get(k).group(), g -> new ArrayList<>()).add(k);
        byGroup.forEach(b::group);
        b.within(varying);

        CrossRun.Output out = CrossRun.judge(b.inputs, threshold);
        Map<String, List<Row>> groups = new TreeMap<>();
        for (Builder.Pending p : b.rows) {
            Row row = p.row(out);
            groups.computeIfAbsent(row.group(), g -> new ArrayList<>()).add(row);
        }
        groups.values().forEach(l -> l.sort(Comparator.comparingDouble((Row r) -> -r.worst())
                .thenComparing(Row::key)));
        List<GroupRow> groupRows = b.groupRows.stream().map(g -> g.row(out)).toList();
        List<WithinRow> within = b.withinRows.stream().map(w -> w.row(out))
                .sorted(Comparator.comparing(WithinRow::group).thenComparing(WithinRow::label)).toList();
        return new KernelComparison(base, next, threshold, groups, groupRows, within, onlyBase, onlyNew, varying, out,
                calibration);
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
        boolean lessStart = cpLessStart(runs);
        Builder b = new Builder(side, none, byRun, List.of(), lessStart ? Result.TIME_LESS_START : Result.TIME, null);
        List<String> keys = all.keySet().stream().filter(k -> all.get(k).primaryMetric() != null).toList();
        for (String k : keys) b.config(k);
        Map<String, List<String>> byGroup = new TreeMap<>();
        for (String k : keys) byGroup.computeIfAbsent(all.get(k).group(), g -> new ArrayList<>()).add(k);
        byGroup.forEach(b::group);
        Map<String, CrossRun.Input> out = new LinkedHashMap<>();
        for (int i = 0; i < b.inputs.size(); i++) out.put(b.inputs.get(i).kind() + "|" + b.keys.get(i), b.inputs.get(i));
        return out;
    }

    private static List<Result> concat(java.util.Collection<Result> a, java.util.Collection<Result> b) {
        List<Result> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static Map<String, Result> union(List<Map<String, Result>> runs) {
        Map<String, Result> out = new LinkedHashMap<>();
        runs.forEach(m -> m.forEach(out::putIfAbsent));
        return out;
    }

    /** Every cp -r of these runs records its start cost: ratios to cp -r then use cp less it. */
    public static boolean cpLessStart(List<RunData> runs) {
        return runs.stream().allMatch(r -> r.group("cp").stream().allMatch(cp -> cp.inRounds(Result.TIME_LESS_START)));
    }

    /** The logarithms of a run's per-round medians (a run before rounds: of its samples, pooled). */
    public static double[] levelLogs(Result r, String metric) {
        if (r.inRounds(metric)) return r.series(metric).logMedians();
        return Arrays.stream(r.samples().get(metric)).map(Math::log).toArray();
    }

    /** A configuration against its cp -r in one run, paired by round; null without a cp -r measured in rounds. */
    public static PairedComparison vsCp(RunData run, Result r, String cpMetric, double threshold) {
        if (r == null || !r.inRounds(Result.TIME)) return null;
        Result cp = run.cpFor(r.params(), Result.TIME);
        if (cp == null || !cp.inRounds(cpMetric)) return null;
        // a peer against cp less its start cost: the peer less its own too, as the report compares them
        String xMetric = cpMetric.equals(Result.TIME_LESS_START) && r.isPeer() && r.inRounds(cpMetric) ? cpMetric
                : Result.TIME;
        return PairedComparison.of(r.series(xMetric), cp.series(cpMetric), Better.LOWER, threshold, true);
    }

    /** One side's level of a ratio over its runs: one run's rounds, or several runs' levels, with the interval. */
    static RatioInterval sideLevel(List<double[]> perRun) {
        List<double[]> runs = perRun.stream().filter(r -> r.length > 0).toList();
        if (runs.size() == 1) return Estimate.ofMean(runs.get(0), Estimate.Unit.ROUNDS).interval();
        return Estimate.ofMean(runs.stream().mapToDouble(r -> Arrays.stream(r).average().orElseThrow()).toArray(),
                Estimate.Unit.RUNS).interval();
    }

    /** Gathers every cell's input for {@link CrossRun}, and makes the rows from its output. */
    private static final class Builder {
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

        Builder(Side base, Side next, List<Map<String, Result>> baseRuns, List<Map<String, Result>> nextRuns,
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
                Cell vs = vsCp >= 0 ? cell(out, vsCp) : meansNote == null ? null
                        : Cell.shownOnly(meansRatio, meansNote, Better.LOWER, true);
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

        static Cell cell(CrossRun.Output out, int i) {
            return new Cell(out.judgements().get(i), out.gates()[i]);
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
                    baseVsCp = sideLevel(b);
                    nextVsCp = sideLevel(n);
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
                    PairedComparison pc = vsCp(run, (side == 0 ? baseRuns : nextRuns).get(i).get(k), cpMetric,
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
            Map<String, Pairing> b = pairings(base), n = pairings(next);
            for (var e : b.entrySet()) {
                Pairing pn = n.get(e.getKey());
                if (pn == null) continue;
                Pairing pb = e.getValue();
                int i = add(CrossRun.Kind.WITHIN, pb.logs(), pn.logs(), pb.better(), pb.speed(), null, null);
                withinRows.add(new PendingWithin(pb.x().group(), pairLabel(pb.def(), pb.x(), pb.y(), varying),
                        sideLevel(pb.logs()), sideLevel(pn.logs()), i));
            }
        }

        private String cpMetric() {
            return cpMetric;
        }

        /** Per run of a side, the logs of the configuration's per-round ratio to its cp -r (empty where none). */
        private List<double[]> cpLogs(List<RunData> data, List<Map<String, Result>> runs, String key) {
            List<double[]> out = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                PairedComparison pc = vsCp(data.get(i), runs.get(i).get(key), cpMetric(), Verdict.THRESHOLD_WITHIN_RUN);
                out.add(pc == null ? new double[0] : pc.logRatios());
            }
            return out;
        }
    }

    /** Per run, the logs of the configuration's round medians (empty where the run did not measure it). */
    private static List<double[]> levels(List<Map<String, Result>> runs, String key, String metric) {
        List<double[]> out = new ArrayList<>();
        for (Map<String, Result> m : runs) {
            Result r = m.get(key);
            out.add(r == null || !r.samples().containsKey(metric) ? new double[0] : levelLogs(r, metric));
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
        for (String k : keys) s += Arrays.stream(levelLogs(run.get(k), metric)).average().orElseThrow();
        return s / keys.size();
    }

    /** One within-run comparison on one side: per run, its per-round log ratios (empty where the run lacks it). */
    private record Pairing(FigureDef def, Result x, Result y, Better better, boolean speed, List<double[]> logs) {}

    private static Map<String, Pairing> pairings(Side side) {
        Map<String, Pairing> out = new LinkedHashMap<>();
        int runs = side.analyses().size();
        for (int i = 0; i < runs; i++) {
            Analysis a = side.analyses().get(i);
            for (FigureBuilder.Section s : a.figures) {
                FigureDef.Baseline bl = s.def().baseline();
                if (bl == null || bl.value() == null) continue;
                for (Figure f : s.figures()) {
                    for (Figure.Point p : f.points()) {
                        Comparison c = p.vsBaseline();
                        if (c == null || !c.inRounds()) continue;
                        String k = s.def().key() + "|" + c.x().key() + "|" + c.y().key() + "|" + c.metric();
                        Pairing pr = out.computeIfAbsent(k, x -> new Pairing(s.def(), c.x(), c.y(),
                                Result.better(c.metric()), Result.isSpeed(c.metric()), emptyRuns(runs)));
                        pr.logs().set(i, c.paired().logRatios());
                    }
                }
            }
        }
        return out;
    }

    private static List<double[]> emptyRuns(int n) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(new double[0]);
        return out;
    }

    /** "fallocate off/on per engine: engine=io_uring direct=true, fallocate=true vs false" */
    private static String pairLabel(FigureDef def, Result rx, Result ry, Map<String, Set<String>> varying) {
        Map<String, String> x = rx.params(), y = ry.params();
        Set<String> shown = varying.getOrDefault(rx.group(), Set.of());
        List<String> same = new ArrayList<>(), diff = new ArrayList<>();
        for (String k : ConfigLabel.ordered(x)) {
            String xv = x.get(k), yv = y.get(k);
            if (xv.equals(yv)) {
                if (shown.contains(k)) same.add(ConfigLabel.param(k, xv, x, shown));
            } else {
                diff.add(k + "=" + xv + " vs " + (yv == null ? "unset" : yv));
            }
        }
        same.removeIf(String::isEmpty);
        return def.what() + ": " + (same.isEmpty() ? "" : String.join(" ", same) + ", ") + String.join(", ", diff);
    }
}
