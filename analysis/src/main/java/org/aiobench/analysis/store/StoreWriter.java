package org.aiobench.analysis.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aiobench.analysis.report.RunVerdicts;
import org.aiobench.analysis.run.BadInputException;
import org.aiobench.analysis.run.Failure;
import org.aiobench.analysis.run.RoundRecord;
import org.aiobench.analysis.run.RunData;
import org.aiobench.analysis.run.Sample;
import org.aiobench.analysis.run.Skipped;

/**
 * Adds run directories to the store: each read as {@code plot} reads it ({@link RunData#load}), judged by the plot
 * module ({@link RunVerdicts}), then written, all of them in one transaction: a run that cannot be added leaves the
 * store as it was. A run already stored with the same files changes nothing; one whose files changed since (an
 * interrupted run resumed) is replaced.
 */
public final class StoreWriter {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The run files whose bytes make a run's content digest, in this order (those present). */
    private static final List<String> CONTENT = List.of("env.json", "samples.jsonl", "rounds.jsonl", "failures.json",
            "skipped.json", "progress.json");

    /** A run directory read and judged, ready to be written. */
    public record Loaded(Path dir, RunData run, Box box, String digest, RunVerdicts verdicts) {
        String runId() {
            return run.runId();
        }
    }

    private StoreWriter() {}

    /** Reads and judges a run directory; one that is not a run measured in rounds, with samples, is bad input. */
    public static Loaded load(Path dir) throws BadInputException {
        RunData run = RunData.load(dir);
        if (!run.inRounds) {
            throw new BadInputException(dir, "a run made before rounds (no samples.jsonl): the store keeps runs"
                    + " measured in rounds; read this one from its directory");
        }
        if (run.samples.isEmpty()) throw new BadInputException(dir, "no samples yet: nothing to store");
        return new Loaded(dir, run, Box.of(run.env, run.runId()), digest(dir), RunVerdicts.of(run));
    }

