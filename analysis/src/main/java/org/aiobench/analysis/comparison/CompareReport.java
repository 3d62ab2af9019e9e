package org.aiobench.analysis.comparison;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.aiobench.analysis.comparison.KernelComparison.Cell;
import org.aiobench.analysis.comparison.KernelComparison.Row;
import org.aiobench.analysis.figures.Drawing;
import org.aiobench.analysis.report.Analysis;
import org.aiobench.analysis.report.ReportDoc;
import org.aiobench.analysis.run.Comparison;
import org.aiobench.analysis.run.Result;
import org.aiobench.analysis.run.RunData;
import org.aiobench.analysis.run.RunFiles;
import org.aiobench.analysis.run.Sample;
import org.aiobench.analysis.run.Unit;
import org.aiobench.analysis.stats.Judgement;
import org.aiobench.analysis.stats.Numbers;
import org.aiobench.analysis.stats.RatioInterval;
import org.aiobench.analysis.stats.Stats;
import org.aiobench.analysis.stats.Threshold;
import org.aiobench.analysis.stats.Verdict;
import org.aiobench.vocabulary.Vocabulary;

/**
 * What compare shows, in its order (after mmtests' compare-kernels): what differs between the environments and
 * nothing else, the warnings, the summary and the regressions, then per group its geometric mean, a figure of every
 * ratio with its interval and a table, the within-round comparisons, the configurations of one side only, and the
 * runs with their A/A control and drift. Written as terminal text (significant cells marked), compare.md, a
 * self-contained compare.html and compare.json.
 */
public final class CompareReport {
    public static final String MD = "compare.md";
    static final String HTML = "compare.html";
    public static final String JSON = "compare.json";

    private final KernelComparison c;
    private final EnvDifferences env;

    CompareReport(KernelComparison c, EnvDifferences env) {
        this.c = c;
        this.env = env;
    }

    // ---- what is said in every format ----

    String title() {
        return "aiobench compare: " + c.next.describe() + " against " + c.base.describe();
    }

    /** How the cells across runs were decided: from the runs' own spread, from a calibration, or not at all. */
    String verdictNote() {
        if (c.replicated()) {
            return "The run is the unit across runs: each run stands for its level (the mean of its rounds' logs), "
                    + c.base.runs().size() + " base and " + c.next.runs().size() + " new runs. The box's own level "
                    + "in each run, which moves every configuration at once, is separated and counted once; each "
                    + "configuration's own run-to-run variance is moderated across the configurations (empirical "
                    + "Bayes, Smyth 2004), so that two or three runs a side can decide.";
        }
        if (c.calibration != null) {
            return "One run on a side: the run-level variance comes from this box's calibration (compare --calibrate "
                    + "of " + c.calibration.runs().size() + " identical runs, " + String.join(", ",
                    c.calibration.runs()) + "; " + c.calibration.createdAt() + "), so a cell is slower only when it "
                    + "exceeds the threshold by more than identical runs of this box land apart.";
        }
        return "One run on a side: a run's level, absolute or against cp -r, cannot be told from what differs between "
                + "runs of one kernel (the box's drift, a fresh JVM's JIT decisions, the tree's layout on disk; the same "
                + "build measured minutes apart took 68.8 and 127.4 ms), so every cell is unknown. To decide: measure "
                + "two or more runs of each kernel, each after its own boot, alternating (A B B A; 4 to 5 a kernel for "
                + "a tight answer), and compare --base A1 A2 --new B1 B2; or calibrate this box once from 2 or 3 "
                + "identical runs (compare --calibrate R1 R2 R3), after which one run a side is judged against that "
                + "floor.";
    }

