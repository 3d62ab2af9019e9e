package org.aiobench.analysis.figures;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.aiobench.analysis.run.Comparison;
import org.aiobench.analysis.run.Result;
import org.aiobench.analysis.run.RunData;
import org.aiobench.analysis.run.Unit;
import org.aiobench.analysis.stats.Stats;
import org.aiobench.vocabulary.Vocabulary;

/**
 * The io_uring thesis' figures in its own form (groups coop, thinktime, async, asyncwrite, regfiles, sqpoll,
 * pingpong, stall, with fio's runs from thesisfio dashed beside ours where fio could run the job): IOPS and p99 over
 * iodepth per ring flag, bars per placement, think time (categorical over 0 and powers of two: a log axis), the time
 * per round trip and the time until a completion is visible per flag. Every point is the mean of its configuration's
 * job runs with ± 2 SD; each is compared, paired by round, with the same configuration under the default ring
 * (the figure's baseline series) and with fio's run of it.
 */
public final class ThesisFigures {
    /** The groups, in report order, and fio's. */
    static final List<String> GROUPS = List.of("coop", "thinktime", "async", "asyncwrite", "regfiles", "sqpoll",
            "pingpong", "stall");
    static final String FIO_GROUP = "thesisfio";

    /**
     * One kind of figure: a group's metric with {@code x} on the axis and one series per {@code series} value;
     * every other parameter that varies makes one figure each. {@code baseline}: the series the others are compared
     * with (vs column).
     */
    record Kind(String key, String section, String what, String group, String x, String series, String metric,
                FigureDef.Kind kind, String baseline, Map<String, String> filter) {
        Kind(String key, String section, String what, String group, String x, String series, String metric,
             FigureDef.Kind kind, String baseline) {
            this(key, section, what, group, x, series, metric, kind, baseline, Map.of());
        }

        boolean takes(Result r) {
            return filter.entrySet().stream().allMatch(e -> e.getValue().equals(r.param(e.getKey())));
        }
    }

    static final List<Kind> KINDS = List.of(
            new Kind("coop-iops", "4.1", "COOP_TASKRUN: IOPS over iodepth", "coop", "iodepth", "ringFlags",
                    Result.OPS, FigureDef.Kind.LINES, "none", Map.of("hogs", "0")),
            new Kind("coop-p99", "4.1", "COOP_TASKRUN: p99 latency over iodepth", "coop", "iodepth", "ringFlags",
                    "latP99Us", FigureDef.Kind.LINES, "none", Map.of("hogs", "0")),
            new Kind("coop-placement", "4.1 (fig. 4.17)", "COOP_TASKRUN: IOPS per placement", "coop", "placement",
                    "ringFlags", Result.OPS, FigureDef.Kind.BARS, "none", Map.of("hogs", "0")),
            new Kind("coop-hogs", "4.1 (exp 04, 07)", "COOP_TASKRUN beside pinned CPU hogs: IOPS", "coop", "hogs",
                    "ringFlags", Result.OPS, FigureDef.Kind.BARS, "none", Map.of("placement", "other")),
            new Kind("thinktime-iops", "4.1.6, 4.4", "Think time: IOPS over thinkcycles", "thinktime", "thinkcycles",
                    "ringFlags", Result.OPS, FigureDef.Kind.LINES, "none"),
            new Kind("thinktime-lat", "4.1.6, 4.4", "Think time: mean latency over thinkcycles", "thinktime",
                    "thinkcycles", "ringFlags", "latMeanUs", FigureDef.Kind.LINES, "none"),
            new Kind("async-iops", "4.2", "IOSQE_ASYNC: IOPS pinned and unpinned", "async", "placement", "ringFlags",
                    Result.OPS, FigureDef.Kind.BARS, "none"),
            new Kind("async-workers", "4.2", "IOSQE_ASYNC: io-wq workers the kernel created", "async", "placement",
                    "ringFlags", "ioWqWorkers", FigureDef.Kind.BARS, "none"),
            new Kind("asyncwrite-iops", "4.2", "IOSQE_ASYNC: 512 B random writes by 2 jobs on one file", "asyncwrite",
                    "iodepth", "ringFlags", Result.OPS, FigureDef.Kind.BARS, "none"),
            new Kind("asyncwrite-workers", "4.2", "IOSQE_ASYNC, 2 jobs writing one file: io-wq workers the kernel"
                    + " created", "asyncwrite", "iodepth", "ringFlags", "ioWqWorkers", FigureDef.Kind.BARS, "none"),
            new Kind("regfiles-iops", "4.3", "Registered files: IOPS over iodepth", "regfiles", "iodepth", "regfiles",
                    Result.OPS, FigureDef.Kind.LINES, "false"),
            new Kind("sqpoll-iops", "4.4", "SQPOLL (1 job) vs 2 interrupt-driven jobs: IOPS over iodepth", "sqpoll",
                    "iodepth", "ringFlags", Result.OPS, FigureDef.Kind.LINES, "none"),
            new Kind("sqpoll-lat", "4.4", "SQPOLL (1 job) vs 2 interrupt-driven jobs: mean latency over iodepth",
                    "sqpoll", "iodepth", "ringFlags", "latMeanUs", FigureDef.Kind.LINES, "none"),
            new Kind("sqpoll-p99", "4.4", "SQPOLL (1 job) vs 2 interrupt-driven jobs: p99 latency over iodepth",
                    "sqpoll", "iodepth", "ringFlags", "latP99Us", FigureDef.Kind.LINES, "none"),
            new Kind("sqpoll-cpu", "4.4", "SQPOLL (1 job) vs 2 interrupt-driven jobs: CPU time per I/O (job threads"
                    + " and SQ thread)", "sqpoll", "iodepth", "ringFlags", "cpuPerIoUs", FigureDef.Kind.LINES, "none"),
            new Kind("pingpong", "4.1.10 (fig. 4.20)", "Completion on another thread: time per round trip",
                    "pingpong", "iodepth", "ringFlags", "latMeanUs", FigureDef.Kind.BARS, "none"),
            new Kind("stall", "4.1.10 (fig. 4.22)", "Submitter spinning in user space: time until the completion is"
                    + " visible", "stall", "ringFlags", "placement", "latMeanUs", FigureDef.Kind.BARS, null));

