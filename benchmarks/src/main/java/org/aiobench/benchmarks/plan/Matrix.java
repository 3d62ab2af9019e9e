package org.aiobench.benchmarks.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.aiobench.benchmarks.CopySpec;
import org.aiobench.workloads.CopyOptions;
import org.aiobench.workloads.Sizes;

/**
 * The configurations a run measures: each group's parameter sets, the trees they copy and the JMH repetitions.
 * {@link #full()} is the copy study at its scale; {@link #quick()} the reduced matrix, whose reductions are listed
 * in {@link #reductions()} (and so in env.json and run.log).
 *
 * @param name       "full", "quick" or "custom" (sizes, files or repetitions overridden on the command line)
 * @param trees      the file-size sweep (basic, memory, cp)
 * @param medium     the tree of the optimization groups (fallocate, regbuf, qd, ringflags): 128 files of 1M
 * @param large      the tree of the large-file group (large, copybound and their cp references): 16 files of 100M
 * @param caches     cache states of the groups that vary the cache
 * @param cuts       the quick matrix's cuts of whole dimensions (each listed in reductions)
 * @param qds        the queue depths of the qd sweep
 * @param forks      JMH forks per configuration and round (0 runs in the runner's JVM: tests only)
 * @param warmups    JMH warmup iterations per fork (one copy each) where {@link #repetitions} does not fit them
 * @param iterations JMH measured iterations per fork (one copy each; with byCost, the most)
 * @param byCost     whether {@link #repetitions} fits them to each configuration's cost (the defaults) or takes
 *                   {@code warmups} and {@code iterations} as they are (set on the command line)
 * @param rounds     rounds per configuration: each round measures every configuration once, in a fresh random
 *                   order, and the report's statistics pair the configurations by round
 * @param reductions what this matrix leaves out compared with the full study, in words
 * @param randio     the random-I/O groups' part (randread, randwrite, fio)
 */
