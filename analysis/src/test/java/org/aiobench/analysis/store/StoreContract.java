package org.aiobench.analysis.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.aiobench.analysis.Console;
import org.aiobench.analysis.SyntheticRun;
import org.aiobench.analysis.comparison.CompareMain;
import org.aiobench.analysis.comparison.CompareReport;
import org.aiobench.analysis.history.HistoryMain;
import org.aiobench.analysis.history.HistoryReport;
import org.aiobench.analysis.run.Comparison;
import org.aiobench.analysis.run.Result;
import org.aiobench.analysis.run.RunData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The store on one database (SQLite and PostgreSQL each run these): runs added and read back as their directories
 * give them, history and compare from the store printing what they print from the directories, two boxes in one
 * store, one transaction per add, bad input, the dashboard view and the exports against their tools' schemas.
 * Synthetic runs: invented numbers with known effects.
 */
abstract class StoreContract {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    Path results;
    String db;

    /** A new, empty store's URL. */
    abstract String newStore() throws Exception;

    /** Removes what newStore made outside the temporary directory. */
    void dropStore(String url) throws Exception {}

    @BeforeEach
    void setUp() throws Exception {
        results = Files.createDirectories(tmp.resolve("results"));
        System.setProperty(Store.RESULTS_PROPERTY, results.toString());
        db = newStore();
    }

    @AfterEach
    void tearDown() throws Exception {
        System.clearProperty(Store.RESULTS_PROPERTY);
        dropStore(db);
    }

    static Console store(String... args) {
        return Console.capture(() -> StoreMain.run(args));
    }

    /** A run of the basic group (sync, io_uring) with cp -r, in results/NAME. */
    Path run(String name, String kernel, double uring, long seed, String created) throws IOException {
        return new SyntheticRun().rounds(8).engine("sync", 1.0).engine("io_uring", uring).seed(seed).kernel(kernel)
                .createdAt(created).write(results.resolve(name));
    }

