package org.aiobench.plot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.aiobench.plot.stats.Better;
import org.aiobench.plot.stats.Bootstrap;
import org.aiobench.plot.stats.PairedComparison;
import org.aiobench.plot.stats.RatioInterval;
import org.aiobench.plot.stats.Stats;
import org.aiobench.plot.stats.Verdict;

/**
 * compare's statistics: a base side and a new side, each one run or several (several boots of one kernel), every
 * configuration both sides measured judged twice, new against base.
 *
 * <ul>
 *   <li><b>Absolute</b> (the time per copy, or the rate): the ratio of the two sides' geometric means of the round
 *       medians. The run is the unit that varies (a box drifts between runs far more than within one), so it is
 *       judged only with two runs or more on each side, from the spread between runs; with one run a side it is shown
 *       and not judged.</li>
 *   <li><b>Against cp -r</b>: per round the configuration's median over cp -r's (less its start cost where every run
 *       records it), measured in the same round; the ratio of the two sides' geometric means of those. The rounds
 *       cancel a box that got slower as a whole, so it is judged with one run a side too.</li>
 * </ul>
 * Besides, every comparison the report's figures make against a fixed baseline (flag on vs off, mode vs single, cold
 * vs warm) is compared the same way, and each group's configurations give a geometric mean of their ratios. Every
 * interval comes from {@link Bootstrap#ratio} and every verdict from {@link Verdict#judge} with the practical
 * threshold (default {@value #DEFAULT_THRESHOLD}).
 */
final class KernelComparison {
    static final double DEFAULT_THRESHOLD = 0.05;
    /** Below this many runs on a side, absolute values are not judged. */
    static final int MIN_RUNS_FOR_ABSOLUTE = 2;

