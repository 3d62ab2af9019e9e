package org.aiobench.analysis.store;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.aiobench.analysis.run.BadInputException;

/**
 * The store's runs in the formats other tools read, from the dashboard view {@code run_summary} (one row per run and
 * configuration): Apache Otava's CSV tests, Bencher's BMF JSON, github-action-benchmark's custom JSON and KernelCI's
 * KCIDB JSON (schema v5). Each carries the 95% interval of the ratio to cp -r where its format has a place for one;
 * the absolute mean carries none (a box drifts between runs: one run's rounds give no interval of its level).
 */
public final class Exports {
    public enum Format {
        OTAVA("otava"), BENCHER("bencher"), GITHUB_ACTION_BENCHMARK("github-action-benchmark"), KCIDB("kcidb");

        public final String word;

        Format(String word) {
            this.word = word;
        }

        public static Format of(String word) {
            for (Format f : values()) if (f.word.equals(word)) return f;
            throw new IllegalArgumentException("--format " + word + ": one of otava, bencher, github-action-benchmark,"
                    + " kcidb");
        }
    }

    /** A row of run_summary. */
    record Row(String box, String boxId, String kernel, String runId, String runDate, Long runTime, String group,
               String config, String metric, String unit, double mean, double sd, int n, int rounds, Double ratio,
               Double low, Double high, String verdict, String control, String commit) {
        boolean isTime() {
            return metric.equals("time");
        }
    }

    /** KCIDB's origin: the CI system's name, as its schema's origin pattern allows. */
    static final Pattern KCIDB_ORIGIN = Pattern.compile("^[a-z0-9_]+$");
    /** A KCIDB test path segment may hold only these (kcidb-io schema v5: path). */
    private static final Pattern NOT_PATH = Pattern.compile("[^a-zA-Z0-9_-]+");

    private static final Pattern OTAVA_NAME = Pattern.compile("[^A-Za-z0-9_.-]+");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Exports() {}

