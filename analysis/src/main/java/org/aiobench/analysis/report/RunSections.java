package org.aiobench.analysis.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.aiobench.analysis.figures.Drawing;
import org.aiobench.analysis.figures.DriftChart;
import org.aiobench.analysis.run.Comparison;
import org.aiobench.analysis.run.Result;
import org.aiobench.analysis.run.RoundRecord;
import org.aiobench.analysis.run.RunData;
import org.aiobench.analysis.run.RunState;
import org.aiobench.analysis.run.Skipped;
import org.aiobench.analysis.run.Unit;
import org.aiobench.analysis.stats.IterationTrend;
import org.aiobench.analysis.stats.Judgement;
import org.aiobench.analysis.stats.Numbers;
import org.aiobench.analysis.stats.RoundSeries;
import org.aiobench.analysis.stats.Verdict;
import org.aiobench.vocabulary.ConfigLabel;
import org.aiobench.vocabulary.Vocabulary;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.rank.Median;

/** The report's sections about the run as a whole: summary, failures, A/A control, drift, trends, environment. */
final class RunSections {
    private RunSections() {}

    private static String percent(double fraction) {
        return Double.isNaN(fraction) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }

    /** "0.3% to 2.1%" over the rounds that recorded it, or null. */
    private static String range(List<Double> fractions) {
        List<Double> v = fractions.stream().filter(d -> !Double.isNaN(d)).sorted().toList();
        if (v.isEmpty()) return null;
        return percent(v.get(0)) + " to " + percent(v.get(v.size() - 1));
    }

    /**
     * The run directory as the commands in the report must name it: its absolute path (a run made with --results
     * elsewhere, or a report read away from the checkout, is not at results/NAME of the checkout).
     */
    static String runPath(RunData run) {
        return run.dir.toAbsolutePath().normalize().toString();
    }

    /** Below this many rounds the report says the intervals are too narrow (see README, "Figures and report"). */
    static final int FEW_ROUNDS = 10;

    /** The title, what must not be missed, and how to read the rest. */
    static final class Summary implements ReportSection {
        @Override
        public void write(ReportDoc doc, Analysis a) {
            RunData run = a.run;
            doc.heading(1, "aiobench: run " + run.runId());
            if (run.state.incomplete()) {
                doc.alert("INCOMPLETE RUN: " + run.state.text() + ". The figures and verdicts below show only what "
                        + "was measured; finish it with `./run-experiments.sh --resume " + runPath(run) + "`.");
            }
            if (!run.failures.isEmpty()) {
                doc.alert(run.failures.size() + " configuration run(s) FAILED (wrong data or an error): see "
                        + "[Failed configurations](#failed-configurations).");
            }
            if (run.inRounds && !a.quietEnough()) doc.alert(noisy(a));
            doc.para("Kernel " + run.kernelRelease() + ". Regenerate with `./run-experiments.sh plot " + runPath(run)
                    + "` in the aiobench checkout.");
            List<String> facts = new ArrayList<>(run.notes);
            if (run.state.status() != RunState.Status.INCOMPLETE && !run.state.text().isEmpty()) {
                facts.add(run.state.text() + ".");
            }
            facts.addAll(facts(a));
            doc.bullets(facts);
            doc.para(howToRead(run));
        }

        private static String noisy(Analysis a) {
            if (a.control == null) {
                return "This run has no A/A control (no samples with aa=B): whether its verdicts can be trusted is "
                        + "not known.";
            }
            return "The A/A control (one configuration measured under two labels in every round) came out "
                    + (a.control.inRounds() ? a.control.verdictWord() : "without a verdict") + ", not same (B/A = "
                    + a.control.cell() + "): this run was too noisy for its verdicts to be trusted.";
        }

