package org.aiobench.analysis;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.aiobench.analysis.run.Result;

/**
 * A run directory with known effects, written by tests: configurations of the basic group (plus cp -r, which records
 * its start cost) measured in rounds whose level drifts, each configuration at a set factor of cp -r's time less its
 * start cost, with seeded lognormal noise per copy. Invented numbers, never a measurement.
 */
public final class SyntheticRun {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final double CP_START_SECONDS = 0.004;

    private record Config(String group, String benchmark, Map<String, String> params, double factor, String aa,
                          int trendPercent) {
        String id() {
            return Result.configId(benchmark, params);
        }
    }

    private final List<Config> configs = new ArrayList<>();
    private int rounds = 20;
    private int iterations = 3;
    private double noise = 0.02;
    private double aaFactor = 1.0;
    private double aaNoise = 0;
    private String state = "complete";
    private final List<Map<String, Object>> failures = new ArrayList<>();
    private long seed = 1;
    private double level = 1.0;
    private double runEffect = 0;
    private String kernel = "6.99.0-synthetic";
    private String createdAt = "2026-11-28T10:00:00Z";
    private String host;
    private String cpuModel;

    public SyntheticRun rounds(int n) {
        rounds = n;
        return this;
    }

    public SyntheticRun iterations(int n) {
        iterations = n;
        return this;
    }

    public SyntheticRun noise(double sigma) {
        noise = sigma;
        return this;
    }

    public SyntheticRun seed(long s) {
        seed = s;
        return this;
    }

    /** The A/A control's second label at this factor of the first, with its own extra per-round noise. */
    public SyntheticRun aa(double factor, double extraNoise) {
        aaFactor = factor;
        aaNoise = extraNoise;
        return this;
    }

    /** The whole box at this factor (a run measured while the machine was slower, or a kernel slower for all). */
    public SyntheticRun level(double factor) {
        level = factor;
        return this;
    }

    /**
     * Each configuration's own level in this run, drawn once per run (seeded): what differs between runs of one build
     * beyond the box's level (a fresh JVM's JIT, the tree's layout), SD {@code sigma} on the log scale.
     */
    public SyntheticRun runEffect(double sigma) {
        runEffect = sigma;
        return this;
    }

    public SyntheticRun kernel(String release) {
        kernel = release;
        return this;
    }

    /** The box: env.json's host (name, machine id) and CPU model (what the store tells boxes apart by). */
    public SyntheticRun box(String hostName, String cpu) {
        host = hostName;
        cpuModel = cpu;
        return this;
    }

    public SyntheticRun createdAt(String instant) {
        createdAt = instant;
        return this;
    }

    public SyntheticRun interrupted() {
        state = "interrupted";
        return this;
    }

    /** A basic single-mode copy of 128 x 1M, buffered, warm, at {@code factor} times cp -r. */
    public SyntheticRun engine(String engine, double factor) {
        return engine(engine, factor, 0);
    }

    /** With a warm-up that lasts: each later iteration of a fork trendPercent% faster than the one before. */
    public SyntheticRun engine(String engine, double factor, int trendPercent) {
        Map<String, String> p = new TreeMap<>(Map.of("engine", engine, "mode", "single", "fileSize", "1M",
                "files", "128", "direct", "false", "cache", "warm", "qd", "64"));
        configs.add(new Config("basic", "org.aiobench.benchmarks.BasicCopy.copy", p, factor, null, trendPercent));
        return this;
    }

    /** {@link #engine}, with other parameters set (e.g. metadata=ring): a configuration of its own. */
    public SyntheticRun engineWith(String engine, Map<String, String> more, double factor) {
        Map<String, String> p = new TreeMap<>(Map.of("engine", engine, "mode", "single", "fileSize", "1M",
                "files", "128", "direct", "false", "cache", "warm", "qd", "64"));
        p.putAll(more);
        configs.add(new Config("basic", "org.aiobench.benchmarks.BasicCopy.copy", p, factor, null, 0));
        return this;
    }

    /** A start cost of the peers: larger than cp's, so that a ratio that left it in would show. */
    static final double PEER_START_SECONDS = 0.012;

    private final List<String> wrongPeers = new ArrayList<>();

    /** A peer (--peer) on cp's tree (128 x 1M, warm) at {@code factor} times cp -r, both less their start costs. */
    public SyntheticRun peer(String name, double factor) {
        configs.add(new Config("peer", "org.aiobench.benchmarks.PeerCopy.copy", peerParams(name), factor, null, 0));
        return this;
    }

    /** A peer whose every copy is wrong: byte 4100 of 0/file-3.dat, in every round; it has no samples. */
    public SyntheticRun wrongPeer(String name) {
        configs.add(new Config("peer", "org.aiobench.benchmarks.PeerCopy.copy", peerParams(name), 1.0, null, 0));
        wrongPeers.add(name);
        return this;
    }

