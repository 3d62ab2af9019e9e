package org.aiobench.analysis.run;

import static org.aiobench.analysis.run.RunFiles.params;
import static org.aiobench.analysis.run.RunFiles.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The results of a run made before rounds: jmh/&lt;group&gt;.json, JMH's own JSON, every fork's samples pooled. Such
 * a run has no rounds, so its comparisons are ratios of means without an interval or a verdict.
 */
final class JmhResults {
    private JmhResults() {}

    /** Results per group, groups in name order; empty when there is no jmh/ directory. */
    static Map<String, List<Result>> read(Path jmh) throws BadInputException {
        Map<String, List<Result>> groups = new TreeMap<>();
        if (!Files.isDirectory(jmh)) return groups;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(jmh, "*.json")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                String group = name.substring(0, name.length() - ".json".length());
                groups.put(group, parse(f, group));
            }
        } catch (IOException e) {
            throw new BadInputException(jmh, "cannot list: " + e.getMessage());
        }
        return groups;
    }

    private static List<Result> parse(Path f, String group) throws BadInputException {
        JsonNode arr = RunFiles.read(f);
        if (!arr.isArray()) throw new BadInputException(f, "expected JMH's JSON result format (an array)");
        List<Result> out = new ArrayList<>();
        int i = 0;
        for (JsonNode r : arr) {
            String where = "result " + i++;
            String benchmark = text(f, r, "benchmark", where);
            Map<String, double[]> samples = new LinkedHashMap<>();
            JsonNode primary = r.path("primaryMetric");
            if (!primary.isObject()) throw new BadInputException(f, where + " (" + benchmark + "): no primaryMetric");
            double toSeconds = secondsPer(f, primary.path("scoreUnit").asText(""), where);
            double[] times = scale(rawData(f, primary, where + " primaryMetric"), toSeconds);
            // a configuration without a single measured copy has nothing to show
            if (times.length > 0) samples.put(Result.TIME, times);
            for (var e : r.path("secondaryMetrics").properties()) {
                double[] raw = rawData(f, e.getValue(), where + " secondaryMetrics." + e.getKey());
                if (raw.length > 0) samples.put(e.getKey(), raw);
            }
            double[] start = samples.get(Result.START_COST);
            if (start != null && times.length == start.length) {
                double[] less = new double[times.length];
                for (int k = 0; k < less.length; k++) less[k] = times[k] - start[k];
                samples.put(Result.TIME_LESS_START, less);
            }
            out.add(Result.ofJmh(group, benchmark, params(f, r.path("params"), where), samples));
        }
        return out;
    }

    /** Every sample of every fork: the forks measure the same configuration, so they pool. */
    private static double[] rawData(Path f, JsonNode metric, String where) throws BadInputException {
        JsonNode raw = metric.path("rawData");
        if (!raw.isArray()) throw new BadInputException(f, where + ": no rawData array");
        List<Double> all = new ArrayList<>();
        for (JsonNode fork : raw) {
            if (!fork.isArray()) throw new BadInputException(f, where + ": rawData is not an array of arrays");
            for (JsonNode v : fork) {
                if (!v.isNumber()) throw new BadInputException(f, where + ": non-numeric sample " + v);
                all.add(v.asDouble());
            }
        }
        return all.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Seconds per unit of a time per operation; throws for anything else (a rate has no place in these groups). */
    static double secondsPer(Path f, String unit, String where) throws BadInputException {
        return switch (unit) {
            case "s/op" -> 1;
            case "ms/op" -> 1e-3;
            case "us/op" -> 1e-6;
            case "ns/op" -> 1e-9;
            default -> throw new BadInputException(f, where + ": primary metric unit '" + unit
                    + "', expected a time per operation (s/op)");
        };
    }

    private static double[] scale(double[] v, double factor) {
        for (int i = 0; i < v.length; i++) v[i] *= factor;
        return v;
    }
}