    String howToRead() {
        return "Each ratio is new / base with a 95% interval (closed form: a t interval on the runs' levels). Verdict: "
                + "slower or faster when the whole interval lies beyond ±" + Threshold.text(c.threshold)
                + ", same when it lies within, otherwise unknown with the runs a side that would decide it; "
                + "fewer than 6 runs in all mark a verdict exploratory. \"vs all\" is a configuration's change "
                + "beyond the change of every configuration together (the box's own level in each run cancels). "
                + "Many cells at once: the listed verdicts hold "
                + "a 5% false discovery rate (Benjamini-Hochberg), and the exit status is family-wise (Holm over one "
                + "test per configuration and group, the more precise of its absolute and vs-cp cells). \"vs cp -r\""
                + " is the configuration's time over cp -r's in the same rounds; below 1 it gained on cp -r. For a "
                + "rate (ops/s) above 1 is faster.";
    }

    /** What about a run must not be missed: a noisy A/A control, an incomplete run, failures. */
    List<String> runWarnings() {
        List<String> out = new ArrayList<>();
        for (var side : List.of(c.base, c.next)) {
            String name = side == c.base ? "base" : "new";
            for (int i = 0; i < side.runs().size(); i++) {
                RunData run = side.runs().get(i);
                Analysis a = side.analyses().get(i);
                String id = name + " run " + run.runId();
                if (run.inRounds && a.control != null && !a.quietEnough()) {
                    out.add(id + ": its A/A control came out " + (a.control.inRounds() ? a.control.verdictWord()
                            : "without a verdict") + ", not same (B/A " + a.control.cell() + "): that run was too "
                            + "noisy for verdicts that rest on it to be trusted.");
                }
                if (run.state.incomplete()) out.add(id + " is INCOMPLETE (" + run.state.text() + ").");
                if (!run.failures.isEmpty()) {
                    out.add(id + ": " + run.failures.size() + " configuration run(s) FAILED (wrong data or an "
                            + "error); the rounds they failed in pair with nothing.");
                }
            }
        }
        return out;
    }

    List<String> summaryLines() {
        List<String> out = new ArrayList<>();
        out.add("vs cp -r: " + c.vsCpCounts().text() + ".");
        out.add("vs all (beyond the box's own level): " + c.vsAllCounts().text() + ".");
        out.add("absolute: " + c.absoluteCounts().text() + ".");
        if (!c.groupRows.isEmpty()) out.add("groups (geometric means): " + c.groupCounts().text() + ".");
        if (!c.within.isEmpty()) out.add("within-round comparisons (flag on vs off, mode vs single, cold vs warm; not"
                + " in the exit status): " + c.withinCounts().text() + ".");
        out.add(exitLine());
        return out;
    }

    /** What the exit status is, and why. */
    String exitLine() {
        long gating = c.gating();
        String family = "Holm over " + c.decision.gatingFamily() + " configuration(s) and group(s)";
        return gating == 0 ? "Exit status 0: nothing is slower by the family-wise test (" + family + ")."
                : "Exit status 1: " + gating + " result(s) slower by the family-wise test (" + family + ").";
    }

    private static Unit unit(List<Row> rows) {
        double largest = rows.stream().mapToDouble(r -> Math.max(r.base().stats().mean(), r.next().stats().mean()))
                .max().orElse(0);
        return Unit.forMetric(rows.get(0).metric(), largest);
    }

    private static String unitName(List<Row> rows, Unit u) {
        return rows.get(0).metric().equals(Result.OPS) ? "ops/s" : u.name();
    }

    /** "98.43 ± 6.26": four significant digits of the mean, three of the SD. */
    private static String meanSd(Stats s, Unit u) {
        return Numbers.sig(u.of(s.mean()), 4) + " ± " + Numbers.sig(u.of(s.sd()), 3);
    }


    private static String cellText(Cell cell) {
        return cell == null ? Numbers.NONE : cell.text();
    }

    private static String ratioText(RatioInterval r) {
        if (r == null) return Numbers.NONE;
        if (Double.isNaN(r.low())) return Comparison.ratioText(r.ratio());
        return Comparison.ratioText(r.ratio()) + " [" + Comparison.ratioText(r.low()) + ", "
                + Comparison.ratioText(r.high()) + "]";
    }

    private static String configs(int n) {
        return n + " configuration" + (n == 1 ? "" : "s");
    }

    // ---- figures ----

    static String figureId(String group) {
        return "compare-" + Vocabulary.token("group", group).replace("group-", "");
    }