    private static Map<String, String> peerParams(String name) {
        return new TreeMap<>(Map.of("fileSize", "1M", "files", "128", "cache", "warm", "peer", name));
    }

    /** A configuration of the large-file group on cp's tree (128 x 1M, warm) at {@code factor} times cp -r. */
    public SyntheticRun large(String engine, String cfrRequest, boolean direct, double factor) {
        Map<String, String> p = new TreeMap<>(Map.of("engine", engine, "mode", "single", "fileSize", "1M",
                "files", "128", "direct", Boolean.toString(direct), "fallocate", Boolean.toString(direct),
                "cache", "warm", "qd", "64", "bufferSize", "128K", "cfrRequest", cfrRequest));
        p.putAll(Map.of("opsPerFile", "4", "ringFlags", "none", "regbuf", "false", "regfiles", "false"));
        configs.add(new Config("large", "org.aiobench.benchmarks.LargeFileCopy.copy", p, factor, null, 0));
        return this;
    }

    /** fio's copy bound on cp's tree, its own runtime ({@code boundSec}) at {@code factor} times cp -r. */
    public SyntheticRun bound(boolean direct, double factor) {
        Map<String, String> p = new TreeMap<>(Map.of("fileSize", "1M", "files", "128", "cache", "warm",
                "direct", Boolean.toString(direct), "bs", "128K", "iodepth", "64"));
        configs.add(new Config("copybound", "org.aiobench.benchmarks.FioCopyBound.copy", p, factor, null, 0));
        return this;
    }

