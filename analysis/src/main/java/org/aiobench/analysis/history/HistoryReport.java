package org.aiobench.analysis.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.aiobench.analysis.comparison.CompareText;
import org.aiobench.analysis.comparison.KernelComparison;
import org.aiobench.analysis.figures.Drawing;
import org.aiobench.analysis.report.ReportDoc;
import org.aiobench.analysis.run.Result;
import org.aiobench.analysis.run.RunData;
import org.aiobench.analysis.run.Sample;
import org.aiobench.analysis.stats.Numbers;
import org.aiobench.analysis.stats.RatioCell;
import org.aiobench.analysis.stats.RatioInterval;
import org.aiobench.analysis.stats.Threshold;

/**
 * What history writes: the runs in kernel order, each step between consecutive kernels with its counts, the
 * configurations whose steps are significant, a trend figure per configuration of interest, and history.csv with the
 * whole table (one line per run and configuration) for any dashboard.
 */
public final class HistoryReport {
    public static final String MD = "history.md";
    static final String HTML = "history.html";
    public static final String CSV = "history.csv";

    private final History h;
    /** The configurations drawn, in order. */
    final List<History.Series> drawn;

    HistoryReport(History h, List<History.Series> drawn) {
        this.h = h;
        this.drawn = drawn;
    }

    /**
     * The configurations of interest: with {@code all} every one measured in two runs or more; else those with a
     * significant step, cp -r (the reference: how the box itself moved) and those whose label or id contains one of
     * {@code patterns}.
     */
    static List<History.Series> select(History h, boolean all, List<String> patterns) {
        List<History.Series> out = new ArrayList<>();
        for (History.Series s : h.series) {
            if (s.points().size() < 2) continue;
            boolean named = patterns.stream().anyMatch(p -> s.label().contains(p) || s.key().contains(p));
            if (all || named || s.example().isCp() || !h.significantSteps(s).isEmpty() || !s.changes().isEmpty()) out.add(s);
        }
        return out;
    }

    String title() {
        return "aiobench history: " + h.runs.size() + " runs of " + h.kernels.size() + " kernel"
                + (h.kernels.size() == 1 ? "" : "s") + " (" + h.kernels.get(0).release() + " to "
                + h.kernels.get(h.kernels.size() - 1).release() + ")";
    }

    List<Drawing> drawings() {
        List<Drawing> out = new ArrayList<>();
        for (int i = 0; i < drawn.size(); i++) out.add(HistoryChart.drawing(h, drawn.get(i), i + 1));
        return out;
    }

