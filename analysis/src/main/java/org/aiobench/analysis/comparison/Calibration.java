package org.aiobench.analysis.comparison;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.aiobench.analysis.run.BadInputException;
import org.aiobench.analysis.run.RunData;
import org.aiobench.analysis.run.RunFiles;
import org.aiobench.analysis.stats.CrossRun;
import org.aiobench.analysis.stats.RunLevel;

/**
 * A box's noise floor: how far identical runs of it land apart, per configuration and group, measured from runs of one
 * build on one kernel ({@code compare --calibrate A1 A2 [A3...]}). A comparison with one run a side has no run-level
 * variance of its own; on a calibrated box it takes the calibration's ({@link RunLevel.Calibrated}), so that a cell is
 * called slower only beyond the threshold by more than identical runs differ. With two runs a side or more the runs
 * give their own and the calibration is not needed.
 *
 * <p>Kept in {@value #FILE} beside the runs (the results directory), one entry per box, the box told by its
 * environment ({@link #box}): later comparisons of runs of the same box find it there.
 *
 * @param box     the box's identity ({@link #box})
 * @param boxName a name for people (the host name)
 * @param runs    the runs it was measured from
 * @param cells   per cell ("ABSOLUTE|group|config", "RELATIVE|...", "VS_CP|...", "GROUP_ABSOLUTE|group X"), the
 *                run-level variance
 */
