package org.aiobench.analysis.figures;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.aiobench.analysis.run.Comparison;
import org.aiobench.analysis.run.Result;
import org.aiobench.analysis.run.RunData;
import org.aiobench.analysis.run.Skipped;
import org.aiobench.analysis.run.Unit;
import org.aiobench.analysis.stats.Stats;
import org.aiobench.vocabulary.Vocabulary;

/**
 * The random-I/O figures (the thesis' half: groups {@code randread}, {@code randwrite} and their fio reference
 * {@code fio}): per direction and block size, IOPS over the I/Os in flight (iodepth × numjobs, log scale) with
 * fio's curve for the same engine dashed beside each engine's; p99 latency over the same axis; CPU time per I/O.
 * Every point is the mean of its configuration's raw samples (one per job run) with ± 2 SD, as the copy figures;
 * each Java point is compared with fio's run of the same job ({@link Comparison}: paired by round where the run has
 * rounds), shown in the figure's table and, for IOPS and CPU per I/O, in {@link FioRatioTable}.
 */
public final class RandomIoFigures {
    /** The x axis: I/Os in flight, iodepth × numjobs (sync reaches its depth with numjobs threads). */
    public static final String IN_FLIGHT = "inflight";
    /** Series of fio's runs are named "fio io_uring": drawn dashed in the engine's colour. */
    public static final String FIO_SERIES = "fio ";
    static final List<String> GROUPS = List.of("randread", "randwrite");
    static final List<String> ENGINES = List.of("sync", "posixaio", "libaio", "io_uring");
    /** The parameters a Java configuration and its fio run share (every one but the benchmark). */
    static final List<String> JOB = List.of("rw", "engine", "bs", "iodepth", "numjobs", "direct", "size", "ramp", "runtime");

    /** The three figures, by metric. */
    private record Kind(String key, String what, String metric) {}

    private static final List<Kind> KINDS = List.of(
            new Kind("iops", "IOPS over I/Os in flight", Result.OPS),
            new Kind("p99", "p99 latency over I/Os in flight", "latP99Us"),
            new Kind("cpu", "CPU time per I/O over I/Os in flight", "cpuPerIoUs"));

    /** The figures and the ratio tables of a run. */
    public record Output(List<FigureBuilder.Section> sections, List<FioRatioTable> tables) {}

    private final RunData run;

    public RandomIoFigures(RunData run) {
        this.run = run;
    }

    /** Whether the run has random-I/O results at all (else the report leaves the section out). */
    public static boolean present(RunData run) {
        return GROUPS.stream().anyMatch(run.groups::containsKey) || run.groups.containsKey("fio");
    }

    /** The random-I/O groups of the run: {@link org.aiobench.analysis.report.RandomIoSection} tables every configuration of them. */
    public static List<String> shownGroups(RunData run) {
        List<String> out = new ArrayList<>();
        for (String g : List.of("randread", "randwrite", "fio")) if (run.groups.containsKey(g)) out.add(g);
        return out;
    }

    public Output build() {
        List<FigureBuilder.Section> sections = new ArrayList<>();
        List<FioRatioTable> tables = new ArrayList<>();
        for (String group : GROUPS) {
            List<Result> java = run.group(group).stream().filter(r -> r.samples().containsKey(Result.OPS)).toList();
            List<Result> fio = run.group("fio").stream().filter(r -> group.equals(r.param("rw")))
                    .filter(r -> r.samples().containsKey(Result.OPS)).toList();
            for (Kind k : KINDS) {
                FigureDef def = new FigureDef("randio-" + group + "-" + k.key(), "thesis", k.what() + " (" + group + ")",
                        group, IN_FLIGHT, "engine", k.metric(), FigureDef.Kind.LINES, List.of("bs"), Map.of(), Map.of(),
                        FigureDef.Cp.FIO, Map.of("engine", ENGINES), 1, Map.of(), null);
                sections.add(section(def, group, java, fio));
            }
            if (!java.isEmpty() && !fio.isEmpty()) {
                tables.add(FioRatioTable.iops(group, java, fio));
                FioRatioTable cpu = FioRatioTable.cpu(group, java, fio);
                if (!cpu.rows.isEmpty()) tables.add(cpu);
            }
        }
        return new Output(sections, tables);
    }