    public SyntheticRun failed(String engine, int round, String error) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("round", round);
        f.put("group", "basic");
        f.put("config", configs.stream().filter(c -> engine.equals(c.params().get("engine"))).findFirst()
                .map(Config::id).orElse(""));
        f.put("params", Map.of("engine", engine, "mode", "single", "fileSize", "1M", "files", "128", "direct", "false",
                "cache", "warm", "qd", "64"));
        f.put("error", error);
        failures.add(f);
        return this;
    }

    /**
     * History's runs in {@code dir}: three kernels, written out of order, the first measured twice (so the box is
     * calibrated by identical runs); io_uring 40% slower against cp -r from 6.1.10 on (runs a, a2, b, c).
     */
    public static void threeKernels(Path dir) throws IOException {
        new SyntheticRun().engine("sync", 1.0).engine("io_uring", 1.26).seed(3).kernel("6.10.2")
                .createdAt("2026-11-03T10:00:00Z").write(dir.resolve("c"));
        new SyntheticRun().engine("sync", 1.0).engine("io_uring", 0.90).seed(1).kernel("6.1.9")
                .createdAt("2026-11-01T10:00:00Z").write(dir.resolve("a"));
        new SyntheticRun().engine("sync", 1.0).engine("io_uring", 0.90).seed(4).kernel("6.1.9")
                .createdAt("2026-11-01T12:00:00Z").write(dir.resolve("a2"));
        new SyntheticRun().engine("sync", 1.0).engine("io_uring", 1.26).seed(2).kernel("6.1.10").level(1.2)
                .createdAt("2026-11-02T10:00:00Z").write(dir.resolve("b"));
    }

    /** Writes the run into dir; the A/A control is the first engine's configuration. */
    public Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, String> cpParams = new TreeMap<>(Map.of("fileSize", "1M", "files", "128", "cache", "warm"));
        List<Config> all = new ArrayList<>(configs);
        all.add(new Config("cp", "org.aiobench.benchmarks.CpBaseline.copy", cpParams, 1.0, null, 0));
        Config control = configs.get(0);
        all.add(new Config(control.group(), control.benchmark(), control.params(), control.factor() * aaFactor, "B",
                0));
        for (String name : wrongPeers) {
            for (int round = 1; round <= rounds; round++) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("round", round);
                f.put("group", "peer");
                f.put("config", Result.configId("org.aiobench.benchmarks.PeerCopy.copy", peerParams(name)));
                f.put("params", peerParams(name));
                f.put("error", "org.aiobench.workloads.VerificationException: 0/file-3.dat at offset 4100: content"
                        + " differs from the manifest");
                f.put("wrongData", Map.of("file", "0/file-3.dat", "offset", 4100, "what",
                        "content differs from the manifest"));
                failures.add(f);
            }
        }
        Random rnd = new Random(seed);
        Map<String, Double> own = new java.util.HashMap<>();
        for (Config c : all) own.put(c.id(), Math.exp(runEffect * rnd.nextGaussian()));
        Instant clock = Instant.parse(createdAt);
        StringBuilder samples = new StringBuilder(), roundLines = new StringBuilder();
        int lastRound = state.equals("complete") ? rounds : rounds - 1;
        for (int round = 1; round <= lastRound; round++) {
            Instant started = clock;
            double level = 0.100 * this.level * (1 + 0.25 * Math.sin(round / 3.0)); // the box drifts by up to 25%
            List<Config> order = new ArrayList<>(all);
            Collections.shuffle(order, rnd);
            ArrayNode ids = JSON.createArrayNode();
            ArrayNode failedIds = JSON.createArrayNode();
            for (Config c : order) {
                ids.add(c.id() + (c.aa() == null ? "" : "#" + c.aa()));
                final int r = round;
                boolean failedHere = failures.stream().anyMatch(f -> f.get("config").equals(c.id())
                        && ((Integer) f.get("round")) == r) && c.aa() == null;
                if (failedHere) {
                    failedIds.add(c.id());
                    continue;
                }
                double aaShift = c.aa() == null ? 1 : Math.exp(aaNoise * rnd.nextGaussian());
                for (int it = 1; it <= iterations; it++) {
                    clock = clock.plusMillis(500);
                    double warm = 1 + c.trendPercent() / 100.0 * (iterations - it);
                    double t = level * c.factor() * own.get(c.id()) * aaShift * warm
                            * Math.exp(noise * rnd.nextGaussian());
                    ObjectNode line = JSON.createObjectNode();
                    line.put("round", round);
                    line.put("group", c.group());
                    line.put("config", c.id());
                    line.put("benchmark", c.benchmark());
                    line.set("params", JSON.valueToTree(c.params()));
                    if (c.aa() != null) line.put("aa", c.aa());
                    line.put("fork", 1);
                    line.put("iteration", it);
                    line.put("start", clock.toString());
                    ObjectNode metrics = JSON.createObjectNode();
                    if (c.group().equals("copybound")) {
                        metrics.put("boundSec", t);
                        t += 0.05; // fio as measured: its start, layout and exit too
                    }
                    if (c.group().equals("cp") || c.group().equals("peer")) {
                        double start = (c.group().equals("cp") ? CP_START_SECONDS : PEER_START_SECONDS)
                                * Math.exp(0.05 * rnd.nextGaussian());
                        metrics.put("spawnSec", start);
                        t += start; // cp as measured: its copy plus starting cp
                    }
                    line.put("value", t);
                    line.put("unit", "s/op");
                    metrics.put("mbPerSec", 128 * 1048576 / 1e6 / t);
                    metrics.put("peakRssBytes", 4e6 * c.factor());
                    line.set("metrics", metrics);
                    samples.append(JSON.writeValueAsString(line)).append('\n');
                    clock = clock.plusNanos((long) (t * 1e9));
                }
            }
            ObjectNode rl = JSON.createObjectNode();
            rl.put("round", round);
            rl.put("started", started.toString());
            rl.put("finished", clock.toString());
            rl.set("order", ids);
            rl.put("stealFraction", 0.001 * round);
            rl.put("iowaitFraction", 0.02);
            rl.set("failed", failedIds);
            roundLines.append(JSON.writeValueAsString(rl)).append('\n');
        }
        ObjectNode env = JSON.createObjectNode();
        env.put("runId", dir.getFileName().toString());
        env.put("createdAt", createdAt);
        env.put("quick", false);
        env.putObject("kernel").put("release", kernel);
        if (host != null) {
            env.putObject("host").put("name", host).put("machineId", "synthetic-" + host);
            env.putObject("cpu").put("model", cpuModel).put("count", 2);
            env.put("memoryBytes", 25276502016L);
        }
        ObjectNode ab = env.putObject("aiobench");
        ab.put("version", "0.1.0-SNAPSHOT");
        ab.put("commit", "synthetic");
        ArrayNode peers = env.putArray("peers");
        for (Config c : configs) {
            if (!c.group().equals("peer")) continue;
            ObjectNode p = peers.addObject();
            p.put("name", c.params().get("peer"));
            p.put("group", "peer");
            p.putArray("command").add("/usr/bin/" + c.params().get("peer")).add("{src}").add("{dst}");
        }
        ObjectNode r = env.putObject("rounds");
        r.put("count", rounds);
        r.put("seed", seed);
        r.put("controlConfig", control.id());
        Map<String, Object> progress = new LinkedHashMap<>();
        progress.put("state", state);
        progress.put("rounds", rounds);
        progress.put("roundsDone", lastRound);
        if (!state.equals("complete")) progress.put("current", Map.of("round", rounds, "done", List.of()));
        progress.put("seed", seed);
        Files.writeString(dir.resolve("env.json"), JSON.writeValueAsString(env), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("samples.jsonl"), samples, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("rounds.jsonl"), roundLines, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("progress.json"), JSON.writeValueAsString(progress), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("failures.json"), JSON.writeValueAsString(failures), StandardCharsets.UTF_8);
        return dir;
    }
}
