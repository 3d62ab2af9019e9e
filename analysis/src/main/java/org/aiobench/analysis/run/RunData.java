package org.aiobench.analysis.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.aiobench.analysis.stats.Better;
import org.aiobench.analysis.stats.RoundSeries;

/**
 * What the analysis module reads from results/&lt;run&gt;/ (layout: results/README.md). A run made with rounds is read
 * from samples.jsonl (jmh/ is then JMH's own record and not read); a run made before rounds from jmh/*.json.
 */
public final class RunData {
    public final Path dir;
    public final JsonNode env;
    /** Measured configurations per group, groups in name order; the A/A control's second label is apart. */
    public final Map<String, List<Result>> groups;
    /** The A/A control's second label (samples with aa=B), one per control configuration. */
    public final List<Result> controls;
    public final List<Skipped> skipped;
    public final List<Failure> failures;
    /** Every line of samples.jsonl, in file order; empty for a run made before rounds. */
    public final List<Sample> samples;
    public final List<RoundRecord> rounds;
    public final RunState state;
    /** Whether the run was measured in rounds (it has samples.jsonl). */
    public final boolean inRounds;
    /** What reading left out, one line each (e.g. a last line cut short by an interruption). */
    public final List<String> notes;

    private RunData(Path dir, JsonNode env, Map<String, List<Result>> groups, List<Result> controls,
                    List<Skipped> skipped, List<Failure> failures, List<Sample> samples, List<RoundRecord> rounds,
                    RunState state, boolean inRounds, List<String> notes) {
        this.dir = dir;
        this.env = env;
        this.groups = groups;
        this.controls = controls;
        this.skipped = skipped;
        this.failures = failures;
        this.samples = samples;
        this.rounds = rounds;
        this.state = state;
        this.inRounds = inRounds;
        this.notes = notes;
    }

    public String runId() {
        String id = env.path("runId").asText("");
        return id.isEmpty() ? dir.getFileName().toString() : id;
    }

    public String kernelRelease() {
        return env.path("kernel").path("release").asText("unknown kernel");
    }

    /**
     * The box the run was measured on: /etc/machine-id where env.json records it, else the CPU, memory and scratch
     * device together (runs made before aiobench recorded the host).
     */
    public String box() {
        String id = env.path("host").path("machineId").asText("");
        if (!id.isEmpty() && !id.startsWith("unknown")) return "machine-id " + id;
        return "cpu " + env.path("cpu").path("model").asText("?") + " x" + env.path("cpu").path("count")
                .asText("?") + ", memory " + env.path("memoryBytes").asText("?") + ", device "
                + env.path("scratch").path("deviceModel").asText("?");
    }

    /** The box's name for people: its host name. */
    public String hostName() {
        return env.path("host").path("name").asText("this box");
    }

    /** The run's configurations by {@link Result#key} (the A/A control's second label left out, as in the groups). */
    public Map<String, Result> byKey() {
        Map<String, Result> out = new LinkedHashMap<>();
        for (List<Result> rs : groups.values()) for (Result r : rs) out.putIfAbsent(r.key(), r);
        return out;
    }

    public List<Result> group(String name) {
        return groups.getOrDefault(name, List.of());
    }

    /** The results of a group whose params have every wanted value. */
    public List<Result> find(String group, Map<String, String> wanted) {
        return group(group).stream()
                .filter(r -> wanted.entrySet().stream().allMatch(e -> e.getValue().equals(r.param(e.getKey()))))
                .toList();
    }

    /** Every cp -r of these runs records its start cost: ratios to cp -r across them then use cp less it. */
    public static boolean cpLessStart(List<RunData> runs) {
        return runs.stream().allMatch(r -> r.group("cp").stream().allMatch(cp -> cp.inRounds(Result.TIME_LESS_START)));
    }

    /** Parameters a cp -r reference must share with a configuration, where both name them (beside fileSize). */
    private static final List<String> CP_MATCH = List.of("cache", "files");

    /** The cp -r reference for a configuration: the same file size, and cache state and file count where named. */
    public Result cpFor(Map<String, String> params, String metric) {
        String size = params.get("fileSize");
        if (size == null) return null;
        for (Result cp : group("cp")) {
            if (!size.equals(cp.param("fileSize")) || !cp.samples().containsKey(metric)) continue;
            boolean same = true;
            for (String k : CP_MATCH) {
                if (params.get(k) != null && cp.param(k) != null && !params.get(k).equals(cp.param(k))) same = false;
            }
            if (same) return cp;
        }
        return null;
    }

