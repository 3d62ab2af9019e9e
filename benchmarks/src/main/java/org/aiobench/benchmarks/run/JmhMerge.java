package org.aiobench.benchmarks.run;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.aiobench.benchmarks.metrics.StartTimeProfiler;
import org.openjdk.jmh.util.ListStatistics;

/**
 * jmh/&lt;group&gt;.json as runs before the rounds wrote it: one JMH result per configuration, whose {@code rawData}
 * holds one array per fork, here one per round. It is made from the rounds' own JMH JSON (jmh/rounds/round-NNN.json) for
 * readers of that layout (the analysis module until it reads samples.jsonl); the score, its error, confidence interval and
 * percentiles are recomputed over all merged copies with JMH's own statistics. The A/A control's second label is left
 * out (it is the same configuration; samples.jsonl keeps it apart), and so is the start-time metric.
 */
final class JmhMerge {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JmhMerge() {}

    /** The forks (JMH result objects tagged by {@link RunRecord#addJmhResult}) merged per group, groups by name. */
    static Map<String, ArrayNode> byGroup(List<JsonNode> forks) {
        Map<String, Map<String, List<JsonNode>>> groups = new TreeMap<>();
        for (JsonNode f : forks) {
            JsonNode tag = f.path("aiobench");
            if (tag.path("aa").asText("").equals("B")) continue;
            groups.computeIfAbsent(tag.path("group").asText(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(f.path("benchmark").asText() + " " + f.path("params"), k -> new ArrayList<>()).add(f);
        }
        Map<String, ArrayNode> out = new TreeMap<>();
        groups.forEach((g, configs) -> {
            ArrayNode arr = NODES.arrayNode();
            configs.values().forEach(same -> arr.add(merge(same)));
            out.put(g, arr);
        });
        return out;
    }

    /** One JMH result of several forks of the same configuration. */
    static ObjectNode merge(List<JsonNode> forks) {
        ObjectNode m = forks.get(0).deepCopy();
        ArrayNode rounds = NODES.arrayNode();
        int forkCount = 0;
        for (JsonNode f : forks) {
            rounds.add(f.path("aiobench").path("round").asInt());
            forkCount += f.path("forks").asInt(1);
        }
        m.put("forks", forkCount);
        m.remove("aiobench");
        m.putObject("aiobench").set("rounds", rounds);
        m.set("primaryMetric", mergeMetric(forks, f -> f.path("primaryMetric")));
        ObjectNode secondary = NODES.objectNode();
        Iterator<String> names = forks.get(0).path("secondaryMetrics").fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (name.equals(StartTimeProfiler.METRIC)) continue;
            secondary.set(name, mergeMetric(forks, f -> f.path("secondaryMetrics").path(name)));
        }
        m.set("secondaryMetrics", secondary);
        return m;
    }

    private static ObjectNode mergeMetric(List<JsonNode> forks, java.util.function.Function<JsonNode, JsonNode> metric) {
        ObjectNode out = metric.apply(forks.get(0)).deepCopy();
        ArrayNode raw = NODES.arrayNode();
        List<Double> all = new ArrayList<>();
        for (JsonNode f : forks) {
            for (JsonNode fork : metric.apply(f).path("rawData")) {
                raw.add(fork.deepCopy());
                fork.forEach(v -> all.add(v.asDouble()));
            }
        }
        out.set("rawData", raw);
        ListStatistics s = new ListStatistics(all.stream().mapToDouble(Double::doubleValue).toArray());
        out.put("score", s.getMean());
        out.put("scoreError", s.getMeanErrorAt(0.999));
        double[] ci = s.getConfidenceIntervalAt(0.999);
        out.putArray("scoreConfidence").add(ci[0]).add(ci[1]);
        if (out.has("scorePercentiles")) {
            ObjectNode p = NODES.objectNode();
            out.path("scorePercentiles").fieldNames().forEachRemaining(k -> p.put(k, s.getPercentile(Double.parseDouble(k))));
            out.set("scorePercentiles", p);
        }
        return out;
    }
}
