package org.aiobench.analysis.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aiobench.vocabulary.ConfigLabel;

/**
 * Reads the files of a run directory (layout: results/README.md and the rounds contract): every malformed file is a
 * {@link BadInputException} naming the file, the line where there are lines, and what is wrong.
 */
public final class RunFiles {
    public static final ObjectMapper JSON = new ObjectMapper();

    private RunFiles() {}

    public static JsonNode read(Path f) throws BadInputException {
        try {
            JsonNode n = JSON.readTree(f.toFile());
            if (n == null || n.isMissingNode()) throw new BadInputException(f, "empty file, expected JSON");
            return n;
        } catch (JsonProcessingException e) {
            throw new BadInputException(f, malformed(e));
        } catch (NoSuchFileException e) {
            throw new BadInputException(f, "missing");
        } catch (IOException e) {
            throw new BadInputException(f, "cannot read: " + e.getMessage());
        }
    }

    private static String malformed(JsonProcessingException e) {
        var loc = e.getLocation();
        String at = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
        return "malformed JSON" + at + ": " + e.getOriginalMessage().lines().findFirst().orElse("");
    }

    /** A line-oriented reader's callback, which may throw for a line whose content is wrong. */
    interface LineParser {
        void parse(JsonNode line, String where) throws BadInputException;
    }

