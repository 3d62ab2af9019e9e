package org.aiobench.benchmarks.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.aiobench.benchmarks.metrics.CopyMetrics;
import org.aiobench.benchmarks.ScratchLayout;
import org.aiobench.benchmarks.metrics.StartTimeProfiler;
import org.aiobench.benchmarks.plan.Configuration;
import org.aiobench.benchmarks.plan.Group;
import org.aiobench.benchmarks.plan.Matrix;
import org.aiobench.benchmarks.plan.RandomIoMatrix;
import org.aiobench.engines.Engines;
import org.aiobench.engines.UnsupportedConfigurationException;
import org.aiobench.workloads.CopyOptions;
import org.aiobench.workloads.VerificationException;
import org.aiobench.workloads.randio.FioJob;
import org.aiobench.workloads.randio.RandomIoReport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.aiobench.benchmarks.run.RunnerTests.BASE;
import static org.aiobench.benchmarks.run.RunnerTests.SCRATCH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runner on a tiny matrix (trees of 3 files of 4K, one copy per fork, JMH in this JVM, 2 rounds): the run
 * directory holds what results/README.md promises, every fork's samples with their place in time.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExperimentRunnerTest {
    static final Path RUN = BASE.resolve("run");
    static final ObjectMapper JSON = new ObjectMapper();

    static RunnerTests.Outcome outcome;

    @BeforeAll
    static void runTinyMatrix() throws IOException {
        RunnerTests.deleteTree(RUN);
        outcome = RunnerTests.runTiny(RUN);
    }

    @Test
    @Order(1)
    void envJsonHasTheContractKeys() throws IOException {
        assertEquals(0, outcome.status(), outcome.all());
        JsonNode env = JSON.readTree(RUN.resolve("env.json").toFile());
        for (String key : List.of("/runId", "/createdAt", "/quick", "/kernel/release", "/kernel/cmdline", "/cpu/model",
                "/cpu/count", "/memoryBytes", "/scratch/path", "/scratch/fsType", "/scratch/mountOptions",
                "/scratch/device", "/scratch/deviceModel", "/scratch/scheduler", "/jdk", "/jmhVersion",
                "/aiobench/version", "/aiobench/commit", "/matrix/reductions", "/rounds/count", "/rounds/seed",
                "/rounds/controlConfig", "/otherLoad/loadAverage", "/otherLoad/busyProcesses")) {
            assertFalse(env.at(key).isMissingNode(), "env.json lacks " + key);
        }
        assertEquals("run", env.get("runId").asText());
        assertEquals(2, env.at("/rounds/count").asInt());
        assertEquals("CpBaseline:cache=warm,fileSize=4K,files=3", env.at("/rounds/controlConfig").asText());
        assertEquals(System.getProperty("os.version"), env.at("/kernel/release").asText());
        assertTrue(env.at("/aiobench/commit").asText().matches("[0-9a-f]{40}"), env.at("/aiobench/commit").asText());
        assertEquals(Runtime.getRuntime().availableProcessors(), env.at("/cpu/count").asInt());
        assertTrue(Files.exists(RUN.resolve("manifests").resolve("3x4K.manifest.json")));
        assertFalse(env.at("/probe/io_uring").isMissingNode(), "env.json has the kernel probe");
        assertFalse(env.at("/probe/o_direct").isMissingNode(), "the probe checked O_DIRECT in the scratch directory");
        // the harness keeps its files in its own subdirectory of --dir, nothing loose beside the user's files
        try (var s = Files.list(SCRATCH)) {
            assertEquals(List.of(ScratchLayout.SUBDIRECTORY), s.map(p -> p.getFileName().toString()).toList());
        }
        assertEquals(ScratchLayout.root(SCRATCH).toString(), env.at("/scratch/path").asText());
    }

    @Test
    @Order(2)
    void everySampleIsKeptWithItsRoundAndPlaceInTime() throws IOException {
        List<JsonNode> rounds = lines("rounds.jsonl");
        assertEquals(2, rounds.size());
        String control = JSON.readTree(RUN.resolve("env.json").toFile()).at("/rounds/controlConfig").asText();
        Map<String, Integer> perFork = new HashMap<>();
        for (JsonNode s : lines("samples.jsonl")) {
            for (String k : List.of("round", "group", "config", "benchmark", "params", "fork", "iteration", "start",
                    "value", "unit", "metrics")) {
                assertTrue(s.has(k), "sample lacks " + k + ": " + s);
            }
            Group g = Group.byId(s.get("group").asText());
            Map<String, String> params = JSON.convertValue(s.get("params"), new TypeReference<LinkedHashMap<String, String>>() {});
            assertEquals(new Configuration(g, params).id(), s.get("config").asText());
            assertEquals(g.benchmark(), s.get("benchmark").asText());
            // a copy's time, a random-I/O job's IOPS
            assertEquals(RandomIoMatrix.covers(g) ? "ops/s" : "s/op", s.get("unit").asText());
            assertTrue(s.get("value").asDouble() > 0);
            assertFalse(s.path("metrics").has(StartTimeProfiler.METRIC), "the start is not a metric");
            assertTrue(s.at("/metrics/mbPerSec").asDouble() > 0);
            if (s.has("aa")) {
                assertEquals("B", s.get("aa").asText());
                assertEquals(control, s.get("config").asText());
            }
            // the start lies within its round
            JsonNode round = rounds.get(s.get("round").asInt() - 1);
            Instant start = Instant.parse(s.get("start").asText());
            assertTrue(s.get("start").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), s.get("start").asText());
            assertFalse(start.isBefore(Instant.parse(round.get("started").asText()).minusMillis(1)), s.toString());
            assertFalse(start.isAfter(Instant.parse(round.get("finished").asText())), s.toString());
            String fork = s.get("round").asInt() + " " + s.get("config").asText() + (s.has("aa") ? "#B" : "");
            perFork.merge(fork, 1, Integer::sum);
        }
        // every fork of every round's order has its one measured copy, and nothing else is there
        Set<String> expected = new HashSet<>();
        for (JsonNode r : rounds) {
            assertEquals(List.of(), JSON.convertValue(r.get("failed"), List.class));
            assertTrue(r.get("stealFraction").asDouble() >= 0 && r.get("iowaitFraction").asDouble() >= 0);
            for (JsonNode id : r.get("order")) expected.add(r.get("round").asInt() + " " + id.asText());
            assertTrue(contains(r.get("order"), control) && contains(r.get("order"), control + "#B"),
                    "the A/A control runs twice in round " + r.get("round"));
        }
        assertEquals(expected, perFork.keySet());
        assertTrue(perFork.values().stream().allMatch(n -> n == 1), perFork.toString());
        // both rounds run the same forks, each in its own order
        Set<String> first = ids(rounds.get(0));
        assertEquals(first, ids(rounds.get(1)));
        assertNotEquals(list(rounds.get(0)), list(rounds.get(1)), "each round is shuffled afresh");
        JsonNode progress = JSON.readTree(RUN.resolve("progress.json").toFile());
        assertEquals("complete", progress.get("state").asText());
        assertEquals(2, progress.get("roundsDone").asInt());
        assertEquals(0, JSON.readTree(RUN.resolve("failures.json").toFile()).size());
    }

    @Test
    @Order(3)
    void everyEngineIsMeasuredWithItsSecondaryMetrics() throws IOException {
        // jmh/<group>.json: the rounds' JMH results merged per configuration, one rawData array per round
        JsonNode basic = JSON.readTree(RUN.resolve("jmh/basic.json").toFile());
        Set<String> engines = new HashSet<>();
        Set<String> modes = new HashSet<>();
        for (JsonNode r : basic) {
            assertEquals("org.aiobench.benchmarks.BasicCopy.copy", r.get("benchmark").asText());
            assertEquals("ss", r.get("mode").asText());
            assertEquals("s/op", r.at("/primaryMetric/scoreUnit").asText());
            assertEquals(2, r.at("/primaryMetric/rawData").size(), "one fork per round");
            assertEquals(1, r.at("/primaryMetric/rawData/0").size());
            assertTrue(r.at("/primaryMetric/rawData/0/0").asDouble() > 0);
            engines.add(r.at("/params/engine").asText());
            modes.add(key(r.get("params")));
            for (String k : CopyMetrics.UNITS.keySet()) {
                if (k.equals(CopyMetrics.SPAWN) || k.equals(CopyMetrics.BOUND)) continue; // cp's, fio's bound's
                if (k.equals(CopyMetrics.PAIR_SIDE)) continue; // a paired fork's, and moved out of the metrics
                JsonNode m = r.at("/secondaryMetrics/" + k);
                assertFalse(m.isMissingNode(), "no " + k + " in " + r.get("params"));
                assertEquals(CopyMetrics.UNITS.get(k), m.get("scoreUnit").asText());
                assertEquals(1, m.at("/rawData/0").size(), k);
            }
            assertTrue(r.at("/secondaryMetrics/" + StartTimeProfiler.METRIC).isMissingNode());
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
        assertEquals(1, cp.size(), "the A/A control's twin is not merged into its configuration");
        assertEquals(2, cp.get(0).at("/primaryMetric/rawData").size());
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
        for (Group g : Group.suites()) {
            if (g == Group.FIO && FioJob.version() == null) continue; // every fio configuration skipped
            assertTrue(Files.exists(RUN.resolve("jmh").resolve(g.id() + ".json")), g.id());
        }
        // JMH's own JSON of each round, every fork tagged with its round and configuration
        JsonNode round1 = JSON.readTree(RUN.resolve("jmh/rounds/round-001.json").toFile());
        assertEquals(lines("rounds.jsonl").get(0).get("order").size(), round1.size());
        for (JsonNode f : round1) assertEquals(1, f.at("/aiobench/round").asInt());
    }

    @Test
    @Order(3)
    void randomIoJobsAreMeasuredBesideFio() throws IOException {
        Set<String> engines = new HashSet<>();
        int fio = 0;
        for (JsonNode s : lines("samples.jsonl")) {
            Group g = Group.byId(s.get("group").asText());
            if (!RandomIoMatrix.covers(g)) continue;
            if (g == Group.STALL) continue; // its score is 1 / the mean time to visibility (ThesisPlanTest, results/README)
            // the score is the job's IOPS; its latency, CPU and bandwidth are metrics
            double iops = s.at("/metrics/" + RandomIoReport.IOS).asDouble() / s.at("/metrics/" + RandomIoReport.RUNTIME).asDouble();
            // (the value is the profiler's iops metric, not JMH's score; with several jobs it sums each job's I/Os
            // over its own window, runtimeSec is their mean window: the sum of each job's rate is not the sum of I/Os
            // over the mean window when the windows differ, as they do when a job is descheduled at its end on a
            // loaded machine, seen 0.11% apart with 4 jobs and 2 CPU hogs)
            double within = s.at("/params/numjobs").asInt() > 1 ? 1e-2 : 1e-4;
            assertEquals(iops, s.get("value").asDouble(), iops * within, s.toString());
            boolean byFio = g == Group.FIO || g == Group.THESISFIO;
            for (String k : List.of(RandomIoReport.LAT_P50, RandomIoReport.LAT_P99, RandomIoReport.LAT_MAX,
                    RandomIoReport.CPU_PER_IO, RandomIoReport.MB_PER_SEC)) {
                // fio's usr_cpu and sys_cpu come in scheduler ticks: a stalled fio job of a few I/Os can use none
                boolean mayBeZero = byFio && k.equals(RandomIoReport.CPU_PER_IO)
                        && s.at("/metrics/" + RandomIoReport.CPU_USER).asDouble() == 0
                        && s.at("/metrics/" + RandomIoReport.CPU_SYS).asDouble() == 0;
                double v = s.at("/metrics/" + k).asDouble();
                assertTrue(mayBeZero ? v >= 0 : v > 0, k + " in " + s);
            }
            if (byFio) fio++;
            else engines.add(s.at("/params/engine").asText() + "/" + s.at("/params/rw").asText());
        }
        assertTrue(engines.contains("sync/randread") && engines.contains("sync/randwrite"), engines.toString());
        JsonNode skipped = JSON.readTree(RUN.resolve("skipped.json").toFile());
        if (FioJob.version() == null) {
            assertEquals(0, fio);
            boolean said = false;
            for (JsonNode s : skipped) {
                if (s.get("group").asText().equals("fio")) said |= s.get("reason").asText().contains("apt-get install fio");
            }
            assertTrue(said, "without fio its configurations are skipped with the install hint");
            return;
        }
        assertTrue(fio > 0, "fio measured beside the Java jobs");
        // fio's own JSON of every run, kept whole in the run directory
        try (var files = Files.walk(RUN.resolve("fio"))) {
            List<Path> json = files.filter(p -> p.toString().endsWith(".json")).toList();
            // and fio's runs of the copy bound (group copybound)
            long bound = lines("samples.jsonl").stream().filter(s -> s.get("group").asText().equals("copybound")).count();
            assertEquals(fio + bound, json.size());
            assertTrue(JSON.readTree(json.get(0).toFile()).has("jobs"), json.get(0).toString());
        }
    }

    @Test
    @Order(4)
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
        for (JsonNode s : lines("samples.jsonl")) {
            assertFalse(s.at("/params/engine").asText().equals("sync") && s.at("/params/mode").asText().equals("batch"));
        }
    }

    @Test
    @Order(5)
    void aCompleteRunIsNotResumedAndNotOverwritten() throws IOException {
        String before = Files.readString(RUN.resolve("samples.jsonl"));
        RunnerTests.Outcome again = RunnerTests.run(List.of("--repo", "..", "--resume", RUN.toString()));
        assertEquals(2, again.status(), again.all());
        assertTrue(again.err().contains("complete"), again.err());
        RunnerTests.Outcome over = RunnerTests.runTiny(RUN);
        assertEquals(2, over.status(), over.all());
        assertTrue(over.err().contains("--resume"), over.err());
        assertEquals(before, Files.readString(RUN.resolve("samples.jsonl")));
    }

    @Test
    @Order(6)
    void wrongDataFailsTheConfigurationWithItsError() throws Exception {
        // damage the source after the run ensured it: the copy then differs from the manifest
        Path tree = ScratchLayout.tree(ScratchLayout.root(SCRATCH), 3, 4096);
        Path victim;
        try (var s = Files.walk(tree)) {
            victim = s.filter(Files::isRegularFile).sorted().findFirst().orElseThrow();
        }
        byte[] data = Files.readAllBytes(victim);
        data[100] ^= 1;
        Files.write(victim, data);
        try {
            Map<String, String> params = JSON.convertValue(JSON.readTree(RUN.resolve("jmh/basic.json").toFile()).get(0)
                    .get("params"), new TypeReference<LinkedHashMap<String, String>>() {});
            JmhFork fork = new JmhFork(SCRATCH, BASE.resolve("failed-config.log"));
            JmhFork.Outcome o = fork.run(new Configuration(Group.BASIC, params), new Matrix.Repetitions(0, 1), 0);
            String why = assertInstanceOf(JmhFork.Outcome.Failed.class, o).error();
            assertTrue(why.startsWith(VerificationException.class.getName()), why);
            assertTrue(why.contains(tree.relativize(victim).toString()) || why.contains(victim.getFileName().toString()), why);
        } finally {
            data[100] ^= 1;
            Files.write(victim, data);
        }
    }

    @Test
    void failureMessageIsTakenFromJmhOutput() throws IOException {
        Path log = BASE.resolve("failure.log");
        Files.createDirectories(BASE);
        Files.writeString(log, "# Fork: 1 of 1\nIteration   1: <failure>\n\norg.aiobench.workloads.VerificationException: 3/1.bin"
                + " differs at offset 4096\n\tat org.aiobench...\n");
        assertEquals("org.aiobench.workloads.VerificationException: 3/1.bin differs at offset 4096",
                JmhFork.failure(log, new org.openjdk.jmh.runner.RunnerException("x")));
    }

    static List<JsonNode> lines(String name) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(RUN.resolve(name))) out.add(JSON.readTree(l));
        return out;
    }

    private static boolean contains(JsonNode arr, String s) {
        for (JsonNode n : arr) if (n.asText().equals(s)) return true;
        return false;
    }

    private static Set<String> ids(JsonNode round) { return new HashSet<>(list(round)); }

    private static List<String> list(JsonNode round) {
        List<String> l = new ArrayList<>();
        round.get("order").forEach(n -> l.add(n.asText()));
        return l;
    }

    static String key(JsonNode params) {
        return params.get("engine").asText() + "/" + params.get("mode").asText() + "/" + params.get("direct").asText();
    }
}
