package org.aiobench.benchmarks.run;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.core.type.TypeReference;
import org.aiobench.benchmarks.CopyMetrics;
import org.aiobench.benchmarks.ScratchLayout;
import org.aiobench.workloads.VerificationException;
import org.openjdk.jmh.runner.RunnerException;
import picocli.CommandLine;
import org.aiobench.engines.Engines;
import org.aiobench.engines.UnsupportedConfigurationException;
import org.aiobench.workloads.CopyOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runner on a tiny matrix (trees of 3 files of 4K, one iteration, JMH in this JVM): the run directory holds
 * what results/README.md promises, and --resume finishes exactly the groups an interrupted run left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExperimentRunnerTest {
    static final Path BASE = Path.of("target", "runner-test").toAbsolutePath();
    static final Path SCRATCH = BASE.resolve("scratch");
    static final Path RUN = BASE.resolve("run");
    static final ObjectMapper JSON = new ObjectMapper();
    static final String[] TINY = {"--sizes", "4K", "--files", "3", "--caches", "warm", "--qd", "1,2", "--forks", "0",
            "--warmups", "0", "--iterations", "1", "--dir", SCRATCH.toString(), "--repo", Path.of("..").toString()};

    static String output;
    static int status;

    @BeforeAll
    static void runTinyMatrix() throws IOException {
        // JMH allows one benchmark run per machine (a lock in /tmp); these in-process runs of a few KiB may
        // overlap a real run without harming it
        System.setProperty("jmh.ignoreLock", "true");
        deleteTree(RUN);
        Files.createDirectories(BASE); // --dir must exist or have an existing parent
        List<String> args = new ArrayList<>(List.of(TINY));
        args.addAll(List.of("--results", RUN.toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        status = ExperimentRunner.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        output = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    @Test
    @Order(1)
    void envJsonHasTheContractKeys() throws IOException {
        assertEquals(0, status, output);
        JsonNode env = JSON.readTree(RUN.resolve("env.json").toFile());
        for (String key : List.of("/runId", "/createdAt", "/quick", "/kernel/release", "/kernel/cmdline", "/cpu/model",
                "/cpu/count", "/memoryBytes", "/scratch/path", "/scratch/fsType", "/scratch/mountOptions",
                "/scratch/device", "/scratch/deviceModel", "/scratch/scheduler", "/jdk", "/jmhVersion",
                "/aiobench/version", "/aiobench/commit", "/matrix/orderSeed", "/matrix/reductions")) {
            assertFalse(env.at(key).isMissingNode(), "env.json lacks " + key);
        }
        assertEquals("run", env.get("runId").asText());
        assertEquals(System.getProperty("os.version"), env.at("/kernel/release").asText());
        assertTrue(env.at("/aiobench/commit").asText().matches("[0-9a-f]{40}"), env.at("/aiobench/commit").asText());
        assertEquals(Runtime.getRuntime().availableProcessors(), env.at("/cpu/count").asInt());
        assertTrue(Files.exists(RUN.resolve("manifests").resolve("3x4K.manifest.json")));
        assertFalse(env.at("/probe/io_uring").isMissingNode(), "env.json has the kernel probe");
        assertFalse(env.at("/probe/o_direct").isMissingNode(), "the probe checked O_DIRECT in the scratch directory");
    }

    @Test
    @Order(2)
    void everyEngineIsMeasuredWithItsSecondaryMetrics() throws IOException {
        JsonNode basic = JSON.readTree(RUN.resolve("jmh/basic.json").toFile());
        Set<String> engines = new HashSet<>();
        Set<String> modes = new HashSet<>();
        for (JsonNode r : basic) {
            assertEquals("org.aiobench.benchmarks.BasicCopy.copy", r.get("benchmark").asText());
            assertEquals("ss", r.get("mode").asText());
            assertEquals("s/op", r.at("/primaryMetric/scoreUnit").asText());
            assertEquals(1, r.at("/primaryMetric/rawData/0").size());
            assertTrue(r.at("/primaryMetric/rawData/0/0").asDouble() > 0);
            engines.add(r.at("/params/engine").asText());
            modes.add(key(r.get("params")));
            for (String k : CopyMetrics.UNITS.keySet()) {
                if (k.equals(CopyMetrics.SPAWN)) continue; // the cp baseline's
                JsonNode m = r.at("/secondaryMetrics/" + k);
                assertFalse(m.isMissingNode(), "no " + k + " in " + r.get("params"));
                assertEquals(CopyMetrics.UNITS.get(k), m.get("scoreUnit").asText());
                assertEquals(1, m.at("/rawData/0").size(), k);
            }
            assertTrue(r.at("/secondaryMetrics/mbPerSec/score").asDouble() > 0);
            assertTrue(r.at("/secondaryMetrics/cpuUserSec/score").asDouble()
                    + r.at("/secondaryMetrics/cpuSysSec/score").asDouble() > 0);
            assertTrue(r.at("/secondaryMetrics/nativeBytes/score").asDouble() > 0, r.get("params").toString());
            assertEquals(1.0, r.at("/secondaryMetrics/residentFraction/score").asDouble(), "warm: all resident");
            assertEquals(r.at("/params/qd").asDouble(), r.at("/secondaryMetrics/pairsInFlight/score").asDouble(),
                    "qd pairs in flight in every mode");
            assertTrue(r.at("/secondaryMetrics/spawnSec").isMissingNode());
        }
        // every engine that can run on this machine (io_uring may be disabled by a sysctl or a seccomp filter)
        Set<String> available = new HashSet<>();
        for (String e : Engines.names()) {
            try {
                CopyOptions.defaults(e).validate();
                available.add(e);
            } catch (UnsupportedConfigurationException unavailable) {
                // skipped with this reason, which the coverage check below requires
            }
        }
        assertTrue(available.contains("sync"));
        assertEquals(available, engines);
        // every engine x mode x direct of the matrix is measured or skipped with a reason, never both
        Set<String> skipped = new HashSet<>();
        for (JsonNode s : JSON.readTree(RUN.resolve("skipped.json").toFile())) {
            if (s.get("group").asText().equals("basic")) skipped.add(key(s.get("params")));
        }
        Set<String> all = new HashSet<>();
        for (String e : Engines.names()) {
            for (String mode : List.of("single", "multi", "batch")) {
                for (String d : List.of("false", "true")) all.add(e + "/" + mode + "/" + d);
            }
        }
        Set<String> both = new HashSet<>(modes);
        both.retainAll(skipped);
        assertTrue(both.isEmpty(), "measured and skipped: " + both);
        Set<String> covered = new HashSet<>(modes);
        covered.addAll(skipped);
        assertEquals(all, covered);
        boolean direct = JSON.readTree(RUN.resolve("env.json").toFile()).at("/scratch/directIo").asText()
                .equals("supported");
        for (String e : available) {
            assertEquals(direct, modes.contains(e + "/single/true"), e + " single direct measured where O_DIRECT works");
            assertTrue(modes.contains(e + "/single/false"), e + " single buffered measured");
        }

        JsonNode cp = JSON.readTree(RUN.resolve("jmh/cp.json").toFile());
        assertEquals(1, cp.size());
        assertEquals("org.aiobench.benchmarks.CpBaseline.copy", cp.get(0).get("benchmark").asText());
        JsonNode cpPeak = cp.get(0).at("/secondaryMetrics/peakRssBytes/score");
        if (Files.isExecutable(Path.of("/usr/bin/time"))) {
            // cp's own peak, a few MiB: not the JVM's RSS, which a direct child of the JVM would report
            assertTrue(cpPeak.asDouble() > 0 && cpPeak.asDouble() < 64 << 20, "cp's peak RSS " + cpPeak);
        } else {
            assertTrue(cpPeak.isMissingNode(), "no /usr/bin/time: cp's peak RSS is not measured");
        }
        assertTrue(cp.get(0).at("/secondaryMetrics/nativeBytes").isMissingNode());
        double spawn = cp.get(0).at("/secondaryMetrics/spawnSec/score").asDouble();
        // on a 3 x 4K tree the copy is mostly the start: the two are about equal, and one sample each is noisy
        assertTrue(spawn > 0 && spawn < 1, "cp's start cost on an empty directory: " + spawn + " s");
        assertEquals(1.0, cp.get(0).at("/secondaryMetrics/residentFraction/score").asDouble());
        for (Group g : Group.values()) assertTrue(Files.exists(RUN.resolve("jmh").resolve(g.id() + ".json")), g.id());
    }

    @Test
    @Order(3)
    void skipsAreRecordedWithTheirReasons() throws IOException {
        JsonNode skipped = JSON.readTree(RUN.resolve("skipped.json").toFile());
        String log = Files.readString(RUN.resolve("run.log"));
        boolean batchOnSync = false;
        for (JsonNode s : skipped) {
            assertFalse(s.get("reason").asText().isBlank());
            if (s.get("group").asText().equals("basic") && s.at("/params/engine").asText().equals("sync")
                    && s.at("/params/mode").asText().equals("batch")) {
                batchOnSync = true;
                assertTrue(log.contains("SKIPPED basic engine=sync mode=batch"), "run.log names the skip");
                assertTrue(log.contains(s.get("reason").asText()), "run.log gives the reason");
            }
        }
        assertTrue(batchOnSync, "batch on sync is skipped");
        // a skipped configuration is never measured
        for (JsonNode r : JSON.readTree(RUN.resolve("jmh/basic.json").toFile())) {
            assertFalse(r.at("/params/engine").asText().equals("sync") && r.at("/params/mode").asText().equals("batch"));
        }
        JsonNode progress = JSON.readTree(RUN.resolve("progress.json").toFile());
        for (Group g : Group.values()) assertEquals("done", progress.at("/groups/" + g.id()).asText(), g.id());
    }

    @Test
    @Order(4)
    void resumeFinishesOnlyWhatIsMissing() throws IOException {
        // simulate a run killed during the fallocate group
        ObjectNode progress = (ObjectNode) JSON.readTree(RUN.resolve("progress.json").toFile());
        ((ObjectNode) progress.get("groups")).put("fallocate", "running").put("memory", "pending");
        JSON.writeValue(RUN.resolve("progress.json").toFile(), progress);
        Files.delete(RUN.resolve("jmh/fallocate.json"));
        Files.delete(RUN.resolve("jmh/memory.json"));
        FileTime old = FileTime.fromMillis(1_000_000L);
        for (String g : List.of("basic", "cp")) Files.setLastModifiedTime(RUN.resolve("jmh").resolve(g + ".json"), old);
        String basicBefore = Files.readString(RUN.resolve("jmh/basic.json"));
        long seed = JSON.readTree(RUN.resolve("env.json").toFile()).at("/matrix/orderSeed").asLong();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // as ./run-experiments.sh calls it: --repo is added by the script
        int rc = ExperimentRunner.run(new String[] {"--repo", Path.of("..").toString(), "--resume", RUN.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, text);
        assertTrue(text.contains("groups: [fallocate, memory]"), text);
        assertFalse(text.contains("== basic"), "basic was done and is not run again");
        assertTrue(Files.exists(RUN.resolve("jmh/fallocate.json")));
        assertTrue(Files.exists(RUN.resolve("jmh/memory.json")));
        assertTrue(JSON.readTree(RUN.resolve("jmh/fallocate.json").toFile()).size() > 0);
        assertEquals(old, Files.getLastModifiedTime(RUN.resolve("jmh/basic.json")));
        assertEquals(old, Files.getLastModifiedTime(RUN.resolve("jmh/cp.json")));
        assertEquals(basicBefore, Files.readString(RUN.resolve("jmh/basic.json")));
        JsonNode after = JSON.readTree(RUN.resolve("progress.json").toFile());
        for (Group g : Group.values()) assertEquals("done", after.at("/groups/" + g.id()).asText(), g.id());
        JsonNode env = JSON.readTree(RUN.resolve("env.json").toFile());
        assertTrue(env.has("resumedAt"));
        assertEquals(seed, env.at("/matrix/orderSeed").asLong(), "the resumed run keeps its order seed");
        // the skips of the groups not re-run are kept
        boolean basicSkips = false;
        for (JsonNode s : JSON.readTree(RUN.resolve("skipped.json").toFile())) {
            basicSkips |= s.get("group").asText().equals("basic");
        }
        assertTrue(basicSkips);
    }

    @Test
    @Order(5)
    void wrongDataFailsTheConfigurationWithItsError() throws Exception {
        // damage the source after the run ensured it: the copy then differs from the manifest
        Path tree = ScratchLayout.tree(SCRATCH, 3, 4096);
        Path victim;
        try (var s = Files.walk(tree)) {
            victim = s.filter(Files::isRegularFile).sorted().findFirst().orElseThrow();
        }
        byte[] data = Files.readAllBytes(victim);
        data[100] ^= 1;
        Files.write(victim, data);
        try {
            JsonNode measured = JSON.readTree(RUN.resolve("jmh/basic.json").toFile()).get(0).get("params");
            Map<String, String> params = JSON.convertValue(measured, new TypeReference<LinkedHashMap<String, String>>() {});
            ExperimentRunner r = new ExperimentRunner();
            new CommandLine(r).parseArgs(TINY);
            Path out = BASE.resolve("failed-config.log");
            RunnerException ex = assertThrows(RunnerException.class,
                    () -> r.runJmh(Group.BASIC, params, r.matrix(), SCRATCH, out));
            String why = ExperimentRunner.failure(out, ex);
            assertTrue(why.startsWith(VerificationException.class.getName()), why);
            assertTrue(why.contains(tree.relativize(victim).toString()) || why.contains(victim.getFileName().toString()), why);
        } finally {
            data[100] ^= 1;
            Files.write(victim, data);
        }
    }

    @Test
    void badInputIsOneLineAndExitTwo() {
        for (String[] args : List.of(new String[] {"--suite", "nope"}, new String[] {"--engines", "nope"},
                new String[] {"--resume", RUN.toString(), "--quick"}, new String[] {"--sizes", "abc"},
                new String[] {"--frobnicate"}, new String[] {"--resume", BASE.resolve("no-such-run").toString()})) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int rc = ExperimentRunner.run(args, new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            String msg = err.toString(StandardCharsets.UTF_8).trim();
            assertEquals(2, rc, String.join(" ", args) + ": " + msg);
            assertEquals(1, msg.lines().count(), msg);
            assertTrue(msg.startsWith("run-experiments.sh: "), msg);
        }
    }

    @Test
    void quickMatrixSaysWhatItReduces() {
        Matrix q = Matrix.quick();
        Matrix f = Matrix.full();
        assertFalse(q.reductions().isEmpty());
        assertTrue(f.reductions().isEmpty());
        assertTrue(f.forks() >= 2 && f.iterations() >= 5);
        assertEquals(List.of(1, 2, 4, 8, 16, 32, 64, 128, 256), f.qds());
        List<String> engines = List.of("sync", "io_uring");
        // the full study's basic group: 2 engines x 3 modes x 3 sizes x 2 direct x 2 caches
        assertEquals(72, f.configs(Group.BASIC, engines).size());
        assertTrue(q.configs(Group.BASIC, engines).size() < f.configs(Group.BASIC, engines).size());
        for (Map<String, String> p : f.configs(Group.QD, engines)) assertEquals(13, p.size());
        assertNotEquals(f.treesFor(List.of(Group.BASIC)), q.treesFor(List.of(Group.BASIC)));
    }

    /** The runner's full matrix is what the benchmark classes' @Param defaults say (java -jar benchmarks.jar runs). */
    @Test
    void fullMatrixIsTheBenchmarkClassesParamDefaults() throws Exception {
        List<String> engines = List.of("sync", "copy_file_range", "posixaio", "libaio", "io_uring");
        for (Group g : Group.values()) {
            Class<?> c = Class.forName(g.benchmark().substring(0, g.benchmark().lastIndexOf('.')));
            List<Map<String, String>> product = new ArrayList<>(List.of(new LinkedHashMap<>()));
            for (java.lang.reflect.Field f : c.getDeclaredFields()) {
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
            Set<Map<String, String>> annotated = new HashSet<>(product);
            Set<Map<String, String>> runner = new HashSet<>(Matrix.full().configs(g, engines));
            Set<Map<String, String>> onlyAnnotated = new HashSet<>(annotated);
            onlyAnnotated.removeAll(runner);
            Set<Map<String, String>> onlyRunner = new HashSet<>(runner);
            onlyRunner.removeAll(annotated);
            assertTrue(onlyAnnotated.isEmpty() && onlyRunner.isEmpty(), g.id() + ": only in @Param defaults "
                    + onlyAnnotated.size() + ", only in the runner " + onlyRunner.size() + ", e.g. "
                    + onlyAnnotated.stream().findFirst().orElse(null) + " / " + onlyRunner.stream().findFirst().orElse(null));
        }
    }

    @Test
    void failureMessageIsTakenFromJmhOutput() throws IOException {
        Path log = BASE.resolve("failure.log");
        Files.createDirectories(BASE);
        Files.writeString(log, "# Fork: 1 of 1\nIteration   1: <failure>\n\norg.aiobench.workloads.VerificationException: 3/1.bin"
                + " differs at offset 4096\n\tat org.aiobench...\n");
        assertEquals("org.aiobench.workloads.VerificationException: 3/1.bin differs at offset 4096",
                ExperimentRunner.failure(log, new org.openjdk.jmh.runner.RunnerException("x")));
    }

    static String key(JsonNode params) {
        return params.get("engine").asText() + "/" + params.get("mode").asText() + "/" + params.get("direct").asText();
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(x);
        }
    }
}