    static final String WITHIN_FIGURE = "compare-within";

    List<Drawing> drawings() {
        List<Drawing> out = new ArrayList<>();
        for (var e : c.groups.entrySet()) {
            List<RatioChart.Line> lines = new ArrayList<>();
            for (Row r : e.getValue()) {
                List<RatioChart.Mark> marks = new ArrayList<>();
                marks.add(new RatioChart.Mark(0, r.absolute()));
                if (r.vsCp() != null) marks.add(new RatioChart.Mark(1, r.vsCp()));
                if (r.vsAll() != null) marks.add(new RatioChart.Mark(2, r.vsAll()));
                lines.add(new RatioChart.Line(c.label(r), marks));
            }
            out.add(RatioChart.drawing(figureId(e.getKey()), "Group " + e.getKey() + ": new / base",
                    List.of(e.getValue().get(0).metric().equals(Result.OPS) ? "absolute rate" : "absolute time",
                            "vs cp -r", "vs all"), lines,
                    c.threshold, footer()));
        }
        if (!c.within.isEmpty()) {
            List<RatioChart.Line> lines = c.within.stream().map(w -> new RatioChart.Line(w.label(),
                    List.of(new RatioChart.Mark(0, w.change())))).toList();
            out.add(RatioChart.drawing(WITHIN_FIGURE, "Within-round comparisons: new / base of X / Y",
                    List.of("(X / Y) new / base"), lines, c.threshold, footer()));
        }
        return out;
    }

    private List<String> footer() {
        return List.of(RatioChart.legend(), "base: " + c.base.describe(), "new: " + c.next.describe());
    }

    // ---- Markdown and HTML ----

