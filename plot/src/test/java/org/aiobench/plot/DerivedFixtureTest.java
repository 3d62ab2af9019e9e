package org.aiobench.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture rounds-derived/ is made from fixtures/complete/ (a real --quick run from before rounds) by
 * {@link #derive}: measured iteration i of each configuration's one fork becomes that configuration's sample in
 * round i, so every value in samples.jsonl is one measured copy. What is made up is said in fixtures/README.md. The
 * test checks that the checked-in files are exactly what the derivation gives; run it with
 * {@code -Daiobench.writeFixture=true} to write them.
 */
class DerivedFixtureTest {
    static final Path SOURCE = Fixtures.DIR.resolve("complete");
    static final Path TARGET = Fixtures.DIR.resolve("rounds-derived");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = 20221;
    /** The A/A control: basic io_uring 1M buffered warm single; its B label takes the memory group's copies. */
    private static final Map<String, String> CONTROL = Map.of("engine", "io_uring", "fileSize", "1M", "direct",
            "false", "mode", "single", "cache", "warm");
    /** Time between two forks in a round, for the synthesized start times (warm-up, set-up, verification). */
    private static final double FORK_GAP_SECONDS = 2.0;

    @TempDir
    Path tmp;

    @Test
    void checkedInFixtureIsTheDerivation() throws IOException {
        Path out = Boolean.getBoolean("aiobench.writeFixture") ? TARGET : tmp.resolve("derived");
        derive(SOURCE, out);
        try (Stream<Path> files = Files.list(out)) {
            for (Path f : files.toList()) {
                assertEquals(Files.readString(f), Files.readString(TARGET.resolve(f.getFileName())),
                        f.getFileName() + " differs from what the derivation gives");
            }
        }
        assertTrue(Files.readString(TARGET.resolve("samples.jsonl")).lines().count() > 500);
    }

    /** One configuration's copies, as JMH recorded them: one fork, iteration by iteration. */
    private record Source(String group, JsonNode result, String aa) {}

    static void derive(Path src, Path out) throws IOException {
        Files.createDirectories(out);
        ObjectNode env = (ObjectNode) JSON.readTree(src.resolve("env.json").toFile());
        List<Source> sources = new ArrayList<>();
        JsonNode control = null, controlB = null;
        List<String> groups = new ArrayList<>();
        try (Stream<Path> files = Files.list(src.resolve("jmh"))) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted()
                    .forEach(n -> groups.add(n.substring(0, n.length() - 5)));
        }
        for (String g : groups) {
            for (JsonNode r : JSON.readTree(src.resolve("jmh/" + g + ".json").toFile())) {
                sources.add(new Source(g, r, null));
                boolean isControl = CONTROL.entrySet().stream()
                        .allMatch(e -> e.getValue().equals(r.path("params").path(e.getKey()).asText()));
                if (isControl && g.equals("basic")) control = r;
                if (isControl && g.equals("memory")) controlB = r;
            }
        }
        String controlId = Result.configId(control.get("benchmark").asText(), params(control));
        // the B label: the memory group's copies of the same configuration, under the basic group's id
        ObjectNode b = controlB.deepCopy();
        b.put("benchmark", control.get("benchmark").asText());
        sources.add(new Source("basic", b, "B"));

        int rounds = control.path("primaryMetric").path("rawData").get(0).size();
        Instant clock = Instant.parse(env.get("createdAt").asText());
        StringBuilder samples = new StringBuilder(), roundLines = new StringBuilder();
        for (int round = 1; round <= rounds; round++) {
            List<Source> order = new ArrayList<>(sources);
            Collections.shuffle(order, new Random(SEED * 31 + round));
            Instant started = clock;
            ArrayNode orderIds = JSON.createArrayNode();
            for (Source s : order) {
                JsonNode raw = s.result().path("primaryMetric").path("rawData").get(0);
                if (raw == null || raw.size() < round) continue;
                String config = Result.configId(s.result().get("benchmark").asText(), params(s.result()));
                orderIds.add(config + (s.aa() == null ? "" : "#" + s.aa()));
                clock = clock.plusMillis((long) (FORK_GAP_SECONDS * 1000));
                double value = raw.get(round - 1).asDouble();
                ObjectNode line = JSON.createObjectNode();
                line.put("round", round);
                line.put("group", s.group());
                line.put("config", config);
                line.put("benchmark", s.result().get("benchmark").asText());
                line.set("params", s.result().get("params"));
                if (s.aa() != null) line.put("aa", s.aa());
                line.put("fork", 1);
                line.put("iteration", 1);
                line.put("start", clock.toString());
                line.put("value", value);
                line.put("unit", s.result().path("primaryMetric").path("scoreUnit").asText());
                ObjectNode metrics = line.putObject("metrics");
                Map<String, JsonNode> sorted = new TreeMap<>();
                s.result().path("secondaryMetrics").properties().forEach(e -> sorted.put(e.getKey(), e.getValue()));
                for (var e : sorted.entrySet()) {
                    JsonNode v = e.getValue().path("rawData").path(0).path(round - 1);
                    if (v.isNumber()) metrics.set(e.getKey(), v);
                }
                samples.append(JSON.writeValueAsString(line)).append('\n');
                clock = clock.plusNanos((long) (value * 1e9));
            }
            ObjectNode r = JSON.createObjectNode();
            r.put("round", round);
            r.put("started", started.toString());
            r.put("finished", clock.toString());
            r.set("order", orderIds);
            r.putNull("stealFraction");
            r.putNull("iowaitFraction");
            r.putArray("failed");
            roundLines.append(JSON.writeValueAsString(r)).append('\n');
        }
        env.put("runId", env.get("runId").asText() + "-rounds-derived");
        ObjectNode roundsNode = env.putObject("rounds");
        roundsNode.put("count", rounds);
        roundsNode.put("seed", SEED);
        roundsNode.put("controlConfig", controlId);
        Map<String, Object> progress = new LinkedHashMap<>();
        progress.put("state", "complete");
        progress.put("rounds", rounds);
        progress.put("roundsDone", rounds);
        progress.put("seed", SEED);
        progress.put("matrix", "quick");
        progress.put("args", List.of("--quick"));
        write(out.resolve("env.json"), JSON.writeValueAsString(env) + "\n");
        write(out.resolve("samples.jsonl"), samples.toString());
        write(out.resolve("rounds.jsonl"), roundLines.toString());
        write(out.resolve("progress.json"), JSON.writeValueAsString(progress) + "\n");
        write(out.resolve("failures.json"), "[]\n");
        write(out.resolve("skipped.json"), JSON.writeValueAsString(JSON.readTree(src.resolve("skipped.json")
                .toFile())) + "\n");
    }

    private static Map<String, String> params(JsonNode r) {
        Map<String, String> m = new LinkedHashMap<>();
        r.path("params").properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }

    private static void write(Path f, String s) throws IOException {
        Files.writeString(f, s, StandardCharsets.UTF_8);
    }
}
