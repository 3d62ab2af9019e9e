package org.aiobench.analysis.history;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.aiobench.analysis.comparison.Calibration;
import org.aiobench.analysis.comparison.CompareMain;
import org.aiobench.analysis.report.PlotOutputs;
import org.aiobench.analysis.report.ReportDoc;
import org.aiobench.analysis.run.BadInputException;
import org.aiobench.analysis.run.RunData;
import org.aiobench.analysis.stats.Threshold;
import org.aiobench.analysis.store.StoreRuns;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./run-experiments.sh history RUN... | DIR}: runs ordered by kernel version, a trend figure per configuration
 * of interest with the significant steps between consecutive kernels marked ({@link History}, {@link HistoryChart}),
 * history.md, history.html and history.csv ({@link HistoryReport}). Exit status 0, or 2 for bad input.
 */
@Command(name = "history", sortOptions = false,
        description = {"Runs over kernels: ordered by kernel version (6.1.9 < 6.1.10 < 6.10; by date within a "
                + "kernel), a trend figure per configuration of interest, the significant steps between consecutive "
                + "kernels marked, and history.csv with the whole table.",
                "Give the run directories, or one directory that holds them (results/).",
                "Change points over each configuration's whole series are listed and marked; --fail-on-regression "
                        + "exits 1 when the newest of them is a slowdown.",
                "Exit status: 0, 1 with --fail-on-regression and a slowdown at the newest change point, 2 for bad "
                        + "input."})
public final class HistoryMain implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
    private boolean help;

    @Parameters(arity = "0..*", paramLabel = "RUN", description = "run directories, or one directory of runs")
    private List<Path> dirs = new ArrayList<>();

    @Option(names = "--config", paramLabel = "TEXT", description = "also draw the configurations whose label or id "
            + "contains TEXT (repeatable), e.g. --config 'io_uring single 1M'")
    private List<String> configs = new ArrayList<>();

    @Option(names = "--all", description = "draw every configuration measured in two runs or more")
    private boolean all;

    @Option(names = "--threshold", paramLabel = "PERCENT", defaultValue = "5",
            description = "practical threshold of the steps' verdicts (default: ${DEFAULT-VALUE}%%)")
    private String threshold;

    @Option(names = "--fail-on-regression", description = "exit 1 when the newest change point (of any "
            + "configuration) is a slowdown: for a CI job that tracks kernels")
    private boolean failOnRegression;

    @Option(names = "--out", paramLabel = "DIR", description = "where history.md, history.html, history.csv and "
            + "figures/ go (default: a new directory history-FIRST-to-LAST beside the runs)")
    private Path out;

    @Option(names = "--db", arity = "0..1", fallbackValue = "", paramLabel = "URL", description = "read the runs from "
            + "the store (store add) instead of directories (URL: jdbc:postgresql://..., jdbc:sqlite:FILE or a FILE; "
            + "alone: $AIOBENCH_DB, else results/aiobench.db)")
    private String db;

    @Option(names = "--box", paramLabel = "NAME", description = "with --db: the box whose runs to show")
    private String box;

    private HistoryMain() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        System.setProperty("java.awt.headless", "true");
        return CompareMain.commandLine(new HistoryMain(), "history").execute(args);
    }

    @Override
    public Integer call() throws Exception {
        double t = Threshold.parse(threshold);
        List<String> skipped = new ArrayList<>();
        if ((db == null) == dirs.isEmpty()) throw new IllegalArgumentException("give run directories or --db, one");
        List<RunData> runs = db == null ? runs(dirs, skipped) : StoreRuns.select(db, box, List.of());
        if (runs.size() < 2) {
            String what = runs.size() + " run(s) with samples found: history needs two or more";
            throw db == null ? new BadInputException(dirs.get(0), what) : new BadInputException("the store: " + what);
        }
        CompareMain.distinct(runs, List.of());
        Path results = dirs.size() == 1 && !isRun(dirs.get(0)) ? dirs.get(0)
                : runs.get(0).dir.toAbsolutePath().getParent();
        Calibration fileCalibration = results == null ? null : Calibration.find(results.resolve(Calibration.FILE),
                runs);
        History h = History.of(runs, t, fileCalibration);
        HistoryReport report = new HistoryReport(h, HistoryReport.select(h, all, configs));
        Path parent = dirs.size() == 1 && !isRun(dirs.get(0)) ? dirs.get(0).toAbsolutePath()
                : h.runs.get(0).dir.toAbsolutePath().getParent();
        Path dir = CompareMain.outputDir(out, parent, "history-" + h.kernels.get(0).release() + "-to-"
                + h.kernels.get(h.kernels.size() - 1).release());
        ReportDoc doc = report.document();
        Map<String, PlotOutputs.Text> texts = new LinkedHashMap<>();
        texts.put(HistoryReport.CSV, report::csv);
        texts.put(HistoryReport.MD, doc::markdown);
        texts.put(HistoryReport.HTML, () -> doc.html(report.title(), dir.resolve("figures")));
        PlotOutputs.read(dir, PlotOutputs.COMPARE_RECORD).writeAll(report.drawings(), texts);
        System.out.print(report.text());
        for (String s : skipped) System.out.println("history: left out " + s);
        System.out.println("\nhistory: " + report.drawn.size() + " trend figure(s); wrote " + dir.resolve(
                HistoryReport.HTML) + " (and " + HistoryReport.MD + ", " + HistoryReport.CSV + ", figures/)");
        var slowdowns = h.newestSlowdowns();
        if (failOnRegression && !slowdowns.isEmpty()) {
            System.out.println("history: exit status 1: the newest change point is a slowdown ("
                    + slowdowns.stream().map(e -> e.getKey().label() + " " + e.getValue().judgement().text())
                    .collect(java.util.stream.Collectors.joining("; ")) + ")");
            return 1;
        }
        return 0;
    }

    private static boolean isRun(Path d) {
        return Files.isRegularFile(d.resolve("env.json"));
    }

    /**
     * The runs: each directory given, or, for one directory that is not a run, the runs in it (directories with an
     * env.json; those without samples yet, such as a run just started, are left out and said).
     */
    static List<RunData> runs(List<Path> dirs, List<String> skipped) throws BadInputException {
        if (dirs.size() == 1 && Files.isDirectory(dirs.get(0)) && !isRun(dirs.get(0))) {
            List<Path> found;
            try (Stream<Path> s = Files.list(dirs.get(0))) {
                found = s.filter(Files::isDirectory).filter(HistoryMain::isRun).sorted().toList();
            } catch (IOException e) {
                throw new BadInputException(dirs.get(0), "cannot list: " + e.getMessage());
            }
            if (found.isEmpty()) {
                throw new BadInputException(dirs.get(0), "neither a run directory nor a directory of runs (no "
                        + "env.json in it or in its subdirectories)");
            }
            List<RunData> out = new ArrayList<>();
            for (Path d : found) {
                RunData r = RunData.load(d);
                if (r.groups.values().stream().allMatch(List::isEmpty)) skipped.add(d + ": no samples yet");
                else out.add(r);
            }
            return out;
        }
        return CompareMain.load(dirs);
    }
}