public record Calibration(String box, String boxName, String kernel, List<String> runs, String createdAt,
                   Map<String, RunLevel.Calibrated> cells) {
    public static final String FILE = "calibration.json";

    RunLevel.Calibrated get(CrossRun.Kind kind, String key) {
        return key == null ? null : cells.get(kind + "|" + key);
    }

    /** Calibrates from identical runs: every configuration's and group's run-level variance. */
    public static Calibration of(List<RunData> runs) throws BadInputException {
        String box = runs.get(0).box();
        for (RunData r : runs) {
            if (!r.box().equals(box)) {
                throw new BadInputException(r.dir, "is a run of another box (" + r.box() + ", not " + box + "): a "
                        + "calibration is made from identical runs of one box");
            }
            if (!r.kernelRelease().equals(runs.get(0).kernelRelease())) {
                throw new BadInputException(r.dir, "is a run of kernel " + r.kernelRelease() + ", not "
                        + runs.get(0).kernelRelease() + ": a calibration is made from runs of one kernel and build");
            }
        }
        Map<String, RunLevel.Calibrated> cells = new TreeMap<>();
        Map<String, CrossRun.Input> inputs = CellInputs.calibrationInputs(runs);
        List<RunLevel.Calibrated> cal = CrossRun.calibrate(List.copyOf(inputs.values()));
        int i = 0;
        for (String k : inputs.keySet()) {
            RunLevel.Calibrated c = cal.get(i++);
            if (c != null) cells.put(k, c);
        }
        return new Calibration(box, runs.get(0).hostName(), runs.get(0).kernelRelease(),
                runs.stream().map(RunData::runId).toList(), java.time.Instant.now().toString(), cells);
    }

    /**
     * Several calibrations of one box (runs of several kernels, each kernel's runs identical among themselves) as one:
     * per cell the variances pooled, weighted by their degrees of freedom, which add up.
     */
    public static Calibration pooled(List<Calibration> parts) {
        if (parts.isEmpty()) return null;
        if (parts.size() == 1) return parts.get(0);
        Map<String, double[]> sums = new TreeMap<>(); // key -> {df * var, df, df * rounds, df * within, within df}
        for (Calibration c : parts) {
            c.cells.forEach((k, v) -> {
                double[] s = sums.computeIfAbsent(k, x -> new double[5]);
                s[0] += v.df() * v.runVar();
                s[1] += v.df();
                s[2] += v.df() * v.roundsPerRun();
                if (Double.isFinite(v.withinVar())) {
                    s[3] += v.df() * v.withinVar();
                    s[4] += v.df();
                }
            });
        }
        Map<String, RunLevel.Calibrated> cells = new TreeMap<>();
        sums.forEach((k, s) -> cells.put(k, new RunLevel.Calibrated(s[0] / s[1], s[1], s[2] / s[1],
                s[4] > 0 ? s[3] / s[4] : Double.NaN)));
        List<String> runs = parts.stream().flatMap(c -> c.runs.stream()).toList();
        return new Calibration(parts.get(0).box, parts.get(0).boxName, String.join(", ", parts.stream()
                .map(Calibration::kernel).toList()), runs, parts.get(0).createdAt, cells);
    }

    /**
     * What the calibration says, per group: how far identical runs of this box land apart (the floor: half the 95%
     * interval of one run against another), the median over its configurations and the widest.
     */
    String summary() {
        List<String> kinds = List.of("ABSOLUTE", "RELATIVE", "VS_CP");
        Map<String, List<List<Double>>> byGroup = new TreeMap<>();
        cells.forEach((k, c) -> {
            String[] parts = k.split("\\|", 3);
            int kind = kinds.indexOf(parts[0]);
            if (parts.length < 3 || kind < 0 || !Double.isFinite(c.floor())) return;
            byGroup.computeIfAbsent(parts[1], g -> List.of(new java.util.ArrayList<>(), new java.util.ArrayList<>(),
                    new java.util.ArrayList<>())).get(kind).add(c.floor());
        });
        StringBuilder t = new StringBuilder("calibration of " + boxName + " from " + runs.size() + " identical runs of "
                + kernel + " (" + String.join(", ", runs) + "):\n"
                + "identical runs land apart by up to (95%, one run against one run): median over a group's "
                + "configurations (widest)\n");
        t.append(String.format(java.util.Locale.ROOT, "  %-12s %7s  %-20s %-20s %-20s%n", "group", "configs", "absolute",
                "vs all", "vs cp -r"));
        byGroup.forEach((g, l) -> t.append(String.format(java.util.Locale.ROOT, "  %-12s %7d  %-20s %-20s %-20s%n", g,
                l.stream().mapToInt(List::size).max().orElse(0), floors(l.get(0)), floors(l.get(1)),
                floors(l.get(2)))));
        t.append("A later comparison of this box with one run a side calls a cell slower only when it exceeds the "
                + "threshold by more than this.\n");
        return t.toString();
    }

    private static String floors(List<Double> f) {
        if (f.isEmpty()) return "-";
        double[] v = f.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return String.format(java.util.Locale.ROOT, "±%.0f%% (±%.0f%%)", 100 * v[v.length / 2], 100 * v[v.length - 1]);
    }

    /** The calibration for these runs' box from {@code file}, or null (no file, another box, sides of two boxes). */
    public static Calibration find(Path file, List<RunData> runs) throws BadInputException {
        if (!Files.isRegularFile(file)) return null;
        String box = runs.get(0).box();
        if (!runs.stream().allMatch(r -> r.box().equals(box))) return null;
        JsonNode entry = read(file).path(box);
        return entry.isMissingNode() ? null : fromJson(box, entry);
    }

    private static JsonNode read(Path file) throws BadInputException {
        return RunFiles.read(file);
    }

    /** Writes this box's entry into {@code file}, keeping the other boxes' entries. */
    void write(Path file) throws IOException, BadInputException {
        ObjectNode root = Files.isRegularFile(file) && read(file) instanceof ObjectNode o ? o
                : RunFiles.JSON.createObjectNode();
        root.set(box, json());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, RunFiles.JSON.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n");
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private ObjectNode json() {
        ObjectNode o = RunFiles.JSON.createObjectNode();
        o.put("boxName", boxName);
        o.put("kernel", kernel);
        o.set("runs", RunFiles.JSON.valueToTree(runs));
        o.put("createdAt", createdAt);
        ObjectNode cs = o.putObject("cells");
        cells.forEach((k, c) -> {
            ObjectNode x = cs.putObject(k);
            x.put("runVar", c.runVar());
            x.put("df", c.df());
            x.put("roundsPerRun", c.roundsPerRun());
            if (Double.isFinite(c.withinVar())) x.put("withinVar", c.withinVar());
            if (Double.isFinite(c.floor())) x.put("floor", c.floor());
        });
        return o;
    }

    private static Calibration fromJson(String box, JsonNode o) {
        Map<String, RunLevel.Calibrated> cells = new LinkedHashMap<>();
        o.path("cells").fields().forEachRemaining(e -> cells.put(e.getKey(), new RunLevel.Calibrated(
                e.getValue().path("runVar").asDouble(), e.getValue().path("df").asDouble(),
                e.getValue().path("roundsPerRun").asDouble(), e.getValue().path("withinVar").asDouble(Double.NaN))));
        List<String> runs = new java.util.ArrayList<>();
        o.path("runs").forEach(r -> runs.add(r.asText()));
        return new Calibration(box, o.path("boxName").asText(""), o.path("kernel").asText(""), runs,
                o.path("createdAt").asText(""), cells);
    }
}
