package org.aiobench.benchmarks.run;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;

/**
 * The run directory (layout in results/README.md): run.log, env.json, skipped.json, progress.json, manifests/
 * and jmh/. Every file but run.log is rewritten whole through a temporary file and a rename, so an interrupted run
 * never leaves half a JSON file.
 */
final class RunRecord {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    /** One configuration not run, as skipped.json holds it. */
    record Skip(String group, String benchmark, Map<String, String> params, String reason) {}

    final Path dir;
    private final PrintStream console;

    RunRecord(Path dir, PrintStream console) throws IOException {
        this.dir = dir;
        this.console = console;
        Files.createDirectories(dir.resolve("jmh"));
        Files.createDirectories(dir.resolve("manifests"));
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
        Path tmp = dir.resolve(name + ".tmp");
        JSON.writeValue(tmp.toFile(), value);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    Map<String, Object> readJson(String name) throws IOException {
        return JSON.readValue(dir.resolve(name).toFile(), new TypeReference<LinkedHashMap<String, Object>>() {});
    }

    boolean has(String name) { return Files.exists(dir.resolve(name)); }

    List<Skip> skips() throws IOException {
        if (!has("skipped.json")) return new ArrayList<>();
        return new ArrayList<>(JSON.readValue(dir.resolve("skipped.json").toFile(), new TypeReference<List<Skip>>() {}));
    }

    /** Replaces the skips of {@code group} in skipped.json by {@code skips}. */
    void replaceSkips(String group, List<Skip> groupSkips) throws IOException {
        List<Skip> all = skips();
        all.removeIf(s -> s.group().equals(group));
        all.addAll(groupSkips);
        writeJson("skipped.json", all);
    }

    /** Adds skips found while running (a kernel refusal the up-front check did not see) to skipped.json. */
    void addSkips(List<Skip> more) throws IOException {
        List<Skip> all = skips();
        all.addAll(more);
        writeJson("skipped.json", all);
    }

    /** jmh/&lt;group&gt;.json: JMH's own JSON format, as {@code -rf json} writes it. */
    void writeGroupResults(String group, Collection<RunResult> results) throws IOException {
        Path tmp = dir.resolve("jmh").resolve(group + ".json.tmp");
        try (PrintStream out = new PrintStream(Files.newOutputStream(tmp), true, StandardCharsets.UTF_8)) {
            ResultFormatFactory.getInstance(ResultFormatType.JSON, out).writeOut(results);
        }
        Files.move(tmp, dir.resolve("jmh").resolve(group + ".json"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /** Appends JMH's human-readable output of one configuration to jmh/&lt;group&gt;.log. */
    void appendJmhLog(String group, Path output) throws IOException {
        if (!Files.exists(output)) return;
        Files.write(dir.resolve("jmh").resolve(group + ".log"), Files.readAllBytes(output), StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        Files.delete(output);
    }
}