    /** One side of the comparison: its runs in the order given, each with its report's analysis. */
    record Side(String name, List<RunData> runs, List<Analysis> analyses) {
        static Side of(String name, List<RunData> runs) {
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
     * @param verdict null where it is not judged; {@code note} then says why
     * @param better  which way the ratio's metric improves
     */
    record Cell(RatioInterval ratio, Verdict verdict, String note, Better better, boolean speed) {
        static Cell notJudged(double ratio, String note, Better better, boolean speed) {
            return new Cell(new RatioInterval(ratio, Double.NaN, Double.NaN, 0), null, note, better, speed);
        }

        boolean judged() {
            return verdict != null;
        }

        boolean significant() {
            return verdict == Verdict.SLOWER || verdict == Verdict.FASTER;
        }

        /** How much slower new is: the ratio for a time, its inverse for a rate (above 1: slower). */
        double slowdown() {
            return better == Better.LOWER ? ratio.ratio() : 1 / ratio.ratio();
        }

        /** "1.094 [1.051, 1.139] slower", or "1.054 (not judged: one run a side)". */
        String text() {
            String r = Comparison.ratioText(ratio.ratio());
            if (!judged()) return r + (note.isEmpty() ? "" : " (" + note + ")");
            String interval = Double.isNaN(ratio.low()) ? "" : " [" + Comparison.ratioText(ratio.low()) + ", "
                    + Comparison.ratioText(ratio.high()) + "]";
            return r + interval + " " + verdict.word(speed) + (note.isEmpty() ? "" : " (" + note + ")");
        }
    }

    /** One side's numbers of one configuration: all its samples pooled, and how many runs and rounds gave them. */
    record SideStats(Stats stats, int runs, int rounds) {}

    /**
     * One configuration both sides measured.
     *
     * @param example   the configuration as one of the runs recorded it (group, params)
     * @param baseVsCp  the base side's ratio to cp -r with its interval, or null
     * @param vsCp      null for cp -r itself and where no cp -r reference was measured in rounds
     */
    record Row(String key, Result example, String metric, SideStats base, SideStats next, Cell absolute,
               RatioInterval baseVsCp, RatioInterval nextVsCp, Cell vsCp) {
        String group() {
            return example.group();
        }

        List<Cell> judgedCells() {
            List<Cell> out = new ArrayList<>();
            if (absolute.judged()) out.add(absolute);
            if (vsCp != null && vsCp.judged()) out.add(vsCp);
            return out;
        }

        /** The row's most telling slowdown: its judged slower cells first, then its largest point estimate. */
        double worst() {
            double w = absolute.slowdown();
            if (vsCp != null) w = Math.max(w, vsCp.slowdown());
            boolean slower = judgedCells().stream().anyMatch(c -> c.verdict() == Verdict.SLOWER);
            return slower ? 1000 + w : w;
        }
    }

    /** A group's geometric mean of its configurations' ratios. */
    record GroupRow(String group, int configs, Cell absolute, int cpConfigs, Cell vsCp) {}

    /** A comparison within the runs (X against a fixed baseline Y, e.g. fallocate on vs off), new against base. */
    record WithinRow(String group, String label, RatioInterval base, RatioInterval next, Cell change) {}

    /** Verdict counts over cells. */
    record Counts(int slower, int faster, int same, int inconclusive, int notJudged) {
        static Counts of(List<Cell> cells) {
            int[] c = new int[5];
            for (Cell x : cells) {
                if (!x.judged()) c[4]++;
                else c[x.verdict().ordinal()]++;
            }
            return new Counts(c[Verdict.SLOWER.ordinal()], c[Verdict.FASTER.ordinal()], c[Verdict.SAME.ordinal()],
                    c[Verdict.INCONCLUSIVE.ordinal()], c[4]);
        }

        String text() {
            return slower + " slower, " + faster + " faster, " + same + " same, " + inconclusive + " inconclusive"
                    + (notJudged > 0 ? ", " + notJudged + " not judged" : "");
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

    private KernelComparison(Side base, Side next, double threshold, Map<String, List<Row>> groups,
                             List<GroupRow> groupRows, List<WithinRow> within, List<String> onlyBase,
                             List<String> onlyNew, Map<String, Set<String>> varying) {
        this.base = base;
        this.next = next;
        this.threshold = threshold;
        this.groups = groups;
        this.groupRows = groupRows;
        this.within = within;
        this.onlyBase = onlyBase;
        this.onlyNew = onlyNew;
        this.varying = varying;
    }

    String label(Row r) {
        return label(r.example(), varying);
    }

    /** Both sides have enough runs for absolute values to be judged. */
    boolean absoluteJudged() {
        return base.runs().size() >= MIN_RUNS_FOR_ABSOLUTE && next.runs().size() >= MIN_RUNS_FOR_ABSOLUTE;
    }

    List<Row> rows() {
        return groups.values().stream().flatMap(List::stream).toList();
    }

    Counts absoluteCounts() {
        return Counts.of(rows().stream().map(Row::absolute).toList());
    }

    Counts vsCpCounts() {
        return Counts.of(rows().stream().map(Row::vsCp).filter(c -> c != null).toList());
    }

    Counts withinCounts() {
        return Counts.of(within.stream().map(WithinRow::change).toList());
    }

    /** Every judged configuration cell that says slower, the largest slowdown first. */
    List<Map.Entry<Row, Cell>> regressions() {
        List<Map.Entry<Row, Cell>> out = new ArrayList<>();
        for (Row r : rows()) {
            for (Cell c : r.judgedCells()) if (c.verdict() == Verdict.SLOWER) out.add(Map.entry(r, c));
        }
        out.sort(Comparator.comparingDouble((Map.Entry<Row, Cell> e) -> -e.getValue().slowdown()));
        return out;
    }

    /** What compare's exit status says: a configuration significantly slower, absolutely or against cp -r. */
    boolean anySlower() {
        return !regressions().isEmpty();
    }

    // ---- building it ----

    /** The configuration's key across runs: a run made before rounds and one made with them give the same. */
    static String key(Result r) {
        String id = r.benchmark().isEmpty() ? r.config() : Result.configId(r.benchmark(), r.params());
        return r.group() + "|" + id;
    }

    /** A run's configurations by key (the A/A control's second label left out, as in the report's groups). */
    static Map<String, Result> byKey(RunData run) {
        Map<String, Result> out = new LinkedHashMap<>();
        for (List<Result> rs : run.groups.values()) for (Result r : rs) out.putIfAbsent(key(r), r);
        return out;
    }

    static String primaryMetric(Result r) {
        return r.samples().containsKey(Result.TIME) ? Result.TIME : r.samples().containsKey(Result.OPS) ? Result.OPS
                : null;
    }

    /**
     * @throws BadInputException when the sides have no configuration in common
     */
    static KernelComparison of(Side base, Side next, double threshold) throws BadInputException {
        List<Map<String, Result>> baseRuns = base.runs().stream().map(KernelComparison::byKey).toList();
        List<Map<String, Result>> nextRuns = next.runs().stream().map(KernelComparison::byKey).toList();
        Map<String, Result> baseAll = union(baseRuns), nextAll = union(nextRuns);
        List<String> common = baseAll.keySet().stream().filter(nextAll::containsKey)
                .filter(k -> primaryMetric(baseAll.get(k)) != null
                        && primaryMetric(baseAll.get(k)).equals(primaryMetric(nextAll.get(k)))).toList();
        if (common.isEmpty()) {
            throw new BadInputException(next.runs().get(0).dir, "no configuration in common with "
                    + base.runs().get(0).dir + " (base: " + baseAll.size() + " configuration(s), new: "
                    + nextAll.size() + "): nothing to compare");
        }
        Map<String, Set<String>> varying = varyingParams(List.of(baseAll, nextAll));
        List<String> onlyBase = baseAll.keySet().stream().filter(k -> !nextAll.containsKey(k))
                .map(k -> baseAll.get(k).group() + " " + label(baseAll.get(k), varying)).toList();
        List<String> onlyNew = nextAll.keySet().stream().filter(k -> !baseAll.containsKey(k))
                .map(k -> nextAll.get(k).group() + " " + label(nextAll.get(k), varying)).toList();

        // whether every cp -r involved records its start cost: then ratios to cp -r use cp less it, on both sides
        boolean lessStart = cpLessStart(base.runs()) && cpLessStart(next.runs());
        Map<String, List<Row>> groups = new TreeMap<>();
        for (String k : common) {
            Row row = row(k, base.runs(), baseRuns, next.runs(), nextRuns, threshold, lessStart);
            groups.computeIfAbsent(row.group(), g -> new ArrayList<>()).add(row);
        }
        groups.values().forEach(l -> l.sort(Comparator.comparingDouble((Row r) -> -r.worst())
                .thenComparing(Row::key)));
        List<GroupRow> groupRows = new ArrayList<>();
        for (var e : groups.entrySet()) {
            groupRows.add(groupRow(e.getKey(), e.getValue(), base.runs(), baseRuns, next.runs(), nextRuns, threshold,
                    lessStart));
        }
        return new KernelComparison(base, next, threshold, groups, groupRows,
                within(base, next, threshold, varying), onlyBase, onlyNew, varying);
    }

    private static Map<String, Result> union(List<Map<String, Result>> runs) {
        Map<String, Result> out = new LinkedHashMap<>();
        runs.forEach(m -> m.forEach(out::putIfAbsent));
        return out;
    }

    /** Every cp -r of these runs records its start cost: ratios to cp -r then use cp less it. */
    static boolean cpLessStart(List<RunData> runs) {
        return runs.stream().allMatch(r -> r.group("cp").stream().allMatch(cp -> cp.inRounds(Result.TIME_LESS_START)));
    }

    /** Per group, the parameters whose values differ between its configurations: what a row's label names. */
    static Map<String, Set<String>> varyingParams(List<Map<String, Result>> sides) {
        Map<String, Map<String, Set<String>>> values = new TreeMap<>();
        for (Map<String, Result> side : sides) {
            for (Result r : side.values()) {
                r.params().forEach((k, v) -> values.computeIfAbsent(r.group(), g -> new TreeMap<>())
                        .computeIfAbsent(k, x -> new TreeSet<>()).add(v));
            }
        }
        Map<String, Set<String>> out = new TreeMap<>();
        values.forEach((g, m) -> {
            Set<String> keys = new LinkedHashSet<>();
            m.forEach((k, vs) -> {
                if (vs.size() > 1) keys.add(k);
            });
            out.put(g, keys);
        });
        return out;
    }

    /** The order parameters are named in, as the copy study names a configuration; others follow by name. */
    private static final List<String> PARAM_ORDER = List.of("engine", "mode", "fileSize", "files", "direct",
            "fallocate", "regbuf", "regfiles", "ringFlags", "qd", "opsPerFile", "bufferSize", "cache");

    /**
     * "io_uring single 1M×128 O_DIRECT warm": the parameters that tell the group's configurations apart, engine, mode,
     * size, I/O and cache state by their values, the others as k=v.
     */
    static String label(Result r, Map<String, Set<String>> varying) {
        Set<String> keys = varying.getOrDefault(r.group(), Set.of());
        List<String> parts = new ArrayList<>();
        if (r.isCp()) parts.add("cp -r");
        for (String k : ordered(r.params())) {
            if (keys.contains(k)) parts.add(param(k, r.param(k), r.params(), keys));
        }
        if (parts.isEmpty()) parts.add(r.group());
        return parts.stream().filter(p -> !p.isEmpty()).collect(Collectors.joining(" "));
    }

    /** The parameters' names in {@link #PARAM_ORDER}, the others after them by name. */
    static List<String> ordered(Map<String, String> params) {
        List<String> out = new ArrayList<>(PARAM_ORDER);
        out.retainAll(params.keySet());
        new TreeSet<>(params.keySet()).stream().filter(k -> !PARAM_ORDER.contains(k)).forEach(out::add);
        return out;
    }

    /** One parameter in a label; the file count goes with the file size where both vary. */
    static String param(String k, String v, Map<String, String> params, Set<String> shown) {
        return switch (k) {
            case "engine", "mode", "cache" -> v;
            case "fileSize" -> v + (shown.contains("files") && params.containsKey("files") ? "×" + params.get("files")
                    : "");
            case "files" -> shown.contains("fileSize") ? "" : v + " files";
            case "direct" -> Vocabulary.label("direct", v);
            default -> k + "=" + v;
        };
    }

    /** The logarithms of a run's per-round medians (a run before rounds: of its samples, pooled). */
    static double[] levelLogs(Result r, String metric) {
        if (r.inRounds(metric)) return r.series(metric).logMedians();
        return Arrays.stream(r.samples().get(metric)).map(Math::log).toArray();
    }

    private static Row row(String key, List<RunData> baseData, List<Map<String, Result>> baseRuns,
                           List<RunData> nextData, List<Map<String, Result>> nextRuns, double threshold,
                           boolean lessStart) {
        Result example = baseRuns.stream().map(m -> m.get(key)).filter(r -> r != null).findFirst().orElseThrow();
        String metric = primaryMetric(example);
        Better better = Result.better(metric);
        boolean speed = Result.isSpeed(metric);
        List<double[]> bLogs = new ArrayList<>(), nLogs = new ArrayList<>();
        SideStats bs = sideStats(baseRuns, key, metric, bLogs), ns = sideStats(nextRuns, key, metric, nLogs);
        long seed = Bootstrap.seed("compare " + key + " " + metric);
        Cell absolute;
        if (bs.runs() >= MIN_RUNS_FOR_ABSOLUTE && ns.runs() >= MIN_RUNS_FOR_ABSOLUTE) {
            RatioInterval ri = Bootstrap.ratio(bLogs, nLogs, seed);
            absolute = new Cell(ri, Verdict.judge(ri, threshold, better), "", better, speed);
        } else {
            absolute = Cell.notJudged(Bootstrap.ratio(bLogs, nLogs, seed).ratio(), "not judged: "
                    + (bs.runs() == 1 && ns.runs() == 1 ? "one run a side"
                    : "one " + (bs.runs() == 1 ? "base" : "new") + " run") + ", drift", better, speed);
        }

        Cell vsCp = null;
        RatioInterval baseVsCp = null, nextVsCp = null;
        if (!example.isCp() && metric.equals(Result.TIME)) {
            String cpMetric = lessStart ? Result.TIME_LESS_START : Result.TIME;
            List<double[]> b = cpLogs(baseData, baseRuns, key, cpMetric, threshold);
            List<double[]> n = cpLogs(nextData, nextRuns, key, cpMetric, threshold);
            long cpSeed = Bootstrap.seed("compare vs cp " + key);
            if (!b.isEmpty() && !n.isEmpty()) {
                baseVsCp = Bootstrap.geometricMean(b, cpSeed);
                nextVsCp = Bootstrap.geometricMean(n, cpSeed);
                vsCp = ratioCell(b, n, cpSeed, threshold, Better.LOWER, true);
            } else if (hasCp(baseData, baseRuns, key) && hasCp(nextData, nextRuns, key)) {
                // a run made before rounds: the ratio of the means, shown and not judged
                double b2 = meanRatioToCp(baseData, baseRuns, key), n2 = meanRatioToCp(nextData, nextRuns, key);
                baseVsCp = new RatioInterval(b2, Double.NaN, Double.NaN, 0);
                nextVsCp = new RatioInterval(n2, Double.NaN, Double.NaN, 0);
                vsCp = Cell.notJudged(n2 / b2, "not measured in rounds", Better.LOWER, true);
            }
        }
        return new Row(key, example, metric, bs, ns, absolute, baseVsCp, nextVsCp, vsCp);
    }

    /** The change new/base of a ratio measured within rounds, with its verdict; inconclusive on too few rounds. */
    private static Cell ratioCell(List<double[]> b, List<double[]> n, long seed, double threshold, Better better,
                                  boolean speed) {
        RatioInterval ri = Bootstrap.ratio(b, n, seed);
        boolean fewRounds = (b.size() == 1 && b.get(0).length < PairedComparison.MIN_ROUNDS)
                || (n.size() == 1 && n.get(0).length < PairedComparison.MIN_ROUNDS);
        if (fewRounds) return new Cell(ri, Verdict.INCONCLUSIVE, "fewer than " + PairedComparison.MIN_ROUNDS
                + " rounds", better, speed);
        return new Cell(ri, Verdict.judge(ri, threshold, better), "", better, speed);
    }

    private static SideStats sideStats(List<Map<String, Result>> runs, String key, String metric,
                                       List<double[]> logs) {
        List<Double> all = new ArrayList<>();
        int nRuns = 0, rounds = 0;
        for (Map<String, Result> m : runs) {
            Result r = m.get(key);
            if (r == null || !r.samples().containsKey(metric)) continue;
            nRuns++;
            for (double v : r.samples().get(metric)) all.add(v);
            if (r.inRounds(metric)) rounds += r.series(metric).rounds().size();
            logs.add(levelLogs(r, metric));
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

    /** Per run, the logs of the configuration's per-round ratio to its cp -r (rounds where both were measured). */
    private static List<double[]> cpLogs(List<RunData> data, List<Map<String, Result>> runs, String key,
                                         String cpMetric, double threshold) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            PairedComparison pc = vsCp(data.get(i), runs.get(i).get(key), cpMetric, threshold);
            if (pc != null && pc.n() > 0) out.add(pc.logRatios());
        }
        return out;
    }

    /** A configuration against its cp -r in one run, paired by round; null without a cp -r measured in rounds. */
    static PairedComparison vsCp(RunData run, Result r, String cpMetric, double threshold) {
        if (r == null || !r.inRounds(Result.TIME)) return null;
        Result cp = run.cpFor(r.params(), Result.TIME);
        if (cp == null || !cp.inRounds(cpMetric)) return null;
        // a peer against cp less its start cost: the peer less its own too, as the report compares them
        String xMetric = cpMetric.equals(Result.TIME_LESS_START) && r.isPeer() && r.inRounds(cpMetric) ? cpMetric
                : Result.TIME;
        return PairedComparison.of(r.series(xMetric), cp.series(cpMetric), Better.LOWER, threshold,
                Bootstrap.seed(key(r) + " / cp"));
    }

    /**
     * The group's geometric mean of its configurations' ratios, with an interval that keeps what they share: per run
     * and round, the mean of the configurations' logarithms, over the configurations every run of both sides has
     * (and the rounds in which all of them were measured), then resampled as one configuration would be.
     */
    private static GroupRow groupRow(String group, List<Row> rows, List<RunData> baseData,
                                     List<Map<String, Result>> baseRuns, List<RunData> nextData,
                                     List<Map<String, Result>> nextRuns, double threshold, boolean lessStart) {
        List<Row> everywhere = rows.stream().filter(r -> baseRuns.stream().allMatch(m -> m.containsKey(r.key()))
                && nextRuns.stream().allMatch(m -> m.containsKey(r.key()))).toList();
        Row first = rows.get(0);
        Better better = Result.better(first.metric());
        boolean speed = Result.isSpeed(first.metric());
        long seed = Bootstrap.seed("compare group " + group);
        Cell absolute;
        if (everywhere.isEmpty()) {
            absolute = Cell.notJudged(Double.NaN, "no configuration in every run", better, speed);
        } else {
            List<double[]> b = new ArrayList<>(), n = new ArrayList<>();
            for (Map<String, Result> m : baseRuns) b.add(new double[] {meanLevel(m, everywhere)});
            for (Map<String, Result> m : nextRuns) n.add(new double[] {meanLevel(m, everywhere)});
            if (baseRuns.size() >= MIN_RUNS_FOR_ABSOLUTE && nextRuns.size() >= MIN_RUNS_FOR_ABSOLUTE) {
                RatioInterval ri = Bootstrap.ratio(b, n, seed);
                absolute = new Cell(ri, Verdict.judge(ri, threshold, better), "", better, speed);
            } else {
                absolute = Cell.notJudged(Bootstrap.ratio(b, n, seed).ratio(), "not judged: drift", better, speed);
            }
        }
        List<Row> withCp = everywhere.stream().filter(r -> r.vsCp() != null && r.vsCp().ratio().n() > 0).toList();
        Cell vsCp = null;
        if (!withCp.isEmpty()) {
            String cpMetric = lessStart ? Result.TIME_LESS_START : Result.TIME;
            List<double[]> b = groupCpLogs(baseData, baseRuns, withCp, cpMetric, threshold);
            List<double[]> n = groupCpLogs(nextData, nextRuns, withCp, cpMetric, threshold);
            if (b.size() == baseRuns.size() && n.size() == nextRuns.size()) {
                vsCp = ratioCell(b, n, Bootstrap.seed("compare group vs cp " + group), threshold, Better.LOWER, true);
            }
        }
        return new GroupRow(group, everywhere.size(), absolute, withCp.size(), vsCp);
    }

    private static double meanLevel(Map<String, Result> run, List<Row> rows) {
        double s = 0;
        for (Row r : rows) s += Arrays.stream(levelLogs(run.get(r.key()), r.metric())).average().orElseThrow();
        return s / rows.size();
    }

    /** Per run, per round in which every configuration was paired with its cp -r, the mean of their log ratios. */
    private static List<double[]> groupCpLogs(List<RunData> data, List<Map<String, Result>> runs, List<Row> rows,
                                              String cpMetric, double threshold) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            Map<Integer, double[]> sums = new TreeMap<>(); // round -> {sum, count}
            for (Row r : rows) {
                PairedComparison pc = vsCp(data.get(i), runs.get(i).get(r.key()), cpMetric, threshold);
                if (pc == null) continue;
                double[] logs = pc.logRatios();
                for (int j = 0; j < logs.length; j++) {
                    double[] s = sums.computeIfAbsent(pc.rounds()[j], x -> new double[2]);
                    s[0] += logs[j];
                    s[1]++;
                }
            }
            double[] means = sums.values().stream().filter(s -> s[1] == rows.size()).mapToDouble(s -> s[0] / s[1])
                    .toArray();
            if (means.length > 0) out.add(means);
        }
        return out;
    }

    /**
     * The report's comparisons against a fixed baseline (flag on vs off, mode vs single, cold vs warm), in every run
     * of both sides, new against base.
     */
    private static List<WithinRow> within(Side base, Side next, double threshold,
                                          Map<String, Set<String>> varying) {
        Map<String, Pairing> b = pairings(base), n = pairings(next);
        List<WithinRow> out = new ArrayList<>();
        for (var e : b.entrySet()) {
            Pairing pn = n.get(e.getKey());
            if (pn == null) continue;
            Pairing pb = e.getValue();
            long seed = Bootstrap.seed("compare within " + e.getKey());
            Cell change = ratioCell(pb.logs(), pn.logs(), seed, threshold, pb.better(), pb.speed());
            out.add(new WithinRow(pb.x().group(), pairLabel(pb.def(), pb.x(), pb.y(), varying),
                    Bootstrap.geometricMean(pb.logs(), seed),
                    Bootstrap.geometricMean(pn.logs(), seed), change));
        }
        out.sort(Comparator.comparing(WithinRow::group).thenComparing(WithinRow::label));
        return out;
    }

    /** One within-run comparison on one side: per run, its per-round log ratios. */
    private record Pairing(FigureDef def, Result x, Result y, Better better, boolean speed, List<double[]> logs) {}

    private static Map<String, Pairing> pairings(Side side) {
        Map<String, Pairing> out = new LinkedHashMap<>();
        for (Analysis a : side.analyses()) {
            for (FigureBuilder.Section s : a.figures) {
                FigureDef.Baseline bl = s.def().baseline();
                if (bl == null || bl.value() == null) continue;
                for (Figure f : s.figures()) {
                    for (Figure.Point p : f.points()) {
                        Comparison c = p.vsBaseline();
                        if (c == null || !c.inRounds()) continue;
                        String k = s.def().key() + "|" + key(c.x()) + "|" + key(c.y()) + "|" + c.metric();
                        Pairing pr = out.computeIfAbsent(k, x -> new Pairing(s.def(), c.x(), c.y(),
                                Result.better(c.metric()), Result.isSpeed(c.metric()), new ArrayList<>()));
                        pr.logs().add(c.paired().logRatios());
                    }
                }
            }
        }
        return out;
    }

    /** "fallocate off/on per engine: engine=io_uring direct=true, fallocate=true vs false" */
    private static String pairLabel(FigureDef def, Result rx, Result ry, Map<String, Set<String>> varying) {
        Map<String, String> x = rx.params(), y = ry.params();
        Set<String> shown = varying.getOrDefault(rx.group(), Set.of());
        List<String> same = new ArrayList<>(), diff = new ArrayList<>();
        for (String k : ordered(x)) {
            String xv = x.get(k), yv = y.get(k);
            if (xv.equals(yv)) {
                if (shown.contains(k)) same.add(param(k, xv, x, shown));
            } else {
                diff.add(k + "=" + xv + " vs " + (yv == null ? "unset" : yv));
            }
        }
        same.removeIf(String::isEmpty);
        return def.what() + ": " + (same.isEmpty() ? "" : String.join(" ", same) + ", ") + String.join(", ", diff);
    }

    /** "5%" */
    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.3g%%", 100 * fraction).replaceAll("\\.?0+%$", "%");
    }
}
