package org.aiobench.analysis.figures;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.DoubleStream;
import java.util.stream.Stream;
import org.aiobench.analysis.run.Comparison;
import org.aiobench.analysis.run.Failure;
import org.aiobench.analysis.run.Result;
import org.aiobench.analysis.run.RunData;
import org.aiobench.analysis.run.Skipped;
import org.aiobench.analysis.run.Unit;
import org.aiobench.analysis.stats.Stats;
import org.aiobench.vocabulary.Vocabulary;

/** Turns a run's results into the study's figures, and says which figures the run cannot give and why. */
public final class FigureBuilder {

    /** The figures of one {@link FigureDef}, and one line per figure or part the run has no data for. */
    public record Section(FigureDef def, List<Figure> figures, List<String> leftOut) {}

    private final RunData run;

    public FigureBuilder(RunData run) {
        this.run = run;
    }

    public List<Section> build() {
        List<Section> out = new ArrayList<>();
        for (FigureDef def : FigureDef.ALL) out.add(build(def));
        return out;
    }

    public Section build(FigureDef def) {
        List<Figure> figures = new ArrayList<>();
        List<String> leftOut = new ArrayList<>();
        String name = sectionName(def, Map.of());
        if (!run.groups.containsKey(def.group())) {
            leftOut.add(name + ": left out, group `" + def.group() + "` " + notRun(def.group())
                    + whySuffix(def.group(), Map.of()) + ".");
            return new Section(def, figures, leftOut);
        }
        List<Result> rs = run.group(def.group()).stream()
                .filter(r -> r.samples().containsKey(def.metric()))
                .filter(r -> def.filter().entrySet().stream().allMatch(e -> e.getValue().equals(r.param(e.getKey()))))
                .filter(r -> r.param(def.categoryParam()) != null && r.param(def.seriesParam()) != null)
                .toList();
        if (run.group(def.group()).isEmpty()) {
            leftOut.add(name + ": left out, group `" + def.group() + "` produced no results"
                    + whySuffix(def.group(), Map.of()) + ".");
            return new Section(def, figures, leftOut);
        }
        if (rs.isEmpty()) {
            leftOut.add(name + ": left out, group `" + def.group() + "` has no result with metric `" + def.metric()
                    + "`" + (def.filter().isEmpty() ? "" : " and " + def.filter()) + ".");
            return new Section(def, figures, leftOut);
        }
        Set<String> seriesSeen = rs.stream().map(r -> r.param(def.seriesParam())).collect(Collectors.toSet());
        if (seriesSeen.size() < def.minSeries()) {
            String missing = def.expected().getOrDefault(def.seriesParam(), List.of()).stream()
                    .filter(v -> !seriesSeen.contains(v))
                    .map(v -> Vocabulary.label(def.seriesParam(), v) + whySuffix(def.group(),
                            Map.of(def.seriesParam(), v)))
                    .collect(Collectors.joining(", "));
            leftOut.add(name + ": left out, the run measured only " + seriesSeen.stream()
                    .map(v -> Vocabulary.label(def.seriesParam(), v)).sorted().collect(Collectors.joining(", "))
                    + (missing.isEmpty() ? "" : ", not " + missing) + ".");
            return new Section(def, figures, leftOut);
        }

        List<String> facetKeys = facetKeys(def, rs);
        for (var e : def.expectedFacets().entrySet()) {
            if (!facetKeys.contains(e.getKey())) continue;
            for (String v : e.getValue()) {
                if (rs.stream().noneMatch(r -> v.equals(r.param(e.getKey())))) {
                    Map<String, String> at = Map.of(e.getKey(), v);
                    leftOut.add(sectionName(def, at) + ", " + Vocabulary.label(e.getKey(), v)
                            + ": left out, not in this run" + whySuffix(def.group(), at) + ".");
                }
            }
        }

        Comparator<Map<String, String>> facetOrder = (a, b) -> {
            for (String k : facetKeys) {
                int c = Vocabulary.order(k).compare(a.getOrDefault(k, ""), b.getOrDefault(k, ""));
                if (c != 0) return c;
            }
            return 0;
        };
        Map<Map<String, String>, List<Result>> byFacet = new TreeMap<>(facetOrder);
        for (Result r : rs) {
            Map<String, String> f = new LinkedHashMap<>();
            for (String k : facetKeys) if (r.param(k) != null) f.put(k, r.param(k));
            byFacet.computeIfAbsent(f, k -> new ArrayList<>()).add(r);
        }
        byFacet.forEach((facet, results) -> {
            Set<String> series = results.stream().map(r -> r.param(def.seriesParam())).collect(Collectors.toSet());
            if (series.size() >= def.minSeries()) {
                figures.add(figure(def, facet, results));
            } else {
                leftOut.add(sectionName(def, facet) + facet.entrySet().stream()
                        .map(e -> ", " + Vocabulary.label(e.getKey(), e.getValue())).collect(Collectors.joining())
                        + ": left out, only " + series.stream().map(v -> Vocabulary.label(def.seriesParam(), v))
                        .collect(Collectors.joining(", ")) + " measured, nothing to compare.");
            }
        });
        leftOut.sort(Comparator.naturalOrder());
        return new Section(def, figures, leftOut);
    }

