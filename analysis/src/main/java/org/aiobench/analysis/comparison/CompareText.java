package org.aiobench.analysis.comparison;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.aiobench.analysis.comparison.KernelComparison.Row;
import org.aiobench.analysis.run.Comparison;
import org.aiobench.analysis.run.Unit;
import org.aiobench.analysis.stats.Numbers;
import org.aiobench.analysis.stats.RatioCell;
import org.aiobench.analysis.stats.Threshold;

/**
 * compare's terminal text: fitted to the terminal's width (a table where it fits, else one block per configuration),
 * significant cells marked; and the brief that a mailing-list post takes. Says what {@link CompareReport} says, in
 * the terminal's form.
 */
public final class CompareText {
    private final CompareReport report;
    private final KernelComparison c;
    private final EnvDifferences env;

    CompareText(CompareReport report) {
        this.report = report;
        this.c = report.comparison();
        this.env = report.environment();
    }

    /**
     * The terminal's text, fitted to {@code width} columns: environment differences first, the runs, the summary, the
     * regressions, then every group (a table where it fits, else one block per configuration).
     */
    String text(int width) {
        StringBuilder t = new StringBuilder();
        wrapped(t, report.title(), "", width);
        wrapped(t, "threshold " + Threshold.text(c.threshold) + "; * marks a slower or faster cell, "
                + "! one that sets the exit status", "", width);
        t.append('\n');
        environment(t, width);
        for (String w : env.warnings) wrapped(t, "WARNING: " + w, "  ", width);
        for (String w : report.runWarnings()) wrapped(t, "WARNING: " + w, "  ", width);
        t.append("\nRuns (A/A control B/A, drift):\n");
        if (!fitted(t, report.runRows().stream().map(r -> List.of("  " + r.get(0), r.get(1), r.get(2), r.get(5), r.get(6)))
                .toList(), width)) {
            for (List<String> r : report.runRows()) {
                wrapped(t, "  " + r.get(0) + " " + r.get(1) + " (" + r.get(2) + "): A/A " + r.get(5) + "; drift "
                        + r.get(6), "      ", width);
            }
        }
        t.append('\n');
        for (String s : report.summaryLines()) wrapped(t, s, "  ", width);
        wrapped(t, report.verdictNote(), "", width);
        List<Map.Entry<String, RatioCell>> regressions = c.regressions();
        if (!regressions.isEmpty()) {
            t.append("\nSlower, largest first (! sets the exit status):\n");
            for (var e : regressions) {
                String[] k = e.getKey().split("\t");
                wrapped(t, "  " + (e.getValue().gates() ? "! " : "* ") + k[0] + " " + k[1] + ", " + k[2] + ": "
                        + e.getValue().text(), "      ", width);
            }
        }
        for (var g : c.groupRows) {
            List<Row> rows = c.groups.get(g.group());
            Unit u = CompareReport.unit(rows);
            String un = CompareReport.unitName(rows, u);
            t.append('\n');
            wrapped(t, "Group " + g.group() + ": " + CompareReport.configs(rows.size()) + "; geometric mean absolute "
                    + mark(g.absolute()) + (g.vsCp() != null ? ", vs cp -r " + mark(g.vsCp()) : ""), "  ", width);
            List<List<String>> lines = new ArrayList<>();
            lines.add(List.of("  configuration", "base (" + un + ")", "new (" + un + ")", "absolute new/base",
                    "vs all new/base", "vs cp -r base", "new", "new/base"));
            for (Row r : rows) {
                lines.add(List.of("  " + c.label(r), CompareReport.meanSd(r.base().stats(), u) + " n" + r.base().stats().n(),
                        CompareReport.meanSd(r.next().stats(), u) + " n" + r.next().stats().n(), mark(r.absolute()),
                        r.vsAll() == null ? Numbers.NONE : mark(r.vsAll()),
                        r.baseVsCp() == null ? Numbers.NONE : Comparison.ratioText(r.baseVsCp().ratio()),
                        r.nextVsCp() == null ? Numbers.NONE : Comparison.ratioText(r.nextVsCp().ratio()),
                        r.vsCp() == null ? Numbers.NONE : mark(r.vsCp())));
            }
            if (!fitted(t, lines, width)) {
                for (Row r : rows) {
                    t.append("  ").append(c.label(r)).append('\n');
                    wrapped(t, "    " + un + ": base " + CompareReport.meanSd(r.base().stats(), u) + " n" + r.base().stats().n()
                            + ", new " + CompareReport.meanSd(r.next().stats(), u) + " n" + r.next().stats().n(), "      ", width);
                    wrapped(t, "    absolute " + mark(r.absolute()), "      ", width);
                    if (r.vsAll() != null) wrapped(t, "    vs all " + mark(r.vsAll()), "      ", width);
                    if (r.vsCp() != null) wrapped(t, "    vs cp -r " + mark(r.vsCp()), "      ", width);
                }
            }
        }
        if (!c.within.isEmpty()) {
            t.append('\n');
            wrapped(t, "Within-round comparisons (X vs Y, new/base of X/Y; not in the exit status): "
                    + c.withinCounts().text(), "  ", width);
            for (var w : c.within) {
                if (w.change().significant()) wrapped(t, "  " + w.label() + ": " + mark(w.change()), "      ", width);
            }
            long quiet = c.within.stream().filter(w -> !w.change().significant()).count();
            if (quiet > 0) wrapped(t, "  (" + quiet + " more without a slower or faster verdict: see " + CompareReport.MD + ")",
                    "  ", width);
        }
        if (!c.onlyBase.isEmpty()) wrapped(t, "\nOnly base: " + String.join("; ", c.onlyBase), "  ", width);
        if (!c.onlyNew.isEmpty()) wrapped(t, "\nOnly new: " + String.join("; ", c.onlyNew), "  ", width);
        return t.toString();
    }