    ReportDoc document() {
        ReportDoc doc = new ReportDoc();
        doc.heading(1, title());
        for (String w : env.warnings) doc.alert(w);
        for (String w : runWarnings()) doc.alert(w);
        List<Map.Entry<String, Cell>> regressions = c.regressions();
        if (c.gating() > 0) doc.alert(exitLine() + " See [Regressions](#regressions).");
        doc.para("Base: " + c.base.describe() + ". New: " + c.next.describe() + ". Threshold "
                + Threshold.text(c.threshold) + ".");

        doc.heading(2, "Environment: what differs");
        if (env.items.isEmpty()) {
            doc.para("Nothing: kernel, command line, CPU, mitigations, memory, filesystem, mount options, device, I/O "
                    + "scheduler, JDK, JMH, aiobench commit, matrix and the kernel probe are the same on both sides.");
        } else {
            doc.table(List.of("what", "base", "new"), env.items.stream()
                    .map(d -> List.of(d.what(), d.base(), d.next())).toList(), 0);
        }

        doc.heading(2, "Summary");
        doc.bullets(summaryLines());
        doc.para(verdictNote());
        doc.para(howToRead());

        doc.heading(2, "Regressions");
        if (regressions.isEmpty()) {
            doc.para("None: no configuration or group is slower, absolutely or against cp -r.");
        } else {
            doc.para("Every cell listed slower (5% false discovery rate); those marked \"exit\" are slower by the "
                    + "family-wise test too and set the exit status.");
            doc.table(List.of("group", "configuration", "what", "new / base", "exit"), regressions.stream()
                    .map(e -> {
                        String[] k = e.getKey().split("\t");
                        return List.of(k[0], k[1], k[2], e.getValue().text(), e.getValue().gates() ? "exit" : "");
                    }).toList(), 3);
        }

        doc.heading(2, "Groups");
        doc.para("Per group, the geometric mean of its configurations' ratios new / base, over the configurations "
                + "every run of both sides measured.");
        doc.table(List.of("group", "configurations", "absolute", "vs cp -r"), c.groupRows.stream()
                .map(g -> List.of(g.group(), Integer.toString(g.configs()), cellText(g.absolute()),
                        g.vsCp() == null ? Numbers.NONE : cellText(g.vsCp()) + " (" + configs(g.cpConfigs())
                                + ")")).toList(), 1);
        for (var e : c.groups.entrySet()) {
            List<Row> rows = e.getValue();
            doc.heading(3, "Group " + e.getKey(), "group-" + e.getKey());
            doc.image(figureId(e.getKey()), "Group " + e.getKey() + ": new / base", RatioChart.WIDTH);
            Unit u = unit(rows);
            String un = unitName(rows, u);
            doc.table(List.of("configuration", "base mean ± SD (" + un + ")", "n", "new mean ± SD (" + un + ")", "n",
                    "absolute new / base", "vs all new / base", "vs cp -r base", "vs cp -r new", "vs cp -r new / base"),
                    rows.stream().map(r -> List.of(c.label(r), meanSd(r.base().stats(), u), n(r.base()),
                            meanSd(r.next().stats(), u), n(r.next()), r.absolute().text(), cellText(r.vsAll()),
                            ratioText(r.baseVsCp()), ratioText(r.nextVsCp()), cellText(r.vsCp()))).toList(), 1);
        }

        if (!c.within.isEmpty()) {
            doc.heading(2, "Within-round comparisons");
            doc.para("The report's comparisons against a fixed baseline, X / Y measured in the same rounds, on each "
                    + "side; then new / base of that ratio. Above 1: X lost ground on Y. These do not set the exit "
                    + "status.");
            doc.image(WITHIN_FIGURE, "Within-round comparisons", RatioChart.WIDTH);
            doc.table(List.of("comparison X vs Y", "base X / Y", "new X / Y", "new / base"), c.within.stream()
                    .map(w -> List.of(w.label(), ratioText(w.base()), ratioText(w.next()), w.change().text()))
                    .toList(), 1);
        }

        doc.heading(2, "Measured on one side only");
        if (c.onlyBase.isEmpty() && c.onlyNew.isEmpty()) {
            doc.para("None: both sides measured the same configurations.");
        } else {
            if (!c.onlyBase.isEmpty()) doc.para("Only base (" + c.onlyBase.size() + "): "
                    + String.join("; ", c.onlyBase) + ".");
            if (!c.onlyNew.isEmpty()) doc.para("Only new (" + c.onlyNew.size() + "): "
                    + String.join("; ", c.onlyNew) + ".");
        }

        doc.heading(2, "Runs");
        doc.para("Each run's own A/A control (one configuration under two labels in every round; it should be same) "
                + "and drift (largest over smallest round mean of its reference).");
        doc.table(List.of("side", "run", "kernel", "created", "rounds", "A/A control B/A", "drift", "state"),
                runRows(), 4);
        return doc;
    }

    private static String n(KernelComparison.SideStats s) {
        return s.stats().n() + (s.runs() > 1 ? " (" + s.runs() + " runs)" : "")
                + (s.rounds() > 0 ? ", " + s.rounds() + " rounds" : "");
    }

    private List<List<String>> runRows() {
        List<List<String>> rows = new ArrayList<>();
        for (var side : List.of(c.base, c.next)) {
            for (int i = 0; i < side.runs().size(); i++) {
                RunData run = side.runs().get(i);
                Analysis a = side.analyses().get(i);
                long rounds = run.samples.stream().mapToInt(Sample::round).distinct().count();
                rows.add(List.of(side == c.base ? "base" : "new", run.runId(), run.kernelRelease(),
                        run.env.path("createdAt").asText(Numbers.NONE), run.inRounds ? Long.toString(rounds)
                                : "before rounds", a.control == null ? Numbers.NONE : a.control.cell(),
                        a.drift == null ? Numbers.NONE : String.format(Locale.ROOT, "%.3f", a.drift.ratio()),
                        run.state.incomplete() ? "INCOMPLETE: " + run.state.text()
                                : run.failures.isEmpty() ? "complete" : run.failures.size() + " failure(s)"));
            }
        }
        return rows;
    }

    // ---- terminal ----

