package org.aiobench.analysis.comparison;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.aiobench.analysis.report.Analysis;
import org.aiobench.analysis.run.BadInputException;
import org.aiobench.analysis.run.Result;
import org.aiobench.analysis.run.RunData;
import org.aiobench.analysis.stats.CrossRun;
import org.aiobench.analysis.stats.RatioCell;
import org.aiobench.analysis.stats.RatioInterval;
import org.aiobench.analysis.stats.Stats;
import org.aiobench.analysis.stats.Verdict;
import org.aiobench.analysis.stats.VerdictCounts;
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


    /** One side's numbers of one configuration: all its samples pooled, and how many runs and rounds gave them. */
    record SideStats(Stats stats, int runs, int rounds) {}

    /**
     * One configuration both sides measured.
     *
     * @param example   the configuration as one of the runs recorded it (group, params)
     * @param baseVsCp  the base side's ratio to cp -r with its interval, or null
     * @param vsCp      null for cp -r itself and where no cp -r reference was measured
     */
    public record Row(String key, Result example, String metric, SideStats base, SideStats next, RatioCell absolute,
               RatioCell vsAll, RatioInterval baseVsCp, RatioInterval nextVsCp, RatioCell vsCp) {
        String group() {
            return example.group();
        }

        public List<RatioCell> cells() {
            List<RatioCell> out = new ArrayList<>();
            out.add(absolute);
            if (vsAll != null) out.add(vsAll);
            if (vsCp != null) out.add(vsCp);
            return out;
        }

        /** What a cell of this row compares: "absolute", "vs all", "vs cp -r". */
        public String what(RatioCell c) {
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
    record GroupRow(String group, int configs, RatioCell absolute, int cpConfigs, RatioCell vsCp) {}

    /** A comparison within the runs (X against a fixed baseline Y, e.g. fallocate on vs off), new against base. */
    record WithinRow(String group, String label, RatioInterval base, RatioInterval next, RatioCell change) {}


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

    /** A row's configuration among the compared ones: the parameters that tell its group's configurations apart. */
    String label(Row r) {
        return ConfigLabel.distinguishing(r.group(), r.example().params(), varying);
    }

    /** Both sides have two runs or more: the runs give their own run-level variance. */
    boolean replicated() {
        return base.runs().size() >= 2 && next.runs().size() >= 2;
    }

    public List<Row> rows() {
        return groups.values().stream().flatMap(List::stream).toList();
    }

    public VerdictCounts absoluteCounts() {
        return VerdictCounts.of(rows().stream().map(Row::absolute).toList());
    }

    public VerdictCounts vsCpCounts() {
        return VerdictCounts.of(rows().stream().map(Row::vsCp).filter(c -> c != null).toList());
    }

    VerdictCounts vsAllCounts() {
        return VerdictCounts.of(rows().stream().map(Row::vsAll).filter(c -> c != null).toList());
    }

    VerdictCounts withinCounts() {
        return VerdictCounts.of(within.stream().map(WithinRow::change).toList());
    }

    VerdictCounts groupCounts() {
        List<RatioCell> cells = new ArrayList<>();
        for (GroupRow g : groupRows) {
            cells.add(g.absolute());
            if (g.vsCp() != null) cells.add(g.vsCp());
        }
        return VerdictCounts.of(cells);
    }

    /** Every configuration or group cell listed slower, the largest slowdown first: the gating ones first. */
    List<Map.Entry<String, RatioCell>> regressions() {
        List<Map.Entry<String, RatioCell>> out = new ArrayList<>();
        for (Row r : rows()) {
            String what = r.group() + "\t" + label(r);
            for (RatioCell c : r.cells()) if (c.verdict() == Verdict.SLOWER) out.add(Map.entry(what + "\t" + r.what(c), c));
        }
        for (GroupRow g : groupRows) {
            String what = g.group() + "\t(group: geometric mean)";
            if (g.absolute().verdict() == Verdict.SLOWER) out.add(Map.entry(what + "\tabsolute", g.absolute()));
            if (g.vsCp() != null && g.vsCp().verdict() == Verdict.SLOWER) out.add(Map.entry(what + "\tvs cp -r",
                    g.vsCp()));
        }
        out.sort(Comparator.comparing((Map.Entry<String, RatioCell> e) -> !e.getValue().gates())
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
        Map<String, Result> baseAll = CellInputs.union(baseRuns), nextAll = CellInputs.union(nextRuns);
        List<String> common = baseAll.keySet().stream().filter(nextAll::containsKey)
                .filter(k -> baseAll.get(k).primaryMetric() != null
                        && baseAll.get(k).primaryMetric().equals(nextAll.get(k).primaryMetric())).toList();
        if (common.isEmpty()) {
            throw new BadInputException(next.runs().get(0).dir, "no configuration in common with "
                    + base.runs().get(0).dir + " (base: " + baseAll.size() + " configuration(s), new: "
                    + nextAll.size() + "): nothing to compare");
        }
        Map<String, Set<String>> varying = Result.varying(CellInputs.concat(baseAll.values(), nextAll.values()));
        List<String> onlyBase = baseAll.keySet().stream().filter(k -> !nextAll.containsKey(k))
                .map(k -> baseAll.get(k).group() + " " + ConfigLabel.distinguishing(baseAll.get(k).group(),
                        baseAll.get(k).params(), varying)).toList();
        List<String> onlyNew = nextAll.keySet().stream().filter(k -> !baseAll.containsKey(k))
                .map(k -> nextAll.get(k).group() + " " + ConfigLabel.distinguishing(nextAll.get(k).group(),
                        nextAll.get(k).params(), varying)).toList();
        // whether every cp -r involved records its start cost: then ratios to cp -r use cp less it, on both sides
        boolean lessStart = RunData.cpLessStart(base.runs()) && RunData.cpLessStart(next.runs());
        String cpMetric = lessStart ? Result.TIME_LESS_START : Result.TIME;
        CellInputs b = new CellInputs(base, next, baseRuns, nextRuns, cpMetric, calibration);
        for (String k : common) b.config(k);
        Map<String, List<String>> byGroup = new TreeMap<>();
        for (String k : common) byGroup.computeIfAbsent(baseAll.get(k).group(), g -> new ArrayList<>()).add(k);
        byGroup.forEach(b::group);
        b.within(varying);

        CrossRun.Output out = CrossRun.judge(b.inputs, threshold);
        Map<String, List<Row>> groups = new TreeMap<>();
        for (CellInputs.Pending p : b.rows) {
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
}
