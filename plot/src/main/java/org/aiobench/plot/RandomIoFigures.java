package org.aiobench.plot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The random-I/O figures (the thesis' half: groups {@code randread}, {@code randwrite} and their fio reference
 * {@code fio}): per direction and block size, IOPS over the I/Os in flight (iodepth × numjobs, log scale) with
 * fio's curve for the same engine dashed beside each engine's; p99 latency over the same axis; CPU time per I/O.
 * Every point is the mean of its configuration's raw samples (one per job run) with ± 2 SD, as the copy figures.
 * The table of each figure gives the ratio to fio for the same engine and job; {@link FioRatioTable} gathers the
 * IOPS ratios.
 */
final class RandomIoFigures {
    /** The x axis: I/Os in flight, iodepth × numjobs (sync reaches its depth with numjobs threads). */
    static final String IN_FLIGHT = "inflight";
    /** Series of fio's runs are named "fio io_uring": drawn dashed in the engine's colour. */
    static final String FIO_SERIES = "fio ";
    static final List<String> GROUPS = List.of("randread", "randwrite");
    static final List<String> ENGINES = List.of("sync", "posixaio", "libaio", "io_uring");
    /** The parameters a Java configuration and its fio run share (every one but the benchmark). */
    static final List<String> JOB = List.of("rw", "engine", "bs", "iodepth", "numjobs", "direct", "size", "ramp", "runtime");

    /** The three figures, by metric. */
    private record Kind(String key, String what, String metric) {}

    private static final List<Kind> KINDS = List.of(
            new Kind("iops", "IOPS over I/Os in flight", Result.IOPS),
            new Kind("p99", "p99 latency over I/Os in flight", "latP99Us"),
            new Kind("cpu", "CPU time per I/O over I/Os in flight", "cpuPerIoUs"));

    record Output(List<FigureBuilder.Section> sections, List<FioRatioTable> tables) {}

    private final RunData run;

    RandomIoFigures(RunData run) {
        this.run = run;
    }

    Output build() {
        List<FigureBuilder.Section> sections = new ArrayList<>();
        List<FioRatioTable> tables = new ArrayList<>();
        for (String group : GROUPS) {
            List<Result> java = run.group(group).stream().filter(r -> r.samples().containsKey(Result.IOPS)).toList();
            List<Result> fio = run.group("fio").stream().filter(r -> group.equals(r.param("rw")))
                    .filter(r -> r.samples().containsKey(Result.IOPS)).toList();
            for (Kind k : KINDS) {
                FigureDef def = new FigureDef("randio-" + group + "-" + k.key(), "thesis", k.what() + " (" + group + ")",
                        group, IN_FLIGHT, "engine", k.metric(), FigureDef.Kind.LINES, List.of("bs"), Map.of(), Map.of(),
                        FigureDef.Cp.FIO, Map.of("engine", ENGINES), 1, Map.of());
                sections.add(section(def, group, java, fio));
            }
            if (!java.isEmpty() && !fio.isEmpty()) tables.add(new FioRatioTable(group, java, fio));
        }
        return new Output(sections, tables);
    }

    private FigureBuilder.Section section(FigureDef def, String group, List<Result> java, List<Result> fio) {
        List<Figure> figures = new ArrayList<>();
        List<String> leftOut = new ArrayList<>();
        if (java.isEmpty() && fio.isEmpty()) {
            String why = run.groups.containsKey(group) ? "group `" + group + "` produced no results"
                    : "group `" + group + "` was not run (no jmh/" + group + ".json)";
            leftOut.add(def.what() + ": left out, " + why + ".");
            return new FigureBuilder.Section(def, figures, leftOut);
        }
        if (fio.isEmpty()) {
            String why = run.groups.containsKey("fio") ? "group `fio` has no " + group + " results"
                    + skippedReason("fio", Map.of("rw", group)) : "group `fio` was not run";
            leftOut.add(def.what() + ": fio's curves left out, " + why + ".");
        }
        // one figure per block size (and any other job parameter that varies)
        Map<String, List<Result>> byFacet = new TreeMap<>(Comparator.comparingDouble(Vocabulary::bytes));
        for (Result r : java) byFacet.computeIfAbsent(r.param("bs"), x -> new ArrayList<>()).add(r);
        for (Result r : fio) byFacet.computeIfAbsent(r.param("bs"), x -> new ArrayList<>()).add(r);
        byFacet.forEach((bs, rs) -> figures.add(figure(def, group, bs, rs, fio)));
        return new FigureBuilder.Section(def, figures, leftOut);
    }