    private final RunData run;

    public ThesisFigures(RunData run) {
        this.run = run;
    }

    public static boolean present(RunData run) {
        return GROUPS.stream().anyMatch(run.groups::containsKey);
    }

    /** The thesis' groups of the run (fio's included): {@link org.aiobench.analysis.report.ThesisSection}'s tables show every configuration. */
    public static List<String> shownGroups(RunData run) {
        List<String> out = new ArrayList<>();
        for (String g : GROUPS) if (run.groups.containsKey(g)) out.add(g);
        if (run.groups.containsKey(FIO_GROUP)) out.add(FIO_GROUP);
        return out;
    }

    /** Every figure of the run, in report order; kinds without results give none. */
    public List<Figure> build() {
        List<Figure> out = new ArrayList<>();
        for (Kind k : KINDS) {
            List<Result> java = run.group(k.group()).stream().filter(r -> r.samples().containsKey(k.metric()))
                    .filter(k::takes).toList();
            if (java.isEmpty()) continue;
            List<Result> fio = run.group(FIO_GROUP).stream().filter(r -> r.samples().containsKey(k.metric()))
                    .filter(f -> java.stream().anyMatch(j -> j.params().equals(f.params()))).toList();
            out.addAll(figures(k, java, fio));
        }
        return out;
    }

    private List<Figure> figures(Kind k, List<Result> java, List<Result> fio) {
        List<Result> all = new ArrayList<>(java);
        all.addAll(fio);
        // the facets: every parameter that varies, but the axes and what follows the series
        TreeSet<String> varying = new TreeSet<>();
        for (Result r : all) {
            for (String p : r.params().keySet()) {
                if (all.stream().map(x -> x.param(p)).distinct().count() > 1) varying.add(p);
            }
        }
        varying.remove(k.x());
        varying.remove(k.series());
        // a parameter that follows the series (SQPOLL's placement split and its 1 job) is no facet of its own
        varying.removeIf(p -> all.stream().collect(Collectors.groupingBy(r -> r.param(k.series()),
                Collectors.mapping(r -> String.valueOf(r.param(p)), Collectors.toSet()))).values().stream()
                .allMatch(v -> v.size() == 1));
        Map<String, List<Result>> byFacet = new TreeMap<>();
        Map<String, Map<String, String>> facetOf = new LinkedHashMap<>();
        for (Result r : all) {
            Map<String, String> facet = new TreeMap<>();
            for (String p : varying) facet.put(p, r.param(p));
            String key = facet.toString();
            byFacet.computeIfAbsent(key, x -> new ArrayList<>()).add(r);
            facetOf.put(key, facet);
        }
        List<Figure> out = new ArrayList<>();
        byFacet.forEach((key, rs) -> {
            Figure f = figure(k, facetOf.get(key), rs);
            if (f != null) out.add(f);
        });
        return out;
    }

