package org.aiobench.plot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the plot module reads from results/<run>/ (layout: results/README.md). */
public final class RunData {
    private static final ObjectMapper JSON = new ObjectMapper();

    public final Path dir;
    public final JsonNode env;
    /** Results per group (jmh/<group>.json), groups in name order. */
    public final Map<String, List<Result>> groups;
    public final List<Skipped> skipped;

    private RunData(Path dir, JsonNode env, Map<String, List<Result>> groups, List<Skipped> skipped) {
        this.dir = dir;
        this.env = env;
        this.groups = groups;
        this.skipped = skipped;
    }

    public String runId() {
        String id = env.path("runId").asText("");
        return id.isEmpty() ? dir.getFileName().toString() : id;
    }

    public String kernelRelease() {
        return env.path("kernel").path("release").asText("unknown kernel");
    }

    public List<Result> group(String name) {
        return groups.getOrDefault(name, List.of());
    }

    public static RunData load(Path dir) throws BadInputException {
        if (!Files.isDirectory(dir)) throw new BadInputException(dir, "no such directory");
        Path envFile = dir.resolve("env.json");
        if (!Files.isRegularFile(envFile)) {
            throw new BadInputException(envFile, "missing: not a run directory (see results/README.md)");
        }
        JsonNode env = read(envFile);
        if (!env.isObject()) throw new BadInputException(envFile, "expected a JSON object");

        Map<String, List<Result>> groups = new TreeMap<>();
        Path jmh = dir.resolve("jmh");
        if (Files.isDirectory(jmh)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(jmh, "*.json")) {
                for (Path f : files) {
                    String name = f.getFileName().toString();
                    String group = name.substring(0, name.length() - ".json".length());
                    groups.put(group, parseJmh(f, group));
                }
            } catch (IOException e) {
                throw new BadInputException(jmh, "cannot list: " + e.getMessage());
            }
        }

        List<Skipped> skipped = new ArrayList<>();
        Path skippedFile = dir.resolve("skipped.json");
        if (Files.isRegularFile(skippedFile)) {
            JsonNode arr = read(skippedFile);
            if (!arr.isArray()) throw new BadInputException(skippedFile, "expected a JSON array");
            int i = 0;
            for (JsonNode s : arr) {
                String where = "entry " + i++;
                skipped.add(new Skipped(text(skippedFile, s, "group", where), s.path("benchmark").asText(""),
                        params(skippedFile, s.path("params"), where), text(skippedFile, s, "reason", where)));
            }
        }
        return new RunData(dir, env, groups, skipped);
    }

    private static JsonNode read(Path f) throws BadInputException {
        try {
            JsonNode n = JSON.readTree(f.toFile());
            if (n == null || n.isMissingNode()) throw new BadInputException(f, "empty file, expected JSON");
            return n;
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String at = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new BadInputException(f, "malformed JSON" + at + ": " + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (NoSuchFileException e) {
            throw new BadInputException(f, "missing");
        } catch (IOException e) {
            throw new BadInputException(f, "cannot read: " + e.getMessage());
        }
    }

    private static List<Result> parseJmh(Path f, String group) throws BadInputException {
        JsonNode arr = read(f);
        if (!arr.isArray()) throw new BadInputException(f, "expected JMH's JSON result format (an array)");
        List<Result> out = new ArrayList<>();
        int i = 0;
        for (JsonNode r : arr) {
            String where = "result " + i++;
            String benchmark = text(f, r, "benchmark", where);
            Map<String, double[]> samples = new LinkedHashMap<>();
            JsonNode primary = r.path("primaryMetric");
            if (!primary.isObject()) throw new BadInputException(f, where + " (" + benchmark + "): no primaryMetric");
            String unit = primary.path("scoreUnit").asText("");
            if (unit.equals("ops/s")) {
                // the random-I/O groups: IOPS, higher is better
                double[] iops = rawData(f, primary, where + " primaryMetric");
                if (iops.length > 0) samples.put(Result.IOPS, iops);
            } else {
                double toSeconds = secondsPer(f, unit, where);
                double[] times = scale(rawData(f, primary, where + " primaryMetric"), toSeconds);
                // a configuration without a single measured copy has nothing to show
                if (times.length > 0) samples.put(Result.TIME, times);
            }
            Iterator<Map.Entry<String, JsonNode>> sec = r.path("secondaryMetrics").fields();
            while (sec.hasNext()) {
                var e = sec.next();
                double[] raw = rawData(f, e.getValue(), where + " secondaryMetrics." + e.getKey());
                if (raw.length > 0) samples.put(e.getKey(), raw);
            }
            out.add(new Result(group, benchmark, params(f, r.path("params"), where), samples));
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

    private static double secondsPer(Path f, String unit, String where) throws BadInputException {
        return switch (unit) {
            case "s/op" -> 1;
            case "ms/op" -> 1e-3;
            case "us/op" -> 1e-6;
            case "ns/op" -> 1e-9;
            default -> throw new BadInputException(f, where + ": primary metric unit '" + unit
                    + "', expected a time per operation (s/op) or ops/s");
        };
    }

    private static double[] scale(double[] v, double factor) {
        for (int i = 0; i < v.length; i++) v[i] *= factor;
        return v;
    }

    private static Map<String, String> params(Path f, JsonNode p, String where) throws BadInputException {
        Map<String, String> out = new LinkedHashMap<>();
        if (p.isMissingNode() || p.isNull()) return out;
        if (!p.isObject()) throw new BadInputException(f, where + ": params is not an object");
        p.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static String text(Path f, JsonNode n, String field, String where) throws BadInputException {
        JsonNode v = n.path(field);
        if (!v.isTextual()) throw new BadInputException(f, where + ": no '" + field + "' string");
        return v.asText();
    }
}
