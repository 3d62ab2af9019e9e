package org.aiobench.benchmarks.plan;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.aiobench.benchmarks.CopySpec;
import org.aiobench.benchmarks.RandomIoBenchmark;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The matrix, the plan and the schedule of rounds, without measuring. */
class PlanTest {
    static final List<String> ENGINES = List.of("sync", "copy_file_range", "posixaio", "libaio", "io_uring");
    /** A machine with everything: O_DIRECT works, cp is installed, plenty of space. */
    static final Preflight EVERYTHING = new Preflight(null, "drop_caches", "cp (GNU coreutils) 9.1", 1L << 50, 0);
    /** The scratch directory the random-I/O configurations are checked against (its O_DIRECT alignment). */
    static final Path ROOT = Path.of("target").toAbsolutePath();

    @Test
    void quickMatrixSaysWhatItReduces() {
        Matrix q = Matrix.quick();
        Matrix f = Matrix.full();
        assertFalse(q.reductions().isEmpty());
        assertTrue(f.reductions().isEmpty());
        assertTrue(q.rounds() >= 3, "the quick run has at least 3 rounds");
        assertTrue(f.rounds() > q.rounds());
        assertEquals(List.of(1, 2, 4, 8, 16, 32, 64, 128, 256), f.qds());
        List<String> engines = List.of("sync", "io_uring");
        // the full study's basic group: 2 engines x 3 modes x 3 sizes x 2 direct x 2 caches, and io_uring's each
        // again with the walk's metadata through the ring
        assertEquals(72 + 36, f.configs(Group.BASIC, engines).size());
        assertTrue(q.configs(Group.BASIC, engines).size() < f.configs(Group.BASIC, engines).size());
        for (Map<String, String> p : f.configs(Group.QD, engines)) assertEquals(13, p.size());
        assertNotEquals(f.treesFor(List.of(Group.BASIC)), q.treesFor(List.of(Group.BASIC)));
        // quick: O_DIRECT copies of the small and medium trees (claims C3, C4), none of the large files (8 x 8M)
        List<Map<String, String>> direct = q.configs(Group.BASIC, engines).stream()
                .filter(p -> p.get("direct").equals("true")).toList();
        assertEquals(Set.of("32K", "1M"), direct.stream().map(p -> p.get("fileSize")).collect(Collectors.toSet()));
        assertTrue(direct.stream().allMatch(p -> p.get("mode").equals("single")), "modes buffered only");
        // quick: fallocate and qd on the study's engines only
        List<String> all = List.of("sync", "copy_file_range", "posixaio", "libaio", "io_uring");
        assertEquals(Set.of("sync", "posixaio", "io_uring"), q.configs(Group.FALLOCATE, all).stream()
                .map(p -> p.get("engine")).collect(Collectors.toSet()));
        assertEquals(Set.of("posixaio", "io_uring"), q.configs(Group.QD, all).stream()
                .map(p -> p.get("engine")).collect(Collectors.toSet()));
        assertEquals(Set.copyOf(all), f.configs(Group.FALLOCATE, all).stream()
                .map(p -> p.get("engine")).collect(Collectors.toSet()), "the full study keeps every engine");
    }