    /**
     * The terminal's text, fitted to {@code width} columns: environment differences first, the runs, the summary, the
     * regressions, then every group (a table where it fits, else one block per configuration).
     */
    String text(int width) {
        StringBuilder t = new StringBuilder();
        wrapped(t, title(), "", width);
        wrapped(t, "threshold " + Threshold.text(c.threshold) + "; * marks a slower or faster cell, "
                + "! one that sets the exit status", "", width);
        t.append('\n');
        environment(t, width);
        for (String w : env.warnings) wrapped(t, "WARNING: " + w, "  ", width);
        for (String w : runWarnings()) wrapped(t, "WARNING: " + w, "  ", width);
        t.append("\nRuns (A/A control B/A, drift):\n");
        if (!fitted(t, runRows().stream().map(r -> List.of("  " + r.get(0), r.get(1), r.get(2), r.get(5), r.get(6)))
                .toList(), width)) {
            for (List<String> r : runRows()) {
                wrapped(t, "  " + r.get(0) + " " + r.get(1) + " (" + r.get(2) + "): A/A " + r.get(5) + "; drift "
                        + r.get(6), "      ", width);
            }
        }
        t.append('\n');
        for (String s : summaryLines()) wrapped(t, s, "  ", width);
        wrapped(t, verdictNote(), "", width);
        List<Map.Entry<String, Cell>> regressions = c.regressions();
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
            Unit u = unit(rows);
            String un = unitName(rows, u);
            t.append('\n');
            wrapped(t, "Group " + g.group() + ": " + configs(rows.size()) + "; geometric mean absolute "
                    + mark(g.absolute()) + (g.vsCp() != null ? ", vs cp -r " + mark(g.vsCp()) : ""), "  ", width);
            List<List<String>> lines = new ArrayList<>();
            lines.add(List.of("  configuration", "base (" + un + ")", "new (" + un + ")", "absolute new/base",
                    "vs all new/base", "vs cp -r base", "new", "new/base"));
            for (Row r : rows) {
                lines.add(List.of("  " + c.label(r), meanSd(r.base().stats(), u) + " n" + r.base().stats().n(),
                        meanSd(r.next().stats(), u) + " n" + r.next().stats().n(), mark(r.absolute()),
                        r.vsAll() == null ? Numbers.NONE : mark(r.vsAll()),
                        r.baseVsCp() == null ? Numbers.NONE : Comparison.ratioText(r.baseVsCp().ratio()),
                        r.nextVsCp() == null ? Numbers.NONE : Comparison.ratioText(r.nextVsCp().ratio()),
                        r.vsCp() == null ? Numbers.NONE : mark(r.vsCp())));
            }
            if (!fitted(t, lines, width)) {
                for (Row r : rows) {
                    t.append("  ").append(c.label(r)).append('\n');
                    wrapped(t, "    " + un + ": base " + meanSd(r.base().stats(), u) + " n" + r.base().stats().n()
                            + ", new " + meanSd(r.next().stats(), u) + " n" + r.next().stats().n(), "      ", width);
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
            if (quiet > 0) wrapped(t, "  (" + quiet + " more without a slower or faster verdict: see " + MD + ")",
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
        for (String s : summaryLines()) wrapped(t, s, "  ", w);
        if (!c.replicated() && c.calibration == null) {
            wrapped(t, "One run a side: unknown. Measure 2+ runs of each kernel, alternating boots (A B B A), or "
                    + "calibrate the box (compare --calibrate).", "  ", w);
        }
        List<Map.Entry<String, Cell>> changes = new ArrayList<>();
        for (Row r : c.rows()) {
            for (Cell x : r.cells()) {
                if (!x.ratio().excludesOne() && !x.significant()) continue;
                changes.add(Map.entry(r.group() + " " + c.label(r) + ", " + r.what(x), x));
            }
        }
        changes.sort(Comparator.comparing((Map.Entry<String, Cell> e) -> !e.getValue().gates())
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
        for (List<String> r : runRows()) wrapped(t, "  " + r.get(0) + " " + r.get(1) + ": " + r.get(5), "      ", w);
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

    private static String mark(Cell cell) {
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

    // ---- compare.json ----

    String json() throws IOException {
        var m = RunFiles.JSON;
        ObjectNode root = m.createObjectNode();
        root.put("threshold", c.threshold);
        root.set("base", side(c.base));
        root.set("new", side(c.next));
        root.set("environment", m.valueToTree(env.json()));
        root.put("replicated", c.replicated());
        if (c.calibration != null) root.set("calibration", m.valueToTree(c.calibration.runs()));
        ObjectNode summary = root.putObject("summary");
        summary.set("vsCp", m.valueToTree(c.vsCpCounts()));
        summary.set("vsAll", m.valueToTree(c.vsAllCounts()));
        summary.set("absolute", m.valueToTree(c.absoluteCounts()));
        summary.set("groups", m.valueToTree(c.groupCounts()));
        summary.set("within", m.valueToTree(c.withinCounts()));
        summary.put("gatingFamily", c.decision.gatingFamily());
        summary.put("anySlower", c.anySlower());
        ArrayNode groups = root.putArray("groups");
        for (var g : c.groupRows) {
            ObjectNode o = groups.addObject();
            o.put("group", g.group());
            o.put("configurations", g.configs());
            o.set("absolute", cell(g.absolute()));
            o.set("vsCp", cell(g.vsCp()));
        }
        ArrayNode rows = root.putArray("configurations");
        for (Row r : c.rows()) {
            ObjectNode o = rows.addObject();
            o.put("group", r.group());
            o.put("config", r.example().config());
            o.set("params", m.valueToTree(r.example().params()));
            o.put("metric", r.metric());
            o.set("base", sideStats(r.base()));
            o.set("new", sideStats(r.next()));
            o.set("absolute", cell(r.absolute()));
            o.set("vsAll", cell(r.vsAll()));
            o.set("baseVsCp", interval(r.baseVsCp()));
            o.set("newVsCp", interval(r.nextVsCp()));
            o.set("vsCp", cell(r.vsCp()));
        }
        ArrayNode within = root.putArray("within");
        for (var w : c.within) {
            ObjectNode o = within.addObject();
            o.put("group", w.group());
            o.put("comparison", w.label());
            o.set("base", interval(w.base()));
            o.set("new", interval(w.next()));
            o.set("change", cell(w.change()));
        }
        root.set("onlyBase", m.valueToTree(c.onlyBase));
        root.set("onlyNew", m.valueToTree(c.onlyNew));
        return m.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n";
    }

    private ObjectNode side(KernelComparison.Side s) {
        ObjectNode o = RunFiles.JSON.createObjectNode();
        ArrayNode runs = o.putArray("runs");
        for (RunData r : s.runs()) {
            ObjectNode run = runs.addObject();
            run.put("runId", r.runId());
            run.put("dir", r.dir.toString());
            run.put("kernel", r.kernelRelease());
            run.put("createdAt", r.env.path("createdAt").asText(""));
        }
        return o;
    }

    private static ObjectNode sideStats(KernelComparison.SideStats s) {
        ObjectNode o = RunFiles.JSON.createObjectNode();
        number(o, "mean", s.stats().mean());
        number(o, "sd", s.stats().sd());
        o.put("n", s.stats().n());
        o.put("runs", s.runs());
        o.put("rounds", s.rounds());
        return o;
    }

    private static ObjectNode cell(Cell cell) {
        if (cell == null) return null;
        ObjectNode o = interval(cell.ratio());
        Judgement j = cell.judgement();
        o.put("verdict", j.word());
        o.put("exploratory", j.exploratory());
        o.put("gatesExit", cell.gates());
        o.put("units", j.estimate().units());
        o.put("unit", j.estimate().unit().many);
        if (j.verdict() == Verdict.UNKNOWN) {
            int needed = j.needed();
            if (needed > 0) o.put("needed", needed);
            o.put("more", j.more());
        }
        return o;
    }

    private static ObjectNode interval(RatioInterval r) {
        if (r == null) return null;
        ObjectNode o = RunFiles.JSON.createObjectNode();
        number(o, "ratio", r.ratio());
        number(o, "low", r.low());
        number(o, "high", r.high());
        return o;
    }

    /** NaN as null: JSON has no NaN. */
    private static void number(ObjectNode o, String k, double v) {
        if (Double.isFinite(v)) o.put(k, v);
        else o.putNull(k);
    }
}