    /**
     * The definition's facets, plus any parameter that still tells two configurations of one bar apart (e.g. two
     * buffer sizes in one group). A parameter that only follows a facet or an axis (files with fileSize) stays out.
     */
    private static List<String> facetKeys(FigureDef def, List<Result> rs) {
        Set<String> present = new TreeSet<>();
        rs.forEach(r -> present.addAll(r.params().keySet()));
        List<String> keys = new ArrayList<>();
        for (String k : def.facetParams()) {
            if (present.contains(k) && !k.equals(def.categoryParam()) && !k.equals(def.seriesParam())) keys.add(k);
        }
        while (true) {
            Map<List<String>, Result> firstInCell = new HashMap<>();
            TreeSet<String> differing = new TreeSet<>();
            for (Result r : rs) {
                List<String> cell = new ArrayList<>();
                for (String k : keys) cell.add(r.param(k));
                cell.add(category(def, r));
                cell.add(r.param(def.seriesParam()));
                Result other = firstInCell.putIfAbsent(cell, r);
                if (other == null) continue;
                for (String k : present) if (!Objects.equals(r.param(k), other.param(k))) differing.add(k);
            }
            if (differing.isEmpty()) return keys;
            keys.add(differing.first());
        }
    }

    private Figure figure(FigureDef def, Map<String, String> facet, List<Result> results) {
        String cat = def.categoryParam(), ser = def.seriesParam();
        List<String> notes = new ArrayList<>();
        List<Figure.Gap> gaps = new ArrayList<>();
        Map<String, String> fixed = constantParams(results);

        // Same configuration twice (a group run again into the same file, before rounds): its samples pool.
        Map<List<String>, Result> cells = new LinkedHashMap<>();
        for (Result r : results) cells.merge(List.of(category(def, r), r.param(ser)), r, FigureBuilder::pool);
        TreeSet<String> categories = new TreeSet<>(categoryOrder(cat));
        TreeSet<String> series = new TreeSet<>(Vocabulary.order(ser));
        List<Figure.Point> points = new ArrayList<>();
        for (Result r : cells.values()) {
            categories.add(category(def, r));
            series.add(r.param(ser));
            Result cp = run.cpFor(r.params(), def.metric());
            points.add(new Figure.Point(category(def, r), r.param(ser), r, Stats.of(r.samples().get(def.metric())),
                    cp == null ? null : Comparison.of(r, cp, def.metric()), null, false));
        }

        Figure.Point cpLine = null;
        if (def.cp() == FigureDef.Cp.LINE) {
            Result cp = run.cpFor(fixed, def.metric());
            if (cp != null) cpLine = new Figure.Point("", Vocabulary.CP, cp, Stats.of(cp.samples().get(def.metric())),
                    null, null, false);
        } else if (def.cp() == FigureDef.Cp.ENGINE && (cat.equals("engine") || ser.equals("engine"))) {
            boolean onCategory = cat.equals("engine");
            for (String other : List.copyOf(onCategory ? series : categories)) {
                Map<String, String> ctx = new LinkedHashMap<>(fixed);
                ctx.put(onCategory ? ser : cat, other);
                Result cp = run.cpFor(ctx, def.metric());
                if (cp == null) continue;
                points.add(new Figure.Point(onCategory ? Vocabulary.CP : other, onCategory ? other : Vocabulary.CP,
                        cp, Stats.of(cp.samples().get(def.metric())), null, null, false));
                (onCategory ? categories : series).add(Vocabulary.CP);
                addPeers(def, ctx, onCategory, other, cp, points, onCategory ? categories : series, gaps, notes);
            }
        }
        if (def.baseline() != null) points = withBaselines(def, points.stream().filter(p -> !p.result().isPeer()
                && !p.result().isCp()).toList(), points);
        points.sort(Comparator.comparing(Figure.Point::category, categoryOrder(cat))
                .thenComparing(Figure.Point::series, Vocabulary.order(ser)));

        Map<String, String> around = new LinkedHashMap<>(fixed);
        around.remove(cat);
        around.remove(ser);
        for (String axis : List.of(cat, ser)) {
            TreeSet<String> present = axis.equals(cat) ? categories : series;
            // the values the study expects, and those this run skipped (e.g. a ring flag the kernel rejects)
            TreeSet<String> wanted = new TreeSet<>(Vocabulary.order(axis));
            wanted.addAll(def.expected().getOrDefault(axis, List.of()));
            run.skipped.stream().filter(k -> k.matches(def.group(), around) && k.params().containsKey(axis))
                    .forEach(k -> wanted.add(k.params().get(axis)));
            run.failures.stream().filter(k -> k.matches(def.group(), around) && k.params().containsKey(axis))
                    .forEach(k -> wanted.add(k.params().get(axis)));
            for (String v : wanted) {
                if (present.contains(v)) continue;
                Map<String, String> at = new LinkedHashMap<>(fixed);
                at.put(axis, v);
                String why = whyMissing(def.group(), at);
                notes.add(Vocabulary.label(axis, v) + ": " + (why.isEmpty() ? "not in this run" : why) + ".");
            }
        }
        if (def.cp() != FigureDef.Cp.RATIO_ONLY && cpLine == null && !categories.contains(Vocabulary.CP)
                && !series.contains(Vocabulary.CP)) {
            notes.add(Vocabulary.CP_LABEL + ": no matching reference in this run (group `cp`"
                    + (run.groups.containsKey("cp") ? "" : " was not run") + ").");
        }
        boolean hasCp = cpLine != null || categories.contains(Vocabulary.CP) || series.contains(Vocabulary.CP);
        boolean hasPeers = points.stream().anyMatch(p -> p.result().isPeer());
        if (hasCp && def.metric().equals("peakRssBytes")) {
            notes.add(Vocabulary.CP_LABEL + "'s peak RSS is that of the whole cp process" + (hasPeers ? ", and each peer's of its own"
                    : "") + "; the engines' is the growth of the benchmark JVM's RSS during the copy.");
        }
        boolean cpLessStart = cpLine != null ? cpLine.result().samples().containsKey(Result.TIME_LESS_START)
                : points.stream().anyMatch(p -> p.vsCp() != null && p.vsCp().yMetric().equals(Result.TIME_LESS_START));
        if (cpLessStart && def.metric().equals(Result.TIME)) {
            notes.add(Vocabulary.CP_LABEL + " is drawn as measured, its start (fork and exec) included; the vs " + Vocabulary.CP_LABEL + " ratios use its time"
                    + " less that start cost" + (hasPeers ? ", and a peer's ratio its own time less its start cost too"
                    : "") + ".");
        }
        if (hasCp && "true".equals(fixed.get("direct"))) {
            notes.add(Vocabulary.CP_LABEL + " has no O_DIRECT setting: its numbers are the same buffered copy in both I/O settings.");
        }
        for (String c : categories) {
            for (String s : series) {
                if (c.equals(Vocabulary.CP) || s.equals(Vocabulary.CP) || isPeer(c) || isPeer(s)) continue;
                if (cells.containsKey(List.of(c, s))) continue;
                Map<String, String> at = new LinkedHashMap<>(fixed);
                at.put(cat, c);
                at.put(ser, s);
                String why = whyMissing(def.group(), at);
                gaps.add(new Figure.Gap(c, s, why.isEmpty() ? "not run" : why.startsWith(FAILED) ? "failed" : "skipped"));
                notes.add(Vocabulary.label(ser, s) + ", " + Vocabulary.label(cat, c) + ": "
                        + (why.isEmpty() ? "not in this run" : why) + ".");
            }
        }

        double largest = DoubleStream.concat(points.stream().mapToDouble(p -> p.stats().mean()),
                cpLine == null ? DoubleStream.empty() : DoubleStream.of(cpLine.stats().mean())).max().orElse(0);
        String id = def.key() + facet.entrySet().stream().map(e -> "-" + Vocabulary.token(e.getKey(), e.getValue()))
                .collect(Collectors.joining());
        String title = sectionName(def, facet) + facet.entrySet().stream()
                .map(e -> ", " + Vocabulary.label(e.getKey(), e.getValue())).collect(Collectors.joining());
        return new Figure(def, id, title, facet, List.copyOf(categories), List.copyOf(series), fixed, points, cpLine,
                gaps, notes, Unit.forMetric(def.metric(), largest));
    }