    /**
     * Issue 23: {@code --quick --sizes 32K,1M} made 1M the largest tree, so the large tree's cut dropped the 1M
     * O_DIRECT copies without a word. The cut is of a tree larger than the medium one, and every configuration a cut
     * leaves out is in the plan's skips with its cut.
     */
    @Test
    void sizesDoNotReclassifyTheMediumTreeAndEveryCutIsListed() {
        Matrix q = Matrix.quick().withTrees(List.of(new Matrix.Tree(128, 32 << 10), new Matrix.Tree(128, 1 << 20)));
        List<String> engines = List.of("sync", "io_uring");
        assertTrue(q.configs(Group.BASIC, engines).stream().anyMatch(p -> p.get("fileSize").equals("1M")
                && p.get("direct").equals("true") && p.get("engine").equals("io_uring")), "1M O_DIRECT io_uring");
        // a larger tree is still the large one
        Matrix three = Matrix.quick().withTrees(List.of(new Matrix.Tree(128, 1 << 20), new Matrix.Tree(8, 8 << 20)));
        assertTrue(three.configs(Group.BASIC, engines).stream().noneMatch(p -> p.get("fileSize").equals("8M")
                && p.get("direct").equals("true")));
        for (Matrix m : List.of(Matrix.quick(), q, three)) {
            List<Group> groups = List.of(Group.BASIC, Group.FALLOCATE, Group.MEMORY, Group.RINGFLAGS, Group.QD, Group.CP);
            RunPlan plan = RunPlan.make(m, groups, ENGINES, EVERYTHING, Set.of(), ROOT);
            Set<String> accounted = new HashSet<>();
            plan.configurations.forEach(c -> accounted.add(c.id()));
            plan.skips.forEach(s -> accounted.add(new Configuration(Group.parse(s.group()), s.params()).id()));
            // the same trees without the quick matrix's cuts: each configuration is run or listed as skipped
            Matrix uncut = Matrix.full().withTrees(m.trees()).withQds(m.qds());
            for (Group g : groups) {
                for (Map<String, String> p : uncut.configs(g, ENGINES, groups)) {
                    assertTrue(accounted.contains(new Configuration(g, p).id()), g.id() + " " + p
                            + " vanished from the plan without a skip");
                }
            }
            assertTrue(plan.skips.stream().anyMatch(s -> s.reason().startsWith("left out by --quick: ")), "cuts listed");
        }
        RunPlan plan = RunPlan.make(three, List.of(Group.BASIC), ENGINES, EVERYTHING, Set.of(), ROOT);
        assertTrue(plan.skips.stream().anyMatch(s -> s.params().get("fileSize").equals("8M")
                && s.params().get("direct").equals("true") && s.reason().equals("left out by --quick: "
                + Matrix.Cut.LARGE_BUFFERED_ONLY.description)), plan.skips.toString());
    }

    @Test
    void theDryRunListsOnlyTheReductionsOfTheGroupsRun() {
        Matrix q = Matrix.quick();
        List<String> randread = q.reductionsFor(List.of(Group.RANDREAD, Group.FIO));
        assertTrue(randread.contains(RandomIoMatrix.QUICK_REDUCTION), randread.toString());
        assertTrue(randread.stream().noneMatch(r -> r.startsWith("basic:") || r.startsWith("memory:")
                || r.startsWith("large files") || r.startsWith("thesis")), randread.toString());
        List<String> basic = q.reductionsFor(List.of(Group.BASIC, Group.CP));
        assertTrue(basic.contains(Matrix.Cut.LARGE_BUFFERED_ONLY.description), basic.toString());
        assertFalse(basic.contains(RandomIoMatrix.QUICK_REDUCTION), basic.toString());
        assertFalse(basic.contains(Matrix.Cut.RINGFLAGS_BUFFERED_ONLY.description), basic.toString());
        assertTrue(basic.stream().anyMatch(r -> r.startsWith("3 rounds")), "the rounds apply to every group");
        assertEquals(q.reductions().size(), q.reductionsFor(List.of(Group.values())).size());
    }

