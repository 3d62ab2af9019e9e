package org.aiobench.benchmarks.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.aiobench.workloads.Sizes;

/**
 * The configurations a run measures: each group's parameter sets, the trees they copy and the JMH repetitions.
 * {@link #full()} is the copy study at its scale; {@link #quick()} the reduced matrix, whose reductions are listed
 * in {@link #reductions()} (and so in env.json and run.log).
 *
 * @param name       "full", "quick" or "custom" (sizes, files or repetitions overridden on the command line)
 * @param trees      the file-size sweep (basic, memory, cp)
 * @param medium     the tree of the optimization groups (fallocate, regbuf, qd, ringflags): 128 files of 1M
 * @param caches     cache states of the groups that vary the cache
 * @param coldMediumOnly quick only: cold cache measured only on the medium tree, in single mode for basic, and for cp
 * @param qds        the queue depths of the qd sweep
 * @param forks      JMH forks per configuration (0 runs in the runner's JVM: tests only)
 * @param warmups    JMH warmup iterations (one copy each)
 * @param iterations JMH measured iterations (one copy each)
 * @param reductions what this matrix leaves out compared with the full study, in words
 */
public record Matrix(String name, List<Tree> trees, Tree medium, List<String> caches, boolean coldMediumOnly,
                     List<Integer> qds, int forks, int warmups, int iterations, List<String> reductions) {

    /** A source tree: {@code files} files of {@code fileSize} bytes. */
    public record Tree(int files, long fileSize) {
        public String size() { return Sizes.format(fileSize); }
        public long bytes() { return files * fileSize; }
        @Override public String toString() { return files + "x" + size(); }
    }

    static final List<Integer> ALL_QDS = List.of(1, 2, 4, 8, 16, 32, 64, 128, 256);
    static final List<String> RING_FLAGS = List.of("none", "coop_taskrun", "single_issuer,defer_taskrun", "sqpoll", "async");

    public static Matrix full() {
        Tree m = new Tree(128, Sizes.parse("1M"));
        return new Matrix("full", List.of(new Tree(128, Sizes.parse("32K")), m, new Tree(128, Sizes.parse("100M"))),
                m, List.of("warm", "cold"), false, ALL_QDS, 2, 1, 5, List.of());
    }

    public static Matrix quick() {
        Tree m = new Tree(128, Sizes.parse("1M"));
        return new Matrix("quick", List.of(new Tree(128, Sizes.parse("32K")), m, new Tree(8, Sizes.parse("8M"))),
                m, List.of("warm"), true, List.of(1, 8, 64, 256), 1, 1, 3, List.of(
                "large files: 8 files of 8M (64M) instead of 128 files of 100M",
                "cache: warm, except cold too for basic (single mode) and cp on the 128x1M tree",
                "queue depths 1, 8, 64, 256 instead of 1 to 256 in powers of two",
                "1 fork x 3 measured iterations (1 warmup) instead of 2 forks x 5"));
    }

    /** This matrix with the given trees (same file count for all; the medium tree is the 1M one, else the first). */
    public Matrix withTrees(List<Tree> t) {
        Tree med = t.stream().filter(x -> x.fileSize() == Sizes.parse("1M")).findFirst().orElse(t.get(0));
        return new Matrix("custom", List.copyOf(t), med, caches, coldMediumOnly, qds, forks, warmups, iterations,
                plus("trees set on the command line: " + t));
    }

    public Matrix withRepetitions(int f, int w, int i) {
        if (f == forks && w == warmups && i == iterations) return this;
        return new Matrix("custom", trees, medium, caches, coldMediumOnly, qds, f, w, i,
                plus("repetitions set on the command line: " + f + " fork(s) x " + i + " iteration(s), " + w + " warmup"));
    }

    public Matrix withQds(List<Integer> q) {
        return new Matrix("custom", trees, medium, caches, coldMediumOnly, List.copyOf(q), forks, warmups, iterations,
                plus("queue depths set on the command line: " + q));
    }

    public Matrix withCaches(List<String> c) {
        return new Matrix("custom", trees, medium, List.copyOf(c), false, qds, forks, warmups, iterations,
                plus("cache states set on the command line: " + c));
    }

    private List<String> plus(String reduction) {
        List<String> r = new ArrayList<>(reductions);
        r.add(reduction);
        return List.copyOf(r);
    }

    /** Every tree the given groups copy. */
    public Set<Tree> treesFor(List<Group> groups) {
        Set<Tree> s = new LinkedHashSet<>();
        for (Group g : groups) {
            switch (g) {
                case BASIC, MEMORY, CP -> s.addAll(trees);
                default -> s.add(medium);
            }
        }
        return s;
    }

    /**
     * The group's parameter sets, every engine of {@code engines} included (the runner decides which to skip).
     * Each map has every {@code @Param} of the group's benchmark.
     */
    public List<Map<String, String>> configs(Group g, List<String> engines) {
        List<Map<String, String>> out = new ArrayList<>();
        switch (g) {
            case BASIC -> {
                for (Tree t : trees) for (String cache : caches(g, t)) for (String e : engines)
                    for (String mode : List.of("single", "multi", "batch")) for (boolean d : List.of(false, true)) {
                        if (coldMediumOnly && cache.equals("cold") && !mode.equals("single")) continue;
                        out.add(copy(e, t, cache).mode(mode).direct(d).map);
                    }
            }
            case FALLOCATE -> {
                for (String cache : caches(g, medium)) for (String e : engines) for (boolean d : List.of(false, true))
                    for (boolean f : List.of(false, true))
                        out.add(copy(e, medium, cache).direct(d).put("fallocate", f).map);
            }
            case REGBUF -> {
                for (String cache : caches(g, medium)) for (boolean d : List.of(false, true))
                    for (boolean r : List.of(false, true))
                        out.add(copy("io_uring", medium, cache).direct(d).put("regbuf", r).map);
            }
            case QD -> {
                for (String cache : caches(g, medium)) for (String e : engines) for (boolean d : List.of(false, true))
                    for (int q : qds) out.add(copy(e, medium, cache).direct(d).put("qd", q).map);
            }
            case MEMORY -> {
                for (Tree t : trees) for (String e : engines) for (boolean d : List.of(false, true))
                    out.add(copy(e, t, "warm").direct(d).map);
            }
            case RINGFLAGS -> {
                for (String cache : caches(g, medium)) for (boolean d : List.of(false, true))
                    for (boolean rf : List.of(false, true)) for (String flags : RING_FLAGS)
                        out.add(copy("io_uring", medium, cache).direct(d).put("regfiles", rf).put("ringFlags", flags).map);
            }
            case CP -> {
                for (Tree t : trees) for (String cache : caches(g, t)) {
                    Map<String, String> m = new LinkedHashMap<>();
                    m.put("fileSize", t.size());
                    m.put("files", Integer.toString(t.files()));
                    m.put("cache", cache);
                    out.add(m);
                }
            }
        }
        return out;
    }

    private List<String> caches(Group g, Tree t) {
        if (coldMediumOnly && (g == Group.BASIC || g == Group.CP) && t.equals(medium)) {
            return List.of("warm", "cold");
        }
        return caches;
    }

    /** Builder of one copy benchmark's parameters, starting from the study's defaults. */
    private static final class P {
        final Map<String, String> map = new LinkedHashMap<>();
        P put(String k, Object v) { map.put(k, String.valueOf(v)); return this; }
        P mode(String m) { return put("mode", m); }
        P direct(boolean d) { return put("direct", d); }
    }

    /** The study's default copy parameters on tree {@code t} (warm cache). */
    static Map<String, String> copyParams(Tree t) {
        return copy("sync", t, "warm").map;
    }

    private static P copy(String engine, Tree t, String cache) {
        return new P().put("engine", engine).put("mode", "single").put("fileSize", t.size())
                .put("files", t.files()).put("direct", false).put("fallocate", false).put("qd", 64)
                .put("opsPerFile", 4).put("bufferSize", "128K").put("regbuf", false).put("regfiles", false)
                .put("ringFlags", "none").put("cache", cache);
    }
}