    private Figure figure(FigureDef def, String group, String bs, List<Result> results, List<Result> fio) {
        List<Figure.Point> points = new ArrayList<>();
        TreeSet<String> categories = new TreeSet<>(Comparator.comparingDouble(Double::parseDouble));
        // each engine, then fio's run of it
        TreeSet<String> series = new TreeSet<>(Comparator.comparing((String v) -> v.startsWith(FIO_SERIES)
                ? v.substring(FIO_SERIES.length()) : v, Vocabulary.order("engine")).thenComparing(v -> v.startsWith(FIO_SERIES)));
        for (Result r : results) {
            double[] v = r.samples().get(def.metric());
            if (v == null) continue;
            boolean isFio = r.group().equals("fio");
            String s = (isFio ? FIO_SERIES : "") + r.param("engine");
            String cat = Integer.toString(Integer.parseInt(r.param("iodepth")) * Integer.parseInt(r.param("numjobs")));
            Map<String, String> params = new LinkedHashMap<>(r.params());
            params.put(IN_FLIGHT, cat);
            Stats st = Stats.of(v);
            double ratio = Double.NaN;
            if (!isFio) {
                Result ref = reference(r, fio);
                double[] fv = ref == null ? null : ref.samples().get(def.metric());
                if (fv != null) ratio = st.mean() / Stats.of(fv).mean();
            }
            points.add(new Figure.Point(cat, s, params, st, ratio));
            categories.add(cat);
            series.add(s);
        }
        points.sort(Comparator.comparing(Figure.Point::category, categories.comparator())
                .thenComparing(Figure.Point::series, series.comparator()));
        Map<String, String> fixed = new TreeMap<>(points.get(0).params());
        for (Figure.Point p : points) fixed.entrySet().removeIf(e -> !e.getValue().equals(p.params().get(e.getKey())));
        List<String> notes = new ArrayList<>();
        for (String e : ENGINES) {
            if (series.contains(e)) continue;
            String why = skippedReason(group, Map.of("engine", e, "bs", bs));
            notes.add(e + ": " + (why.isEmpty() ? "not in this run." : "skipped" + why + "."));
        }
        for (String e : ENGINES) {
            if (!series.contains(e) || series.contains(FIO_SERIES + e)) continue;
            String why = skippedReason("fio", Map.of("engine", e, "bs", bs, "rw", group));
            notes.add(FIO_SERIES + e + ": " + (why.isEmpty() ? "not in this run." : "skipped" + why + "."));
        }
        if (series.contains("sync")) {
            notes.add("sync has one I/O in flight per job: its points are numjobs threads at iodepth 1.");
        }
        if (series.contains(FIO_SERIES + "posixaio")) {
            notes.add("fio's posixaio queues every request on one descriptor, which glibc serialises; aiobench's"
                    + " spreads them over dup'd descriptors, so the two differ by design at depth.");
        }
        double largest = points.stream().mapToDouble(p -> p.stats().mean()).max().orElse(0);
        Map<String, String> facet = Map.of("bs", bs);
        String id = def.key() + "-" + Vocabulary.token("bs", bs);
        String title = def.what() + ", bs " + bs;
        return new Figure(def, id, title, facet, List.copyOf(categories), List.copyOf(series), fixed, points, null,
                List.of(), notes, Unit.forMetric(def.metric(), largest));
    }

    /** fio's run of the same job: every job parameter equal. */
    static Result reference(Result java, List<Result> fio) {
        for (Result f : fio) {
            boolean same = true;
            for (String k : JOB) {
                if (!Objects.equals(java.param(k), f.param(k))) same = false;
            }
            if (same) return f;
        }
        return null;
    }

    private String skippedReason(String group, Map<String, String> at) {
        String why = run.skipped.stream().filter(s -> s.matches(group, at)).map(Skipped::reason)
                .filter(Objects::nonNull).distinct().collect(Collectors.joining("; "));
        return why.isEmpty() ? "" : ": " + why;
    }
}
