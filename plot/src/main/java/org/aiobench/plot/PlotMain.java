package org.aiobench.plot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java -jar aiobench-plot.jar RUN_DIR}: renders figures/ (PNG and SVG), report.html and report.md of a run
 * directory from its files alone. Exit status 2 for bad input, with one line naming the file.
 */
public final class PlotMain {
    private PlotMain() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length == 1 && (args[0].equals("-h") || args[0].equals("--help"))) {
            System.out.println("usage: plot RUN_DIR\n  Renders RUN_DIR/figures/*.png|svg, RUN_DIR/report.html and "
                    + "RUN_DIR/report.md\n  from RUN_DIR/env.json, RUN_DIR/jmh/*.json and RUN_DIR/skipped.json.");
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

    /** Renders everything into the run directory; files of an earlier rendering are replaced. */
    public static Summary render(Path dir) throws BadInputException, IOException {
        // no display is needed, and asking for one on a server fails
        System.setProperty("java.awt.headless", "true");
        RunData run = RunData.load(dir);
        List<FigureBuilder.Section> sections = new ArrayList<>(new FigureBuilder(run).build());
        RandomIoFigures.Output randio = new RandomIoFigures(run).build();
        sections.addAll(randio.sections());
        Path figures = Files.createDirectories(dir.resolve("figures"));
        clearFigures(figures);
        ChartRenderer renderer = new ChartRenderer(run.runId(), run.kernelRelease());
        int n = 0, left = 0;
        for (FigureBuilder.Section s : sections) {
            left += s.leftOut().size();
            for (Figure f : s.figures()) {
                renderer.write(f, figures);
                n++;
            }
        }
        ReportWriter report = new ReportWriter(run, sections, randio.tables());
        report.writeMarkdown(dir.resolve("report.md"));
        report.writeHtml(dir.resolve("report.html"), figures);
        return new Summary(n, left, dir.resolve("report.html"));
    }

    /** Figures of a figure kind the run no longer has must not linger next to the new ones. */
    private static void clearFigures(Path figures) throws IOException {
        try (var old = Files.list(figures)) {
            for (Path p : old.toList()) {
                String name = p.getFileName().toString();
                if (name.endsWith(".png") || name.endsWith(".svg")) Files.delete(p);
            }
        }
    }
}
