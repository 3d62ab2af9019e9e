package org.aiobench.vocabulary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * How a configuration (a group's benchmark with its parameters) is named, everywhere: by the runner that writes a run
 * directory and by the analysis that reads it. Each form says where it is used; they differ because their readers do
 * (a program parsing run.log, a table with every parameter, a comparison naming only what tells its rows apart).
 *
 * <ul>
 *   <li>{@link #id}: samples.jsonl's {@code config}, stable across runs and kernels.</li>
 *   <li>{@link #keyValues} and {@link #parseKeyValues}: every parameter as written, {@code engine=sync mode=single};
 *       {@link #code} in Markdown's code font.</li>
 *   <li>{@link #logged}: run.log's SKIPPED and FAILED lines and the runner's progress line.</li>
 *   <li>{@link #listed}: the report's tables of every configuration.</li>
 *   <li>{@link #words}: the claims, in the vocabulary's words ({@link Vocabulary#label}).</li>
 *   <li>{@link #tree}: the drift figure's legend, a tree and its cache state.</li>
 *   <li>{@link #distinguishing} and {@link #acrossGroups}: compare's, history's and the precision's rows, only the
 *       parameters that tell a group's configurations apart ({@link #varying}).</li>
 *   <li>{@link #largeFile}: the large-file section's rows, what sets a copy apart from the group's usual one.</li>
 * </ul>
 */
public final class ConfigLabel {
    private ConfigLabel() {}

    /** The external cp reference's group. */
    private static final String CP_GROUP = Vocabulary.CP;
    /**
     * The cp group (cp -r --reflink=never) where compare, history, the precision and the claims name it briefly: as
     * they named it before a second cp was measured, which their outputs keep.
     */
    private static final String CP_SHORT = "cp -r";

    /**
     * The stable id of samples.jsonl's {@code config}: the benchmark's simple class name, a colon, then the sorted
     * parameters {@code k=v} joined by commas ({@code CpBaseline:cache=warm,fileSize=1M,files=128}); the same across
     * runs and kernels for the same configuration.
     */
    public static String id(String benchmarkClass, Map<String, String> params) {
        return benchmarkClass + ":" + keyValues(new TreeMap<>(params), ",");
    }

    /** "engine=sync mode=single ...": every parameter, in the given order. */
    public static String keyValues(Map<String, String> params) {
        return keyValues(params, " ");
    }

    /** Every parameter as {@code k=v}, in the given order, joined by {@code separator}. */
    public static String keyValues(Map<String, String> params, String separator) {
        return params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(separator));
    }

    /** "`engine=sync` `mode=single`": every parameter in Markdown's code font, in the given order. */
    public static String code(Map<String, String> params) {
        return params.entrySet().stream().map(e -> "`" + e.getKey() + "=" + e.getValue() + "`")
                .collect(Collectors.joining(" "));
    }

    /** The parameters of a {@link #keyValues} text, in order; words without '=' are left out. */
    public static Map<String, String> parseKeyValues(String text) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String kv : text.split(" ")) {
            int eq = kv.indexOf('=');
            if (eq > 0) params.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return params;
    }

    /** "basic engine=sync mode=single ...": the group, then {@link #keyValues} (run.log, the progress line). */
    public static String logged(String group, Map<String, String> params) {
        return group + " " + keyValues(params);
    }

    /** "basic engine=sync ...", "cp cp -r --reflink=never cache=warm ...": a report table's row of every parameter. */
    public static String listed(String group, Map<String, String> params) {
        return group + (group.equals(CP_GROUP) ? " " + Vocabulary.CP_LABEL + " " : " ") + keyValues(params);
    }

    /** "posixaio, O_DIRECT, warm cache": each parameter in the vocabulary's words, in the given order. */
    public static String words(Map<String, String> params) {
        return params.entrySet().stream().map(e -> e.getKey().equals("engine") && e.getValue().equals(CP_GROUP)
                ? CP_SHORT : Vocabulary.label(e.getKey(), e.getValue())).collect(Collectors.joining(", "));
    }

    /** "cp -r --reflink=never 1M × 128, warm cache", "basic io_uring 1M × 128, O_DIRECT": a tree and its reading. */
    public static String tree(String group, Map<String, String> params) {
        String what = group.equals(CP_GROUP) ? Vocabulary.CP_LABEL : group + " " + params.getOrDefault("engine", "");
        StringBuilder s = new StringBuilder(what.strip());
        if (params.get("fileSize") != null) s.append(' ').append(params.get("fileSize"));
        if (params.get("files") != null) s.append(" × ").append(params.get("files"));
        if (params.get("direct") != null) s.append(", ").append(Vocabulary.label("direct", params.get("direct")));
        if (params.get("cache") != null) s.append(", ").append(Vocabulary.label("cache", params.get("cache")));
        return s.toString();
    }

    /** The order parameters are named in, as the copy study names a configuration; others follow by name. */
    private static final List<String> PARAM_ORDER = List.of("engine", "mode", "fileSize", "files", "direct",
            "fallocate", "regbuf", "regfiles", "ringFlags", "qd", "opsPerFile", "bufferSize", "cache");

    /**
     * "io_uring single 1M×128 O_DIRECT warm": the parameters in {@code shown} (those that tell the group's
     * configurations apart), engine, mode, size, I/O and cache state by their values, the others as k=v; cp -r named.
     */
    public static String distinguishing(String group, Map<String, String> params, Set<String> shown) {
        List<String> parts = new ArrayList<>();
        if (group.equals(CP_GROUP)) parts.add(CP_SHORT);
        for (String k : ordered(params)) {
            if (shown.contains(k)) parts.add(param(k, params.get(k), params, shown));
        }
        if (parts.isEmpty()) parts.add(group);
        return parts.stream().filter(p -> !p.isEmpty()).collect(Collectors.joining(" "));
    }

    /** {@link #distinguishing} with the parameters {@link #varying} found for the configuration's group. */
    public static String distinguishing(String group, Map<String, String> params,
                                        Map<String, Set<String>> varyingByGroup) {
        return distinguishing(group, params, varyingByGroup.getOrDefault(group, Set.of()));
    }

    /** {@link #acrossGroups} with the parameters {@link #varying} found for the configuration's group. */
    public static String acrossGroups(String group, Map<String, String> params,
                                      Map<String, Set<String>> varyingByGroup) {
        return acrossGroups(group, params, varyingByGroup.getOrDefault(group, Set.of()));
    }

    /**
     * "io_uring O_DIRECT fallocate qd 64 bs 128K", "copy_file_range whole files (as cp)": a configuration of the
     * large-file group by what sets it apart from the group's usual copy (single mode, buffered, qd 64, 128K buffers,
     * no ring flags), copy_file_range by its request.
     */
    public static String largeFile(Map<String, String> p) {
        StringBuilder s = new StringBuilder(p.get("engine"));
        if ("copy_file_range".equals(p.get("engine"))) {
            s.append("file".equals(p.get("cfrRequest")) ? " whole files (as cp)" : " per 128K pair (the study's)");
        }
        if (!"single".equals(p.get("mode"))) s.append(' ').append(p.get("mode")).append(" ops ").append(p.get("opsPerFile"));
        if ("true".equals(p.get("direct"))) s.append(" O_DIRECT");
        if ("true".equals(p.get("fallocate"))) s.append(" fallocate");
        if (!"64".equals(p.get("qd"))) s.append(" qd ").append(p.get("qd"));
        if (!"128K".equals(p.get("bufferSize"))) s.append(" bs ").append(p.get("bufferSize"));
        if (!"none".equals(p.get("ringFlags"))) s.append(" ").append(p.get("ringFlags"));
        return s.toString();
    }

    /** "basic io_uring 1M", "cp -r 1M": {@link #distinguishing} after its group (cp -r names itself). */
    public static String acrossGroups(String group, Map<String, String> params, Set<String> shown) {
        return (group.equals(CP_GROUP) ? "" : group + " ") + distinguishing(group, params, shown);
    }

    /** The parameters' names in the copy study's order, the others after them by name. */
    public static List<String> ordered(Map<String, String> params) {
        List<String> out = new ArrayList<>(PARAM_ORDER);
        out.retainAll(params.keySet());
        new TreeSet<>(params.keySet()).stream().filter(k -> !PARAM_ORDER.contains(k)).forEach(out::add);
        return out;
    }

    /** One parameter in a {@link #distinguishing} label; the file count goes with the file size where both show. */
    public static String param(String k, String v, Map<String, String> params, Set<String> shown) {
        return switch (k) {
            case "engine", "mode", "cache" -> v;
            case "fileSize" -> v + (shown.contains("files") && params.containsKey("files") ? "×" + params.get("files")
                    : "");
            case "files" -> shown.contains("fileSize") ? "" : v + " files";
            case "direct" -> Vocabulary.label("direct", v);
            default -> k + "=" + v;
        };
    }

    /**
     * Per group, the parameters whose values differ between its configurations (each a group and its parameters):
     * what a {@link #distinguishing} label shows. Groups and parameters by name.
     */
    public static Map<String, Set<String>> varying(Iterable<? extends Map.Entry<String, Map<String, String>>> configs) {
        Map<String, Map<String, Set<String>>> values = new TreeMap<>();
        for (var c : configs) {
            c.getValue().forEach((k, v) -> values.computeIfAbsent(c.getKey(), g -> new TreeMap<>())
                    .computeIfAbsent(k, x -> new TreeSet<>()).add(v));
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
}