    /**
     * A result's category: the category parameter's value, plus " + k=v" for each variant parameter off its usual
     * value (the ring-flags group measures registered files as one more variant of ringFlags=none).
     */
    static String category(FigureDef def, Result r) {
        StringBuilder c = new StringBuilder(r.param(def.categoryParam()));
        def.variants().forEach((k, usual) -> {
            String v = r.param(k);
            if (v != null && !v.equals(usual)) c.append(VARIANT).append(k).append('=').append(v);
        });
        return c.toString();
    }

    static final String VARIANT = " + ";

    /** Variants right after the plain value they vary. */
    private static Comparator<String> categoryOrder(String param) {
        Comparator<String> base = Vocabulary.order(param);
        return Comparator.<String, String>comparing(c -> c.split(" \\+ ", 2)[0], base)
                .thenComparing(Comparator.naturalOrder());
    }

    /**
     * "4.2.1 Copy time by mode": the copy report numbers the basic figures by file size, small (32K), medium (1M)
     * and large (100M); the quick matrix's 8M tree stands in for the large one.
     */
    private static String sectionName(FigureDef def, Map<String, String> facet) {
        String section = def.section();
        if (def.key().equals("basic") && facet.containsKey("fileSize")) {
            double b = Vocabulary.bytes(facet.get("fileSize"));
            section = section + (b <= 64 << 10 ? ".1" : b <= 4 << 20 ? ".2" : b < Double.MAX_VALUE ? ".3" : "");
        }
        return (Character.isDigit(section.charAt(0)) ? section + " " : "") + def.what();
    }