    private Figure figure(Kind k, Map<String, String> facet, List<Result> rs) {
        FigureDef def = new FigureDef("thesis-" + k.key(), k.section(), k.what(), k.group(), k.x(), k.series(),
                k.metric(), k.kind(), List.copyOf(facet.keySet()), Map.of(), Map.of(), FigureDef.Cp.FIO, Map.of(), 1,
                Map.of(), k.baseline() == null ? null : FigureDef.Baseline.series(k.baseline()));
        Comparator<String> byNumber = (a, b) -> {
            // the default ring first where the axis is the ring flags
            if (a.equals("none") != b.equals("none")) return a.equals("none") ? -1 : 1;
            try {
                return Double.compare(Double.parseDouble(a), Double.parseDouble(b));
            } catch (NumberFormatException e) {
                return a.compareTo(b);
            }
        };
        TreeSet<String> categories = new TreeSet<>(byNumber);
        TreeSet<String> series = new TreeSet<>(Comparator.comparing((String s) -> s.startsWith(RandomIoFigures.FIO_SERIES)
                ? s.substring(RandomIoFigures.FIO_SERIES.length()) : s, baselineFirst(k.baseline()))
                .thenComparing(s -> s.startsWith(RandomIoFigures.FIO_SERIES)));
        List<Figure.Point> points = new ArrayList<>();
        for (Result r : rs) {
            boolean isFio = r.group().equals(FIO_GROUP);
            String s = (isFio ? RandomIoFigures.FIO_SERIES : "") + r.param(k.series());
            Result ours = isFio ? null : r;
            Result base = isFio || k.baseline() == null ? null : rs.stream()
                    .filter(x -> !x.group().equals(FIO_GROUP) && x.param(k.x()).equals(r.param(k.x()))
                            && k.baseline().equals(x.param(k.series())) && x != ours).findFirst().orElse(null);
            Result fioTwin = isFio ? null : rs.stream().filter(x -> x.group().equals(FIO_GROUP)
                    && x.params().equals(r.params())).findFirst().orElse(null);
            Comparison vsBase = base == null ? null : Comparison.of(r, base, k.metric());
            Comparison vsFio = fioTwin == null ? null : Comparison.of(r, fioTwin, k.metric());
            points.add(new Figure.Point(r.param(k.x()), s, r, Stats.of(r.samples().get(k.metric())), vsFio, vsBase,
                    base == null && k.baseline() != null && k.baseline().equals(r.param(k.series()))));
            categories.add(r.param(k.x()));
            series.add(s);
        }
        if (points.isEmpty()) return null;
        Map<String, String> fixed = Figure.sortAndFix(points, categories.comparator(), series.comparator());
        List<String> notes = new ArrayList<>(notes(k));
        String skipped = run.skipped.stream().filter(s -> s.matches(k.group(), facet)).map(s -> s.reason())
                .filter(Objects::nonNull).distinct().collect(Collectors.joining("; "));
        if (!skipped.isEmpty()) notes.add("skipped configurations of this figure: " + skipped);
        double largest = points.stream().mapToDouble(p -> p.stats().mean()).max().orElse(0);
        String id = def.key() + facet.entrySet().stream().map(e -> "-" + Vocabulary.token(e.getKey(), e.getValue()))
                .collect(Collectors.joining());
        String title = k.what() + (facet.isEmpty() ? "" : ", " + facet.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
        return new Figure(def, id, title, facet, List.copyOf(categories), List.copyOf(series), fixed, points, null,
                List.of(), notes, Unit.forMetric(k.metric(), largest));
    }

    private static Comparator<String> baselineFirst(String baseline) {
        return Comparator.comparing((String s) -> !s.equals(baseline)).thenComparing(Comparator.naturalOrder());
    }

    /** What each figure must say beside its numbers. */
    private static List<String> notes(Kind k) {
        return switch (k.group()) {
            case "coop" -> List.of("placement irq: the jobs on the CPU that takes the scratch device's queue interrupts;"
                    + " other: on a CPU that takes none (env.json irqCpus). fio cannot run these rings: fio 3.33+ sets"
                    + " coop_taskrun,single_issuer,defer_taskrun on every io_uring ring.");
            case "thinktime" -> List.of("thinkcycles: iterations of a busy loop (a few cycles each) between reaping and"
                    + " resubmitting; x is categorical over 0 and powers of two (a log axis). sqpoll: the job on the"
                    + " CPU without the interrupts, the SQ thread on the other. fio needs 3.37 for thinkcycles.");
            case "sqpoll" -> List.of("none: 2 interrupt-driven jobs on both CPUs (twice the I/Os in flight); sqpoll: 1"
                    + " job with the SQ thread on the other CPU; fio's SQPOLL run dashed beside it.");
            case "pingpong" -> List.of("one round trip: a read on ring 1 by thread A, reaped by thread B, answered with a"
                    + " read on ring 2, reaped by A. fio has no such job.");
            case "stall" -> List.of("the submitter spins in user space after submitting one read; a trial that reaches"
                    + " the 20 ms timeout counts as 20 ms (stallTimeouts in the table of samples). fio has no such job.");
            case "async", "asyncwrite" -> List.of("ioWqWorkers (io-wq threads alive at the end of the window) and"
                    + " helperCpuSec are in samples.jsonl. fio cannot run the thesis' default ring (see coop).");
            default -> List.of();
        };
    }
}