    /** The runner's full matrix is what the benchmark classes' @Param defaults say (java -jar benchmarks.jar runs). */
    @Test
    void fullMatrixIsTheBenchmarkClassesParamDefaults() throws Exception {
        for (Group g : Group.values()) {
            // the thesis' matrix is no product (placements and flags differ by depth): ThesisPlanTest checks its params;
            // nor are the large-file group's (largeFileGroupNamesItsBenchmarksParams)
            if (ThesisMatrix.covers(g) || g == Group.LARGE || g == Group.COPYBOUND) continue;
            Class<?> c = Class.forName(g.benchmark().substring(0, g.benchmark().lastIndexOf('.')));
            List<Map<String, String>> product = new ArrayList<>(List.of(new LinkedHashMap<>()));
            List<java.lang.reflect.Field> fields = new ArrayList<>();
            // the random-I/O classes inherit the sweep's @Params from RandomIoBenchmark
            for (Class<?> k = c; k != Object.class; k = k.getSuperclass()) fields.addAll(List.of(k.getDeclaredFields()));
            for (java.lang.reflect.Field f : fields) {
                org.openjdk.jmh.annotations.Param p = f.getAnnotation(org.openjdk.jmh.annotations.Param.class);
                if (p == null) continue;
                List<Map<String, String>> next = new ArrayList<>();
                for (Map<String, String> m : product) {
                    for (String v : p.value()) {
                        Map<String, String> n = new LinkedHashMap<>(m);
                        n.put(f.getName(), v);
                        next.add(n);
                    }
                }
                product = next;
            }
            // the random-I/O sweep is the product less what its classes call not applicable (sync's depth is numjobs)
            if (RandomIoMatrix.covers(g)) product.removeIf(p -> RandomIoBenchmark.notApplicable(p) != null);
            // a copy's cfrRequest, aioFds and metadata: only the values that describe its engine and mode
            product.removeIf(p -> p.containsKey("engine") && !RandomIoMatrix.covers(g)
                    && CopySpec.of(p).options().parameterMismatch() != null);
            Set<Map<String, String>> annotated = new HashSet<>(product);
            // the peers' are the command line's, named by peer: "none" is the annotation's placeholder
            Set<Map<String, String>> runner = new HashSet<>(g == Group.PEER ? Matrix.full().peerConfigs(List.of("none"))
                    : Matrix.full().configs(g, ENGINES));
            // cp and the peers on the large-file group's tree: its references, beside the size sweep
            Matrix.Tree large = Matrix.full().large();
            runner.removeIf(p -> (g == Group.CP || g == Group.PEER) && large.size().equals(p.get("fileSize"))
                    && String.valueOf(large.files()).equals(p.get("files")));
            Set<Map<String, String>> onlyAnnotated = new HashSet<>(annotated);
            onlyAnnotated.removeAll(runner);
            Set<Map<String, String>> onlyRunner = new HashSet<>(runner);
            onlyRunner.removeAll(annotated);
            assertTrue(onlyAnnotated.isEmpty() && onlyRunner.isEmpty(), g.id() + ": only in @Param defaults "
                    + onlyAnnotated.size() + ", only in the runner " + onlyRunner.size() + ", e.g. "
                    + onlyAnnotated.stream().findFirst().orElse(null) + " / " + onlyRunner.stream().findFirst().orElse(null));
        }
    }

    /** The large-file group and its fio bound name exactly the @Params of their classes (JMH refuses others). */
    @Test
    void largeFileGroupNamesItsBenchmarksParams() throws Exception {
        for (Group g : List.of(Group.LARGE, Group.COPYBOUND)) {
            Class<?> c = Class.forName(g.benchmark().substring(0, g.benchmark().lastIndexOf('.')));
            Set<String> declared = new HashSet<>();
            for (java.lang.reflect.Field f : c.getDeclaredFields()) {
                if (f.getAnnotation(org.openjdk.jmh.annotations.Param.class) != null) declared.add(f.getName());
            }
            List<Map<String, String>> configs = Matrix.full().configs(g, ENGINES, List.of(Group.LARGE, Group.COPYBOUND));
            assertFalse(configs.isEmpty(), g.id());
            for (Map<String, String> p : configs) assertEquals(declared, p.keySet(), g.id() + " " + p);
        }
    }