public record Matrix(String name, List<Tree> trees, Tree medium, Tree large, List<String> caches, Set<Cut> cuts,
                     List<Integer> qds, int forks, int warmups, int iterations, boolean byCost, int rounds,
                     List<String> reductions, RandomIoMatrix randio, Map<Group, Double> measuredNoise) {

    public Matrix(String name, List<Tree> trees, Tree medium, Tree large, List<String> caches, Set<Cut> cuts,
                  List<Integer> qds, int forks, int warmups, int iterations, boolean byCost, int rounds,
                  List<String> reductions, RandomIoMatrix randio) {
        this(name, trees, medium, large, caches, cuts, qds, forks, warmups, iterations, byCost, rounds, reductions, randio,
                Map.of());
    }

    /** The most copies a fork the measured noise may ask for. */
    public static final int MOST_MEASURED_COPIES = 10;

    /**
     * This matrix with each group's measured noise (within / between: the variance of a copy within its fork over
     * that of a fork's level, from this box's last run, {@link BoxNoise}), where the copies are fitted to the cost
     * (not set on the command line).
     */
    public Matrix withMeasuredNoise(Map<Group, Double> noise, String from) {
        if (!byCost || noise.isEmpty()) return this;
        List<String> r = new ArrayList<>(reductions);
        r.add("copies a fork fitted to " + from + "'s noise (copy / fork variance: " + noise.entrySet().stream()
                .map(e -> e.getKey().id() + " " + String.format(java.util.Locale.ROOT, "%.2f", e.getValue()))
                .toList() + ")");
        return new Matrix(name, trees, medium, large, caches, cuts, qds, forks, warmups, iterations, byCost, rounds,
                List.copyOf(r), randio, Map.copyOf(noise));
    }

    /**
     * {@link #repetitions(Map)} of a configuration of group {@code g}, its copies a fork fitted to this box's noise
     * where it has been measured: sqrt(within / between x the fork's cost / a copy's cost) with this
     * configuration's own costs (Kalibera and Jones 2013), so a tree whose copy costs as much as a JVM's start keeps
     * one copy a fork while a small one gets more. Without a measurement the ratio is taken as 1.
     */
    public Repetitions repetitions(Group g, Map<String, String> params) {
        return repetitions(params, measuredNoise.get(g));
    }

    /** A dimension the quick matrix measures only where its comparison is made. */
    public enum Cut {
        COLD_ON_MEDIUM_ONLY("cache: warm, except cold too for basic (single mode, buffered: O_DIRECT bypasses the"
                + " page cache) and cp on the 128x1M tree", EnumSet.of(Group.BASIC, Group.CP, Group.PEER,
                Group.FALLOCATE, Group.REGBUF, Group.QD, Group.RINGFLAGS)),
        MODES_ON_MEDIUM_ONLY("basic: modes multi and batch on the 128x1M tree buffered only (single mode on every"
                + " tree)", EnumSet.of(Group.BASIC)),
        LARGE_BUFFERED_ONLY("basic: the large tree buffered only (no claim of the study reads its O_DIRECT copies)",
                EnumSet.of(Group.BASIC)),
        MEMORY_BUFFERED_ONLY("memory: buffered copies only (the peak memory of O_DIRECT copies is not measured)",
                EnumSet.of(Group.MEMORY)),
        STUDY_ENGINES_ONLY("fallocate and memory: the copy study's engines only (sync, posixaio, io_uring); qd: its"
                + " asynchronous ones (posixaio, io_uring); basic and randread keep every engine",
                EnumSet.of(Group.FALLOCATE, Group.MEMORY, Group.QD)),
        RINGFLAGS_BUFFERED_ONLY("ringflags: buffered copies only, and registered files only without other ring flags",
                EnumSet.of(Group.RINGFLAGS)),
        LARGE_FEW_ENGINES("large: copy_file_range (as cp and per pair) and io_uring (buffered, and O_DIRECT with"
                + " fallocate) only", EnumSet.of(Group.LARGE)),
        OTHER_WAYS_FEW("basic: io_uring's metadata=ring in single mode only, copy_file_range per pair on the 128x1M"
                + " tree only", EnumSet.of(Group.BASIC)),
        /** The regression suite's: single mode only, cold buffered copies on every tree, the flags that matter. */
        SINGLE_MODE_ONLY("basic: single mode only (multi and batch are the study's own variants of the engines)",
                EnumSet.of(Group.BASIC)),
        COLD_BUFFERED_EVERYWHERE("cache: cold too on every tree for buffered single-mode copies and cp -r",
                EnumSet.of(Group.BASIC, Group.CP)),
        RINGFLAGS_THAT_MATTER("ringflags: coop_taskrun and single_issuer,defer_taskrun against none, buffered (not "
                + "sqpoll, which takes a whole core of a small box, nor async)", EnumSet.of(Group.RINGFLAGS));

        /** The copy study's engines (its cp was a synchronous copy: sync here). */
        static final List<String> STUDY_ENGINES = List.of("sync", "posixaio", "io_uring");
        /** Its asynchronous engines, those of its queue-depth sweep. */
        static final List<String> STUDY_ASYNC_ENGINES = List.of("posixaio", "io_uring");

        final String description;
        /** The groups whose configurations it cuts. */
        final Set<Group> groups;

        Cut(String description, Set<Group> groups) {
            this.description = description;
            this.groups = groups;
        }
    }

    /** What one fork of a configuration runs: its warm-up copies, then its measured copies. */
    public record Repetitions(int warmups, int iterations) {}

    /**
     * The warm-up and measured copies of one fork of the configuration {@code params}: the one place that decides
     * them per configuration. Warm-up copies: {@link CopySpec#warmupsFor}, enough that the measured copies run
     * compiled code.
     *
     * <p>Measured copies: Kalibera and Jones (ISMM 2013) give the optimal repetitions at a level as
     * sqrt(cost ratio x variance ratio); with a fork costing its start and warm-up and a copy costing {@link ForkCost},
     * and the variance of a copy within a fork taken equal to that of a fork between rounds (our pilot, disturbed,
     * put it at 0.7), that is about 3 copies of the 32K tree, 2 of the 1M tree and 1 of the 100M tree, at most
     * {@code iterations}. One more round buys more than one more copy in a fork once a copy costs as much as a fork.
     */
    public Repetitions repetitions(Map<String, String> params) {
        return repetitions(params, null);
    }

    /**
     * The repetitions with the copies a fork sqrt(ratio x the fork's cost / a copy's cost), this configuration's own
     * costs; {@code ratio} null (not measured) is taken as 1, and then the matrix's iterations cap the copies.
     */
    private Repetitions repetitions(Map<String, String> params, Double ratio) {
        // a random-I/O configuration: timed job runs, as the random-I/O part of the matrix says
        if (byCost && RandomIoMatrix.isJob(params)) return new Repetitions(randio.warmups(), randio.iterations());
        if (!byCost || !params.containsKey("fileSize") || !params.containsKey("files")) {
            return new Repetitions(warmups, iterations);
        }
        double copy = ForkCost.copyMillis(params);
        int w = CopySpec.warmupsFor(params);
        int most = ratio == null ? iterations : MOST_MEASURED_COPIES;
        double n = Math.sqrt((ratio == null ? 1 : ratio) * (ForkCost.START_MS + w * copy) / copy);
        return new Repetitions(w, Double.isNaN(n) ? 1 : (int) Math.max(1, Math.min(most, Math.round(Math.min(n, most)))));
    }

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
                m, new Tree(16, Sizes.parse("100M")), List.of("warm", "cold"), Set.of(), ALL_QDS, 1, 1, 3, true, 10, List.of(), RandomIoMatrix.full());
    }

    /**
     * The reduced matrix: every group and every engine in 3 rounds, planned at about 30 minutes on 2 cores (runs took 15 to 17 before the large-file group and the engines' other ways). Most of a
     * fork's time is the JVM's start, so the cuts are of configurations rather than copies.
     */
    public static Matrix quick() {
        Tree m = new Tree(128, Sizes.parse("1M"));
        Set<Cut> cuts = EnumSet.allOf(Cut.class);
        List<String> reductions = new ArrayList<>(List.of(
                "large files: 8 files of 8M (64M) instead of 128 files of 100M (and instead of 16 of 100M in the"
                        + " large-file group, with a cold cache only)",
                "queue depths 1, 8, 64 instead of 1 to 256 in powers of two",
                "3 rounds instead of 10, at most 2 measured copies a fork instead of 3",
                RandomIoMatrix.QUICK_REDUCTION, ThesisMatrix.QUICK_REDUCTION));
        for (Cut c : cuts) reductions.add(c.description);
        Tree large = new Tree(8, Sizes.parse("8M"));
        return new Matrix("quick", List.of(new Tree(128, Sizes.parse("32K")), m, large),
                m, large, List.of("warm"), cuts, List.of(1, 8, 64), 1, 1, 2, true, 3, List.copyOf(reductions),
                RandomIoMatrix.quick());
    }

    /** This matrix with the given trees (same file count for all; the medium tree is the 1M one, else the first). */
    public Matrix withTrees(List<Tree> t) {
        Tree med = t.stream().filter(x -> x.fileSize() == Sizes.parse("1M")).findFirst().orElse(t.get(0));
        Tree big = t.stream().max(Comparator.comparingLong(Tree::fileSize)).orElseThrow();
        return new Matrix("custom", List.copyOf(t), med, big, caches, cuts, qds, forks, warmups, iterations, byCost, rounds,
                plus("trees set on the command line: " + t), randio);
    }

    public Matrix withRepetitions(int f, int w, int i) {
        if (f == forks && w == warmups && i == iterations) return this;
        return new Matrix("custom", trees, medium, large, caches, cuts, qds, f, w, i, false, rounds,
                plus("repetitions set on the command line: " + f + " fork(s) x " + i + " iteration(s), " + w
                        + " warmup per configuration and round"), randio);
    }

    public Matrix withRounds(int r) {
        if (r == rounds) return this;
        return new Matrix("custom", trees, medium, large, caches, cuts, qds, forks, warmups, iterations, byCost, r,
                plus("rounds set on the command line: " + r + " instead of " + rounds), randio);
    }

    public Matrix withQds(List<Integer> q) {
        return new Matrix("custom", trees, medium, large, caches, cuts, List.copyOf(q), forks, warmups, iterations,
                byCost, rounds, plus("queue depths set on the command line: " + q), randio);
    }

    public Matrix withCaches(List<String> c) {
        Set<Cut> without = EnumSet.noneOf(Cut.class);
        without.addAll(cuts);
        without.remove(Cut.COLD_ON_MEDIUM_ONLY);
        return new Matrix("custom", trees, medium, large, List.copyOf(c), Set.copyOf(without), qds, forks, warmups, iterations, byCost, rounds,
                plus("cache states set on the command line: " + c), randio);
    }

    /** This matrix with the random-I/O part changed (null: as it is). */
    public Matrix withRandio(Long size, List<Integer> depths, List<String> bss, String ramp, String runtime) {
        if (size == null && depths == null && bss == null && ramp == null && runtime == null) return this;
        RandomIoMatrix r = randio.with(size, depths, bss, ramp, runtime);
        List<String> all = new ArrayList<>(reductions);
        all.addAll(r.reductions().subList(randio.reductions().size(), r.reductions().size())); // each option set
        return new Matrix("custom", trees, medium, large, caches, cuts, qds, forks, warmups, iterations, byCost, rounds,
                List.copyOf(all), r);
    }

    private static final Set<Group> TREE_GROUPS = EnumSet.of(Group.BASIC, Group.MEMORY, Group.CP, Group.PEER);
    private static final Set<Group> COPY_GROUPS = EnumSet.of(Group.BASIC, Group.FALLOCATE, Group.REGBUF, Group.QD,
            Group.MEMORY, Group.RINGFLAGS, Group.CP, Group.PEER);
    private static final Set<Group> RANDIO_GROUPS = EnumSet.of(Group.RANDREAD, Group.RANDWRITE, Group.FIO);

    /**
     * The reductions that apply to a run of {@code groups} (the dry run and run.log list these; env.json keeps
     * them all): the random-I/O cuts mean nothing to a run of the copy groups, and the other way round.
     */
    public List<String> reductionsFor(List<Group> groups) {
        List<String> out = new ArrayList<>();
        for (String r : reductions) {
            Set<Group> affected = affectedBy(r);
            if (affected == null || groups.stream().anyMatch(affected::contains)) out.add(r);
        }
        return out;
    }

    /** The groups a reduction of this matrix changes, or null for every group (rounds, repetitions). */
    static Set<Group> affectedBy(String reduction) {
        for (Cut c : Cut.values()) if (c.description.equals(reduction)) return c.groups;
        Set<Group> thesis = EnumSet.noneOf(Group.class);
        for (Group g : Group.values()) if (ThesisMatrix.covers(g)) thesis.add(g);
        if (reduction.equals(RandomIoMatrix.QUICK_REDUCTION)) return RANDIO_GROUPS;
        if (reduction.equals(ThesisMatrix.QUICK_REDUCTION)) return thesis;
        if (reduction.startsWith("random I/O")) { // the command line's random-I/O options reach the thesis' jobs too
            Set<Group> g = EnumSet.copyOf(RANDIO_GROUPS);
            g.addAll(thesis);
            return g;
        }
        if (reduction.startsWith("large files") || reduction.startsWith("trees set")) return TREE_GROUPS;
        if (reduction.startsWith("queue depths")) return EnumSet.of(Group.QD);
        if (reduction.startsWith("cache states")) return COPY_GROUPS;
        return null;
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
                case BASIC, MEMORY -> s.addAll(trees);
                case CP, PEER -> {
                    if (Group.cpSweep(groups)) s.addAll(trees);
                    if (groups.contains(Group.LARGE)) s.add(large);
                }
                case LARGE, COPYBOUND -> s.add(large);
                case RANDREAD, RANDWRITE, FIO, COOP, THINKTIME, ASYNC, ASYNCWRITE, REGFILES, SQPOLL, PINGPONG, STALL,
                     THESISFIO -> { } // a target file, not a tree
                default -> s.add(medium);
            }
        }
        return s;
    }

    /**
     * The group's parameter sets, every engine of {@code engines} included (the runner decides which to skip).
     * Each map has every {@code @Param} of the group's benchmark. The peers' are {@link #peerConfigs}.
     */
    public List<Map<String, String>> configs(Group g, List<String> engines) {
        return configs(g, engines, List.of(Group.values()));
    }

    /** {@link #configs(Group, List)} in a run of {@code groups} (the fio group mirrors the random-I/O groups run). */
    public List<Map<String, String>> configs(Group g, List<String> engines, List<Group> groups) {
        List<Map<String, String>> out = new ArrayList<>();
        switch (g) {
            case RANDREAD, RANDWRITE, FIO -> out.addAll(randio.configs(g, engines, groups));
            case COOP, THINKTIME, ASYNC, ASYNCWRITE, REGFILES, SQPOLL, PINGPONG, STALL, THESISFIO -> {
                // io_uring's experiments: none when --engines leaves io_uring out
                if (engines.isEmpty() || engines.contains("io_uring")) {
                    out.addAll(randio.thesis().configs(g, randio.targetSize(), groups));
                }
            }
            case BASIC -> {
                for (Tree t : trees) for (String cache : caches(g, t)) for (String e : engines)
                    for (String mode : List.of("single", "multi", "batch")) for (boolean d : List.of(false, true)) {
                        if (cuts.contains(Cut.COLD_ON_MEDIUM_ONLY) && cache.equals("cold") && (!mode.equals("single") || d)) continue;
                        if (cuts.contains(Cut.MODES_ON_MEDIUM_ONLY) && !mode.equals("single") && (!t.equals(medium) || d)) continue;
                        if (cuts.contains(Cut.LARGE_BUFFERED_ONLY) && d && isLarge(t)) continue;
                        if (cuts.contains(Cut.SINGLE_MODE_ONLY) && !mode.equals("single")) continue;
                        if (cuts.contains(Cut.COLD_BUFFERED_EVERYWHERE) && cache.equals("cold") && d) continue;
                        P p = copy(e, t, cache).mode(mode).direct(d).request(e).put("aioFds", "dup")
                                .put("metadata", "syscalls");
                        out.add(p.map);
                        for (Map<String, String> twin : twins(p.map)) {
                            if (cuts.contains(Cut.OTHER_WAYS_FEW) && ("ring".equals(twin.get("metadata"))
                                    && !mode.equals("single") || "pair".equals(twin.get("cfrRequest"))
                                    && e.equals("copy_file_range") && !t.equals(medium))) continue;
                            out.add(twin);
                        }
                    }
            }
            case FALLOCATE -> {
                for (String cache : caches(g, medium)) for (String e : studyOnly(engines, Cut.STUDY_ENGINES)) for (boolean d : List.of(false, true))
                    for (boolean f : List.of(false, true)) {
                        P p = copy(e, medium, cache).direct(d).put("fallocate", f).request(e);
                        out.add(p.map);
                        out.addAll(twins(p.map));
                    }
            }
            case REGBUF -> {
                for (String cache : caches(g, medium)) for (boolean d : List.of(false, true))
                    for (boolean r : List.of(false, true))
                        out.add(copy("io_uring", medium, cache).direct(d).put("regbuf", r).map);
            }
            case QD -> {
                for (String cache : caches(g, medium)) for (String e : studyOnly(engines, Cut.STUDY_ASYNC_ENGINES)) for (boolean d : List.of(false, true))
                    for (int q : qds) out.add(copy(e, medium, cache).direct(d).put("qd", q).map);
            }
            case MEMORY -> {
                for (Tree t : trees) for (String e : studyOnly(engines, Cut.STUDY_ENGINES)) for (boolean d : List.of(false, true)) {
                    if (cuts.contains(Cut.MEMORY_BUFFERED_ONLY) && d) continue;
                    P p = copy(e, t, "warm").direct(d).request(e);
                    out.add(p.map);
                    out.addAll(twins(p.map));
                }
            }
            case RINGFLAGS -> {
                for (String cache : caches(g, medium)) for (boolean d : List.of(false, true))
                    for (boolean rf : List.of(false, true)) for (String flags : RING_FLAGS) {
                        if (cuts.contains(Cut.RINGFLAGS_BUFFERED_ONLY) && (d || rf && !flags.equals("none"))) continue;
                        if (cuts.contains(Cut.RINGFLAGS_THAT_MATTER) && (d || rf || flags.equals("sqpoll")
                                || flags.equals("async"))) continue;
                        out.add(copy("io_uring", medium, cache).direct(d).put("regfiles", rf).put("ringFlags", flags).map);
                    }
            }
            case CP -> {
                if (Group.cpSweep(groups)) {
                    for (Tree t : trees) for (String cache : caches(g, t)) out.add(cp(t, cache));
                }
                // the large-file group's references: on its tree and cache states, in its rounds
                if (groups.contains(Group.LARGE)) {
                    for (String cache : largeCaches()) if (!out.contains(cp(large, cache))) out.add(cp(large, cache));
                }
            }
            case LARGE -> out.addAll(largeConfigs(engines));
            case COPYBOUND -> {
                for (String cache : largeCaches()) for (boolean d : List.of(false, true)) {
                    Map<String, String> m = cp(large, cache);
                    m.put("direct", Boolean.toString(d));
                    m.put("bs", "128K");
                    m.put("iodepth", "64");
                    out.add(m);
                }
            }
            case PEER -> { } // the command line's: peerConfigs
        }
        return out;
    }

    /**
     * The configurations of the peers named {@code peers}: each on every tree and cache state of cp, so that each is
     * paired with cp (and the engines) in the same rounds.
     */
    public List<Map<String, String>> peerConfigs(List<String> peers) {
        return peerConfigs(peers, List.of(Group.values()));
    }

    /** {@link #peerConfigs(List)} in a run of {@code groups}: on the trees cp measures in it. */
    public List<Map<String, String>> peerConfigs(List<String> peers, List<Group> groups) {
        List<Map<String, String>> out = new ArrayList<>();
        // a peer goes where cp would: with cp's trees, whether or not cp itself runs
        List<Group> withCp = groups.contains(Group.CP) ? groups
                : java.util.stream.Stream.concat(groups.stream(), java.util.stream.Stream.of(Group.CP)).toList();
        for (Map<String, String> cp : configs(Group.CP, List.of(), withCp)) {
            for (String p : peers) {
                Map<String, String> m = new LinkedHashMap<>(cp);
                m.put("peer", p);
                out.add(m);
            }
        }
        return out;
    }

    /** {@code engines} less those outside {@code study} when the matrix cuts to the study's engines. */
    private List<String> studyOnly(List<String> engines, List<String> study) {
        return cuts.contains(Cut.STUDY_ENGINES_ONLY) ? engines.stream().filter(study::contains).toList() : engines;
    }

    /**
     * Whether {@code t} is the tree of the largest files (the study's "large files"; 8 x 8M holds fewer bytes than
     * 128 x 1M) and larger than the medium tree: with --sizes 32K,1M the largest is the medium tree, whose O_DIRECT
     * copies the claims read, and no cut of the large tree applies to it.
     */
    private boolean isLarge(Tree t) {
        Tree largest = trees.stream().max(Comparator.comparingLong(Tree::fileSize)).orElseThrow();
        return t.equals(largest) && t.fileSize() > medium.fileSize();
    }

    /**
     * The configurations of group {@code g} that this matrix's cuts leave out (those the same matrix without its
     * cuts would run), each with the cut that leaves it out, in words: a plan lists them in skipped.json, so a
     * figure or a claim that looks for one finds why it is not there.
     */
    public Map<Map<String, String>, String> cutOut(Group g, List<String> engines, List<Group> groups) {
        Map<Map<String, String>, String> out = new LinkedHashMap<>();
        if (cuts.isEmpty() || g == Group.PEER) return out;
        List<String> uncutCaches = cuts.contains(Cut.COLD_ON_MEDIUM_ONLY) && !caches.contains("cold")
                ? List.of("warm", "cold") : caches;
        Matrix uncut = withCuts(Set.of(), uncutCaches);
        Set<Map<String, String>> kept = new java.util.HashSet<>(configs(g, engines, groups));
        List<Map<String, String>> dropped = uncut.configs(g, engines, groups).stream().filter(p -> !kept.contains(p))
                .toList();
        if (dropped.isEmpty()) return out;
        Map<Cut, Set<Map<String, String>>> keptByCut = new java.util.EnumMap<>(Cut.class);
        for (Cut c : cuts) {
            Matrix only = withCuts(Set.of(c), c == Cut.COLD_ON_MEDIUM_ONLY ? caches : uncutCaches);
            keptByCut.put(c, new java.util.HashSet<>(only.configs(g, engines, groups)));
        }
        for (Map<String, String> p : dropped) {
            String why = keptByCut.entrySet().stream().filter(e -> !e.getValue().contains(p))
                    .map(e -> e.getKey().description).findFirst().orElse("the quick matrix's cuts together");
            out.put(p, "left out by --quick: " + why);
        }
        return out;
    }

    private Matrix withCuts(Set<Cut> c, List<String> cacheStates) {
        return new Matrix(name, trees, medium, large, cacheStates, c.isEmpty() ? Set.of() : EnumSet.copyOf(c), qds, forks,
                warmups, iterations, byCost, rounds, reductions, randio);
    }

    private List<String> caches(Group g, Tree t) {
        if (cuts.contains(Cut.COLD_ON_MEDIUM_ONLY) && (g == Group.BASIC || g == Group.CP) && t.equals(medium)) {
            return List.of("warm", "cold");
        }
        if (cuts.contains(Cut.COLD_BUFFERED_EVERYWHERE) && (g == Group.BASIC || g == Group.CP)) {
            return List.of("warm", "cold");
        }
        return caches;
    }

    /** The groups of the regression suite ({@code --suite regression}), in run order. */
    static final List<Group> REGRESSION_GROUPS = List.of(Group.BASIC, Group.REGBUF, Group.RINGFLAGS, Group.CP,
            Group.RANDREAD, Group.FIO);

    /**
     * The regression suite (issue 20): a covering subset for tracking a kernel, each engine on the small and medium
     * trees, warm and cold, buffered and O_DIRECT, in single mode; registered buffers and the io_uring ring flags that
     * matter on the medium tree; random reads at 1 and 64 I/Os in flight with fio beside them; cp -r. Its rounds run
     * until every judged comparison is decided or within ±5% ({@code --precision}), within an hour ({@code --budget}).
     */
    public static Matrix regression() {
        Tree m = new Tree(128, Sizes.parse("1M"));
        Set<Cut> cuts = EnumSet.of(Cut.SINGLE_MODE_ONLY, Cut.COLD_BUFFERED_EVERYWHERE, Cut.RINGFLAGS_THAT_MATTER,
                Cut.OTHER_WAYS_FEW);
        List<String> reductions = new ArrayList<>(List.of(
                "regression suite: groups basic, regbuf, ringflags, cp, randread and fio only; the 32K and 1M trees "
                        + "(no large one)", "random I/O: randread 4K at 1 and 64 I/Os in flight (sync and posixaio "
                        + "at 1); 0.5 s ramp + 1 s per run"));
        for (Cut c : cuts) reductions.add(c.description);
        RandomIoMatrix r = new RandomIoMatrix(org.aiobench.workloads.randio.Target.DEFAULT_SIZE, List.of("randread"),
                List.of(1, 64), Map.of("sync", List.of(1), "posixaio", List.of(1)), List.of("4K"), "500ms", "1s", 1,
                1, List.of(), ThesisMatrix.quick());
        return new Matrix("regression", List.of(new Tree(128, Sizes.parse("32K")), m), m,
                new Tree(16, Sizes.parse("100M")), List.of("warm"), cuts,
                List.of(1, 8, 64), 1, 1, 2, true, PrecisionStop.MAX_ROUNDS_UNTIL_DECIDED, List.copyOf(reductions), r);
    }

    /** Builder of one copy benchmark's parameters, starting from the study's defaults. */
    private static final class P {
        final Map<String, String> map = new LinkedHashMap<>();
        P put(String k, Object v) { map.put(k, String.valueOf(v)); return this; }
        P mode(String m) { return put("mode", m); }
        P direct(boolean d) { return put("direct", d); }
        /** cfrRequest as the engine makes its requests: file for copy_file_range (as cp), pair for the others. */
        P request(String engine) { return put("cfrRequest", CopyOptions.defaultCfrRequest(engine).cliName()); }
    }

    /**
     * The other ways an engine of {@code m} copies, each a configuration of its own beside it: copy_file_range one
     * call per 128K pair (the copy study's) beside whole files (cp's); posixaio in multi and batch modes with one
     * descriptor per file (the study's program, which glibc serialises) beside ours; io_uring with the walk's
     * metadata through the ring beside system calls. Only the parameters {@code m} has are varied.
     */
    private static List<Map<String, String>> twins(Map<String, String> m) {
        List<Map<String, String>> out = new ArrayList<>();
        String e = m.get("engine");
        if (e.equals("copy_file_range") && m.containsKey("cfrRequest")) out.add(with(m, "cfrRequest", "pair"));
        if (e.equals("posixaio") && m.containsKey("aioFds") && !m.get("mode").equals("single")) {
            out.add(with(m, "aioFds", "file"));
        }
        if (e.equals("io_uring") && m.containsKey("metadata")) out.add(with(m, "metadata", "ring"));
        return out;
    }

    private static Map<String, String> with(Map<String, String> m, String k, String v) {
        Map<String, String> n = new LinkedHashMap<>(m);
        n.put(k, v);
        return n;
    }

    /** cp's parameters on tree {@code t} (fileSize, files, cache). */
    private static Map<String, String> cp(Tree t, String cache) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("fileSize", t.size());
        m.put("files", Integer.toString(t.files()));
        m.put("cache", cache);
        return m;
    }

    /** The large-file group's cache states: cold only in the quick matrix (the case issue 24 asks about), else all. */
    List<String> largeCaches() {
        return cuts.contains(Cut.COLD_ON_MEDIUM_ONLY) ? List.of("cold") : caches;
    }

    /**
     * The large-file group: copy_file_range as cp does it and as the study did, the synchronous copy, and the
     * asynchronous engines buffered and with O_DIRECT and fallocate (their best case on large files: no extending
     * O_DIRECT writes), each with the study's defaults otherwise (single mode, qd 64, 128K).
     */
    private List<Map<String, String>> largeConfigs(List<String> engines) {
        List<Map<String, String>> out = new ArrayList<>();
        for (String cache : largeCaches()) for (String e : engines) {
            if (cuts.contains(Cut.LARGE_FEW_ENGINES) && !e.equals("copy_file_range") && !e.equals("io_uring")) continue;
            P p = copy(e, large, cache).request(e);
            out.add(p.map);
            if (e.equals("copy_file_range")) out.add(with(p.map, "cfrRequest", "pair"));
            if (!e.equals("sync") && !e.equals("copy_file_range")) {
                out.add(copy(e, large, cache).request(e).direct(true).put("fallocate", true).map);
            }
        }
        return out;
    }

    private static P copy(String engine, Tree t, String cache) {
        return new P().put("engine", engine).put("mode", "single").put("fileSize", t.size())
                .put("files", t.files()).put("direct", false).put("fallocate", false).put("qd", 64)
                .put("opsPerFile", 4).put("bufferSize", "128K").put("regbuf", false).put("regfiles", false)
                .put("ringFlags", "none").put("cache", cache);
    }
}
