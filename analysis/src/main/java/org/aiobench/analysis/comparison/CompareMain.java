package org.aiobench.analysis.comparison;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.aiobench.analysis.report.PlotOutputs;
import org.aiobench.analysis.report.ReportDoc;
import org.aiobench.analysis.run.BadInputException;
import org.aiobench.analysis.run.RunData;
import org.aiobench.analysis.stats.Threshold;
import org.aiobench.analysis.store.StoreRuns;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code ./run-experiments.sh compare BASE NEW} or {@code compare --base RUN... --new RUN...}: what got faster or
 * slower from one side's runs to the other's ({@link KernelComparison}), the environments' differences first
 * ({@link EnvDifferences}), as text, compare.md, compare.html and compare.json ({@link CompareReport}). Exit status 0
 * when nothing is significantly slower, 1 when something is, 2 for bad input (one line, nothing written).
 */
@Command(name = "compare", sortOptions = false,
        description = {"Compares the runs of two kernels (or builds, or machines): what got slower or faster, and "
                + "whether that is real.",
                "The environments' differences come first. The run is the unit: give two or more runs a side (boots, "
                        + "alternated A B B A). With one run a side the verdicts are unknown, unless the box was "
                        + "calibrated: compare --calibrate R1 R2 [R3...] on identical runs of one build and kernel "
                        + "records how far they land apart (calibration.json beside them), and later comparisons of "
                        + "that box with one run a side are judged against it.",
                "Exit status: 0 nothing slower by the family-wise test, 1 something is, 2 bad input."})