    /**
     * Issue 24: large files against plain cp -r and the device in the same rounds. --suite large brings cp (both
     * kinds) and fio's bound along, on the large tree only, in one slice with copy_file_range both ways.
     */
    @Test
    void largeFileGroupComesWithItsReferencesOnItsTree() {
        List<Group> groups = Group.parseList("large");
        assertEquals(List.of(Group.CP, Group.LARGE, Group.COPYBOUND), groups);
        Matrix f = Matrix.full().withCaches(List.of("cold"));
        assertEquals(Set.of(f.large()), f.treesFor(groups), "not cp's size sweep");
        assertEquals("16x100M", f.large().toString());
        RunPlan plan = RunPlan.make(f, new ArrayList<>(List.of(Group.CP, Group.LARGE, Group.COPYBOUND, Group.PEER)),
                ENGINES, List.of("cp-plain"), EVERYTHING, Set.of(), ROOT);
        Set<String> ids = plan.configurations.stream().map(Configuration::id).collect(Collectors.toSet());
        assertTrue(ids.contains("CpBaseline:cache=cold,fileSize=100M,files=16"), ids.toString());
        assertTrue(ids.contains("PeerCopy:cache=cold,fileSize=100M,files=16,peer=cp-plain"), ids.toString());
        assertTrue(ids.contains("FioCopyBound:bs=128K,cache=cold,direct=true,fileSize=100M,files=16,iodepth=64"), ids.toString());
        assertTrue(ids.stream().anyMatch(i -> i.startsWith("LargeFileCopy:") && i.contains("cfrRequest=file")
                && i.contains("engine=copy_file_range")), ids.toString());
        assertTrue(ids.stream().anyMatch(i -> i.startsWith("LargeFileCopy:") && !i.contains("cfrRequest")
                && i.contains("engine=copy_file_range")), "the study's per-pair variant, id without cfrRequest: " + ids);
        assertEquals("CpBaseline:cache=cold,fileSize=100M,files=16", plan.control.id(), "cp on the large tree");
        assertEquals(1, plan.slices.size());
        // with the size-sweep groups cp measures both the sweep and the large tree
        assertTrue(Group.cpSweep(Group.parseList("basic,large")));
        assertFalse(Group.cpSweep(Group.parseList("large")));
    }

    /** Parameters added later leave the ids of the configurations that existed before as they were. */
    @Test
    void idsOfEarlierConfigurationsStayTheSame() {
        Map<String, String> sync = new LinkedHashMap<>(copy("1M"));
        sync.put("cfrRequest", "pair");
        sync.put("aioFds", "dup");
        sync.put("metadata", "syscalls");
        assertEquals("BasicCopy:bufferSize=128K,cache=warm,direct=false,engine=sync,fallocate=false,fileSize=1M,"
                + "files=128,mode=single,opsPerFile=4,qd=64,regbuf=false,regfiles=false,ringFlags=none",
                new Configuration(Group.BASIC, sync).id());
        sync.put("metadata", "ring");
        assertTrue(new Configuration(Group.BASIC, sync).id().contains(",metadata=ring,"));
        List<Map<String, String>> basic = Matrix.full().configs(Group.BASIC, ENGINES);
        assertTrue(basic.stream().anyMatch(p -> p.get("engine").equals("copy_file_range") && p.get("cfrRequest").equals("file")));
        assertTrue(basic.stream().anyMatch(p -> p.get("engine").equals("copy_file_range") && p.get("cfrRequest").equals("pair")));
        assertTrue(basic.stream().anyMatch(p -> p.get("engine").equals("posixaio") && p.get("aioFds").equals("file")
                && !p.get("mode").equals("single")));
        assertTrue(basic.stream().noneMatch(p -> p.get("aioFds").equals("file") && p.get("mode").equals("single")),
                "single mode: one copy either way");
    }

    @Test
    void randomIoMatrixSweepsTheEnginesAndSaysWhatTheCommandLineSet() {
        Matrix q = Matrix.quick();
        List<Map<String, String>> read = q.configs(Group.RANDREAD, ENGINES, List.of(Group.RANDREAD, Group.FIO));
        // io_uring and libaio at 1, 8, 64; sync and posixaio at 1; copy_file_range is no random-I/O engine
        assertEquals(8, read.size());
        assertEquals(read.size(), q.configs(Group.FIO, ENGINES, List.of(Group.RANDREAD, Group.FIO)).size(),
                "fio mirrors the Java configurations");
        assertTrue(q.configs(Group.RANDWRITE, ENGINES, List.of(Group.RANDWRITE)).isEmpty(), "quick: reads only");
        // sync reaches its depth with numjobs threads of one I/O each
        for (Map<String, String> p : Matrix.full().configs(Group.RANDREAD, List.of("sync"))) {
            assertEquals("1", p.get("iodepth"));
        }
        Matrix custom = q.withRandio(4L << 20, List.of(1, 4), List.of("4K"), "0", "300ms");
        assertEquals("custom", custom.name());
        List<String> added = custom.reductions().subList(q.reductions().size(), custom.reductions().size());
        assertEquals(4, added.size(), "size, depths, block sizes and ramp/runtime are each recorded: " + added);
        assertEquals(List.of(1, 4), custom.randio().iodepths());
        assertTrue(custom.randio().fewerDepths().isEmpty(), "depths set on the command line hold for every engine");
        assertEquals(q, q.withRandio(null, null, null, null, null));
    }