    private static Map<String, String> constantParams(List<Result> results) {
        Map<String, String> fixed = new TreeMap<>(results.get(0).params());
        for (Result r : results) fixed.entrySet().removeIf(e -> !e.getValue().equals(r.param(e.getKey())));
        return fixed;
    }

    /** Each bar against its baseline bar: the same other axis, the baseline's value (or the best) on this one. */
    private static List<Figure.Point> withBaselines(FigureDef def, List<Figure.Point> points, List<Figure.Point> all) {
        FigureDef.Baseline b = def.baseline();
        List<Figure.Point> out = new ArrayList<>();
        for (Figure.Point p : all) {
            if (!points.contains(p)) {
                out.add(p); // cp -r and the peers: compared with cp -r only
                continue;
            }
            String other = b.onCategory() ? p.series() : p.category();
            List<Figure.Point> peers = points.stream()
                    .filter(q -> (b.onCategory() ? q.series() : q.category()).equals(other)).toList();
            Figure.Point base;
            List<Result> candidates = peers.stream().map(Figure.Point::result).toList();
            if (b.value() == null) {
                Result best = Comparison.best(candidates, def.metric());
                base = peers.stream().filter(q -> q.result() == best).findFirst().orElse(null);
            } else {
                base = peers.stream().filter(q -> (b.onCategory() ? q.category() : q.series()).equals(b.value()))
                        .findFirst().orElse(null);
            }
            if (base == null) out.add(p);
            else if (base == p) out.add(p.withBaseline(null, true));
            else if (b.value() == null) out.add(p.withBaseline(Comparison.vsBest(p.result(), candidates, def.metric()),
                    false));
            else out.add(p.withBaseline(Comparison.of(p.result(), base.result(), def.metric()), false));
        }
        return out;
    }

