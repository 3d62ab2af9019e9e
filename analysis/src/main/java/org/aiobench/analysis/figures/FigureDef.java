package org.aiobench.analysis.figures;

import java.util.List;
import java.util.Map;
import org.aiobench.analysis.run.Result;
import org.aiobench.vocabulary.Vocabulary;

/**
 * One kind of figure of the copy study: which group it reads, what goes on the x axis (categories) and in the
 * legend (series), and which parameters split it into one figure each (facets). Every other parameter that varies
 * within the group becomes a facet as well, so no two configurations ever share a bar.
 *
 * @param expectedFacets facet values the study expects; a missing combination is reported as left out
 * @param expected       category and series values the study expects in every figure; a missing one is reported
 *                       under the figure
 * @param minSeries      fewer series than this and the figure shows no comparison: it is left out
 * @param variants       parameters shown as " + k=v" on the category when off their usual value (given here)
 * @param baseline       the comparison the figure makes besides cp -r (flag on vs off, mode vs mode, each queue
 *                       depth vs the best), or null
 */
public record FigureDef(String key, String section, String what, String group, String categoryParam, String seriesParam,
                 String metric, Kind kind, List<String> facetParams, Map<String, List<String>> expectedFacets,
                 Map<String, String> filter, Cp cp, Map<String, List<String>> expected, int minSeries,
                 Map<String, String> variants, Baseline baseline) {

    enum Kind { BARS, LINES }

    /**
     * Every bar is compared with the bar of the same other axis whose value on this axis is {@code value} (its
     * plain value: a category's " + k=v" variants are compared with it too), or with the best one when value is
     * null.
     */
    public record Baseline(boolean onCategory, String value) {
        static Baseline category(String value) {
            return new Baseline(true, value);
        }

        static Baseline series(String value) {
            return new Baseline(false, value);
        }

        static Baseline bestCategory() {
            return new Baseline(true, null);
        }

        /** The table column's header, e.g. "vs mode single", "vs best qd". */
        public String header(FigureDef def) {
            String param = onCategory ? def.categoryParam() : def.seriesParam();
            return value == null ? "vs best " + param : "vs " + Vocabulary.label(param, value);
        }
    }

    /** How cp -r, the external reference, appears. */
    enum Cp {
        /** Only as the ratio column of the table. */
        RATIO_ONLY,
        /** A horizontal reference line (with its +/- 2 SD band) across the figure. */
        LINE,
        /** As one more engine, where engine is an axis of the figure. */
        ENGINE,
        /** No cp: the reference is fio, its curve beside each engine's and its ratio in the table. */
        FIO
    }

    static final Map<String, List<String>> SIZES_AND_DIRECT =
            Map.of("fileSize", Vocabulary.FILE_SIZES, "direct", Vocabulary.BOOLEANS);
    static final Map<String, List<String>> DIRECT = Map.of("direct", Vocabulary.BOOLEANS);
    private static final Map<String, List<String>> ENGINES = Map.of("engine", Vocabulary.ENGINES);

    /**
     * The other ways some engines copy, shown as " + k=v" beside the plain bar (issue 24): copy_file_range asking for
     * whole files as cp does ("+ cfrRequest=file"; the plain bar is the study's one call per 128K pair), posixaio with
     * the study's one descriptor per file ("+ aioFds=file"), io_uring with the walk's metadata through the ring
     * ("+ metadata=ring").
     */
    private static final Map<String, String> OTHER_WAYS = Map.of("cfrRequest", "pair", "aioFds", "dup",
            "metadata", "syscalls");
    private static final Map<String, String> CFR_PAIR = Map.of("cfrRequest", "pair");

    /** The figures of the copy study, in report order. */
    static final List<FigureDef> ALL = List.of(
            new FigureDef("basic", "4.2", "Copy time by mode", "basic", "mode", "engine", Result.TIME, Kind.BARS,
                    List.of("fileSize", "direct", "cache"), SIZES_AND_DIRECT, Map.of(), Cp.LINE,
                    ENGINES, 1, OTHER_WAYS, Baseline.category("single")),
            new FigureDef("fallocate", "4.3.1", "fallocate off/on per engine", "fallocate", "engine", "fallocate",
                    Result.TIME, Kind.BARS, List.of("direct", "cache"), DIRECT, Map.of(), Cp.RATIO_ONLY,
                    Map.of("engine", Vocabulary.ENGINES, "fallocate", Vocabulary.BOOLEANS), 1, CFR_PAIR,
                    Baseline.series("false")),
            new FigureDef("regbuf", "4.3.2", "io_uring registered buffers off/on", "regbuf", "direct", "regbuf",
                    Result.TIME, Kind.BARS, List.of("cache"), Map.of(), Map.of(), Cp.RATIO_ONLY,
                    Map.of("direct", Vocabulary.BOOLEANS, "regbuf", Vocabulary.BOOLEANS), 1, Map.of(),
                    Baseline.series("false")),
            new FigureDef("qd", "4.4", "Copy time over queue depth", "qd", "qd", "engine", Result.TIME, Kind.LINES,
                    List.of("direct", "cache"), DIRECT, Map.of(), Cp.LINE,
                    Map.of("engine", Vocabulary.ASYNC_ENGINES), 1, Map.of(), Baseline.bestCategory()),
            new FigureDef("memory", "4.5", "Peak memory (RSS growth during the copy) per engine and file size",
                    "memory", "fileSize", "engine", "peakRssBytes", Kind.BARS, List.of("direct"), DIRECT,
                    Map.of(), Cp.ENGINE, ENGINES, 1, CFR_PAIR, null),
            new FigureDef("ringflags", "io_uring", "io_uring ring flags on the copy", "ringflags", "ringFlags",
                    "direct", Result.TIME, Kind.BARS, List.of("cache"), Map.of(), Map.of(), Cp.RATIO_ONLY,
                    Map.of("direct", Vocabulary.BOOLEANS), 1, Map.of("regfiles", "false"), Baseline.category("none")),
            new FigureDef("cache", "cache", "Warm versus cold cache (single mode)", "basic", "engine", "cache",
                    Result.TIME, Kind.BARS, List.of("fileSize", "direct"), SIZES_AND_DIRECT,
                    Map.of("mode", "single"), Cp.ENGINE,
                    Map.of("engine", Vocabulary.ENGINES, "cache", List.of("warm", "cold")), 2, OTHER_WAYS,
                    Baseline.series("warm")),
            new FigureDef("large", "large", "Large files: the engines against cp -r (both kinds)", "large",
                    "engine", "direct", Result.TIME, Kind.BARS, List.of("fileSize", "cache"), Map.of(), Map.of(),
                    Cp.ENGINE, Map.of("engine", Vocabulary.ENGINES), 1, CFR_PAIR, null));
}