    private static Map<String, String> copy(String fileSize) {
        Map<String, String> p = new LinkedHashMap<>(Map.of("engine", "sync", "mode", "single", "fileSize", fileSize,
                "files", "128", "direct", "false", "fallocate", "false", "qd", "64", "opsPerFile", "4",
                "bufferSize", "128K", "cache", "warm"));
        p.putAll(Map.of("regbuf", "false", "regfiles", "false", "ringFlags", "none"));
        return p;
    }

    @Test
    void forksMeasureMoreCopiesWhereACopyCostsLessThanAFork() {
        Matrix f = Matrix.full();
        Map<String, String> small = copy("32K"), medium = copy("1M"), large = copy("100M");
        // warm-up copies: the benchmarks' own choice, enough for compiled code
        assertEquals(CopySpec.warmupsFor(small), f.repetitions(small).warmups());
        assertEquals(CopySpec.warmupsFor(large), f.repetitions(large).warmups());
        // measured copies: more where a copy costs less than a fork, never more than the matrix's iterations
        assertEquals(3, f.repetitions(small).iterations());
        assertEquals(1, f.repetitions(large).iterations(), "a 12.8 GB copy costs more than a fork");
        assertTrue(f.repetitions(medium).iterations() >= f.repetitions(large).iterations());
        // set on the command line, they are taken as they are
        Matrix fixed = f.withRepetitions(1, 2, 5);
        assertEquals(new Matrix.Repetitions(2, 5), fixed.repetitions(large));
        assertEquals(new Matrix.Repetitions(2, 5), fixed.repetitions(small));
    }

    /**
     * The regression suite covers each engine on the small and medium trees, warm and cold, buffered and O_DIRECT, in
     * single mode; registered buffers; the ring flags that matter; random reads at 1 and 64 beside fio; cp -r.
     */
    @Test
    void theRegressionSuiteCoversWhatAKernelTrackerNeeds() {
        Matrix m = Matrix.regression();
        List<Group> groups = Group.parseList("regression");
        assertEquals(List.of(Group.BASIC, Group.REGBUF, Group.RINGFLAGS, Group.CP, Group.RANDREAD, Group.FIO), groups);
        RunPlan plan = RunPlan.make(m, groups, ENGINES, EVERYTHING, Set.of(), ROOT);
        java.util.Set<String> basic = new java.util.TreeSet<>();
        for (Configuration c : plan.configurations) {
            var p = c.params();
            if (c.group() == Group.BASIC) {
                assertEquals("single", p.get("mode"), c.id());
                basic.add(p.get("engine") + " " + p.get("fileSize") + " " + p.get("cache") + " " + p.get("direct"));
            }
            if (c.group() == Group.RINGFLAGS) {
                assertTrue(List.of("none", "coop_taskrun", "single_issuer,defer_taskrun").contains(p.get("ringFlags")),
                        c.id());
            }
            if (c.group() == Group.RANDREAD) assertTrue(List.of("1", "64").contains(p.get("iodepth")), c.id());
        }
        for (String e : ENGINES) {
            for (String size : List.of("32K", "1M")) {
                for (String cd : List.of("warm false", "cold false", "warm true")) {
                    assertTrue(basic.contains(e + " " + size + " " + cd), e + " " + size + " " + cd + " in " + basic);
                }
            }
        }
        assertEquals(ENGINES.size() * 2 * 3, basic.size(), "no cold O_DIRECT copy (the page cache is bypassed)");
        assertEquals(4, plan.configurations.stream().filter(c -> c.group() == Group.CP).count(), "cp: 2 trees x 2");
        assertTrue(plan.skips.stream().anyMatch(x -> x.reason().contains("single mode only")), "the cuts are listed");
    }

