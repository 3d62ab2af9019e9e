package org.aiobench.analysis.report;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.aiobench.analysis.run.RunFiles;
import org.aiobench.analysis.stats.Numbers;

/**
 * The report's "Precision" section and variance.json: per group where the noise arises (between the copies of a fork,
 * between forks of a round, between rounds), what a fork and a copy cost, the copies a fork that buy the most
 * precision per second, the precision the comparisons reached, what twice the rounds would reach, and the rounds
 * that would give ±5%. A later run's --dry-run reads variance.json to say in advance what its plan can tell apart.
 */
final class PrecisionSection implements ReportSection {
    static final String JSON = "variance.json";

    @Override
    public void write(ReportDoc doc, Analysis a) {
        if (!a.run.inRounds) return;
        RunPrecision p = a.precision;
        doc.heading(2, "Precision");
        doc.para("Where this run's noise arose, on the log scale as standard deviations (0.05 is about 5%): between the "
                + "measured copies of one fork, between two forks of one round (the A/A control's two labels), and "
                + "between rounds beyond that (the box's drift, which the pairing by round cancels). A comparison "
                + "within rounds varies by about between + within / copies a round; the copies a fork that buy the "
                + "most precision per second are sqrt(within / between x fork cost / copy cost) (Kalibera and Jones "
                + "2013). Half-widths are of the comparisons' 95% intervals against cp -r and the figures' baselines, "
                + "median over the group.");
        List<List<String>> rows = new ArrayList<>();
        for (RunPrecision.GroupPrecision g : p.groups) {
            rows.add(List.of(g.group(), Integer.toString(g.configs()), sd(g.copy()), sd(g.fork()), sd(g.round()),
                    secs(g.forkSeconds()), secs(g.copySeconds()), Numbers.num(g.copiesPerFork()),
                    copies(g.optimalCopies()), Integer.toString(g.comparisons()), pct(g.medianHalfWidth())
                            + (g.rounds() > 0 ? " (" + g.rounds() + " rounds)" : ""),
                    pct(g.halfWidthAtTwice()), rounds(g.comparisons() > 0 ? g.roundsFor(0.05) : -1)));
        }
        doc.table(List.of("group", "configs", "SD copy", "SD fork", "SD round", "fork cost", "copy cost", "copies a fork",
                "best copies a fork", "comparisons", "half-width now", "at 2x rounds", "rounds for ±5%"), rows, 1);
        long undecided = p.judged.stream().filter(j -> !j.decidedAt(0.05)).count();
        doc.para(p.judged.size() + " comparisons judged within rounds; " + undecided + " neither decided nor within ±5%"
                + (p.control != null ? "; the A/A control " + p.control.verdict().word(true) + " at "
                + pct(p.control.halfWidth()) : "") + ". The same numbers are in `" + JSON + "`.");
    }

    /** variance.json: the section's numbers for scripts and for a later run's --dry-run. */
    static String json(Analysis a) throws IOException {
        var m = RunFiles.JSON;
        ObjectNode root = m.createObjectNode();
        root.put("runId", a.run.runId());
        root.put("box", a.run.box());
        ArrayNode groups = root.putArray("groups");
        for (RunPrecision.GroupPrecision g : a.precision.groups) {
            ObjectNode o = groups.addObject();
            o.put("group", g.group());
            o.put("configurations", g.configs());
            num(o, "copyVar", g.copy());
            num(o, "forkVar", g.fork());
            num(o, "roundVar", g.round());
            num(o, "copiesPerFork", g.copiesPerFork());
            num(o, "forkSeconds", g.forkSeconds());
            num(o, "copySeconds", g.copySeconds());
            num(o, "betweenVar", g.between());
            num(o, "withinVar", g.within());
            num(o, "optimalCopiesPerFork", g.optimalCopies());
            o.put("comparisons", g.comparisons());
            o.put("rounds", g.rounds());
            num(o, "medianHalfWidth", g.medianHalfWidth());
            num(o, "halfWidthAtTwiceTheRounds", g.halfWidthAtTwice());
            if (g.comparisons() > 0) o.put("roundsForFivePercent", g.roundsFor(0.05));
        }
        ArrayNode judged = root.putArray("comparisons");
        for (RunPrecision.Judged j : a.precision.judged) {
            ObjectNode o = judged.addObject();
            o.put("what", j.what());
            o.put("verdict", j.verdict().word(true));
            num(o, "halfWidth", j.halfWidth());
            o.put("rounds", j.rounds());
            if (j.needed() > 0) o.put("roundsThatWouldDecide", j.needed());
        }
        return m.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n";
    }

    private static void num(ObjectNode o, String k, double v) {
        if (Double.isFinite(v)) o.put(k, v);
        else o.putNull(k);
    }

    static String sd(double var) {
        return Double.isFinite(var) ? String.format(Locale.ROOT, "%.3f", Math.sqrt(var)) : Numbers.NONE;
    }

    static String pct(double f) {
        return Double.isFinite(f) ? String.format(Locale.ROOT, "±%.1f%%", 100 * f) : Numbers.NONE;
    }

    private static String secs(double s) {
        return Double.isFinite(s) ? String.format(Locale.ROOT, "%.2f s", s) : Numbers.NONE;
    }

    private static String copies(double n) {
        return Double.isInfinite(n) ? "many" : Double.isFinite(n) ? String.format(Locale.ROOT, "%.0f", n)
                : Numbers.NONE;
    }

    private static String rounds(int r) {
        return r < 0 ? Numbers.NONE : r == Integer.MAX_VALUE ? "more than 10,000" : Integer.toString(r);
    }
}