    /** The peers' names on a figure's axis, as {@link #addPeers} put them there. */
    private final java.util.Set<String> peerLabels = new java.util.HashSet<>();

    private boolean isPeer(String axisValue) {
        return peerLabels.contains(axisValue);
    }

    /**
     * The peers beside cp -r where cp is one more engine: each measured peer a bar with its ratio to cp -r; a peer
     * whose copies were wrong data in this context a gap marked "wrong data" (not a time), with its first wrong file
     * and offset in the notes.
     */
    private void addPeers(FigureDef def, Map<String, String> ctx, boolean onCategory, String other, Result cp,
                          List<Figure.Point> points, TreeSet<String> axis, List<Figure.Gap> gaps, List<String> notes) {
        Map<String, String> where = new LinkedHashMap<>();
        for (String k : List.of("fileSize", "files", "cache")) if (cp.param(k) != null) where.put(k, cp.param(k));
        for (String name : run.peerNames()) {
            Map<String, String> at = new LinkedHashMap<>(where);
            at.put("peer", name);
            List<Failure> wrong = run.wrongData(Result.PEER_GROUP, at);
            Result peer = run.peersFor(ctx, def.metric()).stream().filter(r -> name.equals(r.param("peer")))
                    .findFirst().orElse(null);
            if (peer == null && wrong.isEmpty()) continue;
            peerLabels.add(name);
            axis.add(name);
            if (!wrong.isEmpty()) {
                gaps.add(new Figure.Gap(onCategory ? name : other, onCategory ? other : name, WRONG_DATA));
                String note = "peer " + name + ", " + Vocabulary.label("cache", where.getOrDefault("cache", "?"))
                        + ": " + WRONG_DATA + " in " + wrong.size() + " round(s), first " + wrong.get(0).wrongData().text()
                        + (peer == null ? "" : "; its times are not shown");
                if (!notes.contains(note)) notes.add(note);
                continue;
            }
            points.add(new Figure.Point(onCategory ? name : other, onCategory ? other : name, peer,
                    Stats.of(peer.samples().get(def.metric())), Comparison.of(peer, cp, def.metric()), null, false));
        }
    }

    public static final String WRONG_DATA = "wrong data";

    /** Two results of one configuration, every metric's samples together. */
    private static Result pool(Result a, Result b) {
        Map<String, double[]> samples = new LinkedHashMap<>(a.samples());
        b.samples().forEach((k, v) -> samples.merge(k, v, FigureBuilder::concat));
        return new Result(a.group(), a.benchmark(), a.config(), a.aa(), a.params(), samples, Map.of());
    }

    private static final String FAILED = "FAILED: ";

    /** "FAILED: error" and/or "skipped: reason" for what matches, or "" when the run does not say. */
    private String whyMissing(String group, Map<String, String> at) {
        String failed = run.failures.stream().filter(f -> f.matches(group, at)).map(Failure::error).distinct()
                .collect(Collectors.joining("; "));
        String skipped = run.skipped.stream().filter(s -> s.matches(group, at)).map(Skipped::reason)
                .filter(Objects::nonNull).distinct().collect(Collectors.joining("; "));
        return Stream.of(failed.isEmpty() ? "" : FAILED + failed, skipped.isEmpty() ? "" : "skipped: " + skipped)
                .filter(x -> !x.isEmpty()).collect(Collectors.joining("; "));
    }

    private String whySuffix(String group, Map<String, String> at) {
        String why = whyMissing(group, at);
        return why.isEmpty() ? "" : " (" + why + ")";
    }

    /** How a group that has no results came to have none. */
    private String notRun(String group) {
        return run.inRounds ? "has no samples in samples.jsonl" : "was not run (no jmh/" + group + ".json)";
    }

    private static double[] concat(double[] a, double[] b) {
        return DoubleStream.concat(DoubleStream.of(a), DoubleStream.of(b)).toArray();
    }
}