    @Test
    void configIdIsTheClassAndTheSortedParams() {
        Configuration c = new Configuration(Group.CP, Map.of("fileSize", "1M", "files", "128", "cache", "warm"));
        assertEquals("CpBaseline:cache=warm,fileSize=1M,files=128", c.id());
        Map<String, String> reordered = new LinkedHashMap<>();
        reordered.put("cache", "warm");
        reordered.put("files", "128");
        reordered.put("fileSize", "1M");
        assertEquals(c.id(), new Configuration(Group.CP, reordered).id());
    }

    @Test
    void quickRoundHoldsEveryConfigurationAndCpAmongTheEngines() {
        RunPlan plan = RunPlan.make(Matrix.quick(), List.of(Group.values()), ENGINES, EVERYTHING, Set.of(), ROOT);
        assertEquals(1, plan.slices.size(), "the quick run does not rotate: every round holds everything");
        assertEquals("CpBaseline:cache=warm,fileSize=1M,files=128", plan.control.id());
        Schedule s = new Schedule(plan, 3, 42);
        assertEquals(3, s.rounds());
        for (int r = 1; r <= 3; r++) {
            List<Schedule.Entry> order = s.order(r);
            assertEquals(plan.configurations.size() + 1, order.size());
            assertEquals(2, order.stream().filter(e -> e.config().equals(plan.control)).count());
            assertEquals(1, order.stream().filter(Schedule.Entry::aaB).count());
            assertEquals(new HashSet<>(plan.configurations), new HashSet<>(order.stream().map(Schedule.Entry::config).toList()));
        }
        assertNotEquals(s.order(1), s.order(2));
        assertEquals(s.order(2), new Schedule(plan, 3, 42).order(2), "the order depends only on the seed and round");
        assertNotEquals(s.order(2), new Schedule(plan, 3, 43).order(2));
    }

    /** A peer is measured on every tree and cache state of cp, in every slice that holds that cp reference. */
    @Test
    void peersGoWithCpIntoEverySliceOfTheirTree() {
        List<Group> groups = new ArrayList<>(Group.suites());
        groups.add(Group.PEER);
        RunPlan plan = RunPlan.make(Matrix.full(), groups, ENGINES, List.of("rsync"), EVERYTHING, Set.of(), ROOT);
        assertEquals(Matrix.full().configs(Group.CP, ENGINES).size(),
                plan.configurations.stream().filter(c -> c.group() == Group.PEER).count());
        assertTrue(plan.slices.size() > 1, "the full study rotates");
        int checked = 0;
        for (RunPlan.Slice slice : plan.slices) {
            // every tree and cache state the slice's engines copy has its peer in the slice (the A/A control, added
            // to every slice, brings none)
            for (Configuration c : slice.configs()) {
                if (c.group() == Group.CP || c.group() == Group.PEER || c.params().get("cache") == null) continue;
                Map<String, String> peer = new LinkedHashMap<>();
                for (String k : List.of("fileSize", "files", "cache")) peer.put(k, c.params().get(k));
                peer.put("peer", "rsync");
                if (!plan.configurations.contains(new Configuration(Group.PEER, peer))) continue; // memory: warm only
                assertTrue(slice.configs().contains(new Configuration(Group.PEER, peer)), slice.name() + ": " + c.id());
                checked++;
            }
        }
        assertTrue(checked > 100, "checked " + checked);
        assertEquals("PeerCopy:cache=warm,fileSize=1M,files=128,peer=rsync",
                new Configuration(Group.PEER, Map.of("fileSize", "1M", "files", "128", "cache", "warm", "peer", "rsync")).id());
    }

