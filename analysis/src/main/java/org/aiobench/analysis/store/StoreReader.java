package org.aiobench.analysis.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.aiobench.analysis.run.BadInputException;
import org.aiobench.analysis.run.Failure;
import org.aiobench.analysis.run.RoundRecord;
import org.aiobench.analysis.run.RunData;
import org.aiobench.analysis.run.RunState;
import org.aiobench.analysis.run.Sample;
import org.aiobench.analysis.run.Skipped;

/**
 * Reads runs back from the store into the model the directory reader builds ({@link RunData}), record for record, so
 * that compare, history and the report run unchanged on them.
 */
public final class StoreReader {
    private static final TypeReference<LinkedHashMap<String, String>> PARAMS = new TypeReference<>() {};
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

    /** A stored run as {@code store list} shows it. */
    public record RunRow(String runId, Box box, String kernel, String createdAt, String state, int samples) {}

    private StoreReader() {}

    /** Every box, by name then id. */
    public static List<Box> boxes(Store s) throws BadInputException {
        List<Box> out = new ArrayList<>();
        try (PreparedStatement q = s.connection.prepareStatement("SELECT box_id, name, cpu_model, cpu_count,"
                + " memory_bytes FROM box ORDER BY name, box_id"); ResultSet rs = q.executeQuery()) {
            while (rs.next()) out.add(box(rs, 1));
        } catch (SQLException e) {
            throw failed(s, e);
        }
        return out;
    }

    private static Box box(ResultSet rs, int at) throws SQLException {
        int count = rs.getInt(at + 3);
        Integer cpus = rs.wasNull() ? null : count;
        long mem = rs.getLong(at + 4);
        Long memory = rs.wasNull() ? null : mem;
        return new Box(rs.getString(at), rs.getString(at + 1), rs.getString(at + 2), cpus, memory);
    }