    /**
     * A JSON-lines file. A last line without its newline that does not parse is what a run killed while writing
     * leaves: it is left out and said in {@code notes}; any other malformed line is bad input.
     */
    static void readLines(Path f, LineParser parser, Consumer<String> notes) throws BadInputException {
        String text;
        try {
            text = Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInputException(f, "cannot read: " + e.getMessage());
        }
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) continue;
            boolean lastUnterminated = i == lines.length - 1;
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                if (lastUnterminated) {
                    notes.accept(f.getFileName() + ": the last line was cut short (the run stopped while writing it)"
                            + " and is left out.");
                    return;
                }
                throw new BadInputException(f, "line " + (i + 1) + ": " + malformed(e));
            }
            if (!n.isObject()) throw new BadInputException(f, "line " + (i + 1) + ": expected a JSON object");
            parser.parse(n, "line " + (i + 1));
        }
    }

    static String text(Path f, JsonNode n, String field, String where) throws BadInputException {
        JsonNode v = n.path(field);
        if (!v.isTextual()) throw new BadInputException(f, where + ": no '" + field + "' string");
        return v.asText();
    }

    static int integer(Path f, JsonNode n, String field, String where) throws BadInputException {
        JsonNode v = n.path(field);
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new BadInputException(f, where + ": no '" + field + "' integer");
        }
        return v.asInt();
    }

    static Map<String, String> params(Path f, JsonNode p, String where) throws BadInputException {
        Map<String, String> out = new LinkedHashMap<>();
        if (p.isMissingNode() || p.isNull()) return out;
        if (!p.isObject()) throw new BadInputException(f, where + ": params is not an object");
        p.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static List<String> strings(JsonNode arr) {
        List<String> out = new ArrayList<>();
        arr.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static double fraction(JsonNode v) {
        return v.isNumber() ? v.asDouble() : Double.NaN;
    }

    // ---- the files ----

    static List<Skipped> skipped(Path f) throws BadInputException {
        List<Skipped> out = new ArrayList<>();
        if (!Files.isRegularFile(f)) return out;
        JsonNode arr = read(f);
        if (!arr.isArray()) throw new BadInputException(f, "expected a JSON array");
        int i = 0;
        for (JsonNode s : arr) {
            String where = "entry " + i++;
            out.add(new Skipped(text(f, s, "group", where), s.path("benchmark").asText(""),
                    params(f, s.path("params"), where), text(f, s, "reason", where)));
        }
        return out;
    }

    static List<Failure> failures(Path f) throws BadInputException {
        List<Failure> out = new ArrayList<>();
        JsonNode arr = read(f);
        if (!arr.isArray()) throw new BadInputException(f, "expected a JSON array");
        int i = 0;
        for (JsonNode s : arr) {
            String where = "entry " + i++;
            JsonNode w = s.path("wrongData");
            Failure.WrongData wrong = w.isObject() ? new Failure.WrongData(w.path("file").asText(""),
                    w.path("offset").asLong(-1), w.path("what").asText("")) : null;
            out.add(new Failure(s.path("round").asInt(0), text(f, s, "group", where), s.path("config").asText(""),
                    params(f, s.path("params"), where), text(f, s, "error", where), wrong));
        }
        return out;
    }

    /** "12:03:44 FAILED basic engine=sync mode=single ...: the error", as the runner before rounds logged it. */
    private static final Pattern FAILED_LINE = Pattern.compile("^\\S+ FAILED (\\S+) (.*?): (.*)$");

    /** A run made before rounds has no failures.json: its FAILED lines in run.log say the same. */
    static List<Failure> runLogFailures(Path log) throws BadInputException {
        List<Failure> out = new ArrayList<>();
        if (!Files.isRegularFile(log)) return out;
        List<String> lines;
        try {
            lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInputException(log, "cannot read: " + e.getMessage());
        }
        for (String line : lines) {
            Matcher m = FAILED_LINE.matcher(line);
            if (!m.matches()) continue;
            out.add(new Failure(0, m.group(1), "", ConfigLabel.parseKeyValues(m.group(2)), m.group(3), null));
        }
        return out;
    }

    /**
     * progress.json: with rounds {@code state} and {@code roundsDone} of {@code rounds}; before rounds a map of
     * groups to "done", "running" or "pending".
     */
    static RunState progress(Path f) throws BadInputException {
        if (!Files.isRegularFile(f)) {
            return new RunState(RunState.Status.UNKNOWN, "no progress.json: whether the run finished is not recorded");
        }
        JsonNode p = read(f);
        if (!p.isObject()) throw new BadInputException(f, "expected a JSON object");
        if (p.has("state")) {
            String state = p.path("state").asText();
            if (state.equals("complete")) {
                String by = p.path("stoppedBy").asText("");
                return new RunState(RunState.Status.COMPLETE, by.isEmpty() ? "" : "stopped after "
                        + p.path("roundsDone").asText("?") + " rounds by its " + by + (by.equals("precision")
                        ? " (every judged comparison decided or within it)" : " (another round would have ended past it)"));
            }
            String done = p.path("roundsDone").asText("?") + " of " + p.path("rounds").asText("?") + " rounds";
            JsonNode current = p.path("current");
            String partial = current.isObject() && current.path("done").isArray()
                    ? " (round " + current.path("round").asText("?") + ": " + current.path("done").size()
                    + " configuration(s) done)" : "";
            String what = state.equals("running") ? "still running, or stopped without saying so" : state;
            return new RunState(RunState.Status.INCOMPLETE, what + " after " + done + partial);
        }
        JsonNode groups = p.path("groups");
        if (!groups.isObject()) throw new BadInputException(f, "neither a 'state' nor a 'groups' object");
        List<String> unfinished = new ArrayList<>();
        groups.properties().forEach(e -> {
            if (!e.getValue().asText().equals("done")) unfinished.add(e.getKey() + " (" + e.getValue().asText() + ")");
        });
        return unfinished.isEmpty() ? new RunState(RunState.Status.COMPLETE, "")
                : new RunState(RunState.Status.INCOMPLETE, "groups not finished: " + String.join(", ", unfinished));
    }

    static List<Sample> samples(Path f, Consumer<String> notes) throws BadInputException {
        List<Sample> out = new ArrayList<>();
        readLines(f, (n, where) -> {
            JsonNode value = n.path("value");
            if (!value.isNumber()) throw new BadInputException(f, where + ": no numeric 'value'");
            Map<String, Double> metrics = new LinkedHashMap<>();
            JsonNode m = n.path("metrics");
            if (!m.isMissingNode() && !m.isNull() && !m.isObject()) {
                throw new BadInputException(f, where + ": metrics is not an object");
            }
            for (var e : m.properties()) {
                if (e.getValue().isNumber()) metrics.put(e.getKey(), e.getValue().asDouble());
            }
            String aa = n.path("aa").isTextual() ? n.path("aa").asText() : null;
            out.add(new Sample(integer(f, n, "round", where), text(f, n, "group", where), text(f, n, "config", where),
                    n.path("benchmark").asText(""), params(f, n.path("params"), where), aa,
                    n.path("fork").asInt(1), n.path("iteration").asInt(1), n.path("start").asText(""),
                    value.asDouble(), text(f, n, "unit", where), metrics,
                    n.path("pair").path("with").isTextual() ? n.path("pair").path("with").asText() : null));
        }, notes);
        return out;
    }

    static List<RoundRecord> rounds(Path f, Consumer<String> notes) throws BadInputException {
        List<RoundRecord> out = new ArrayList<>();
        if (!Files.isRegularFile(f)) return out;
        readLines(f, (n, where) -> out.add(new RoundRecord(integer(f, n, "round", where), n.path("started").asText(""),
                n.path("finished").asText(""), strings(n.path("order")), fraction(n.path("stealFraction")),
                fraction(n.path("iowaitFraction")), strings(n.path("failed")))), notes);
        return out;
    }
}