    private List<List<String>> runRows() {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < h.runs.size(); i++) {
            RunData r = h.runs.get(i);
            long rounds = r.samples.stream().mapToInt(Sample::round).distinct().count();
            rows.add(List.of(Integer.toString(i + 1), r.kernelRelease(), r.env.path("createdAt").asText(""),
                    r.runId(), r.inRounds ? Long.toString(rounds) : "before rounds",
                    r.state.incomplete() ? "INCOMPLETE" : "complete"));
        }
        return rows;
    }

    private List<List<String>> stepRows() {
        List<List<String>> rows = new ArrayList<>();
        for (History.Step st : h.steps) {
            String from = h.kernelLabel(st.from()), to = h.kernelLabel(st.to());
            if (st.comparison() == null) {
                rows.add(List.of(from, to, st.missing(), Numbers.NONE));
                continue;
            }
            KernelComparison c = st.comparison();
            rows.add(List.of(from, to, c.vsCpCounts().text(), c.absoluteCounts().text()));
        }
        return rows;
    }

    private List<List<String>> significantRows() {
        List<List<String>> rows = new ArrayList<>();
        for (History.Series s : h.series) {
            for (var e : h.significantSteps(s)) {
                rows.add(List.of(s.label(), h.kernels.get(e.getKey().from()).release() + " → "
                        + h.kernels.get(e.getKey().to()).release(), History.what(e.getKey(), s.key(),
                        e.getValue()), e.getValue().text()));
            }
        }
        return rows;
    }

    /** Every change point: the configuration, the kernel it starts at, its change and the permutation p. */
    private List<List<String>> changeRows() {
        List<List<String>> rows = new ArrayList<>();
        for (History.Series s : h.series) {
            for (var cp : s.changes()) {
                int k = h.kernelAt(s, cp);
                rows.add(List.of(s.label(), h.kernels.get(k - 1 < 0 ? 0 : k - 1).release() + " → "
                        + h.kernels.get(k).release(), s.byCp() ? "vs cp -r" : "absolute", cp.judgement().text(),
                        Numbers.num(cp.p())));
            }
        }
        return rows;
    }

    /** What the calibration of the steps was, in a sentence. */
    private String calibrationNote() {
        if (h.calibration == null) {
            return "No kernel has two runs and the results hold no calibration of this box, so a step between kernels"
                    + " of one run each is unknown: run a kernel twice (or compare --calibrate) to give the steps a "
                    + "floor.";
        }
        return "The box's noise floor comes from identical runs (" + h.calibration.runs().size() + " runs: "
                + String.join(", ", h.calibration.runs()) + "): a step between kernels of one run each is judged "
                + "against it.";
    }

    ReportDoc document() {
        ReportDoc doc = new ReportDoc();
        doc.heading(1, title());
        doc.para("Runs in kernel order (natural: 6.1.9 before 6.1.10 before 6.10; by date within a kernel). Each step "
                + "from one kernel to the next is judged as `compare` judges it, threshold "
                + Threshold.text(h.threshold) + ": the ratio to cp -r within rounds always, absolute "
                + "times where both kernels have two runs or more. The whole table is in `" + CSV + "`.");
        doc.heading(2, "Runs");
        doc.table(List.of("#", "kernel", "created", "run", "rounds", "state"), runRows(), 4);
        doc.heading(2, "Steps between kernels");
        if (h.steps.isEmpty()) {
            doc.para("One kernel (" + h.kernels.get(0).release() + "): no step between kernels to judge.");
        } else {
            doc.table(List.of("from", "to", "vs cp -r", "absolute"), stepRows(), 0);
            doc.para(calibrationNote());
        }
        doc.heading(2, "Change points");
        List<List<String>> changes = changeRows();
        doc.para("Over each configuration's whole series (its ratio to cp -r where every run has one, else its level): "
                + "the strongest cut at a kernel boundary, kept when a permutation test of the runs rejects \"no "
                + "change\" (corrected across configurations, Benjamini-Hochberg) and the change lies beyond ±"
                + Threshold.text(h.threshold) + ", then each side searched again.");
        if (changes.isEmpty()) doc.para("None.");
        else doc.table(List.of("configuration", "at", "what", "after / before", "p"), changes, 3);
        doc.heading(2, "Significant steps");
        List<List<String>> sig = significantRows();
        if (sig.isEmpty()) doc.para("None: no configuration got significantly slower or faster from one kernel to the"
                + " next.");
        else doc.table(List.of("configuration", "step", "what", "new / old"), sig, 3);
        doc.heading(2, "Trends");
        doc.para(drawn.size() + " figure(s): " + (drawn.isEmpty() ? "no configuration was measured in two runs."
                : "the configurations with a significant step, cp -r (how the box itself moved) and those asked for"
                + " (`--config`, `--all`)."));
        for (int i = 0; i < drawn.size(); i++) {
            doc.heading(3, drawn.get(i).label(), HistoryChart.id(i + 1));
            doc.image(HistoryChart.id(i + 1), drawn.get(i).label(), HistoryChart.WIDTH);
        }
        return doc;
    }

    String text() {
        StringBuilder t = new StringBuilder(title()).append("\n\nruns in kernel order:\n");
        for (List<String> r : runRows()) {
            t.append(String.format(Locale.ROOT, "  %2s  %-22s %-30s %s%n", r.get(0), r.get(1), r.get(2), r.get(3)));
        }
        if (h.steps.isEmpty()) {
            t.append("\none kernel (").append(h.kernels.get(0).release()).append("): no step to judge\n");
        } else {
            t.append("\nsteps (vs cp -r | absolute):\n");
            for (List<String> r : stepRows()) {
                t.append("  ").append(r.get(0)).append(" -> ").append(r.get(1)).append(": ").append(r.get(2))
                        .append(" | ").append(r.get(3)).append('\n');
            }
            CompareText.wrapped(t, calibrationNote(), "  ", CompareText.DEFAULT_WIDTH);
        }
        List<List<String>> changes = changeRows();
        t.append("\nchange points: ").append(changes.isEmpty() ? "none" : Integer.toString(changes.size())).append('\n');
        for (List<String> r : changes) {
            CompareText.wrapped(t, "  " + r.get(0) + "  " + r.get(1) + "  " + r.get(2) + "  " + r.get(3) + " (p "
                    + r.get(4) + ")", "      ", CompareText.DEFAULT_WIDTH);
        }
        List<List<String>> sig = significantRows();
        t.append("\nsignificant steps: ").append(sig.isEmpty() ? "none" : Integer.toString(sig.size())).append('\n');
        for (List<String> r : sig) {
            t.append("  ").append(r.get(0)).append("  ").append(r.get(1)).append("  ").append(r.get(2)).append("  * ")
                    .append(r.get(3)).append('\n');
        }
        return t.toString();
    }

    /** One line per run and configuration; the step from the previous kernel on a kernel's first run. */
    String csv() throws JsonProcessingException {
        List<String> cols = List.of("order", "kernel", "run", "createdAt", "group", "config", "label", "metric",
                "unit", "mean", "sd", "n", "rounds", "vsCp", "vsCpLow", "vsCpHigh", "stepAbsolute", "stepAbsoluteLow",
                "stepAbsoluteHigh", "stepAbsoluteVerdict", "stepVsCp", "stepVsCpLow", "stepVsCpHigh",
                "stepVsCpVerdict");
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        cols.forEach(schema::addColumn);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < h.runs.size(); i++) {
            RunData run = h.runs.get(i);
            boolean firstOfKernel = i > 0 && h.kernelOf[i] != h.kernelOf[i - 1];
            History.Step step = firstOfKernel ? h.steps.get(h.kernelOf[i] - 1) : null;
            for (History.Series s : h.series) {
                final int ri = i;
                History.Point p = s.points().stream().filter(x -> x.run() == ri).findFirst().orElse(null);
                if (p == null) continue;
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("order", i + 1);
                m.put("kernel", run.kernelRelease());
                m.put("run", run.runId());
                m.put("createdAt", run.env.path("createdAt").asText(""));
                m.put("group", s.example().group());
                m.put("config", s.example().config());
                m.put("label", s.label());
                m.put("metric", s.metric());
                m.put("unit", s.metric().equals(Result.OPS) ? "ops/s" : "s");
                m.put("mean", num(p.stats().mean()));
                m.put("sd", num(p.stats().sd()));
                m.put("n", p.stats().n());
                m.put("rounds", p.rounds());
                interval(m, "vsCp", p.vsCp());
                KernelComparison.Row row = step == null ? null : step.row(s.key());
                cell(m, "stepAbsolute", row == null ? null : row.absolute());
                cell(m, "stepVsCp", row == null ? null : row.vsCp());
                rows.add(m);
            }
        }
        return new CsvMapper().writer(schema.build()).writeValueAsString(rows);
    }

    private static Object num(double v) {
        return Double.isFinite(v) ? v : "";
    }

    private static void interval(Map<String, Object> m, String key, RatioInterval r) {
        m.put(key, r == null ? "" : num(r.ratio()));
        m.put(key + "Low", r == null ? "" : num(r.low()));
        m.put(key + "High", r == null ? "" : num(r.high()));
    }

    private static void cell(Map<String, Object> m, String key, RatioCell c) {
        interval(m, key, c == null ? null : c.ratio());
        m.put(key + "Verdict", c == null ? "" : c.judgement().word());
    }
}