public final class CompareMain implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
    private boolean help;

    static final int SLOWER = 1;
    static final int BAD_INPUT = 2;

    @Parameters(arity = "0..2", paramLabel = "RUN", description = "BASE NEW: one run directory a side")
    private List<Path> positional = new ArrayList<>();

    @Option(names = "--base", arity = "1..*", paramLabel = "RUN", description = "the base side's run directories")
    private List<Path> base = new ArrayList<>();

    @Option(names = "--new", arity = "1..*", paramLabel = "RUN", description = "the new side's run directories")
    private List<Path> next = new ArrayList<>();

    @Option(names = "--calibrate", arity = "2..*", paramLabel = "RUN", description = "record this box's noise floor "
            + "from identical runs (one build, one kernel, one box) into calibration.json beside them, instead of "
            + "comparing")
    private List<Path> calibrate = new ArrayList<>();

    @Option(names = "--calibration", paramLabel = "FILE", description = "the calibration to use (default: "
            + "calibration.json beside the base runs, then beside the new runs, when it has an entry for their box)")
    private Path calibrationFile;

    @Option(names = "--no-calibration", description = "use no calibration: with one run a side, every cell is unknown")
    private boolean noCalibration;

    @Option(names = "--brief", description = "at most 72 columns: the sides, what differs in their environments, the "
            + "verdict, the largest changes with their intervals and the A/A controls (for a mailing-list post)")
    private boolean brief;

    @Option(names = "--threshold", paramLabel = "PERCENT", defaultValue = "5",
            description = "practical threshold: a cell is slower or faster only when its whole interval lies beyond "
                    + "it, same when within it (default: ${DEFAULT-VALUE}%%)")
    private String threshold;

    @Option(names = "--out", paramLabel = "DIR", description = "where compare.md, compare.html, compare.json and "
            + "figures/ go (default: a new directory compare-BASE-vs-NEW beside the first new run)")
    private Path out;

    @Option(names = "--db", arity = "0..1", fallbackValue = "", paramLabel = "URL", description = "read the runs from "
            + "the store (store add) instead of directories: --base and --new name kernels or run ids (URL: "
            + "jdbc:postgresql://..., jdbc:sqlite:FILE or a FILE; alone: $AIOBENCH_DB, else results/aiobench.db)")
    private String db;

    @Option(names = "--box", paramLabel = "NAME", description = "with --db: the box whose runs to compare")
    private String box;

    private CompareMain() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        System.setProperty("java.awt.headless", "true");
        return commandLine(new CompareMain(), "compare").execute(args);
    }

    /** A picocli command line whose usage errors are one line and exit status 2, like bad input. */
    public static CommandLine commandLine(Object command, String name) {
        CommandLine cl = new CommandLine(command);
        cl.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println(name + ": " + e.getMessage() + " (see --help)");
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof BadInputException || e instanceof IllegalArgumentException) {
                commandLine.getErr().println(name + ": " + e.getMessage());
                return BAD_INPUT;
            }
            if (e instanceof IOException || e instanceof UncheckedIOException) {
                commandLine.getErr().println(name + ": cannot write the output: " + e.getMessage());
                return BAD_INPUT;
            }
            throw e;
        });
        cl.setErr(new PrintWriter(System.err, true));
        cl.setOut(new PrintWriter(System.out, true));
        return cl;
    }

    @Override
    public Integer call() throws Exception {
        if (!calibrate.isEmpty()) {
            if (!positional.isEmpty() || !base.isEmpty() || !next.isEmpty()) {
                throw new IllegalArgumentException("--calibrate takes the identical runs alone, not BASE NEW or "
                        + "--base/--new");
            }
            return calibrate();
        }
        if (!positional.isEmpty() && (!base.isEmpty() || !next.isEmpty())) {
            throw new IllegalArgumentException("give BASE NEW, or --base RUN... --new RUN..., not both");
        }
        if (base.isEmpty() && next.isEmpty()) {
            if (positional.size() != 2) {
                throw new IllegalArgumentException("expected two run directories, BASE NEW (or --base RUN... --new "
                        + "RUN...); see --help");
            }
            base = List.of(positional.get(0));
            next = List.of(positional.get(1));
        }
        if (base.isEmpty() || next.isEmpty()) {
            throw new IllegalArgumentException("both sides need a run: --base RUN... --new RUN...");
        }
        if (noCalibration && calibrationFile != null) {
            throw new IllegalArgumentException("--calibration FILE and --no-calibration contradict each other");
        }
        double t = Threshold.parse(threshold);
        List<RunData> baseRuns = db == null ? load(base) : StoreRuns.select(db, box, base),
                nextRuns = db == null ? load(next) : StoreRuns.select(db, box, next);
        distinct(baseRuns, nextRuns);
        Calibration calibration = noCalibration ? null : calibration(calibrationFile, baseRuns, nextRuns);
        KernelComparison c = KernelComparison.of(KernelComparison.Side.of("base", baseRuns),
                KernelComparison.Side.of("new", nextRuns), t, calibration);
        EnvDifferences env = EnvDifferences.of(baseRuns, nextRuns);
        CompareReport report = new CompareReport(c, env);
        Path dir = outputDir(out, nextRuns.get(0).dir.toAbsolutePath().getParent(), "compare-"
                + baseRuns.get(0).runId() + "-vs-" + nextRuns.get(0).runId());
        write(dir, report);
        System.out.print(brief ? report.terminal().brief() : report.terminal().text(terminalWidth()));
        System.out.println();
        String wrote = "compare: wrote " + dir.resolve(CompareReport.HTML) + " (and " + CompareReport.MD + ", "
                + CompareReport.JSON + ", figures/)";
        System.out.println(wrote);
        if (c.anySlower()) {
            System.out.println("compare: exit status 1: " + c.gating() + " result(s) slower by the family-wise test");
            return SLOWER;
        }
        return 0;
    }

    /** The terminal's width where the script passed it (COLUMNS), else {@link CompareReport#DEFAULT_WIDTH}. */
    static int terminalWidth() {
        try {
            int w = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "").strip());
            return Math.max(60, Math.min(w, 400));
        } catch (NumberFormatException e) {
            return CompareText.DEFAULT_WIDTH;
        }
    }

    /**
     * The calibration for these runs' box: the file given, else calibration.json beside the base runs, then beside
     * the new runs; null where none has an entry for their box.
     */
    static Calibration calibration(Path file, List<RunData> baseRuns, List<RunData> nextRuns)
            throws BadInputException {
        List<RunData> all = new ArrayList<>(baseRuns);
        all.addAll(nextRuns);
        if (file != null) {
            if (!Files.isRegularFile(file)) throw new BadInputException(file, "no such calibration file");
            Calibration c = Calibration.find(file, all);
            if (c == null) throw new BadInputException(file, "has no calibration of these runs' box ("
                    + all.get(0).box() + "), or the runs are of several boxes");
            return c;
        }
        for (RunData r : List.of(baseRuns.get(0), nextRuns.get(0))) {
            Path parent = r.dir.toAbsolutePath().getParent();
            Calibration c = parent == null ? null : Calibration.find(parent.resolve(Calibration.FILE), all);
            if (c != null) return c;
        }
        return null;
    }

    /** compare --calibrate: the box's noise floor from identical runs, into calibration.json beside them. */
    private int calibrate() throws BadInputException, IOException {
        List<RunData> runs = load(calibrate);
        distinct(runs, List.of());
        Calibration c = Calibration.of(runs);
        Path file = (out != null ? out : runs.get(0).dir.toAbsolutePath().getParent()).resolve(Calibration.FILE);
        if (out != null) Files.createDirectories(out);
        c.write(file);
        System.out.print(c.summary());
        System.out.println("compare: wrote the calibration of " + c.boxName() + " (" + c.box() + ") into " + file);
        return 0;
    }

    private static void write(Path dir, CompareReport report) throws BadInputException, IOException {
        ReportDoc doc = report.document();
        Map<String, PlotOutputs.Text> texts = new LinkedHashMap<>();
        texts.put(CompareReport.MD, doc::markdown);
        texts.put(CompareReport.HTML, () -> doc.html(report.title(), dir.resolve("figures")));
        texts.put(CompareReport.JSON, report::json);
        PlotOutputs.read(dir, PlotOutputs.COMPARE_RECORD).writeAll(report.drawings(), texts);
    }

    /** Each run directory loaded; one without any measured configuration is bad input. */
    public static List<RunData> load(List<Path> dirs) throws BadInputException {
        List<RunData> out = new ArrayList<>();
        for (Path d : dirs) {
            RunData run = RunData.load(d);
            if (run.groups.values().stream().allMatch(List::isEmpty)) {
                throw new BadInputException(d, "no samples (" + (run.inRounds ? "samples.jsonl has none"
                        : "neither samples.jsonl nor results in jmh/") + "): nothing to compare");
            }
            out.add(run);
        }
        return out;
    }

    /** The same run twice, on one side or both, would count one measurement as two. */
    public static void distinct(List<RunData> base, List<RunData> next) throws BadInputException {
        Set<Path> seen = new HashSet<>();
        for (RunData r : concat(base, next)) {
            Path real;
            try {
                real = r.dir.toRealPath();
            } catch (IOException e) {
                real = r.dir.toAbsolutePath().normalize();
            }
            if (!seen.add(real)) throw new BadInputException(r.dir, "given twice: each run counts once");
        }
    }

    private static List<RunData> concat(List<RunData> a, List<RunData> b) {
        List<RunData> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /**
     * The output directory: the one given (created if absent; compare replaces only its own files there), or a new
     * directory {@code name} (name-2, name-3 ... if taken) in {@code parent}.
     */
    public static Path outputDir(Path given, Path parent, String name) throws BadInputException, IOException {
        if (given != null) {
            if (Files.exists(given) && !Files.isDirectory(given)) {
                throw new BadInputException(given, "is not a directory, nothing written");
            }
            Files.createDirectories(given);
            return given;
        }
        String base = name.replaceAll("[^A-Za-z0-9_.+-]+", "_");
        Path dir = parent.resolve(base);
        for (int i = 2; Files.exists(dir); i++) dir = parent.resolve(base + "-" + i);
        Files.createDirectories(dir);
        return dir;
    }
}
