package org.aiobench.plot;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.aiobench.plot.KernelComparison.Cell;
import org.aiobench.plot.KernelComparison.Row;
import org.aiobench.plot.stats.Bootstrap;
import org.aiobench.plot.stats.RatioInterval;
import org.aiobench.plot.stats.Stats;
import org.aiobench.plot.stats.Verdict;

/**
 * What compare shows, in its order (after mmtests' compare-kernels): what differs between the environments and
 * nothing else, the warnings, the summary and the regressions, then per group its geometric mean, a figure of every
 * ratio with its interval and a table, the within-round comparisons, the configurations of one side only, and the
 * runs with their A/A control and drift. Written as terminal text (significant cells marked), compare.md, a
 * self-contained compare.html and compare.json.
 */
final class CompareReport {
    static final String MD = "compare.md";
    static final String HTML = "compare.html";
    static final String JSON = "compare.json";

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

    /** The note that decides how absolute values are read. */
    String absoluteNote() {
        if (c.absoluteJudged()) {
            return "Absolute times are judged from the spread between runs (" + c.base.runs().size() + " base and "
                    + c.next.runs().size() + " new runs: the runs are resampled, each standing for the mean of its "
                    + "rounds).";
        }
        return "With one run on a side, a difference in absolute time cannot be told from the box's drift between the"
                + " two runs (the same build on the same kernel measured minutes apart on a 2-CPU VM took 68.8 and "
                + "127.4 ms), so absolute times are shown and not judged. The ratios within rounds are judged (each "
                + "configuration against cp -r, a flag on against off): the rounds cancel the drift. For a verdict on "
                + "absolute times, measure two or more runs of each kernel, each after its own boot, alternating (A B"
                + " B A).";
    }

    String howToRead() {
        return "Each ratio is new / base with a 95% interval (a t interval with the seeded bootstrap's standard error, "
                + String.format(Locale.ROOT, "%,d", Bootstrap.RESAMPLES) + " resamples; rounds resampled within one run, "
                + "runs across several). Verdict: slower or faster when the interval excludes 1 and the effect is at least "
                + KernelComparison.percent(c.threshold) + ", same when the whole interval lies within ±"
                + KernelComparison.percent(c.threshold) + ", otherwise inconclusive. \"vs cp -r\" is the ratio of the "
                + "configuration's time to cp -r's in the same rounds, compared between the sides; below 1 the "
                + "configuration gained on cp -r. For a rate (ops/s) above 1 is faster.";
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
        out.add("vs cp -r (within rounds): " + c.vsCpCounts().text() + ".");
        out.add("absolute: " + (c.absoluteJudged() ? c.absoluteCounts().text()
                : "not judged, one run on a side (" + c.rows().size() + " configurations)") + ".");
        if (!c.within.isEmpty()) out.add("within-round comparisons (flag on vs off, mode vs single, cold vs warm): "
                + c.withinCounts().text() + ".");
        int slower = (int) c.rows().stream().filter(r -> r.judgedCells().stream()
                .anyMatch(x -> x.verdict() == Verdict.SLOWER)).count();
        out.add(slower == 0 ? "No configuration is significantly slower." : slower + " configuration(s) significantly "
                + "slower: exit status 1.");
        return out;
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
        return sig(u.of(s.mean()), 4) + " ± " + sig(u.of(s.sd()), 3);
    }

    static String sig(double v, int digits) {
        if (!Double.isFinite(v)) return "n/a";
        if (v == 0) return "0";
        return new BigDecimal(v).round(new MathContext(digits)).stripTrailingZeros().toPlainString();
    }

    /** A row's absolute cell; where no row is judged (one run a side, said once above) the ratio alone. */
    private String absolute(Row r, boolean marked) {
        if (!c.absoluteJudged() && !r.absolute().judged()) return Comparison.ratioText(r.absolute().ratio().ratio());
        return marked ? mark(r.absolute()) : r.absolute().text();
    }

    private static String cellText(Cell cell) {
        return cell == null ? ReportWriter.NONE : cell.text();
    }

