package org.aiobench.benchmarks.run;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.aiobench.benchmarks.plan.Schedule;
import org.aiobench.benchmarks.plan.Skip;
import org.aiobench.workloads.VerificationException;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;

/**
 * The run directory (layout in results/README.md): run.log, env.json, samples.jsonl, rounds.jsonl, failures.json,
 * skipped.json, progress.json (through {@link RunProgress}), manifests/ and jmh/. JSON files are rewritten whole
 * through a temporary file and a rename, so an interrupted run never leaves half a JSON file; the JSON-lines files
 * are appended one fork or round at a time, and a line cut short by a kill is dropped when the run is resumed.
 */
final class RunRecord {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** One JSON object per line. */
    static final ObjectMapper LINES = new ObjectMapper();
    static final String SAMPLES = "samples.jsonl";
    static final String ROUNDS = "rounds.jsonl";
    static final String FAILURES = "failures.json";
    static final String SKIPPED = "skipped.json";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    final Path dir;
    private final PrintStream console;

    RunRecord(Path dir, PrintStream console) throws IOException {
        this.dir = dir;
        this.console = console;
        Files.createDirectories(dir.resolve("jmh").resolve("rounds"));
        Files.createDirectories(dir.resolve("manifests"));
    }

    /**
     * Holds the run directory for this process until closed (a lock on its .lock file), so that two processes never
     * measure into one run (a second --resume while the first still runs); refused in one line when held.
     */
    AutoCloseable lock() throws IOException {
        FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            ch.close();
            throw new ExperimentRunner.BadInput(dir + " is being measured by another aiobench process; wait for it"
                    + " or stop it first");
        }
        return ch::close;
    }

    /** A line for the user and for run.log. */
    void say(String line) {
        console.println(line);
        log(line);
    }

    /** A line for run.log only. */
    void log(String line) {
        String stamped = TIME.format(Instant.now()) + " " + line + System.lineSeparator();
        try {
            Files.writeString(dir.resolve("run.log"), stamped, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve("run.log"), e);
        }
    }

    void writeJson(String name, Object value) throws IOException {
        replaceJson(dir.resolve(name), value);
    }

    /** Writes {@code file} whole, through a temporary file and a rename. */
    static void replaceJson(Path file, Object value) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), value);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    Map<String, Object> readJson(String name) throws IOException {
        return JSON.readValue(dir.resolve(name).toFile(), new TypeReference<LinkedHashMap<String, Object>>() {});
    }

    boolean has(String name) { return Files.exists(dir.resolve(name)); }

    // ---- skipped.json

    List<Skip> skips() throws IOException {
        if (!has(SKIPPED)) return new ArrayList<>();
        return new ArrayList<>(JSON.readValue(dir.resolve(SKIPPED).toFile(), new TypeReference<List<Skip>>() {}));
    }

    /** Adds skips to skipped.json, each configuration once. */
    void addSkips(List<Skip> more) throws IOException {
        List<Skip> all = skips();
        Set<String> known = new HashSet<>();
        for (Skip s : all) known.add(s.configId());
        for (Skip s : more) if (known.add(s.configId())) all.add(s);
        writeJson(SKIPPED, all);
    }

    // ---- samples.jsonl, rounds.jsonl, failures.json

    /** A new run's samples.jsonl and rounds.jsonl, empty, so a reader finds them before the first fork ends. */
    void createLineFiles() throws IOException {
        appendLines(SAMPLES, List.of());
        appendLines(ROUNDS, List.of());
    }

    /** Appends one fork's samples in one write, so a kill leaves whole forks (and at most one cut line). */
    void appendSamples(List<Map<String, Object>> samples) throws IOException {
        appendLines(SAMPLES, samples);
    }

    void appendRound(Map<String, Object> round) throws IOException {
        appendLines(ROUNDS, List.of(round));
    }

    private void appendLines(String name, List<? extends Map<String, Object>> lines) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Map<String, Object> l : lines) sb.append(LINES.writeValueAsString(l)).append('\n');
        Files.writeString(dir.resolve(name), sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /** Drops a last line that a kill cut short (no newline at its end); returns how many bytes were dropped. */
    long repairLines(String name) throws IOException {
        Path p = dir.resolve(name);
        if (!Files.exists(p)) return 0;
        byte[] all = Files.readAllBytes(p);
        int end = all.length;
        while (end > 0 && all[end - 1] != '\n') end--;
        if (end == all.length) return 0;
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.truncate(end);
        }
        return all.length - end;
    }

    /** The lines of a JSON-lines file. */
    List<JsonNode> readLines(String name) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (!has(name)) return out;
        for (String line : Files.readAllLines(dir.resolve(name), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) out.add(LINES.readTree(line));
        }
        return out;
    }

    List<Map<String, Object>> failures() throws IOException {
        if (!has(FAILURES)) return new ArrayList<>();
        return new ArrayList<>(JSON.readValue(dir.resolve(FAILURES).toFile(),
                new TypeReference<List<Map<String, Object>>>() {}));
    }

    /** Appends a failed configuration to failures.json (in the order they happened). */
    void addFailure(int round, Schedule.Entry e, String error) throws IOException {
        addFailure(round, e, error, null);
    }

    /** A failed fork; {@code wrong} when its copy was wrong data: failures.json says where ({@code wrongData}). */
    void addFailure(int round, Schedule.Entry e, String error, VerificationException wrong) throws IOException {
        List<Map<String, Object>> all = failures();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("round", round);
        f.put("group", e.config().group().id());
        f.put("config", e.config().id());
        f.put("params", e.config().params());
        if (e.aaB()) f.put("aa", "B");
        f.put("error", error);
        if (wrong != null) {
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("file", wrong.file());
            w.put("offset", wrong.offset());
            w.put("what", wrong.what());
            f.put("wrongData", w);
        }
        all.add(f);
        writeJson(FAILURES, all);
    }

    // ---- jmh/

    /**
     * Adds one fork's result, in JMH's own JSON format, to jmh/rounds/round-NNN.json (an array in run order); each object
     * gets an {@code aiobench} member with its round, config id and A/A label.
     */
    void addJmhResult(int round, Schedule.Entry e, RunResult r) throws IOException {
        Path file = jmhRoundFile(round);
        ArrayNode all = Files.exists(file) ? (ArrayNode) JSON.readTree(file.toFile()) : JSON.createArrayNode();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            ResultFormatFactory.getInstance(ResultFormatType.JSON, ps).writeOut(List.of(r));
        }
        for (JsonNode n : JSON.readTree(bytes.toByteArray())) {
            ObjectNode tag = ((ObjectNode) n).putObject("aiobench");
            tag.put("round", round);
            tag.put("group", e.config().group().id());
            tag.put("config", e.config().id());
            if (e.aaB()) tag.put("aa", "B");
            all.add(n);
        }
        replaceJson(file, all);
    }

    /** jmh/rounds/round-NNN.json: a subdirectory, so readers of jmh/&lt;group&gt;.json do not take it for a group. */
    Path jmhRoundFile(int round) {
        return dir.resolve("jmh").resolve("rounds").resolve(String.format("round-%03d.json", round));
    }

    /** Rewrites jmh/&lt;group&gt;.json, every round's forks merged per configuration ({@link JmhMerge}). */
    void writeMergedGroups() throws IOException {
        List<JsonNode> forks = new ArrayList<>();
        try (var files = Files.newDirectoryStream(dir.resolve("jmh").resolve("rounds"), "round-[0-9]*.json")) {
            List<Path> sorted = new ArrayList<>();
            files.forEach(sorted::add);
            sorted.sort(null);
            for (Path f : sorted) JSON.readTree(f.toFile()).forEach(forks::add);
        }
        for (Map.Entry<String, ArrayNode> g : JmhMerge.byGroup(forks).entrySet()) {
            replaceJson(dir.resolve("jmh").resolve(g.getKey() + ".json"), g.getValue());
        }
    }

    /** Appends JMH's human-readable output of one fork to jmh/&lt;group&gt;.log. */
    void appendJmhLog(String group, Path output) throws IOException {
        if (!Files.exists(output)) return;
        Files.write(dir.resolve("jmh").resolve(group + ".log"), Files.readAllBytes(output), StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        Files.delete(output);
    }
}