    long count(String table) throws SQLException {
        try (Connection c = DriverManager.getConnection(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void assertOneLine(Console o, String what) {
        assertEquals(2, o.status(), o.out() + o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertTrue(o.err().contains(what), o.err());
    }

    @Test
    void aRunReadBackIsTheRunItsDirectoryGives() throws Exception {
        Path dir = new SyntheticRun().rounds(6).engine("sync", 1.0).engine("io_uring", 0.9).peer("rsync", 1.4)
                .wrongPeer("broken").failed("io_uring", 3, "java.io.IOException: injected").seed(4).kernel("6.1.9")
                .write(results.resolve("r1"));
        Console o = store("add", "--db", db, dir.toString());
        assertEquals(0, o.status(), o.out() + o.err());
        assertTrue(o.out().contains("store: r1: added ("), o.out());
        RunData fromDir = RunData.load(dir);
        RunData fromDb;
        try (Store s = Store.forReading(db)) {
            fromDb = StoreReader.load(s, "r1");
        }
        assertEquals(dir, fromDb.dir);
        assertEquals(fromDir.env, fromDb.env);
        assertEquals(fromDir.samples, fromDb.samples);
        assertEquals(fromDir.rounds, fromDb.rounds);
        assertEquals(fromDir.failures, fromDb.failures);
        assertTrue(fromDb.failures.stream().anyMatch(f -> f.wrongData() != null), "wrong data kept");
        assertEquals(fromDir.skipped, fromDb.skipped);
        assertEquals(fromDir.state, fromDb.state);
        assertEquals(fromDir.notes, fromDb.notes);
        assertEquals(fromDir.groups.keySet(), fromDb.groups.keySet());
        for (String g : fromDir.groups.keySet()) {
            List<Result> a = fromDir.group(g), b = fromDb.group(g);
            assertEquals(a.size(), b.size(), g);
            for (int i = 0; i < a.size(); i++) {
                assertEquals(a.get(i).config(), b.get(i).config());
                assertEquals(a.get(i).params(), b.get(i).params());
                assertEquals(a.get(i).samples().keySet(), b.get(i).samples().keySet());
                for (String m : a.get(i).samples().keySet()) {
                    assertArrayEquals(a.get(i).samples().get(m), b.get(i).samples().get(m), g + " " + m);
                }
            }
        }
        assertEquals(fromDir.controls.size(), fromDb.controls.size());
        assertEquals(fromDir.controlConfig(), fromDb.controlConfig());
    }

    @Test
    void addingTheSameRunTwiceChangesNothingAndAResumedRunIsReplaced() throws Exception {
        Path dir = run("r1", "6.1.9", 0.9, 1, "2026-11-01T10:00:00Z");
        assertEquals(0, store("add", "--db", db, dir.toString()).status());
        long samples = count("sample"), metrics = count("sample_metric"), verdicts = count("verdict");
        Console again = store("add", "--db", db, dir.toString());
        assertEquals(0, again.status(), again.err());
        assertTrue(again.out().contains("r1: already in the store, unchanged"), again.out());
        assertEquals(samples, count("sample"));
        assertEquals(metrics, count("sample_metric"));
        assertEquals(verdicts, count("verdict"));
        // the run's files change (a resumed run finishes its rounds): the stored run is replaced, not doubled
        List<String> lines = Files.readAllLines(dir.resolve("samples.jsonl"));
        Files.write(dir.resolve("samples.jsonl"), lines.subList(0, lines.size() - 3));
        Console replaced = store("add", "--db", db, dir.toString());
        assertEquals(0, replaced.status(), replaced.err());
        assertTrue(replaced.out().contains("r1: replaced"), replaced.out());
        assertEquals(samples - 3, count("sample"));
        assertEquals(1, count("run"));
    }

    /** history's text and files from the store, as from the directories. */
    @Test
    void historyFromTheStoreIsHistoryFromTheDirectories() throws Exception {
        Path c = run("c", "6.10.2", 0.99, 3, "2026-11-03T10:00:00Z");
        Path a = run("a", "6.1.9", 0.90, 1, "2026-11-01T10:00:00Z");
        Path b = new SyntheticRun().rounds(8).engine("sync", 1.0).engine("io_uring", 0.99).seed(2).kernel("6.1.10")
                .level(1.2).createdAt("2026-11-02T10:00:00Z").write(results.resolve("b"));
        assertEquals(0, store("add", "--db", db, results.toString()).status());
        Path fromDirs = tmp.resolve("h-dirs"), fromDb = tmp.resolve("h-db");
        Console d = Console.capture(() -> HistoryMain.run(c.toString(), a.toString(), b.toString(), "--out",
                fromDirs.toString()));
        Console s = Console.capture(() -> HistoryMain.run("--db", db, "--out", fromDb.toString()));
        assertEquals(0, d.status(), d.out() + d.err());
        assertEquals(0, s.status(), s.out() + s.err());
        assertTrue(s.out().contains("3 runs of 3 kernels (6.1.9 to 6.10.2)"), s.out());
        assertEquals(withoutPaths(d.out()), withoutPaths(s.out()));
        for (String f : List.of(HistoryReport.CSV, HistoryReport.MD)) {
            assertEquals(Files.readString(fromDirs.resolve(f)), Files.readString(fromDb.resolve(f)), f);
        }
        // the same figures, byte for byte
        List<Path> figures;
        try (Stream<Path> l = Files.list(fromDirs.resolve("figures"))) {
            figures = l.sorted().toList();
        }
        assertFalse(figures.isEmpty());
        for (Path f : figures) {
            assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(fromDb.resolve("figures").resolve(f.getFileName())),
                    f.getFileName().toString());
        }
    }

    /** compare's text and files from the store, as from the directories: two runs a side, kernels named. */
    @Test
    void compareFromTheStoreIsCompareFromTheDirectories() throws Exception {
        List<String> base = new ArrayList<>(), next = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            base.add(run("base" + i, "6.1.9", 0.9, 10 + i, "2026-11-0" + (1 + i) + "T10:00:00Z").toString());
            next.add(new SyntheticRun().rounds(8).engine("sync", 1.0).engine("io_uring", 1.0).seed(20 + i)
                    .level(1.1).kernel("6.1.10").createdAt("2026-11-0" + (3 + i) + "T10:00:00Z")
                    .write(results.resolve("new" + i)).toString());
        }
        assertEquals(0, store("add", "--db", db, results.toString()).status());
        Path fromDirs = tmp.resolve("c-dirs"), fromDb = tmp.resolve("c-db");
        List<String> args = new ArrayList<>(List.of("--base"));
        args.addAll(base);
        args.add("--new");
        args.addAll(next);
        args.addAll(List.of("--out", fromDirs.toString()));
        Console d = Console.capture(() -> CompareMain.run(args.toArray(String[]::new)));
        Console s = Console.capture(() -> CompareMain.run("--db", db, "--base", "6.1.9", "--new", "6.1.10", "--out",
                fromDb.toString()));
        assertEquals(1, d.status(), d.out() + d.err());
        assertEquals(d.status(), s.status(), s.out() + s.err());
        assertEquals(withoutPaths(d.out()), withoutPaths(s.out()));
        for (String f : List.of(CompareReport.MD, CompareReport.JSON)) {
            assertEquals(Files.readString(fromDirs.resolve(f)), Files.readString(fromDb.resolve(f)), f);
        }
    }

    private static String withoutPaths(String out) {
        return out.replaceAll("wrote \\S+", "wrote OUT");
    }

    /**
     * Two boxes (two hosts) in one store: told apart by their environment, a history each. Each box measures 6.1.9
     * twice (identical runs: the box's noise floor) and 6.1.10 once; on lab-b io_uring is 40% slower against cp -r
     * on 6.1.10, on lab-a nothing changes.
     */
    @Test
    void twoBoxesInOneStoreEachWithItsHistory() throws Exception {
        String[][] boxes = {{"lab-a", "AMD EPYC 7763", "0.90"}, {"lab-b", "Intel Xeon 8375C", "1.26"}};
        int seed = 30;
        for (String[] b : boxes) {
            for (String n : List.of("1", "1b")) {
                new SyntheticRun().box(b[0], b[1]).engine("sync", 1.0).engine("io_uring", 0.90).seed(seed++)
                        .kernel("6.1.9").createdAt("2026-11-01T1" + n.length() + ":00:00Z")
                        .write(results.resolve(b[0] + "-" + n));
            }
            new SyntheticRun().box(b[0], b[1]).engine("sync", 1.0).engine("io_uring", Double.parseDouble(b[2]))
                    .seed(seed++).kernel("6.1.10").createdAt("2026-11-02T10:00:00Z").write(results.resolve(b[0] + "-2"));
        }
        Console added = store("add", "--db", db, results.toString());
        assertEquals(0, added.status(), added.out() + added.err());
        assertTrue(added.out().contains("lab-a-1: added (lab-a, 6.1.9"), added.out());
        Console list = store("list", "--db", db);
        assertEquals(0, list.status(), list.err());
        assertTrue(list.out().contains("boxes (2):"), list.out());
        assertTrue(list.out().matches("(?s).*\\n  lab-a +[0-9a-f]{16}  AMD EPYC 7763, 2 CPUs, 23\\.5 GiB: 3 run\\(s\\)\\n.*"),
                list.out());
        assertTrue(list.out().contains("      kernel 6.1.10"), list.out());

        Console mixed = Console.capture(() -> HistoryMain.run("--db", db, "--out", tmp.resolve("h").toString()));
        assertOneLine(mixed, "2 boxes (lab-a, lab-b): name one with --box NAME");
        Console a = Console.capture(() -> HistoryMain.run("--db", db, "--box", "lab-a", "--out",
                tmp.resolve("ha").toString()));
        Console b = Console.capture(() -> HistoryMain.run("--db", db, "--box", "lab-b", "--config", "io_uring",
                "--out", tmp.resolve("hb").toString()));
        assertEquals(0, a.status(), a.out() + a.err());
        assertEquals(0, b.status(), b.out() + b.err());
        assertTrue(a.out().contains("3 runs of 2 kernels (6.1.9 to 6.1.10)"), a.out());
        assertTrue(b.out().matches("(?s).*\n  basic io_uring  6\\.1\\.9 → 6\\.1\\.10  vs cp -r  \\* 1\\.\\d{3} "
                + "\\[1\\.\\d{3}, 1\\.\\d{3}\\] slower.*"), b.out());
        assertFalse(a.out().contains("basic io_uring  6.1.9 → 6.1.10  vs cp -r  *"), a.out());
        // each box's history holds its own runs only
        String csvA = Files.readString(tmp.resolve("ha").resolve(HistoryReport.CSV));
        assertTrue(csvA.contains("lab-a-1b") && csvA.contains("lab-a-2") && !csvA.contains("lab-b"), csvA);
        // the dashboard view tells the boxes apart too
        try (Connection c = DriverManager.getConnection(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT box, COUNT(DISTINCT run_id) FROM run_summary GROUP BY box"
                     + " ORDER BY box")) {
            assertTrue(rs.next());
            assertEquals("lab-a", rs.getString(1));
            assertEquals(3, rs.getInt(2));
            assertTrue(rs.next());
            assertEquals("lab-b", rs.getString(1));
            assertFalse(rs.next());
        }
        // compare names a box where the kernels' runs come from two
        Console cmp = Console.capture(() -> CompareMain.run("--db", db, "--base", "6.1.9", "--new", "6.1.10"));
        assertOneLine(cmp, "name one with --box NAME");
        Console cmpB = Console.capture(() -> CompareMain.run("--db", db, "--box", "lab-b", "--base", "6.1.9", "--new",
                "6.1.10", "--out", tmp.resolve("cb").toString()));
        Console dirsB = Console.capture(() -> CompareMain.run("--base", results.resolve("lab-b-1").toString(),
                results.resolve("lab-b-1b").toString(), "--new", results.resolve("lab-b-2").toString(), "--out",
                tmp.resolve("cb-dirs").toString()));
        assertEquals(dirsB.status(), cmpB.status(), cmpB.out() + cmpB.err());
        assertEquals(withoutPaths(dirsB.out()), withoutPaths(cmpB.out()));
    }

    /** A run that cannot be added leaves the store as it was: the whole add is one transaction. */
    @Test
    void aFailedAddLeavesTheStoreAsItWas() throws Exception {
        Path first = run("r1", "6.1.9", 0.9, 1, "2026-11-01T10:00:00Z");
        assertEquals(0, store("add", "--db", db, first.toString()).status());
        long samples = count("sample");
        Path second = run("r2", "6.1.10", 0.9, 2, "2026-11-02T10:00:00Z");
        // another box's run under the same run id: refused while writing, after r2 was written in the transaction
        Path clash = new SyntheticRun().rounds(4).box("other", "Other CPU").engine("sync", 1.0).seed(9)
                .kernel("6.1.9").write(tmp.resolve("elsewhere").resolve("r1"));
        Console o = store("add", "--db", db, second.toString(), clash.toString());
        assertOneLine(o, "a different run with the id r1 is already in the store");
        assertEquals(1, count("run"));
        assertEquals(samples, count("sample"));
        // a directory that is not a run: nothing is written, not even the others
        Path notARun = Files.createDirectories(tmp.resolve("not-a-run"));
        Console bad = store("add", "--db", db, second.toString(), notARun.toString());
        assertOneLine(bad, "not-a-run");
        assertEquals(1, count("run"));
    }

    @Test
    void aStoreWithANewerSchemaIsRefused() throws Exception {
        assertEquals(0, store("add", "--db", db, run("r1", "6.1.9", 0.9, 1, "2026-11-01T10:00:00Z").toString())
                .status());
        try (Connection c = DriverManager.getConnection(db); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
                    + " checksum, installed_by, execution_time, success) VALUES (99, '99', 'from a newer aiobench',"
                    + " 'SQL', 'V99__from_a_newer_aiobench.sql', 0, 'test', 1, " + trueLiteral() + ")");
        }
        Path r2 = run("r2", "6.1.10", 0.9, 2, "2026-11-02T10:00:00Z");
        Console o = store("add", "--db", db, r2.toString());
        assertOneLine(o, "has schema version 99 (from a newer aiobench), newer than this aiobench's 1");
        assertEquals(1, count("run"));
        Console h = Console.capture(() -> HistoryMain.run("--db", db));
        assertOneLine(h, "newer than this aiobench's");
    }

    String trueLiteral() {
        return "true";
    }

    @Test
    void aStoreThatDoesNotAnswerIsOneLine() {
        Console o = store("list", "--db", "jdbc:postgresql://127.0.0.1:1/aiobench?connectTimeout=2");
        assertOneLine(o, "cannot connect: Connection to 127.0.0.1:1 refused");
        Console h = Console.capture(() -> HistoryMain.run("--db", "jdbc:mysql://localhost/x"));
        assertOneLine(h, "the store is SQLite");
    }

    /** The dashboard view: one row per run and configuration, with what history and compare would say. */
    @Test
    void theDashboardViewHasOneRowPerRunAndConfiguration() throws Exception {
        Path r1 = run("r1", "6.1.9", 0.8, 1, "2026-11-01T10:00:00Z");
        assertEquals(0, store("add", "--db", db, r1.toString()).status());
        RunData run = RunData.load(r1);
        int configs = run.groups.values().stream().mapToInt(List::size).sum();
        int rows = 0;
        try (Connection c = DriverManager.getConnection(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT box, kernel, run_id, run_date, run_time, group_name, config_id,"
                     + " metric, unit, mean, sd, n, rounds, ratio_vs_cp, ratio_vs_cp_low, ratio_vs_cp_high,"
                     + " verdict_vs_cp, run_control FROM run_summary")) {
            while (rs.next()) {
                rows++;
                assertEquals("6.1.9", rs.getString("kernel"));
                assertEquals("2026-11-01T10:00:00Z", rs.getString("run_date"));
                assertEquals(Instant.parse("2026-11-01T10:00:00Z").getEpochSecond(), rs.getLong("run_time"));
                Result r = run.group(rs.getString("group_name")).stream()
                        .filter(x -> x.config().equals(rs_(rs, "config_id"))).findFirst().orElseThrow();
                assertEquals("time", rs.getString("metric"));
                assertEquals(org.aiobench.analysis.stats.Stats.of(r.samples().get(Result.TIME)).mean(),
                        rs.getDouble("mean"), 1e-15);
                assertEquals(8, rs.getInt("rounds"));
                assertEquals(24, rs.getInt("n"));
                assertNotNull(rs.getString("run_control"));
                if (r.isCp()) {
                    assertNull(rs.getObject("ratio_vs_cp"));
                } else {
                    Comparison cmp = Comparison.of(r, run.cpFor(r.params(), Result.TIME), Result.TIME);
                    assertEquals(cmp.ratio(), rs.getDouble("ratio_vs_cp"), 1e-12);
                    assertTrue(rs.getDouble("ratio_vs_cp_low") < cmp.ratio()
                            && cmp.ratio() < rs.getDouble("ratio_vs_cp_high"));
                    assertEquals(cmp.verdictWord(), rs.getString("verdict_vs_cp"));
                }
            }
        }
        assertEquals(configs, rows);
        // io_uring at 0.8 of cp -r with 2% noise: faster, as the report says
        try (Connection c = DriverManager.getConnection(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT verdict_vs_cp FROM run_summary v JOIN config_param p ON"
                     + " p.group_name = v.group_name AND p.config_id = v.config_id WHERE p.name = 'engine' AND"
                     + " p.value = 'io_uring'")) {
            assertTrue(rs.next());
            assertEquals("faster", rs.getString(1));
        }
    }

    private static String rs_(ResultSet rs, String column) {
        try {
            return rs.getString(column);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- exports ----

    private static List<String> validate(String schemaResource, String json) throws IOException {
        try (InputStream in = StoreContract.class.getResourceAsStream("/org/aiobench/analysis/store/" + schemaResource)) {
            // the schema's own $schema picks the dialect (Bencher's is draft-07)
            JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(new String(in.readAllBytes(), StandardCharsets.UTF_8), InputFormat.JSON);
            return schema.validate(json, InputFormat.JSON,
                            ctx -> ctx.getExecutionConfig().setFormatAssertionsEnabled(true))
                    .stream().map(Object::toString).toList();
        }
    }

    private void twoRuns() throws IOException {
        run("r1", "6.1.9", 0.9, 1, "2026-11-01T10:00:00Z");
        run("r2", "6.1.10", 1.0, 2, "2026-11-02T10:00:00Z");
        assertEquals(0, store("add", "--db", db, results.toString()).status());
    }

    @Test
    void theSchemasRejectWhatTheirToolsWouldReject() throws IOException {
        // the checks below are worth something only if a wrong document fails them
        assertFalse(validate("bencher-bmf.schema.json", "{\"b\": {\"latency\": {\"lower_value\": 1}}}").isEmpty());
        assertFalse(validate("github-action-benchmark.schema.json", "[{\"name\": \"x\", \"value\": 1, \"unit\": \"ms\","
                + " \"range\": \"[1, 2]\"}]").isEmpty());
        assertFalse(validate("kcidb-v5.schema.json", "{\"version\": {\"major\": 5}, \"tests\": [{\"id\": \"Bad:x\","
                + " \"build_id\": \"o:b\", \"origin\": \"o\"}]}").isEmpty());
        assertFalse(validate("kcidb-v5.schema.json", "{\"version\": {\"major\": 5}, \"tests\": [{\"id\": \"o:x\","
                + " \"build_id\": \"o:b\", \"origin\": \"o\", \"start_time\": \"yesterday\"}]}").isEmpty());
        assertTrue(validate("kcidb-v5.schema.json", "{\"version\": {\"major\": 5, \"minor\": 3}, \"tests\": [{\"id\":"
                + " \"o:x\", \"build_id\": \"o:b\", \"origin\": \"o\", \"path\": \"a.b\", \"status\": \"DONE\","
                + " \"number\": {\"value\": 1.5, \"unit\": \"s\"}}]}").isEmpty());
    }

    @Test
    void bencherReadsTheLatestRunWithItsIntervals() throws Exception {
        twoRuns();
        Console o = store("export", "--db", db, "--format", "bencher");
        assertEquals(0, o.status(), o.err());
        assertEquals(List.of(), validate("bencher-bmf.schema.json", o.out()));
        JsonNode bmf = JSON.readTree(o.out());
        RunData r2 = RunData.load(results.resolve("r2"));
        assertEquals(r2.groups.values().stream().mapToInt(List::size).sum(), bmf.size(), "the latest run, r2");
        bmf.properties().forEach(e -> {
            assertTrue(e.getKey().length() <= 1024, "Bencher's benchmark name: at most 1024 characters");
            e.getValue().properties().forEach(m -> assertTrue(m.getKey().length() <= 64, "a measure slug: 64"));
        });
        Result uring = r2.group("basic").stream().filter(x -> "io_uring".equals(x.param("engine"))).findFirst()
                .orElseThrow();
        JsonNode b = bmf.path(uring.config());
        assertEquals(org.aiobench.analysis.stats.Stats.of(uring.samples().get(Result.TIME)).mean() * 1e9,
                b.path("latency").path("value").asDouble(), 1e-3);
        JsonNode ratio = b.path("ratio-vs-cp-r");
        assertTrue(ratio.path("lower_value").asDouble() < ratio.path("value").asDouble()
                && ratio.path("value").asDouble() < ratio.path("upper_value").asDouble(), ratio.toString());
        Console r1 = store("export", "--db", db, "--format", "bencher", "--run", "r1");
        assertEquals(0, r1.status(), r1.err());
        assertFalse(r1.out().equals(o.out()));
    }

    @Test
    void githubActionBenchmarkReadsSmallerIsBetter() throws Exception {
        twoRuns();
        Path out = tmp.resolve("gab.json");
        Console o = store("export", "--db", db, "--format", "github-action-benchmark", "--out", out.toString());
        assertEquals(0, o.status(), o.err());
        String json = Files.readString(out);
        assertEquals(List.of(), validate("github-action-benchmark.schema.json", json));
        JsonNode a = JSON.readTree(json);
        Set<String> names = new HashSet<>();
        a.forEach(e -> assertTrue(names.add(e.path("name").asText()), "names are unique: the action keys by name"));
        assertTrue(names.stream().anyMatch(n -> n.endsWith(" / cp -r")), names.toString());
        // the export never replaces a file
        Console again = store("export", "--db", db, "--format", "github-action-benchmark", "--out", out.toString());
        assertOneLine(again, "exists");
        // copies only: nothing for customBiggerIsBetter
        Console bigger = store("export", "--db", db, "--format", "github-action-benchmark", "--bigger-is-better");
        assertOneLine(bigger, "nothing to export");
    }

    @Test
    void kcidbReadsEveryRun() throws Exception {
        twoRuns();
        Console o = store("export", "--db", db, "--format", "kcidb", "--origin", "mylab");
        assertEquals(0, o.status(), o.err());
        assertEquals(List.of(), validate("kcidb-v5.schema.json", o.out()));
        JsonNode k = JSON.readTree(o.out());
        assertEquals(2, k.path("builds").size(), "a build per kernel");
        Set<String> ids = new HashSet<>();
        k.path("tests").forEach(t -> assertTrue(ids.add(t.path("id").asText()), "test ids are unique"));
        assertTrue(ids.stream().allMatch(i -> i.startsWith("mylab:")), ids.toString());
        assertOneLine(store("export", "--db", db, "--format", "kcidb", "--origin", "My Lab"), "--origin");
    }

    /** Otava's CSV importer, as its source reads a test: the columns its otava.yaml names, every metric a float. */
    @Test
    @SuppressWarnings("unchecked")
    void otavaReadsACsvTestPerBoxAndConfiguration() throws Exception {
        twoRuns();
        Path out = tmp.resolve("otava");
        Console o = store("export", "--db", db, "--format", "otava", "--out", out.toString());
        assertEquals(0, o.status(), o.err());
        Map<String, Object> config = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(out.resolve("otava.yaml")));
        Map<String, Object> tests = (Map<String, Object>) config.get("tests");
        RunData r1 = RunData.load(results.resolve("r1"));
        assertEquals(r1.groups.values().stream().mapToInt(List::size).sum(), tests.size());
        CsvMapper csv = new CsvMapper();
        for (var e : tests.entrySet()) {
            assertTrue(e.getKey().matches("[A-Za-z0-9_.-]+"), e.getKey());
            Map<String, Object> t = (Map<String, Object>) e.getValue();
            assertEquals("csv", t.get("type"));
            Path file = out.resolve((String) t.get("file"));
            List<Map<String, String>> rows;
            try (var it = csv.readerForMapOf(String.class).with(CsvSchema.emptySchema().withHeader())
                    .<Map<String, String>>readValues(file.toFile())) {
                rows = it.readAll();
            }
            assertEquals(2, rows.size(), file.toString());
            for (Map<String, String> row : rows) {
                Instant.parse(row.get((String) t.get("time_column")));
                for (String attr : (List<String>) t.get("attributes")) assertTrue(row.containsKey(attr), attr);
                Map<String, Object> metrics = (Map<String, Object>) t.get("metrics");
                for (var m : metrics.entrySet()) {
                    Double.parseDouble(row.get(m.getKey())); // Otava: float(row[i]) of every metric
                    int direction = ((Number) ((Map<String, Object>) m.getValue()).get("direction")).intValue();
                    assertTrue(direction == 1 || direction == -1);
                }
            }
        }
        Map<String, Object> groups = (Map<String, Object>) config.get("test_groups");
        assertEquals(1, groups.size(), "one box");
        assertEquals(tests.keySet(), new HashSet<>((List<String>) groups.values().iterator().next()));
        assertOneLine(store("export", "--db", db, "--format", "otava", "--out", out.toString()), "not empty");
    }

    @Test
    void badRunDirectoriesWriteNothing() throws Exception {
        Path notARun = Files.createDirectories(tmp.resolve("empty"));
        assertOneLine(store("add", "--db", db, notARun.toString()), "empty");
        Path broken = run("r1", "6.1.9", 0.9, 1, "2026-11-01T10:00:00Z");
        try (Stream<String> lines = Files.lines(broken.resolve("samples.jsonl"))) {
            List<String> l = new ArrayList<>(lines.toList());
            l.add(1, "{not json");
            Files.write(broken.resolve("samples.jsonl"), l);
        }
        assertOneLine(store("add", "--db", db, broken.toString()), "samples.jsonl: line 2");
        Console list = store("list", "--db", db);
        assertTrue(list.status() == 2 || list.out().contains("runs (0):"), list.out() + list.err());
    }
}