    private static String digest(Path dir) throws BadInputException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String name : CONTENT) {
                Path f = dir.resolve(name);
                if (!Files.isRegularFile(f)) continue;
                md.update((name + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                md.update(Files.readAllBytes(f));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new BadInputException(dir, "cannot read: " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes the runs in one transaction; returns one line per run saying what was done. On any failure the
     * transaction is rolled back and nothing is written.
     */
    public static List<String> add(Store store, List<Loaded> runs) throws BadInputException {
        Connection c = store.connection;
        List<String> out = new ArrayList<>();
        try {
            for (Loaded r : runs) out.add(addOne(c, r));
            c.commit();
            return out;
        } catch (SQLException | JsonProcessingException e) {
            rollback(c);
            throw new BadInputException("the store " + store.shownUrl() + ": adding failed, nothing written: "
                    + Store.oneLine(e));
        } catch (BadInputException | RuntimeException e) {
            rollback(c);
            throw e;
        }
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is gone: the server rolls the transaction back itself
        }
    }

    private static String addOne(Connection c, Loaded r) throws SQLException, JsonProcessingException,
            BadInputException {
        String id = r.runId();
        String createdAt = r.run().env.path("createdAt").asText("");
        String action = "added";
        try (PreparedStatement q = c.prepareStatement("SELECT box_id, created_at, content_sha256 FROM run WHERE"
                + " run_id = ?")) {
            q.setString(1, id);
            try (ResultSet rs = q.executeQuery()) {
                if (rs.next()) {
                    if (!rs.getString(1).equals(r.box().id()) || !createdAt.equals(nz(rs.getString(2)))) {
                        throw new BadInputException(r.dir(), "a different run with the id " + id + " is already in"
                                + " the store (box " + rs.getString(1) + ", created " + rs.getString(2) + "): runs"
                                + " are told apart by env.json runId; nothing written");
                    }
                    if (rs.getString(3).equals(r.digest())) return id + ": already in the store, unchanged";
                    action = "replaced (its files changed since it was added)";
                }
            }
        }
        if (!action.equals("added")) delete(c, id);
        insertBox(c, r.box());
        insertRun(c, r);
        insertConfigurations(c, r.run());
        insertSamples(c, id, r.run().samples);
        insertRest(c, id, r.run());
        insertVerdicts(c, id, r.verdicts());
        return id + ": " + action + " (" + r.box().name() + ", " + r.run().kernelRelease() + ", "
                + r.run().samples.size() + " samples, " + r.verdicts().verdicts.size() + " verdicts)";
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** Every row of a run, children first. */
    static void delete(Connection c, String runId) throws SQLException {
        for (String t : List.of("sample_metric", "sample", "run_round", "failure", "skipped", "run_note", "run_result",
                "verdict", "run")) {
            try (PreparedStatement d = c.prepareStatement("DELETE FROM " + t + " WHERE run_id = ?")) {
                d.setString(1, runId);
                d.executeUpdate();
            }
        }
    }

    private static void insertBox(Connection c, Box b) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO box (box_id, name, cpu_model, cpu_count,"
                + " memory_bytes) VALUES (?, ?, ?, ?, ?) ON CONFLICT (box_id) DO NOTHING")) {
            p.setString(1, b.id());
            p.setString(2, b.name());
            p.setString(3, b.cpuModel());
            if (b.cpuCount() == null) p.setNull(4, Types.INTEGER);
            else p.setInt(4, b.cpuCount());
            if (b.memoryBytes() == null) p.setNull(5, Types.BIGINT);
            else p.setLong(5, b.memoryBytes());
            p.executeUpdate();
        }
    }

    private static void insertRun(Connection c, Loaded r) throws SQLException, JsonProcessingException {
        RunData run = r.run();
        String createdAt = run.env.path("createdAt").isTextual() ? run.env.path("createdAt").asText() : null;
        Long epoch = null;
        if (createdAt != null) {
            try {
                epoch = Instant.parse(createdAt).getEpochSecond();
            } catch (DateTimeParseException e) {
                epoch = null; // shown as written; no time axis for it
            }
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO run (run_id, box_id, dir_name, kernel_release,"
                + " created_at, created_epoch, quick, state, state_text, aiobench_version, aiobench_commit, env_json,"
                + " content_sha256, added_at, added_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, r.runId());
            p.setString(2, r.box().id());
            p.setString(3, r.dir().toAbsolutePath().normalize().getFileName().toString());
            p.setString(4, run.kernelRelease());
            p.setString(5, createdAt);
            if (epoch == null) p.setNull(6, Types.BIGINT);
            else p.setLong(6, epoch);
            if (run.env.path("quick").isBoolean()) p.setBoolean(7, run.env.path("quick").asBoolean());
            else p.setNull(7, Types.BOOLEAN);
            p.setString(8, run.state.status().name());
            p.setString(9, run.state.text());
            p.setString(10, textOrNull(run.env.path("aiobench").path("version")));
            p.setString(11, textOrNull(run.env.path("aiobench").path("commit")));
            p.setString(12, JSON.writeValueAsString(run.env));
            p.setString(13, r.digest());
            p.setString(14, Instant.now().toString());
            p.setString(15, r.dir().toAbsolutePath().normalize().toString());
            p.executeUpdate();
        }
    }

    private static String textOrNull(com.fasterxml.jackson.databind.JsonNode n) {
        return n.isTextual() ? n.asText() : null;
    }

    /** The run's configurations, where the store lacks them (a configuration id names the same one in every run). */
    private static void insertConfigurations(Connection c, RunData run) throws SQLException, JsonProcessingException {
        Map<List<String>, Sample> first = new LinkedHashMap<>();
        for (Sample s : run.samples) first.putIfAbsent(List.of(s.group(), s.config()), s);
        try (PreparedStatement p = c.prepareStatement("INSERT INTO configuration (group_name, config_id, benchmark,"
                + " params_json) VALUES (?, ?, ?, ?) ON CONFLICT (group_name, config_id) DO NOTHING");
             PreparedStatement kv = c.prepareStatement("INSERT INTO config_param (group_name, config_id, name, value)"
                     + " VALUES (?, ?, ?, ?) ON CONFLICT (group_name, config_id, name) DO NOTHING")) {
            for (Sample s : first.values()) {
                p.setString(1, s.group());
                p.setString(2, s.config());
                p.setString(3, s.benchmark());
                p.setString(4, JSON.writeValueAsString(s.params()));
                p.addBatch();
                for (var e : s.params().entrySet()) {
                    kv.setString(1, s.group());
                    kv.setString(2, s.config());
                    kv.setString(3, e.getKey());
                    kv.setString(4, e.getValue());
                    kv.addBatch();
                }
            }
            p.executeBatch();
            kv.executeBatch();
        }
    }

    private static void insertSamples(Connection c, String runId, List<Sample> samples) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO sample (run_id, seq, group_name, config_id, aa,"
                + " round, fork, iteration, start_time, value, unit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement m = c.prepareStatement("INSERT INTO sample_metric (run_id, seq, pos, name, value)"
                     + " VALUES (?, ?, ?, ?, ?)")) {
            int seq = 0;
            for (Sample s : samples) {
                seq++;
                p.setString(1, runId);
                p.setInt(2, seq);
                p.setString(3, s.group());
                p.setString(4, s.config());
                p.setString(5, s.aa());
                p.setInt(6, s.round());
                p.setInt(7, s.fork());
                p.setInt(8, s.iteration());
                p.setString(9, s.start());
                p.setDouble(10, s.value());
                p.setString(11, s.unit());
                p.addBatch();
                int pos = 0;
                for (var e : s.metrics().entrySet()) {
                    m.setString(1, runId);
                    m.setInt(2, seq);
                    m.setInt(3, ++pos);
                    m.setString(4, e.getKey());
                    m.setDouble(5, e.getValue());
                    m.addBatch();
                }
                if (seq % 1000 == 0) {
                    p.executeBatch();
                    m.executeBatch();
                }
            }
            p.executeBatch();
            m.executeBatch();
        }
    }

    private static void insertRest(Connection c, String runId, RunData run) throws SQLException,
            JsonProcessingException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO run_round (run_id, seq, round, started, finished,"
                + " order_json, steal_fraction, iowait_fraction, failed_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int seq = 0;
            for (RoundRecord r : run.rounds) {
                p.setString(1, runId);
                p.setInt(2, ++seq);
                p.setInt(3, r.round());
                p.setString(4, r.started());
                p.setString(5, r.finished());
                p.setString(6, JSON.writeValueAsString(r.order()));
                setDouble(p, 7, r.stealFraction());
                setDouble(p, 8, r.iowaitFraction());
                p.setString(9, JSON.writeValueAsString(r.failed()));
                p.addBatch();
            }
            p.executeBatch();
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO failure (run_id, seq, round, group_name, config_id,"
                + " params_json, error, wrong_file, wrong_offset, wrong_what) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int seq = 0;
            for (Failure f : run.failures) {
                p.setString(1, runId);
                p.setInt(2, ++seq);
                p.setInt(3, f.round());
                p.setString(4, f.group());
                p.setString(5, f.config());
                p.setString(6, JSON.writeValueAsString(f.params()));
                p.setString(7, f.error());
                Failure.WrongData w = f.wrongData();
                p.setString(8, w == null ? null : w.file());
                if (w == null) p.setNull(9, Types.BIGINT);
                else p.setLong(9, w.offset());
                p.setString(10, w == null ? null : w.what());
                p.addBatch();
            }
            p.executeBatch();
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO skipped (run_id, seq, group_name, benchmark,"
                + " params_json, reason) VALUES (?, ?, ?, ?, ?, ?)")) {
            int seq = 0;
            for (Skipped s : run.skipped) {
                p.setString(1, runId);
                p.setInt(2, ++seq);
                p.setString(3, s.group());
                p.setString(4, s.benchmark());
                p.setString(5, JSON.writeValueAsString(s.params()));
                p.setString(6, s.reason());
                p.addBatch();
            }
            p.executeBatch();
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO run_note (run_id, seq, text) VALUES (?, ?, ?)")) {
            int seq = 0;
            for (String n : run.notes) {
                p.setString(1, runId);
                p.setInt(2, ++seq);
                p.setString(3, n);
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    private static void insertVerdicts(Connection c, String runId, RunVerdicts v) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO run_result (run_id, group_name, config_id, metric,"
                + " unit, mean, sd, n, rounds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (RunVerdicts.ResultRow r : v.results) {
                p.setString(1, runId);
                p.setString(2, r.group());
                p.setString(3, r.config());
                p.setString(4, r.metric());
                p.setString(5, r.unit());
                p.setDouble(6, r.mean());
                setDouble(p, 7, r.sd());
                p.setInt(8, r.n());
                p.setInt(9, r.rounds());
                p.addBatch();
            }
            p.executeBatch();
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO verdict (run_id, seq, kind, group_name, config_id,"
                + " aa, base_group, base_config, metric, ratio, low, high, n, verdict, label) VALUES (?, ?, ?, ?, ?, ?,"
                + " ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int seq = 0;
            for (RunVerdicts.VerdictRow r : v.verdicts) {
                p.setString(1, runId);
                p.setInt(2, ++seq);
                p.setString(3, r.kind());
                p.setString(4, r.group());
                p.setString(5, r.config());
                p.setString(6, r.aa());
                p.setString(7, r.baseGroup());
                p.setString(8, r.baseConfig());
                p.setString(9, r.metric());
                setDouble(p, 10, r.ratio());
                setDouble(p, 11, r.low());
                setDouble(p, 12, r.high());
                p.setInt(13, r.n());
                p.setString(14, r.verdict());
                p.setString(15, r.label());
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    /** A double, NULL for NaN (SQLite has no NaN; a missing value is what NaN means here). */
    static void setDouble(PreparedStatement p, int i, double v) throws SQLException {
        if (Double.isNaN(v) || Double.isInfinite(v)) p.setNull(i, Types.DOUBLE);
        else p.setDouble(i, v);
    }
}