    /**
     * The peers measured on a configuration's tree and cache state (as {@link #cpFor} matches cp -r), by name; a
     * peer with the metric only.
     */
    public List<Result> peersFor(Map<String, String> params, String metric) {
        String size = params.get("fileSize");
        if (size == null) return List.of();
        return group(Result.PEER_GROUP).stream().filter(p -> size.equals(p.param("fileSize"))
                && p.samples().containsKey(metric) && CP_MATCH.stream().allMatch(k -> params.get(k) == null
                || p.param(k) == null || params.get(k).equals(p.param(k)))).toList();
    }

    /**
     * The wrong copies of peer {@code name} on a configuration's tree and cache state (every parameter given that
     * the failure names must agree), in the order they happened; empty when its copies were right.
     */
    public List<Failure> wrongData(String group, Map<String, String> params) {
        return failures.stream().filter(f -> f.wrongData() != null && f.matches(group, params)).toList();
    }

    /** The peers' names: env.json peers (group peer), then any other in samples or failures, sorted. */
    public List<String> peerNames() {
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (JsonNode p : env.path("peers")) {
            if (Result.PEER_GROUP.equals(p.path("group").asText())) names.add(p.path("name").asText());
        }
        group(Result.PEER_GROUP).forEach(r -> names.add(r.param("peer")));
        failures.stream().filter(f -> f.group().equals(Result.PEER_GROUP) && f.params().get("peer") != null)
                .forEach(f -> names.add(f.params().get("peer")));
        return List.copyOf(names);
    }

    /** A peer's command line as env.json records it, or null. */
    public String peerCommand(String name) {
        for (JsonNode p : env.path("peers")) {
            if (name.equals(p.path("name").asText()) && p.path("command").isArray()) {
                List<String> words = new ArrayList<>();
                p.path("command").forEach(w -> words.add(w.asText()));
                return String.join(" ", words);
            }
        }
        return null;
    }

    /** The A/A control's configuration id: env.json rounds.controlConfig, else the one with aa=B samples. */
    public String controlConfig() {
        String named = env.path("rounds").path("controlConfig").asText("");
        if (!named.isEmpty()) return named;
        return controls.isEmpty() ? null : controls.get(0).config();
    }

    public static RunData load(Path dir) throws BadInputException {
        if (!Files.isDirectory(dir)) {
            String why;
            if (Files.exists(dir)) {
                why = "not a directory (give the run directory, e.g. results/<run>, not a file in it)";
            } else if (Files.isSymbolicLink(dir)) {
                why = "a symbolic link that leads nowhere, or a loop of them";
            } else {
                why = "no such directory";
            }
            throw new BadInputException(dir, why);
        }
        Path envFile = dir.resolve("env.json");
        if (!Files.isRegularFile(envFile)) {
            throw new BadInputException(envFile, "missing: not a run directory (see results/README.md)");
        }
        JsonNode env = RunFiles.read(envFile);
        if (!env.isObject()) throw new BadInputException(envFile, "expected a JSON object");
        // plot writes into the directory: it must be a run aiobench made, not any directory with an env.json
        if (!env.path("aiobench").path("version").isTextual()) {
            throw new BadInputException(envFile, "names no aiobench.version: not an aiobench run directory, nothing"
                    + " written");
        }
        Path samplesFile = dir.resolve("samples.jsonl");
        Path jmh = dir.resolve("jmh");
        boolean inRounds = Files.isRegularFile(samplesFile);
        if (!inRounds && !Files.isDirectory(jmh) && !Files.isRegularFile(dir.resolve("progress.json"))) {
            throw new BadInputException(dir, "not an aiobench run directory (no samples.jsonl, jmh/ or progress.json),"
                    + " nothing written");
        }
        List<String> notes = new ArrayList<>();
        Map<String, List<Result>> groups;
        List<Result> controls = new ArrayList<>();
        List<Sample> samples = List.of();
        if (inRounds) {
            samples = List.copyOf(RunFiles.samples(samplesFile, notes::add));
            groups = fromSamples(samplesFile, samples, controls);
        } else {
            groups = JmhResults.read(jmh);
        }
        Path failuresFile = dir.resolve("failures.json");
        List<Failure> failures = Files.isRegularFile(failuresFile) ? RunFiles.failures(failuresFile)
                : RunFiles.runLogFailures(dir.resolve("run.log"));
        return new RunData(dir, env, groups, List.copyOf(controls), RunFiles.skipped(dir.resolve("skipped.json")),
                failures, samples, RunFiles.rounds(dir.resolve("rounds.jsonl"), notes::add),
                RunFiles.progress(dir.resolve("progress.json")), inRounds, notes);
    }