    @Test
    void fullStudyRotatesSlicesThatKeepEveryComparisonInOneRound() {
        RunPlan plan = RunPlan.make(Matrix.full(), List.of(Group.values()), ENGINES, EVERYTHING, Set.of(), ROOT);
        assertTrue(plan.slices.size() > 1, "a round of the whole full study would take hours");
        Schedule s = new Schedule(plan, 10, 7);
        assertEquals(10 * plan.slices.size(), s.rounds());
        Set<Configuration> covered = new HashSet<>();
        for (RunPlan.Slice slice : plan.slices) {
            covered.addAll(slice.configs());
            assertTrue(slice.configs().contains(plan.control), slice.name() + " holds the A/A control");
            for (Configuration c : slice.configs()) {
                if (c.group() == Group.CP) continue;
                if (RandomIoMatrix.covers(c.group())) {
                    // a random-I/O job has no tree: its direction's Java and fio configurations share the slice (the
                    // thesis' groups all share one with their fio runs)
                    for (Configuration other : plan.configurations) {
                        boolean thesis = ThesisMatrix.covers(c.group());
                        if (thesis ? ThesisMatrix.covers(other.group()) : RandomIoMatrix.covers(other.group())
                                && !ThesisMatrix.covers(other.group()) && other.params().get("rw").equals(c.params().get("rw"))) {
                            assertTrue(slice.configs().contains(other), slice.name() + " lacks " + other.id());
                        }
                    }
                    continue;
                }
                // the cp reference of every tree and cache state the slice copies
                boolean cp = slice.configs().stream().anyMatch(x -> x.group() == Group.CP
                        && x.params().get("fileSize").equals(c.params().get("fileSize"))
                        && x.params().get("files").equals(c.params().get("files"))
                        && x.params().get("cache").equals(c.params().get("cache")));
                assertTrue(cp, slice.name() + ": no cp reference for " + c.id());
                // a group's configurations of one tree share the slice: what a figure compares
                for (Configuration other : plan.configurations) {
                    if (other.group() == c.group() && other.params().get("fileSize").equals(c.params().get("fileSize"))) {
                        assertTrue(slice.configs().contains(other), slice.name() + " lacks " + other.id());
                    }
                }
            }
        }
        assertEquals(new HashSet<>(plan.configurations), covered);
        // every configuration gets its rounds, spread over the run
        Map<Configuration, Integer> rounds = new LinkedHashMap<>();
        for (int r = 1; r <= s.rounds(); r++) {
            for (Schedule.Entry e : s.order(r)) if (!e.aaB()) rounds.merge(e.config(), 1, Integer::sum);
        }
        for (Configuration c : plan.configurations) {
            // cp serves as the reference of several slices, so it may be measured more often
            if (c.group() == Group.CP) assertTrue(rounds.get(c) >= 10, c.id());
            else assertEquals(10, rounds.get(c), c.id());
        }
        assertEquals(s.rounds(), rounds.get(plan.control), "the control is in every round");
    }

    @Test
    void skippedConfigurationsAreNotPlanned() {
        Preflight noDirectNoCp = new Preflight("O_DIRECT does not work here", "fadvise", null, 1L << 50, 0);
        RunPlan plan = RunPlan.make(Matrix.quick(), List.of(Group.BASIC, Group.CP), ENGINES, noDirectNoCp, Set.of(), ROOT);
        assertTrue(plan.configurations.stream().noneMatch(c -> "true".equals(c.params().get("direct"))));
        assertTrue(plan.configurations.stream().noneMatch(c -> c.group() == Group.CP));
        assertTrue(plan.skips.stream().anyMatch(s -> s.reason().equals("O_DIRECT does not work here")));
        assertTrue(plan.skips.stream().anyMatch(s -> s.reason().contains("not installed")));
        assertEquals(Group.BASIC, plan.control.group(), "without cp the control is an engine's configuration");
        Set<String> before = Set.of(plan.configurations.get(0).id());
        RunPlan resumed = RunPlan.make(Matrix.quick(), List.of(Group.BASIC, Group.CP), ENGINES, noDirectNoCp, before, ROOT);
        assertFalse(resumed.configurations.contains(plan.configurations.get(0)), "a skip of an earlier session stays");
    }
}