        private static List<String> facts(Analysis a) {
            RunData run = a.run;
            List<String> out = new ArrayList<>();
            if (!run.inRounds) {
                out.add("Made before rounds (no samples.jsonl): each configuration's samples were taken back to back "
                        + "and compared with others taken minutes apart, so its ratios are ratios of means with no "
                        + "interval and no verdict.");
                return out;
            }
            TreeSet<Integer> rounds = new TreeSet<>();
            run.samples.forEach(s -> rounds.add(s.round()));
            JsonNode planned = run.env.path("rounds");
            out.add("Measured in " + rounds.size() + " round(s)" + (planned.has("count") ? " of "
                    + planned.path("count").asText() + " planned" : "") + (planned.has("seed") ? " (seed "
                    + planned.path("seed").asText() + ")" : "") + ": every configuration once per round, in a fresh"
                    + " random order; " + run.samples.size() + " samples.");
            if (a.drift != null) {
                String steal = range(run.rounds.stream().map(RoundRecord::stealFraction).toList());
                String iowait = range(run.rounds.stream().map(RoundRecord::iowaitFraction).toList());
                out.add(String.format(Locale.ROOT, "Drift %.3f", a.drift.ratio()) + " (max/min of the round means of "
                        + ConfigLabel.tree(a.drift.reference().group(), a.drift.reference().params()) + ", [figure](#drift)); steal per round "
                        + (steal == null ? "not recorded" : steal) + ", iowait per round "
                        + (iowait == null ? "not recorded" : iowait) + ".");
            }
            if (a.control != null) out.add("A/A control: B/A = " + a.control.cell() + ".");
            if (!rounds.isEmpty() && rounds.size() < FEW_ROUNDS) {
                out.add("Few rounds: with " + rounds.size() + " the 95% intervals rest on Student's t with "
                        + (rounds.size() - 1) + " degrees of freedom, " + String.format(Locale.ROOT, "%.1f",
                        new TDistribution(null, Math.max(1, rounds.size() - 1)).inverseCumulativeProbability(0.975)
                        / 1.96) + " times as wide as a normal interval from the same spread: only large effects get"
                        + " a verdict; measure more rounds for firmer ones.");
            }
            boolean lessStart = run.group("cp").stream().anyMatch(r -> r.samples().containsKey(Result.TIME_LESS_START));
            out.add(lessStart ? "Ratios to " + Vocabulary.CP_LABEL + " use cp's time less its start cost (`spawnSec`: fork and exec), as the"
                    + " engines run in a JVM already started; the cp table shows both."
                    : "Ratios to " + Vocabulary.CP_LABEL + " use cp's time as measured, its start cost included (this run did not record "
                    + "`spawnSec`).");
            return out;
        }

        private static String howToRead(RunData run) {
            String bars = "Figures: bars are the mean of every sample, error bars mean ± 2 SD (lower ends clamped at 0);"
                    + " n is the number of samples (and rounds). ";
            if (!run.inRounds) {
                return bars + "Tables: \"vs " + Vocabulary.CP_LABEL + "\" and the other comparison columns give the ratio of the two "
                        + "configurations' means (below 1: the row is faster), marked as not measured in rounds.";
            }
            return bars + "Tables: every comparison (vs " + Vocabulary.CP_LABEL + ", flag on vs off, mode vs mode, each queue depth vs the "
                    + "best) reads \"ratio [low, high] verdict\": per round the ratio of the two configurations' "
                    + "medians, the geometric mean of those ratios across rounds (below 1: the row takes less time), "
                    + "and its 95% t interval over the rounds (closed form). Verdict: faster or slower when the whole "
                    + "interval lies beyond ±" + pct(Verdict.THRESHOLD_WITHIN_RUN) + ", same when it lies within, "
                    + "otherwise unknown, with the rounds that would decide it; a verdict from fewer than "
                    + Judgement.MIN_UNITS + " rounds is marked exploratory. Against the best queue depth: multiple "
                    + "comparisons with the best (Hsu), so the winner is not picked and judged on the same rounds. "
                    + "Each comparison is read on its own (95%); compare corrects its verdicts for their number. For "
                    + "memory, less and more. README.md, \"Figures and report\", says more.";
        }
    }