    /** The rows of the chosen runs: a box's (name or id; null: all), or one run's (null: all of them). */
    static List<Row> rows(Store s, String box, String run) throws BadInputException {
        List<Row> out = new ArrayList<>();
        String sql = "SELECT v.box, v.box_id, v.kernel, v.run_id, v.run_date, v.run_time, v.group_name, v.config_id,"
                + " v.metric, v.unit, v.mean, v.sd, v.n, v.rounds, v.ratio_vs_cp, v.ratio_vs_cp_low, v.ratio_vs_cp_high,"
                + " v.verdict_vs_cp, v.run_control, r.aiobench_commit FROM run_summary v JOIN run r ON r.run_id ="
                + " v.run_id WHERE (CAST(? AS TEXT) IS NULL OR v.box = ? OR v.box_id = ?)"
                + " AND (CAST(? AS TEXT) IS NULL OR v.run_id = ?)"
                + " ORDER BY v.box, v.box_id, v.run_date, v.run_id, v.group_name, v.config_id";
        try (PreparedStatement q = s.connection.prepareStatement(sql)) {
            q.setString(1, box);
            q.setString(2, box);
            q.setString(3, box);
            q.setString(4, run);
            q.setString(5, run);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    long t = rs.getLong(6);
                    Long time = rs.wasNull() ? null : t;
                    out.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), time, rs.getString(7), rs.getString(8), rs.getString(9),
                            rs.getString(10), rs.getDouble(11), nullable(rs, 12), rs.getInt(13), rs.getInt(14),
                            boxed(rs, 15), boxed(rs, 16), boxed(rs, 17), rs.getString(18), rs.getString(19),
                            rs.getString(20)));
                }
            }
        } catch (SQLException e) {
            throw StoreReader.failed(s, e);
        }
        return out;
    }

    private static double nullable(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? Double.NaN : v;
    }

    private static Double boxed(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? null : v;
    }

    /** The latest run of the rows (by date, then id): a CI job's export is one run. */
    static String latestRun(List<Row> rows) {
        return rows.stream().max(java.util.Comparator.comparing((Row r) -> r.runDate() == null ? "" : r.runDate())
                .thenComparing(Row::runId)).map(Row::runId).orElse(null);
    }

    // ---- Bencher: BMF JSON, one report (one run) ----

    /**
     * {"CONFIG": {"latency": {"value": ns}, "ratio-vs-cp-r": {"value": r, "lower_value": lo, "upper_value": hi}}}:
     * Bencher's built-in latency (nanoseconds) or throughput (operations per second) with the run's mean, and a measure
     * of its own (created by Bencher on first use) for the ratio to cp -r in the same rounds with its 95% interval.
     */
    static ObjectNode bencher(List<Row> rows) {
        ObjectNode root = NODES.objectNode();
        for (Row r : rows) {
            ObjectNode bench = root.putObject(r.config());
            if (r.isTime()) bench.putObject("latency").put("value", r.mean() * 1e9);
            else bench.putObject("throughput").put("value", r.mean());
            if (r.ratio() != null) {
                ObjectNode m = bench.putObject("ratio-vs-cp-r");
                m.put("value", r.ratio());
                if (r.low() != null && r.high() != null) {
                    m.put("lower_value", r.low());
                    m.put("upper_value", r.high());
                }
            }
        }
        return root;
    }

    // ---- github-action-benchmark: customSmallerIsBetter / customBiggerIsBetter ----

    /**
     * The entries of one direction: smaller is better (copy times in ms, and ratios to cp -r), or bigger is better
     * (rates in ops/s). {@code range} is "± x" (the action parses it so); the ratio's exact interval is in
     * {@code extra}.
     */
    static ArrayNode githubActionBenchmark(List<Row> rows, boolean biggerIsBetter) {
        ArrayNode out = NODES.arrayNode();
        for (Row r : rows) {
            if (r.isTime() == biggerIsBetter) continue;
            ObjectNode e = out.addObject();
            double scale = r.isTime() ? 1e3 : 1;
            e.put("name", r.config());
            e.put("unit", r.isTime() ? "ms" : "ops/s");
            e.put("value", r.mean() * scale);
            if (!Double.isNaN(r.sd())) e.put("range", "± " + num(r.sd() * scale));
            e.put("extra", r.box() + ", kernel " + r.kernel() + ", run " + r.runId() + "\n" + r.n() + " samples in "
                    + r.rounds() + " rounds; range: SD");
            if (r.isTime() && r.ratio() != null) {
                ObjectNode v = out.addObject();
                v.put("name", r.config() + " / cp -r");
                v.put("unit", "ratio");
                v.put("value", r.ratio());
                if (r.low() != null && r.high() != null) {
                    v.put("range", "± " + num((r.high() - r.low()) / 2));
                    v.put("extra", "95% interval [" + num(r.low()) + ", " + num(r.high()) + "] over the rounds: "
                            + (r.verdict() == null || r.verdict().isEmpty() ? "not judged" : r.verdict())
                            + "\nthe A/A control: " + (r.control() == null ? "none" : r.control()));
                }
            }
        }
        return out;
    }

    // ---- KCIDB (KernelCI): schema v5.3 ----

    /**
     * One checkout and one build per kernel release, one test per run and configuration (status DONE, its mean as
     * the number in seconds or ops/s, the box in the environment), and one for its ratio to cp -r ({@code .vs_cp_r},
     * unit-less; the interval, rounds and verdict in misc). Ids are ORIGIN:kind:...
     */
    static ObjectNode kcidb(List<Row> rows, String origin) {
        if (!KCIDB_ORIGIN.matcher(origin).matches()) {
            throw new IllegalArgumentException("--origin " + origin + ": KCIDB wants lower-case letters, digits and _");
        }
        ObjectNode root = NODES.objectNode();
        ObjectNode version = root.putObject("version");
        version.put("major", 5);
        version.put("minor", 3);
        ArrayNode checkouts = root.putArray("checkouts"), builds = root.putArray("builds"),
                tests = root.putArray("tests");
        Map<String, Boolean> kernels = new LinkedHashMap<>();
        rows.forEach(r -> kernels.put(r.kernel(), true));
        for (String k : kernels.keySet()) {
            ObjectNode co = checkouts.addObject();
            co.put("id", origin + ":checkout:" + k);
            co.put("origin", origin);
            co.put("comment", "Linux " + k + " as uname -r named it on the boxes that ran aiobench");
            ObjectNode b = builds.addObject();
            b.put("id", origin + ":build:" + k);
            b.put("checkout_id", origin + ":checkout:" + k);
            b.put("origin", origin);
            b.put("comment", "Linux " + k);
        }
        for (Row r : rows) {
            String path = "aiobench." + NOT_PATH.matcher(r.group()).replaceAll("_") + "."
                    + NOT_PATH.matcher(r.config()).replaceAll("_");
            ObjectNode t = test(tests, origin, r, path);
            ObjectNode number = t.putObject("number");
            number.put("value", r.mean());
            number.put("unit", r.isTime() ? "s" : "ops/s");
            number.put("prefix", "metric");
            ObjectNode misc = t.putObject("misc");
            misc.put("config", r.config());
            if (!Double.isNaN(r.sd())) misc.put("sd", r.sd());
            misc.put("samples", r.n());
            misc.put("rounds", r.rounds());
            if (r.ratio() != null) {
                ObjectNode v = test(tests, origin, r, path + ".vs_cp_r");
                v.putObject("number").put("value", r.ratio());
                ObjectNode vm = v.putObject("misc");
                vm.put("config", r.config());
                vm.put("what", "the ratio of its time to cp -r's in the same rounds (geometric mean over rounds)");
                if (r.low() != null) vm.put("low", r.low());
                if (r.high() != null) vm.put("high", r.high());
                vm.put("interval", "95%");
                vm.put("verdict", r.verdict() == null ? "" : r.verdict());
                vm.put("aa_control", r.control() == null ? "" : r.control());
            }
        }
        return root;
    }

    private static ObjectNode test(ArrayNode tests, String origin, Row r, String path) {
        ObjectNode t = tests.addObject();
        t.put("id", origin + ":" + r.runId() + ":" + path);
        t.put("build_id", origin + ":build:" + r.kernel());
        t.put("origin", origin);
        t.put("path", path);
        t.put("status", "DONE");
        if (r.runDate() != null) t.put("start_time", r.runDate());
        ObjectNode env = t.putObject("environment");
        env.put("comment", r.box());
        env.putObject("misc").put("box_id", r.boxId()).put("run_id", r.runId());
        return t;
    }

    // ---- Apache Otava: a CSV test per box and configuration, and otava.yaml ----

    /**
     * Writes into {@code dir} (new or empty) one CSV per box and configuration (time, run, kernel, commit, then
     * {@code mean} and, where every run has it, {@code vs_cp}: Otava reads every metric of every row as a number) and
     * {@code otava.yaml} declaring them as tests ({@code BOX.CONFIG}) with each metric's direction (-1: lower is
     * better). Returns the number of tests.
     */
    static int otava(List<Row> rows, Path dir) throws IOException {
        Map<List<String>, List<Row>> series = new LinkedHashMap<>();
        for (Row r : rows) series.computeIfAbsent(List.of(r.boxId(), r.group(), r.config()), k -> new ArrayList<>())
                .add(r);
        Files.createDirectories(dir.resolve("data"));
        CsvMapper csv = new CsvMapper();
        StringBuilder yaml = new StringBuilder("# Apache Otava's configuration for aiobench's series (written by"
                + " ./run-experiments.sh store export --format otava)\n# otava analyze --config-file otava.yaml"
                + " TEST...  (run from this directory; a test per box and configuration, a test group per box)\ntests:\n");
        int i = 0;
        Map<String, Integer> names = new LinkedHashMap<>();
        Map<String, List<String>> groups = new LinkedHashMap<>(); // a test group per box: otava analyze BOX
        for (var e : series.entrySet()) {
            List<Row> rs = e.getValue();
            Row first = rs.get(0);
            boolean vsCp = rs.stream().allMatch(r -> r.ratio() != null);
            String file = "data/" + String.format(Locale.ROOT, "%04d", ++i) + "-" + first.boxId() + ".csv";
            CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true).addColumn("time").addColumn("run")
                    .addColumn("kernel").addColumn("commit").addColumn("mean");
            if (vsCp) schema.addColumn("vs_cp");
            List<Map<String, String>> lines = new ArrayList<>();
            for (Row r : rs) {
                Map<String, String> line = new LinkedHashMap<>();
                line.put("time", r.runDate() == null ? "" : r.runDate());
                line.put("run", r.runId());
                line.put("kernel", r.kernel());
                line.put("commit", r.commit() == null ? "" : r.commit());
                line.put("mean", num(r.mean()));
                if (vsCp) line.put("vs_cp", num(r.ratio()));
                lines.add(line);
            }
            Files.writeString(dir.resolve(file), csv.writer(schema.build()).writeValueAsString(lines),
                    StandardCharsets.UTF_8);
            // a test's name is typed on Otava's command line: letters, digits, _ . - only
            String base = OTAVA_NAME.matcher(first.box() + "." + first.group() + "." + first.config()).replaceAll("_");
            int seen = names.merge(base, 1, Integer::sum);
            String test = seen == 1 ? base : base + "." + first.boxId();
            long sameName = rows.stream().filter(r -> r.box().equals(first.box())).map(Row::boxId).distinct().count();
            groups.computeIfAbsent(OTAVA_NAME.matcher(first.box()).replaceAll("_") + (sameName > 1 ? "."
                    + first.boxId() : ""), k -> new ArrayList<>()).add(test);
            yaml.append("  ").append(yamlString(test)).append(":\n")
                    .append("    type: csv\n")
                    .append("    file: ").append(yamlString(file)).append('\n')
                    .append("    time_column: time\n")
                    .append("    attributes: [run, kernel, commit]\n")
                    .append("    metrics:\n")
                    .append("      mean:\n")
                    .append("        direction: ").append(first.isTime() ? -1 : 1).append('\n')
                    .append("        scale: 1\n");
            if (vsCp) yaml.append("      vs_cp:\n        direction: -1\n        scale: 1\n");
            yaml.append("    csv_options:\n      delimiter: \",\"\n      quote_char: '\"'\n");
        }
        yaml.append("test_groups:\n");
        groups.forEach((box, tests) -> {
            yaml.append("  ").append(yamlString(box)).append(":\n");
            tests.forEach(t -> yaml.append("    - ").append(yamlString(t)).append('\n'));
        });
        Files.writeString(dir.resolve("otava.yaml"), yaml.toString(), StandardCharsets.UTF_8);
        return series.size();
    }

    /** A YAML double-quoted scalar. */
    private static String yamlString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** A number as Java's shortest round-trip text (what every parser reads back exactly). */
    static String num(double v) {
        return Double.toString(v);
    }

    /** "2 boxes, 3 runs" */
    static String describe(List<Row> rows) {
        long boxes = rows.stream().map(Row::boxId).distinct().count();
        long runs = rows.stream().map(Row::runId).distinct().count();
        return boxes + (boxes == 1 ? " box, " : " boxes, ") + runs + (runs == 1 ? " run" : " runs") + " ("
                + rows.stream().map(Row::runId).distinct().collect(Collectors.joining(", ")) + ")";
    }
}
