package org.aiobench.analysis.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.aiobench.analysis.run.BadInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code ./run-experiments.sh store add|list|export}: run directories into the store (SQLite in the results directory
 * by default, PostgreSQL for a lab), what it holds, and its runs in the formats other tools read. Exit status 0, or
 * 2 for bad input (one line, nothing written).
 */
@Command(name = "store", sortOptions = false, subcommands = {StoreMain.Add.class, StoreMain.List_.class,
        StoreMain.Export.class},
        description = {"A lab's runs in one database: SQLite by default (results/aiobench.db), PostgreSQL with --db "
                + "jdbc:postgresql://HOST/DB (or AIOBENCH_DB).",
                "history --db and compare --db read it as they read run directories.",
                "Exit status: 0, or 2 for bad input (nothing written)."})
public final class StoreMain implements Callable<Integer> {
    static final int BAD_INPUT = 2;
    static final String DB_HELP = "the store: jdbc:postgresql://HOST[:PORT]/DB[?user=U&password=P], jdbc:sqlite:FILE"
            + " or a FILE (default: $" + Store.ENV + ", else results/" + Store.DEFAULT_FILE + ")";

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
    private boolean help;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    private StoreMain() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cl = new CommandLine(new StoreMain());
        cl.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("store: " + e.getMessage() + " (see --help)");
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof BadInputException || e instanceof IllegalArgumentException) {
                commandLine.getErr().println("store: " + e.getMessage());
                return BAD_INPUT;
            }
            if (e instanceof IOException || e instanceof UncheckedIOException) {
                commandLine.getErr().println("store: cannot write the output: " + e.getMessage());
                return BAD_INPUT;
            }
            throw e;
        });
        cl.setErr(new PrintWriter(System.err, true));
        cl.setOut(new PrintWriter(System.out, true));
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand: add, list or export");
    }

    @Command(name = "add", sortOptions = false, description = {"Adds run directories to the store, with their "
            + "environment, configurations, every sample with its round, and the run's verdicts and A/A control as "
            + "the report judges them.",
            "All of them in one transaction: a run that cannot be added leaves the store as it was. Adding the same "
                    + "run again changes nothing; a run whose files changed since (resumed) is replaced."})
    static final class Add implements Callable<Integer> {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
        private boolean help;

        @Option(names = "--db", paramLabel = "URL", description = DB_HELP)
        private String db;

        @Parameters(arity = "1..*", paramLabel = "RUN", description = "run directories (results/<run>), or one "
                + "directory of runs (results/)")
        private List<Path> dirs = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            String url = Store.url(db);
            List<StoreWriter.Loaded> runs = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            for (Path d : runDirs(dirs, skipped)) runs.add(StoreWriter.load(d));
            if (runs.isEmpty()) throw new BadInputException(dirs.get(0), "no run with samples in it");
            List<String> ids = runs.stream().map(StoreWriter.Loaded::runId).toList();
            for (String id : ids) {
                if (ids.indexOf(id) != ids.lastIndexOf(id)) {
                    throw new BadInputException("run " + id + " is given twice (env.json runId); nothing written");
                }
            }
            try (Store s = Store.forWriting(url)) {
                for (String line : StoreWriter.add(s, runs)) System.out.println("store: " + line);
                for (String line : skipped) System.out.println("store: left out " + line);
                System.out.println("store: " + s.shownUrl() + " holds " + StoreReader.runs(s).size() + " run(s)");
            }
            return 0;
        }
    }

    /**
     * The directories given, or for one directory that is not a run, the runs in it (those with an env.json; one
     * without samples yet, such as a run just started, is left out and said).
     */
    static List<Path> runDirs(List<Path> dirs, List<String> skipped) throws BadInputException {
        if (dirs.size() == 1 && Files.isDirectory(dirs.get(0)) && !Files.isRegularFile(dirs.get(0).resolve("env.json"))) {
            List<Path> found;
            try (Stream<Path> s = Files.list(dirs.get(0))) {
                found = s.filter(Files::isDirectory).filter(d -> Files.isRegularFile(d.resolve("env.json"))).sorted()
                        .toList();
            } catch (IOException e) {
                throw new BadInputException(dirs.get(0), "cannot list: " + e.getMessage());
            }
            if (found.isEmpty()) {
                throw new BadInputException(dirs.get(0), "neither a run directory nor a directory of runs (no env.json"
                        + " in it or in its subdirectories)");
            }
            List<Path> out = new ArrayList<>();
            for (Path d : found) {
                try {
                    if (Files.size(d.resolve("samples.jsonl")) > 0) {
                        out.add(d);
                        continue;
                    }
                } catch (IOException e) {
                    // no samples.jsonl: said below
                }
                skipped.add(d + ": no samples yet");
            }
            return out;
        }
        return dirs;
    }

    @Command(name = "list", description = "What the store holds: its boxes, the kernels of each, and the runs.")
    static final class List_ implements Callable<Integer> {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
        private boolean help;

        @Option(names = "--db", paramLabel = "URL", description = DB_HELP)
        private String db;

        @Override
        public Integer call() throws Exception {
            try (Store s = Store.forReading(Store.url(db))) {
                System.out.print(list(s));
            }
            return 0;
        }
    }

    static String list(Store s) throws BadInputException {
        List<Box> boxes = StoreReader.boxes(s);
        List<StoreReader.RunRow> runs = StoreReader.runs(s);
        StringBuilder b = new StringBuilder("store " + s.shownUrl() + "\n\nboxes (" + boxes.size() + "):\n");
        for (Box box : boxes) {
            List<StoreReader.RunRow> its = runs.stream().filter(r -> r.box().id().equals(box.id())).toList();
            b.append(String.format("  %-20s %s  %s: %d run(s)%n", box.name(), box.id(), box.hardware(), its.size()));
            Map<String, Long> kernels = its.stream().collect(Collectors.groupingBy(StoreReader.RunRow::kernel,
                    LinkedHashMap::new, Collectors.counting()));
            kernels.entrySet().stream().sorted(Map.Entry.comparingByKey(org.aiobench.analysis.run.KernelOrder.INSTANCE))
                    .forEach(e -> b.append(String.format("      kernel %-28s %d run(s)%n", e.getKey(), e.getValue())));
        }
        b.append("\nruns (").append(runs.size()).append("):\n");
        for (StoreReader.RunRow r : runs) {
            b.append(String.format("  %-20s %-24s %-22s %-10s %6d samples  %s%n", r.box().name(), r.kernel(),
                    r.createdAt() == null ? "" : r.createdAt(), r.state().toLowerCase(java.util.Locale.ROOT),
                    r.samples(), r.runId()));
        }
        return b.toString();
    }

    @Command(name = "export", sortOptions = false, description = {"The store's runs in the format another tool reads:",
            "  otava: Apache Otava, a CSV test per box and configuration and otava.yaml (--out DIR)",
            "  bencher: Bencher's BMF JSON of one run (bencher run --adapter json --file F)",
            "  github-action-benchmark: one run for the action's customSmallerIsBetter tool (copy times, ratios to "
                    + "cp -r), or with --bigger-is-better for customBiggerIsBetter (rates)",
            "  kcidb: KernelCI's KCIDB JSON, schema v5 (kcidb-validate, kcidb-submit)",
            "JSON goes to standard output unless --out FILE (a new file)."})
    static final class Export implements Callable<Integer> {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
        private boolean help;

        @Option(names = "--format", required = true, paramLabel = "FORMAT",
                description = "otava, bencher, github-action-benchmark or kcidb")
        private String format;

        @Option(names = "--db", paramLabel = "URL", description = DB_HELP)
        private String db;

        @Option(names = "--box", paramLabel = "NAME", description = "only this box's runs (its name or id)")
        private String box;

        @Option(names = "--run", paramLabel = "ID", description = "only this run (bencher and github-action-benchmark:"
                + " default the box's latest)")
        private String run;

        @Option(names = "--bigger-is-better", description = "github-action-benchmark: the rates (ops/s), for the "
                + "customBiggerIsBetter tool")
        private boolean bigger;

        @Option(names = "--origin", paramLabel = "NAME", defaultValue = "aiobench",
                description = "kcidb: the origin (your CI system's name in KCIDB; default ${DEFAULT-VALUE})")
        private String origin;

        @Option(names = "--out", paramLabel = "PATH", description = "a new file (a new or empty directory for otava)")
        private Path out;

        @Override
        public Integer call() throws Exception {
            Exports.Format f = Exports.Format.of(format);
            if (f == Exports.Format.OTAVA && out == null) {
                throw new IllegalArgumentException("--format otava writes a directory: give --out DIR");
            }
            checkOut(f);
            try (Store s = Store.forReading(Store.url(db))) {
                List<Exports.Row> rows = Exports.rows(s, box, run);
                if (rows.isEmpty()) {
                    throw new BadInputException("the store " + s.shownUrl() + " has no run" + (box == null ? ""
                            : " of box " + box) + (run == null ? "" : " named " + run));
                }
                boolean oneRun = f == Exports.Format.BENCHER || f == Exports.Format.GITHUB_ACTION_BENCHMARK;
                if (oneRun && run == null) {
                    long boxes = rows.stream().map(Exports.Row::boxId).distinct().count();
                    if (boxes > 1) {
                        throw new BadInputException("--format " + f.word + " exports one run: name it with --run ID, or"
                                + " a box with --box NAME for its latest");
                    }
                    String latest = Exports.latestRun(rows);
                    rows = rows.stream().filter(r -> r.runId().equals(latest)).toList();
                }
                if (f == Exports.Format.OTAVA) {
                    int tests = Exports.otava(rows, out);
                    System.err.println("store: wrote " + out.resolve("otava.yaml") + " and " + tests + " CSV test(s) of "
                            + Exports.describe(rows));
                    return 0;
                }
                JsonNode doc = switch (f) {
                    case BENCHER -> Exports.bencher(rows);
                    case GITHUB_ACTION_BENCHMARK -> Exports.githubActionBenchmark(rows, bigger);
                    case KCIDB -> Exports.kcidb(rows, origin);
                    default -> throw new IllegalStateException();
                };
                if (doc.isEmpty()) {
                    throw new BadInputException("--format " + f.word + (bigger ? " --bigger-is-better" : "") + ": nothing"
                            + " to export from " + Exports.describe(rows) + (bigger ? " (no rates, ops/s)" : ""));
                }
                String text = StoreWriter.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(doc) + "\n";
                if (out == null) {
                    System.out.print(text);
                    System.out.flush();
                } else {
                    Files.writeString(out, text, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW);
                    System.err.println("store: wrote " + out + " (" + f.word + ", " + Exports.describe(rows) + ")");
                }
            }
            return 0;
        }

        /** The output must be new: an export never replaces a file it did not write. */
        private void checkOut(Exports.Format f) throws BadInputException {
            if (out == null) return;
            if (f == Exports.Format.OTAVA) {
                if (Files.exists(out)) {
                    if (!Files.isDirectory(out)) throw new BadInputException(out, "is not a directory; nothing written");
                    try (Stream<Path> s = Files.list(out)) {
                        if (s.findAny().isPresent()) {
                            throw new BadInputException(out, "is not empty; the export writes into a new or empty"
                                    + " directory");
                        }
                    } catch (IOException e) {
                        throw new BadInputException(out, "cannot list: " + e.getMessage());
                    }
                }
                return;
            }
            if (Files.exists(out)) throw new BadInputException(out, "exists; the export writes a new file only");
            if (out.toAbsolutePath().getParent() != null && !Files.isDirectory(out.toAbsolutePath().getParent())) {
                throw new BadInputException(out, "its directory does not exist");
            }
        }
    }
}
