package org.aiobench.analysis.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aiobench.analysis.figures.Drawing;
import org.aiobench.analysis.run.BadInputException;
import org.aiobench.analysis.run.RunData;

/**
 * {@code java -jar aiobench-analysis.jar RUN_DIR}: renders figures/ (PNG and SVG), report.html and report.md of a run
 * directory from its files alone. Exit status 2 for bad input (not an aiobench run, a malformed file, a file in
 * the way that plot did not write), with one line naming the file, and nothing written.
 */
public final class PlotMain {
    private PlotMain() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String[] args) {
        if (args.length == 1 && (args[0].equals("-h") || args[0].equals("--help"))) {
            System.out.println("usage: plot RUN_DIR\n  Renders RUN_DIR/figures/*.png|svg, RUN_DIR/report.html and "
                    + "RUN_DIR/report.md\n  from RUN_DIR's samples.jsonl (or jmh/*.json for a run made before "
                    + "rounds),\n  env.json, rounds.jsonl, failures.json, skipped.json and progress.json. It replaces "
                    + "only\n  the files it wrote itself (listed in RUN_DIR/" + PlotOutputs.RECORD + ").");
            return 0;
        }
        if (args.length != 1) {
            System.err.println("plot: expected one argument, the run directory (results/<run>); see --help");
            return 2;
        }
        try {
            Summary s = render(Path.of(args[0]));
            System.out.println("plot: " + s.figures() + " figures, " + s.leftOut() + " left out; wrote "
                    + s.report());
            return 0;
        } catch (BadInputException e) {
            System.err.println("plot: " + e.getMessage());
            return 2;
        } catch (IOException | UncheckedIOException e) {
            System.err.println("plot: cannot write the report: " + e.getMessage());
            return 1;
        }
    }

    record Summary(int figures, int leftOut, Path report) {}

    static final String MD = "report.md";
    static final String HTML = "report.html";

    /** Renders everything into the run directory, replacing plot's own files of an earlier rendering. */
    public static Summary render(Path dir) throws BadInputException, IOException {
        // no display is needed, and asking for one on a server fails
        System.setProperty("java.awt.headless", "true");
        RunData run = RunData.load(dir);
        Analysis analysis = new Analysis(run);
        List<Drawing> drawings = ReportWriter.drawings(analysis);
        ReportDoc doc = ReportWriter.document(analysis);

        Map<String, PlotOutputs.Text> texts = new LinkedHashMap<>();
        texts.put(MD, doc::markdown);
        texts.put(HTML, () -> doc.html("aiobench run " + run.runId(), dir.resolve("figures")));
        if (run.inRounds) texts.put(PrecisionSection.JSON, () -> PrecisionSection.json(analysis));
        PlotOutputs.read(dir).writeAll(drawings, texts);
        int left = analysis.figures.stream().mapToInt(s -> s.leftOut().size()).sum();
        return new Summary(drawings.size(), left, dir.resolve(HTML));
    }
}