    /** Every run, by box, then creation time. */
    public static List<RunRow> runs(Store s) throws BadInputException {
        List<RunRow> out = new ArrayList<>();
        try (PreparedStatement q = s.connection.prepareStatement("SELECT r.run_id, b.box_id, b.name, b.cpu_model,"
                + " b.cpu_count, b.memory_bytes, r.kernel_release, r.created_at, r.state, (SELECT COUNT(*) FROM sample"
                + " x WHERE x.run_id = r.run_id) FROM run r JOIN box b ON b.box_id = r.box_id"
                + " ORDER BY b.name, b.box_id, r.created_at, r.run_id"); ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                out.add(new RunRow(rs.getString(1), box(rs, 2), rs.getString(7), rs.getString(8), rs.getString(9),
                        rs.getInt(10)));
            }
        } catch (SQLException e) {
            throw failed(s, e);
        }
        return out;
    }

    static BadInputException failed(Store s, Exception e) {
        return new BadInputException("the store " + s.shownUrl() + ": " + Store.oneLine(e));
    }

    /**
     * The runs a command names: those of one box ({@code box}: a box's name or id; null for all), and of the given
     * kernel releases or run ids (empty: every run). Runs of several boxes need {@code box}: a history or a
     * comparison mixes machines only when asked to by name.
     */
    public static List<RunData> select(Store s, String box, List<String> kernelsOrRuns) throws BadInputException {
        List<RunRow> all = runs(s);
        if (all.isEmpty()) throw new BadInputException("the store " + s.shownUrl() + " holds no runs");
        List<RunRow> chosen = all;
        if (box != null) {
            chosen = all.stream().filter(r -> r.box().name().equals(box) || r.box().id().equals(box)).toList();
            if (chosen.isEmpty()) {
                throw new BadInputException("--box " + box + ": no such box in the store (boxes: " + boxNames(all)
                        + ")");
            }
        }
        if (!kernelsOrRuns.isEmpty()) {
            List<RunRow> named = new ArrayList<>();
            for (String k : kernelsOrRuns) {
                List<RunRow> hit = chosen.stream().filter(r -> r.kernel().equals(k) || r.runId().equals(k)).toList();
                if (hit.isEmpty()) {
                    throw new BadInputException(k + ": neither a kernel nor a run in the store" + (box == null ? ""
                            : " for box " + box) + " (kernels: " + chosen.stream().map(RunRow::kernel).distinct()
                            .collect(Collectors.joining(", ")) + ")");
                }
                hit.stream().filter(r -> !named.contains(r)).forEach(named::add);
            }
            chosen = named;
        }
        Set<String> boxes = chosen.stream().map(r -> r.box().id()).collect(Collectors.toCollection(LinkedHashSet::new));
        if (box == null && boxes.size() > 1) {
            throw new BadInputException("these runs come from " + boxes.size() + " boxes (" + boxNames(chosen)
                    + "): name one with --box NAME");
        }
        List<RunData> out = new ArrayList<>();
        for (RunRow r : chosen) out.add(load(s, r.runId()));
        return out;
    }

    private static String boxNames(List<RunRow> runs) {
        Map<String, Box> byId = new LinkedHashMap<>();
        runs.forEach(r -> byId.putIfAbsent(r.box().id(), r.box()));
        Map<String, Long> names = byId.values().stream().collect(Collectors.groupingBy(Box::name,
                LinkedHashMap::new, Collectors.counting()));
        return byId.values().stream().map(b -> names.get(b.name()) > 1 ? b.name() + " [" + b.id() + "]" : b.name())
                .collect(Collectors.joining(", "));
    }

    /** One stored run, as {@link RunData#load} would read its directory. */
    public static RunData load(Store s, String runId) throws BadInputException {
        try {
            return read(s, runId);
        } catch (SQLException | JsonProcessingException e) {
            throw failed(s, e);
        }
    }

    private static RunData read(Store s, String runId) throws SQLException, JsonProcessingException,
            BadInputException {
        var c = s.connection;
        String dirName, state, stateText;
        JsonNode env;
        try (PreparedStatement q = c.prepareStatement("SELECT dir_name, env_json, state, state_text FROM run WHERE"
                + " run_id = ?")) {
            q.setString(1, runId);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) throw new BadInputException("the store " + s.shownUrl() + " holds no run " + runId);
                dirName = rs.getString(1);
                env = StoreWriter.JSON.readTree(rs.getString(2));
                state = rs.getString(3);
                stateText = rs.getString(4);
            }
        }
        Map<List<String>, String[]> configs = new HashMap<>(); // group, config -> benchmark, params
        try (PreparedStatement q = c.prepareStatement("SELECT DISTINCT c.group_name, c.config_id, c.benchmark,"
                + " c.params_json FROM configuration c JOIN sample x ON x.group_name = c.group_name AND x.config_id"
                + " = c.config_id WHERE x.run_id = ?")) {
            q.setString(1, runId);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    configs.put(List.of(rs.getString(1), rs.getString(2)), new String[] {rs.getString(3),
                            rs.getString(4)});
                }
            }
        }
        Map<List<String>, Map<String, String>> params = new HashMap<>();
        for (var e : configs.entrySet()) params.put(e.getKey(), StoreWriter.JSON.readValue(e.getValue()[1], PARAMS));

        Map<Integer, Map<String, Double>> metrics = new HashMap<>();
        try (PreparedStatement q = c.prepareStatement("SELECT seq, name, value FROM sample_metric WHERE run_id = ?"
                + " ORDER BY seq, pos")) {
            q.setString(1, runId);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    metrics.computeIfAbsent(rs.getInt(1), k -> new LinkedHashMap<>()).put(rs.getString(2),
                            rs.getDouble(3));
                }
            }
        }
        List<Sample> samples = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT seq, group_name, config_id, aa, round, fork, iteration,"
                + " start_time, value, unit FROM sample WHERE run_id = ? ORDER BY seq")) {
            q.setString(1, runId);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    List<String> key = List.of(rs.getString(2), rs.getString(3));
                    samples.add(new Sample(rs.getInt(5), key.get(0), key.get(1), configs.get(key)[0],
                            params.get(key), rs.getString(4), rs.getInt(6), rs.getInt(7), rs.getString(8),
                            rs.getDouble(9), rs.getString(10), metrics.getOrDefault(rs.getInt(1), Map.of())));
                }
            }
        }
        List<RoundRecord> rounds = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT round, started, finished, order_json, steal_fraction,"
                + " iowait_fraction, failed_json FROM run_round WHERE run_id = ? ORDER BY seq")) {
            q.setString(1, runId);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    rounds.add(new RoundRecord(rs.getInt(1), rs.getString(2), rs.getString(3),
                            StoreWriter.JSON.readValue(rs.getString(4), STRINGS), nullableDouble(rs, 5),
                            nullableDouble(rs, 6), StoreWriter.JSON.readValue(rs.getString(7), STRINGS)));
                }
            }
        }
        List<Failure> failures = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT round, group_name, config_id, params_json, error,"
                + " wrong_file, wrong_offset, wrong_what FROM failure WHERE run_id = ? ORDER BY seq")) {
            q.setString(1, runId);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    String file = rs.getString(6);
                    Failure.WrongData w = file == null ? null : new Failure.WrongData(file, rs.getLong(7),
                            rs.getString(8));
                    failures.add(new Failure(rs.getInt(1), rs.getString(2), rs.getString(3),
                            StoreWriter.JSON.readValue(rs.getString(4), PARAMS), rs.getString(5), w));
                }
            }
        }
        List<Skipped> skipped = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT group_name, benchmark, params_json, reason FROM skipped"
                + " WHERE run_id = ? ORDER BY seq")) {
            q.setString(1, runId);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    skipped.add(new Skipped(rs.getString(1), rs.getString(2),
                            StoreWriter.JSON.readValue(rs.getString(3), PARAMS), rs.getString(4)));
                }
            }
        }
        List<String> notes = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT text FROM run_note WHERE run_id = ? ORDER BY seq")) {
            q.setString(1, runId);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) notes.add(rs.getString(1));
            }
        }
        return RunData.of(s.results.resolve(dirName), env, samples, rounds, skipped, failures,
                new RunState(RunState.Status.valueOf(state), stateText), notes);
    }

    private static double nullableDouble(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? Double.NaN : v;
    }
}