    /** The terminal's text at the default width. */
    String text() {
        return text(DEFAULT_WIDTH);
    }

    public static final int DEFAULT_WIDTH = 100;
    /** What a mailing-list post takes. */
    static final int BRIEF_WIDTH = 72;

    /**
     * {@code compare --brief}: what a kernel mailing-list post needs, within {@value #BRIEF_WIDTH} columns: the two
     * sides, what differs in their environments, the verdict and exit status, the largest changes with their
     * intervals, and each run's A/A control.
     */
    String brief() {
        int w = BRIEF_WIDTH;
        StringBuilder t = new StringBuilder();
        wrapped(t, "aiobench compare, threshold " + Threshold.text(c.threshold), "", w);
        wrapped(t, "base: " + c.base.describe(), "  ", w);
        wrapped(t, "new:  " + c.next.describe(), "  ", w);
        t.append('\n');
        environment(t, w);
        t.append('\n');
        for (String s : report.summaryLines()) wrapped(t, s, "  ", w);
        if (!c.replicated() && c.calibration == null) {
            wrapped(t, "One run a side: unknown. Measure 2+ runs of each kernel, alternating boots (A B B A), or "
                    + "calibrate the box (compare --calibrate).", "  ", w);
        }
        List<Map.Entry<String, RatioCell>> changes = new ArrayList<>();
        for (Row r : c.rows()) {
            for (RatioCell x : r.cells()) {
                if (!x.ratio().excludesOne() && !x.significant()) continue;
                changes.add(Map.entry(r.group() + " " + c.label(r) + ", " + r.what(x), x));
            }
        }
        changes.sort(Comparator.comparing((Map.Entry<String, RatioCell> e) -> !e.getValue().gates())
                .thenComparing(e -> !e.getValue().significant())
                .thenComparingDouble(e -> -Math.abs(Math.log(e.getValue().ratio().ratio()))));
        t.append("\nLargest changes, new/base [95% interval]:\n");
        if (changes.isEmpty()) t.append("  none whose interval excludes 1\n");
        for (var e : changes.subList(0, Math.min(10, changes.size()))) {
            wrapped(t, "  " + (e.getValue().gates() ? "! " : e.getValue().significant() ? "* " : "  ") + e.getKey(),
                    "      ", w);
            wrapped(t, "      " + e.getValue().text(), "      ", w);
        }
        t.append("\nA/A controls (B/A of one configuration, should be same):\n");
        for (List<String> r : report.runRows()) wrapped(t, "  " + r.get(0) + " " + r.get(1) + ": " + r.get(5), "      ", w);
        return t.toString();
    }

    private void environment(StringBuilder t, int width) {
        if (env.items.isEmpty()) {
            t.append("Environment: nothing differs.\n");
            return;
        }
        t.append("Environment: what differs (base -> new)\n");
        for (var d : env.items) wrapped(t, "  " + d.what() + ": " + d.base() + " -> " + d.next(), "      ", width);
    }

    private static String mark(RatioCell cell) {
        return (cell.gates() ? "! " : cell.significant() ? "* " : "") + cell.text();
    }

    /** {@code s} wrapped at spaces to {@code width} columns, later lines indented by {@code indent}. */
    public static void wrapped(StringBuilder out, String s, String indent, int width) {
        for (String para : s.split("\n", -1)) {
            int col = 0;
            boolean first = true;
            for (String w : para.split(" ")) {
                if (col > 0 && col + 1 + w.length() > width) {
                    out.append('\n').append(indent);
                    col = indent.length();
                    first = true;
                }
                if (!first) {
                    out.append(' ');
                    col++;
                }
                out.append(w);
                col += w.length();
                first = false;
            }
            out.append('\n');
        }
    }

    /** Columns aligned to their widest cell, when the widest line fits {@code width}; false (nothing written) if not. */
    private static boolean fitted(StringBuilder t, List<List<String>> rows, int width) {
        if (rows.isEmpty()) return true;
        int cols = rows.stream().mapToInt(List::size).max().orElse(0);
        int[] w = new int[cols];
        for (List<String> r : rows) for (int i = 0; i < r.size(); i++) w[i] = Math.max(w[i], r.get(i).length());
        List<String> lines = new ArrayList<>();
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                line.append(r.get(i));
                if (i < r.size() - 1) line.append(" ".repeat(w[i] - r.get(i).length() + 2));
            }
            lines.add(line.toString().stripTrailing());
        }
        if (lines.stream().anyMatch(l -> l.length() > width)) return false;
        lines.forEach(l -> t.append(l).append('\n'));
        return true;
    }
}