    static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * fraction);
    }

    /** Every configuration that failed, its error first. */
    static final class Failures implements ReportSection {
        @Override
        public void write(ReportDoc doc, Analysis a) {
            RunData run = a.run;
            doc.heading(2, "Failed configurations");
            if (run.failures.isEmpty()) {
                doc.para("None" + (run.inRounds ? ": failures.json is absent or empty." : ": run.log has no FAILED "
                        + "line."));
                return;
            }
            doc.para("A failed configuration's samples in other rounds still count; a round it failed in pairs with "
                    + "nothing.");
            doc.table(List.of("error", "group", "configuration", "round"), run.failures.stream()
                    .map(f -> List.of(f.wrongData() != null ? "**wrong data**: " + f.wrongData().text() : f.error(),
                            f.group(), ConfigLabel.keyValues(f.params()),
                            f.round() == 0 ? Numbers.NONE : Integer.toString(f.round()))).toList(), 0);
        }
    }

    /** The A/A control: one configuration under two labels in every round. */
    static final class Control implements ReportSection {
        @Override
        public void write(ReportDoc doc, Analysis a) {
            doc.heading(2, "A/A control");
            doc.para("One configuration is measured twice in every round, once as itself (A) and once under a second "
                    + "label (B), both in the shuffle. B/A should be 1: when the control is not \"same\", the "
                    + "differences between rounds are larger than the threshold and the run's verdicts cannot be "
                    + "trusted.");
            if (a.control == null) {
                String named = a.run.controlConfig();
                doc.para(!a.run.inRounds ? "No A/A control: this run was made before rounds."
                        : named == null ? "No A/A control: no samples with aa=B and no rounds.controlConfig in env.json."
                        : "No A/A control: `" + named + "` has no samples under both labels.");
                return;
            }
            Comparison c = a.control;
            doc.table(List.of("configuration", "B / A", "rounds", "Wilcoxon p"), List.of(List.of(
                    ConfigLabel.listed(c.y().group(), c.y().params()), c.cell(), c.inRounds() ? Integer.toString(c.paired().n()) : Numbers.NONE,
                    c.inRounds() ? Numbers.num(c.paired().wilcoxonP()) : Numbers.NONE)), 1);
            doc.para(a.quietEnough() ? "The control is the same within ±" + pct(Verdict.THRESHOLD_WITHIN_RUN)
                    + ": as far as it can tell, the run was quiet enough for its verdicts."
                    : "The control is not \"same\": this run was too noisy for its verdicts to be trusted. Run more "
                    + "rounds (`--rounds`), on a quieter machine, or read only the largest effects.");
        }
    }

    /** The reference configuration's time per round, and what the box did in each round. */
    static final class DriftSection implements ReportSection {
        @Override
        public List<Drawing> drawings(Analysis a) {
            return a.drift == null ? List.of() : List.of(DriftChart.drawing(a.drift, a.run.runId(),
                    a.run.kernelRelease()));
        }

        @Override
        public void write(ReportDoc doc, Analysis a) {
            doc.heading(2, "Drift");
            if (a.drift == null) {
                doc.para(a.run.inRounds ? "No drift figure: no " + Vocabulary.CP_LABEL + " (or A/A control) configuration was measured in "
                        + "two rounds or more." : "No drift figure: this run was made before rounds.");
                return;
            }
            RoundSeries ref = a.drift.series();
            doc.image(DriftChart.ID, DriftChart.title(a.drift), DriftChart.WIDTH);
            doc.para("Vector: [figures/" + DriftChart.ID + ".svg](figures/" + DriftChart.ID + ".svg). The reference "
                    + "is " + ConfigLabel.tree(a.drift.reference().group(), a.drift.reference().params()) + String.format(Locale.ROOT, "; its drift (max/min of "
                    + "round means) is %.3f. Comparisons pair configurations within a round, so a drift this size "
                    + "cancels out of the ratios; it does not cancel out of absolute times.", a.drift.ratio()));
            Map<Integer, RoundRecord> byRound = new LinkedHashMap<>();
            a.run.rounds.forEach(r -> byRound.put(r.round(), r));
            Unit u = Unit.forMetric(Result.TIME, ref.means().values().stream().mapToDouble(d -> d).max().orElse(0));
            double median = new Median()
                    .evaluate(ref.means().values().stream().mapToDouble(d -> d).toArray());
            List<List<String>> rows = new ArrayList<>();
            for (int r : ref.rounds()) {
                RoundRecord rec = byRound.get(r);
                rows.add(List.of(Integer.toString(r), rec == null ? Numbers.NONE : clock(rec.started()),
                        Numbers.num(u.of(ref.mean(r))), Numbers.num(ref.mean(r) / median),
                        rec == null ? Numbers.NONE : percent(rec.stealFraction()),
                        rec == null ? Numbers.NONE : percent(rec.iowaitFraction()),
                        rec == null ? Numbers.NONE : Integer.toString(rec.failed().size())));
            }
            doc.table(List.of("round", "started (UTC)", "reference mean (" + u.name() + ")", "relative to median",
                    "steal", "iowait", "failed"), rows, 2);
        }
    }

    /** "02:35:14" of an ISO-8601 instant (UTC), or the text as it is when it is not one. */
    static String clock(String instant) {
        try {
            return DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC).format(Instant.parse(instant));
        } catch (DateTimeParseException e) {
            return instant;
        }
    }

    /** Samples that trend across the iterations of a fork: a warm-up too short, or a state that builds up. */
    static final class Trends implements ReportSection {
        @Override
        public void write(ReportDoc doc, Analysis a) {
            doc.heading(2, "Warm-up trends");
            if (!a.run.inRounds) {
                doc.para("Not tested: this run was made before rounds, and JMH's JSON does not say which fork took "
                        + "which sample in which order.");
                return;
            }
            doc.para("Per configuration, each fork's samples divided by that fork's median, then Spearman's rank "
                    + "correlation of value against iteration over every fork; a trend is |rho| ≥ "
                    + IterationTrend.MIN_RHO + " with p < " + IterationTrend.MAX_P + " (needs at least "
                    + IterationTrend.MIN_POINTS + " samples from forks of 2 or more iterations). " + a.trendsTested
                    + " configuration(s) could be tested; " + a.trends.size() + " trend.");
            if (a.trends.isEmpty()) return;
            doc.table(List.of("group", "configuration", "rho", "p", "n", "what it means"), a.trends.stream()
                    .map(t -> List.of(t.result().group(), t.result().config(), Numbers.num(t.trend().rho()),
                            Numbers.num(t.trend().p()), Integer.toString(t.trend().n()),
                            gettingFaster(t) ? "later iterations faster: the warm-up may be too short"
                                    : "later iterations slower: something builds up across a fork")).toList(), 2);
        }

        /** Falling times, or rising rates. */
        private static boolean gettingFaster(Analysis.TrendRow t) {
            boolean rate = !t.result().samples().containsKey(Result.TIME);
            return (t.trend().rho() < 0) != rate;
        }
    }

    static final class SkippedSection implements ReportSection {
        @Override
        public void write(ReportDoc doc, Analysis a) {
            doc.heading(2, "Skipped configurations");
            if (a.run.skipped.isEmpty()) {
                doc.para("None: skipped.json is absent or empty.");
                return;
            }
            // a reason shared by many configurations of a group (a --quick cut) is one row with their count
            Map<List<String>, List<Skipped>> byReason = new java.util.LinkedHashMap<>();
            for (Skipped s : a.run.skipped) {
                byReason.computeIfAbsent(List.of(s.group(), s.reason()), k -> new ArrayList<>()).add(s);
            }
            List<List<String>> rows = new ArrayList<>();
            byReason.forEach((key, list) -> {
                if (list.size() <= GROUPED_FROM - 1) {
                    for (Skipped s : list) rows.add(List.of(s.group(), params(s), s.reason()));
                } else {
                    rows.add(List.of(key.get(0), list.size() + " configurations, e.g. " + params(list.get(0)),
                            key.get(1)));
                }
            });
            doc.table(List.of("group", "configuration", "reason"), rows, 0);
            doc.para(a.run.skipped.size() + " configuration(s) in all; skipped.json lists each.");
        }

        /** Rows of one reason in one group from this many on are shown as one. */
        static final int GROUPED_FROM = 4;

        private static String params(Skipped s) {
            return ConfigLabel.keyValues(s.params());
        }
    }

    /** env.json, flattened; the kernel probe folded away. */
    static final class Environment implements ReportSection {
        /** env.json keys shown first, in this order (results/README.md); the rest follow as they are. */
        private static final List<String> FIRST = List.of("runId", "createdAt", "quick", "kernel", "cpu",
                "memoryBytes", "scratch", "jdk", "jmhVersion", "aiobench");

        @Override
        public void write(ReportDoc doc, Analysis a) {
            JsonNode env = a.run.env;
            doc.heading(2, "Environment");
            Map<String, String> flat = new LinkedHashMap<>();
            for (String k : FIRST) if (env.has(k)) flatten(k, env.get(k), flat);
            env.fieldNames().forEachRemaining(k -> {
                if (!FIRST.contains(k) && !k.equals("probe")) flatten(k, env.get(k), flat);
            });
            doc.table(List.of("key", "value"), rows(flat), 0);
            if (env.has("probe")) {
                Map<String, String> probe = new LinkedHashMap<>();
                flatten("probe", env.get("probe"), probe);
                doc.details("Kernel probe", List.of(new ReportDoc.Table(List.of("key", "value"), rows(probe), 0)));
            }
        }

        private static List<List<String>> rows(Map<String, String> flat) {
            return flat.entrySet().stream().map(e -> List.of(e.getKey(), e.getValue())).toList();
        }

        private static void flatten(String key, JsonNode n, Map<String, String> out) {
            if (n.isObject()) {
                n.properties().forEach(e -> flatten(key + "." + e.getKey(), e.getValue(), out));
            } else if (n.isArray() && n.size() > 0 && n.get(0).isContainerNode()) {
                for (int i = 0; i < n.size(); i++) flatten(key + "[" + i + "]", n.get(i), out);
            } else if (n.isArray()) {
                List<String> items = new ArrayList<>();
                n.forEach(e -> items.add(e.asText()));
                out.put(key, String.join(", ", items));
            } else if (key.equals("memoryBytes") && n.canConvertToLong()) {
                out.put(key, n.asText() + String.format(Locale.ROOT, " (%.1f GiB)", n.asLong() / (double) (1L << 30)));
            } else {
                out.put(key, n.asText());
            }
        }
    }
}