    private FigureBuilder.Section section(FigureDef def, String group, List<Result> java, List<Result> fio) {
        List<Figure> figures = new ArrayList<>();
        List<String> leftOut = new ArrayList<>();
        if (java.isEmpty() && fio.isEmpty()) {
            String why = run.groups.containsKey(group) ? "group `" + group + "` produced no results"
                    : "group `" + group + "` was not run";
            leftOut.add(def.what() + ": left out, " + why + skippedSuffix(group, Map.of()) + ".");
            return new FigureBuilder.Section(def, figures, leftOut);
        }
        if (fio.isEmpty()) {
            String why = run.groups.containsKey("fio") ? "group `fio` has no " + group + " results"
                    : "group `fio` was not run";
            leftOut.add(def.what() + ": fio's curves left out, " + why + skippedSuffix("fio", Map.of("rw", group)) + ".");
        }
        // one figure per block size
        Map<String, List<Result>> byFacet = new TreeMap<>(Comparator.comparingDouble(Vocabulary::bytes));
        for (Result r : java) byFacet.computeIfAbsent(r.param("bs"), x -> new ArrayList<>()).add(r);
        for (Result r : fio) byFacet.computeIfAbsent(r.param("bs"), x -> new ArrayList<>()).add(r);
        byFacet.forEach((bs, rs) -> {
            Figure f = figure(def, group, bs, rs, fio);
            if (f != null) figures.add(f);
        });
        return new FigureBuilder.Section(def, figures, leftOut);
    }

    /** Each engine, then fio's run of it. */
    static final Comparator<String> SERIES_ORDER = Comparator.comparing((String v) -> v.startsWith(FIO_SERIES)
            ? v.substring(FIO_SERIES.length()) : v, Vocabulary.order("engine")).thenComparing(v -> v.startsWith(FIO_SERIES));

    private Figure figure(FigureDef def, String group, String bs, List<Result> results, List<Result> fio) {
        List<Figure.Point> points = new ArrayList<>();
        TreeSet<String> categories = new TreeSet<>(Comparator.comparingDouble(Double::parseDouble));
        TreeSet<String> series = new TreeSet<>(SERIES_ORDER);
        for (Result r : results) {
            double[] v = r.samples().get(def.metric());
            if (v == null) continue;
            boolean isFio = r.group().equals("fio");
            String s = (isFio ? FIO_SERIES : "") + r.param("engine");
            String cat = inFlight(r);
            Result ref = isFio ? null : reference(r, fio);
            Comparison vsFio = ref == null || !ref.samples().containsKey(def.metric()) ? null
                    : Comparison.of(r, ref, def.metric());
            points.add(new Figure.Point(cat, s, r, Stats.of(v), null, vsFio, isFio));
            categories.add(cat);
            series.add(s);
        }
        if (points.isEmpty()) return null;
        Map<String, String> fixed = Figure.sortAndFix(points, categories.comparator(), series.comparator());
        List<String> notes = new ArrayList<>();
        for (String e : ENGINES) {
            if (!series.contains(e)) {
                notes.add(e + ": " + notRun(group, Map.of("engine", e, "bs", bs)) + ".");
            } else if (!series.contains(FIO_SERIES + e)) {
                notes.add(FIO_SERIES + e + ": " + notRun("fio", Map.of("engine", e, "bs", bs, "rw", group)) + ".");
            }
        }
        if (series.contains("sync")) {
            notes.add("sync has one I/O in flight per job: its points are numjobs threads at iodepth 1.");
        }
        if (def.metric().equals("cpuPerIoUs") && series.stream().anyMatch(x -> x.startsWith(FIO_SERIES))) {
            notes.add("fio's CPU is its job threads' alone (usr_cpu + sys_cpu: getrusage RUSAGE_THREAD); the Java points"
                    + " add the job's helper threads (io_uring SQPOLL and io-wq, glibc's AIO threads). The CPU table"
                    + " below compares the job threads alone.");
        }
        if (series.contains(FIO_SERIES + "posixaio")) {
            notes.add("fio's posixaio queues every request on one descriptor, which glibc serialises; aiobench's"
                    + " spreads them over dup'd descriptors, so the two differ by design at depth.");
        }
        double largest = points.stream().mapToDouble(p -> p.stats().mean()).max().orElse(0);
        String id = def.key() + "-" + Vocabulary.token("bs", bs);
        return new Figure(def, id, def.what() + ", bs " + bs, Map.of("bs", bs), List.copyOf(categories),
                List.copyOf(series), fixed, points, null, List.of(), notes, Unit.forMetric(def.metric(), largest));
    }

    /** I/Os in flight: iodepth × numjobs. */
    static String inFlight(Result r) {
        return Integer.toString(Integer.parseInt(r.param("iodepth")) * Integer.parseInt(r.param("numjobs")));
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

    private String notRun(String group, Map<String, String> at) {
        String why = skipped(group, at);
        return why.isEmpty() ? "not in this run" : "skipped: " + why;
    }

    private String skippedSuffix(String group, Map<String, String> at) {
        String why = skipped(group, at);
        return why.isEmpty() ? "" : " (skipped: " + why + ")";
    }

    private String skipped(String group, Map<String, String> at) {
        return run.skipped.stream().filter(s -> s.matches(group, at)).map(Skipped::reason)
                .filter(Objects::nonNull).distinct().collect(Collectors.joining("; "));
    }
}