    private static String ratioText(RatioInterval r) {
        if (r == null) return ReportWriter.NONE;
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
                lines.add(new RatioChart.Line(c.label(r), marks));
            }
            out.add(RatioChart.drawing(figureId(e.getKey()), "Group " + e.getKey() + ": new / base",
                    List.of(e.getValue().get(0).metric().equals(Result.OPS) ? "absolute rate" : "absolute time",
                            "vs cp -r"), lines,
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
        return List.of(RatioChart.legend() + (c.absoluteJudged() ? "" : " Absolute: one run a side, not judged "
                + "(no bar)."), "base: " + c.base.describe(), "new: " + c.next.describe());
    }

    // ---- Markdown and HTML ----

    ReportDoc document() {
        ReportDoc doc = new ReportDoc();
        doc.heading(1, title());
        for (String w : env.warnings) doc.alert(w);
        for (String w : runWarnings()) doc.alert(w);
        List<Map.Entry<Row, Cell>> regressions = c.regressions();
        if (!regressions.isEmpty()) doc.alert(regressions.size() + " significantly slower result(s): see "
                + "[Regressions](#regressions).");
        doc.para("Base: " + c.base.describe() + ". New: " + c.next.describe() + ". Threshold "
                + KernelComparison.percent(c.threshold) + ".");

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
        doc.para(absoluteNote());
        doc.para(howToRead());

        doc.heading(2, "Regressions");
        if (regressions.isEmpty()) {
            doc.para("None: no configuration is significantly slower, absolutely or against cp -r.");
        } else {
            doc.table(List.of("group", "configuration", "what", "new / base"), regressions.stream()
                    .map(e -> List.of(e.getKey().group(), c.label(e.getKey()),
                            e.getValue() == e.getKey().absolute() ? "absolute" : "vs cp -r", e.getValue().text()))
                    .toList(), 3);
        }

        doc.heading(2, "Groups");
        doc.para("Per group, the geometric mean of its configurations' ratios new / base, over the configurations "
                + "every run of both sides measured.");
        doc.table(List.of("group", "configurations", "absolute", "vs cp -r"), c.groupRows.stream()
                .map(g -> List.of(g.group(), Integer.toString(g.configs()), cellText(g.absolute()),
                        g.vsCp() == null ? ReportWriter.NONE : cellText(g.vsCp()) + " (" + configs(g.cpConfigs())
                                + ")")).toList(), 1);
        for (var e : c.groups.entrySet()) {
            List<Row> rows = e.getValue();
            doc.heading(3, "Group " + e.getKey(), "group-" + e.getKey());
            doc.image(figureId(e.getKey()), "Group " + e.getKey() + ": new / base", RatioChart.WIDTH);
            Unit u = unit(rows);
            String un = unitName(rows, u);
            doc.table(List.of("configuration", "base mean ± SD (" + un + ")", "n", "new mean ± SD (" + un + ")", "n",
                    "absolute new / base" + (c.absoluteJudged() ? "" : " (not judged)"), "vs cp -r base",
                    "vs cp -r new", "vs cp -r new / base"), rows.stream()
                    .map(r -> List.of(c.label(r), meanSd(r.base().stats(), u), n(r.base()),
                            meanSd(r.next().stats(), u), n(r.next()), absolute(r, false), ratioText(r.baseVsCp()),
                            ratioText(r.nextVsCp()), cellText(r.vsCp()))).toList(), 1);
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
                        run.env.path("createdAt").asText(ReportWriter.NONE), run.inRounds ? Long.toString(rounds)
                                : "before rounds", a.control == null ? ReportWriter.NONE : a.control.cell(),
                        a.drift == null ? ReportWriter.NONE : String.format(Locale.ROOT, "%.3f", a.drift.ratio()),
                        run.state.incomplete() ? "INCOMPLETE: " + run.state.text()
                                : run.failures.isEmpty() ? "complete" : run.failures.size() + " failure(s)"));
            }
        }
        return rows;
    }

    // ---- terminal ----

    /** The terminal's text: environment differences first, the summary, the regressions, then every group. */
    String text() {
        StringBuilder t = new StringBuilder();
        t.append(title()).append("\nthreshold ").append(KernelComparison.percent(c.threshold))
                .append("; * marks a significant cell (slower or faster)\n\n");
        if (env.items.isEmpty()) {
            t.append("Environment: nothing differs.\n");
        } else {
            t.append("Environment: what differs (base | new)\n");
            table(t, env.items.stream().map(d -> List.of("  " + d.what(), d.base(), "|", d.next())).toList());
        }
        for (String w : env.warnings) t.append("WARNING: ").append(w).append('\n');
        for (String w : runWarnings()) t.append("WARNING: ").append(w).append('\n');
        t.append("\nRuns (A/A control B/A, drift):\n");
        table(t, runRows().stream().map(r -> List.of("  " + r.get(0), r.get(1), r.get(2), r.get(5), r.get(6)))
                .toList());
        t.append('\n');
        for (String s : summaryLines()) t.append(s).append('\n');
        t.append(wrap(absoluteNote())).append('\n');
        List<Map.Entry<Row, Cell>> regressions = c.regressions();
        if (!regressions.isEmpty()) {
            t.append("\nRegressions, largest first:\n");
            table(t, regressions.stream().map(e -> List.of("  " + e.getKey().group(), c.label(e.getKey()),
                    e.getValue() == e.getKey().absolute() ? "absolute" : "vs cp -r", mark(e.getValue()))).toList());
        }
        for (var g : c.groupRows) {
            List<Row> rows = c.groups.get(g.group());
            Unit u = unit(rows);
            String un = unitName(rows, u);
            t.append("\nGroup ").append(g.group()).append(": ").append(configs(rows.size()))
                    .append("; geometric mean absolute ").append(mark(g.absolute()));
            if (g.vsCp() != null) t.append(", vs cp -r ").append(mark(g.vsCp()));
            t.append('\n');
            List<List<String>> lines = new ArrayList<>();
            lines.add(List.of("  configuration", "base (" + un + ")", "new (" + un + ")",
                    c.absoluteJudged() ? "absolute new/base" : "absolute (not judged)",
                    "vs cp -r base", "new", "new/base"));
            for (Row r : rows) {
                lines.add(List.of("  " + c.label(r), meanSd(r.base().stats(), u) + " n" + r.base().stats().n(),
                        meanSd(r.next().stats(), u) + " n" + r.next().stats().n(), absolute(r, true),
                        r.baseVsCp() == null ? ReportWriter.NONE : Comparison.ratioText(r.baseVsCp().ratio()),
                        r.nextVsCp() == null ? ReportWriter.NONE : Comparison.ratioText(r.nextVsCp().ratio()),
                        r.vsCp() == null ? ReportWriter.NONE : mark(r.vsCp())));
            }
            table(t, lines);
        }
        if (!c.within.isEmpty()) {
            t.append("\nWithin-round comparisons (X vs Y, new/base of X/Y; not in the exit status): ")
                    .append(c.withinCounts().text()).append('\n');
            table(t, c.within.stream().filter(w -> w.change().significant())
                    .map(w -> List.of("  " + w.label(), mark(w.change()))).toList());
            long quiet = c.within.stream().filter(w -> !w.change().significant()).count();
            if (quiet > 0) t.append("  (").append(quiet).append(" more without a significant change: see ")
                    .append(MD).append(")\n");
        }
        if (!c.onlyBase.isEmpty()) t.append("\nOnly base: ").append(String.join("; ", c.onlyBase)).append('\n');
        if (!c.onlyNew.isEmpty()) t.append("\nOnly new: ").append(String.join("; ", c.onlyNew)).append('\n');
        return t.toString();
    }

    private static String mark(Cell cell) {
        return (cell.significant() ? "* " : "") + cell.text();
    }

    private static String wrap(String s) {
        StringBuilder out = new StringBuilder();
        int col = 0;
        for (String w : s.split(" ")) {
            if (col > 0 && col + w.length() + 1 > 110) {
                out.append('\n');
                col = 0;
            } else if (col > 0) {
                out.append(' ');
                col++;
            }
            out.append(w);
            col += w.length();
        }
        return out.toString();
    }

    /** Columns aligned to their widest cell. */
    private static void table(StringBuilder t, List<List<String>> rows) {
        if (rows.isEmpty()) return;
        int cols = rows.stream().mapToInt(List::size).max().orElse(0);
        int[] w = new int[cols];
        for (List<String> r : rows) for (int i = 0; i < r.size(); i++) w[i] = Math.max(w[i], r.get(i).length());
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                line.append(r.get(i));
                if (i < r.size() - 1) line.append(" ".repeat(w[i] - r.get(i).length() + 2));
            }
            t.append(line.toString().stripTrailing()).append('\n');
        }
    }

    // ---- compare.json ----

    String json() throws IOException {
        var m = RunFiles.JSON;
        ObjectNode root = m.createObjectNode();
        root.put("threshold", c.threshold);
        root.set("base", side(c.base));
        root.set("new", side(c.next));
        root.set("environment", m.valueToTree(env.json()));
        root.put("absoluteJudged", c.absoluteJudged());
        ObjectNode summary = root.putObject("summary");
        summary.set("vsCp", m.valueToTree(c.vsCpCounts()));
        summary.set("absolute", m.valueToTree(c.absoluteCounts()));
        summary.set("within", m.valueToTree(c.withinCounts()));
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
        o.put("verdict", cell.judged() ? cell.verdict().word(cell.speed()) : null);
        if (!cell.note().isEmpty()) o.put("note", cell.note());
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
