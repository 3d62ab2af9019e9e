package org.aiobench.analysis.comparison;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.aiobench.analysis.comparison.KernelComparison.Row;
import org.aiobench.analysis.figures.Drawing;
import org.aiobench.analysis.report.Analysis;
import org.aiobench.analysis.report.ReportDoc;
import org.aiobench.analysis.run.Comparison;
import org.aiobench.analysis.run.Result;
import org.aiobench.analysis.run.RunData;
import org.aiobench.analysis.run.Sample;
import org.aiobench.analysis.run.Unit;
import org.aiobench.analysis.stats.Numbers;
import org.aiobench.analysis.stats.RatioCell;
import org.aiobench.analysis.stats.RatioInterval;
import org.aiobench.analysis.stats.Stats;
import org.aiobench.analysis.stats.Threshold;
import org.aiobench.analysis.stats.Verdict;
import org.aiobench.vocabulary.Vocabulary;

/**
 * What compare shows, in its order (after mmtests' compare-kernels): what differs between the environments and
 * nothing else, the warnings, the summary and the regressions, then per group its geometric mean, a figure of every
 * ratio with its interval and a table, the within-round comparisons, the configurations of one side only, and the
 * runs with their A/A control and drift. Written as compare.md and a
 * self-contained compare.html through the report's document model ({@link ReportDoc}), as terminal text
 * ({@link CompareText}) and as compare.json ({@link CompareJson}).
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

    KernelComparison comparison() {
        return c;
    }

    EnvDifferences environment() {
        return env;
    }

    /** The terminal's text and brief. */
    CompareText terminal() {
        return new CompareText(this);
    }

    /** compare.json. */
    String json() throws IOException {
        return new CompareJson(c, env).json();
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

    static Unit unit(List<Row> rows) {
        double largest = rows.stream().mapToDouble(r -> Math.max(r.base().stats().mean(), r.next().stats().mean()))
                .max().orElse(0);
        return Unit.forMetric(rows.get(0).metric(), largest);
    }

    static String unitName(List<Row> rows, Unit u) {
        return rows.get(0).metric().equals(Result.OPS) ? "ops/s" : u.name();
    }

    /** "98.43 ± 6.26": four significant digits of the mean, three of the SD. */
    static String meanSd(Stats s, Unit u) {
        return Numbers.sig(u.of(s.mean()), 4) + " ± " + Numbers.sig(u.of(s.sd()), 3);
    }


    static String cellText(RatioCell cell) {
        return cell == null ? Numbers.NONE : cell.text();
    }

    static String ratioText(RatioInterval r) {
        if (r == null) return Numbers.NONE;
        if (Double.isNaN(r.low())) return Comparison.ratioText(r.ratio());
        return Comparison.ratioText(r.ratio()) + " [" + Comparison.ratioText(r.low()) + ", "
                + Comparison.ratioText(r.high()) + "]";
    }

    static String configs(int n) {
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

    List<String> footer() {
        return List.of(RatioChart.legend(), "base: " + c.base.describe(), "new: " + c.next.describe());
    }

    // ---- Markdown and HTML ----

    ReportDoc document() {
        ReportDoc doc = new ReportDoc();
        doc.heading(1, title());
        for (String w : env.warnings) doc.alert(w);
        for (String w : runWarnings()) doc.alert(w);
        List<Map.Entry<String, RatioCell>> regressions = c.regressions();
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

    static String n(KernelComparison.SideStats s) {
        return s.stats().n() + (s.runs() > 1 ? " (" + s.runs() + " runs)" : "")
                + (s.rounds() > 0 ? ", " + s.rounds() + " rounds" : "");
    }

    List<List<String>> runRows() {
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
}