    /**
     * A run measured in rounds whose records were read from elsewhere (aiobench's store): the same model
     * {@link #load} builds from the directory's files, from the same records. {@code dir} is where the run's files
     * are or would be (outputs are placed beside it).
     */
    public static RunData of(Path dir, JsonNode env, List<Sample> samples, List<RoundRecord> rounds,
                             List<Skipped> skipped, List<Failure> failures, RunState state, List<String> notes)
            throws BadInputException {
        List<Result> controls = new ArrayList<>();
        Map<String, List<Result>> groups = fromSamples(dir.resolve("samples.jsonl"), samples, controls);
        return new RunData(dir, env, groups, List.copyOf(controls), List.copyOf(skipped), List.copyOf(failures),
                List.copyOf(samples), List.copyOf(rounds), state, true, List.copyOf(notes));
    }

    /** One configuration (or its A/A second label) while its samples are gathered. */
    private static final class Gathered {
        final Sample first;
        final Map<String, List<Double>> pooled = new LinkedHashMap<>();
        final Map<String, TreeMap<Integer, List<Double>>> byRound = new LinkedHashMap<>();
        /** Per partner configuration (a paired fork's other side), per metric, the copies by round. */
        final Map<String, Map<String, TreeMap<Integer, List<Double>>>> byPartner = new LinkedHashMap<>();

        Gathered(Sample first) {
            this.first = first;
        }

        void add(String metric, int round, double v, String pairWith) {
            pooled.computeIfAbsent(metric, k -> new ArrayList<>()).add(v);
            byRound.computeIfAbsent(metric, k -> new TreeMap<>()).computeIfAbsent(round, k -> new ArrayList<>()).add(v);
            if (pairWith != null) {
                byPartner.computeIfAbsent(pairWith, k -> new LinkedHashMap<>()).computeIfAbsent(metric,
                        k -> new TreeMap<>()).computeIfAbsent(round, k -> new ArrayList<>()).add(v);
            }
        }

        private static Map<String, RoundSeries> series(Map<String, TreeMap<Integer, List<Double>>> by) {
            Map<String, RoundSeries> rounds = new LinkedHashMap<>();
            by.forEach((k, v) -> {
                TreeMap<Integer, double[]> m = new TreeMap<>();
                v.forEach((r, l) -> m.put(r, l.stream().mapToDouble(Double::doubleValue).toArray()));
                rounds.put(k, new RoundSeries(m));
            });
            return rounds;
        }

        Result result() {
            Map<String, double[]> samples = new LinkedHashMap<>();
            pooled.forEach((k, v) -> samples.put(k, v.stream().mapToDouble(Double::doubleValue).toArray()));
            Map<String, Map<String, RoundSeries>> paired = new LinkedHashMap<>();
            byPartner.forEach((p, by) -> paired.put(p, series(by)));
            return new Result(first.group(), first.benchmark(), first.config(), first.aa(),
                    Result.withEarlierValues(first.group(), first.params()), samples,
                    series(byRound), paired);
        }
    }

    private static Map<String, List<Result>> fromSamples(Path f, List<Sample> samples, List<Result> controls)
            throws BadInputException {
        Map<List<String>, Gathered> byConfig = new LinkedHashMap<>();
        for (Sample s : samples) {
            Gathered g = byConfig.computeIfAbsent(List.of(s.group(), s.config(), s.aa() == null ? "" : s.aa()),
                    k -> new Gathered(s));
            String primary;
            double v;
            // a rate (ops/s) is kept as it is; a time per copy in seconds
            if (Better.forUnit(s.unit()) == Better.HIGHER) {
                primary = Result.OPS;
                v = s.value();
            } else {
                primary = Result.TIME;
                v = s.value() * JmhResults.secondsPer(f, s.unit(), "round " + s.round() + " " + s.config());
            }
            g.add(primary, s.round(), v, s.pairWith());
            s.metrics().forEach((k, m) -> g.add(k, s.round(), m, s.pairWith()));
            Double start = s.metrics().get(Result.START_COST);
            if (start != null && primary.equals(Result.TIME)) {
                g.add(Result.TIME_LESS_START, s.round(), v - start, s.pairWith());
            }
        }
        Map<String, List<Result>> groups = new TreeMap<>();
        for (Gathered g : byConfig.values()) {
            Result r = g.result();
            if (r.aa() != null) controls.add(r);
            else groups.computeIfAbsent(r.group(), k -> new ArrayList<>()).add(r);
        }
        groups.values().forEach(l -> l.sort(Comparator.comparing(Result::config)));
        return groups;
    }
}
