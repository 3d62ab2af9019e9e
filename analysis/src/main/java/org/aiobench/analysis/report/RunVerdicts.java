package org.aiobench.analysis.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aiobench.analysis.claims.ClaimJudge;
import org.aiobench.analysis.figures.Figure;
import org.aiobench.analysis.figures.FigureBuilder;
import org.aiobench.analysis.run.Comparison;
import org.aiobench.analysis.run.Result;
import org.aiobench.analysis.run.RunData;
import org.aiobench.analysis.stats.Stats;

/**
 * What the analysis module judges of one run, as rows a store keeps beside the run's samples: each configuration's
 * primary metric (mean, SD, n, rounds), its ratio to cp -r in the same rounds, the figures' comparisons against their
 * baselines, the A/A control and the study's claims. Computed by the report's own analysis ({@link Analysis},
 * {@link Comparison}) in this one place, so that what the store keeps follows the statistics when they change.
 */
public final class RunVerdicts {
    /** A configuration's primary metric: {@link Result#TIME} in seconds per copy, or {@link Result#OPS}. */
    public record ResultRow(String group, String config, String metric, String unit, double mean, double sd, int n,
                            int rounds) {}

    /**
     * One judged comparison.
     *
     * @param kind    "control" (the A/A control, B against A), "vs_cp" (against cp -r in the same rounds),
     *                "vs_baseline" (a figure's bar against its baseline bar), "claim" (a study's claim)
     * @param ratio   the geometric mean of the per-round ratios (NaN for a claim, or where none)
     * @param low     its 95% interval (NaN where there is none)
     * @param n       rounds paired (0 where none)
     * @param verdict faster, slower, same, inconclusive (less, more for a size); a claim's outcome; "" unjudged
     */
    public record VerdictRow(String kind, String group, String config, String aa, String baseGroup,
                             String baseConfig, String metric, double ratio, double low, double high, int n,
                             String verdict, String label) {}

    public static final String CONTROL = "control";
    public static final String VS_CP = "vs_cp";
    public static final String VS_BASELINE = "vs_baseline";
    public static final String CLAIM = "claim";

    public final List<ResultRow> results;
    public final List<VerdictRow> verdicts;

    private RunVerdicts(List<ResultRow> results, List<VerdictRow> verdicts) {
        this.results = results;
        this.verdicts = verdicts;
    }

    public static RunVerdicts of(RunData run) {
        Analysis a = new Analysis(run);
        List<ResultRow> results = new ArrayList<>();
        List<VerdictRow> verdicts = new ArrayList<>();
        if (a.control != null) verdicts.add(row(CONTROL, a.control, "A/A control: " + a.control.x().config()
                + " B/A"));
        for (List<Result> rs : run.groups.values()) {
            for (Result r : rs) {
                String metric = r.samples().containsKey(Result.TIME) ? Result.TIME
                        : r.samples().containsKey(Result.OPS) ? Result.OPS : null;
                if (metric == null) continue;
                Stats s = Stats.of(r.samples().get(metric));
                results.add(new ResultRow(r.group(), r.config(), metric, metric.equals(Result.TIME) ? "s" : "ops/s",
                        s.mean(), s.sd(), s.n(), r.inRounds(metric) ? r.series(metric).rounds().size() : 0));
                if (r.isCp() || !metric.equals(Result.TIME)) continue;
                Result cp = run.cpFor(r.params(), Result.TIME);
                if (cp != null) verdicts.add(row(VS_CP, Comparison.of(r, cp, Result.TIME), r.config() + " / cp -r"));
            }
        }
        // each figure's comparisons against its baseline bar, once each
        Map<String, Comparison> baselines = new LinkedHashMap<>();
        for (FigureBuilder.Section section : a.figures) {
            for (Figure f : section.figures()) {
                for (Figure.Point p : f.points()) {
                    Comparison c = p.vsBaseline();
                    if (c == null) continue;
                    baselines.putIfAbsent(c.x().group() + "|" + c.x().config() + "|" + c.y().config() + "|"
                            + c.metric(), c);
                }
            }
        }
        baselines.values().forEach(c -> verdicts.add(row(VS_BASELINE, c, c.x().config() + " / " + c.y().config()
                + (c.metric().equals(Result.TIME) ? "" : " (" + c.metric() + ")"))));
        for (ClaimJudge.Row claim : a.claims) {
            verdicts.add(new VerdictRow(CLAIM, null, null, null, null, null, null, Double.NaN, Double.NaN, Double.NaN,
                    0, claim.outcome().word, claim.claim().id() + ": " + claim.claim().claim()
                    + (claim.why() == null || claim.why().isEmpty() ? "" : " (" + claim.why() + ")")));
        }
        return new RunVerdicts(List.copyOf(results), List.copyOf(verdicts));
    }

    private static VerdictRow row(String kind, Comparison c, String label) {
        double low = Double.NaN, high = Double.NaN;
        int n = 0;
        if (c.inRounds()) {
            low = c.paired().estimate().low();
            high = c.paired().estimate().high();
            n = c.paired().n();
        }
        return new VerdictRow(kind, c.x().group(), c.x().config(), c.x().aa(), c.y().group(), c.y().config(),
                c.metric(), c.ratio(), low, high, n, c.verdictWord(), label);
    }
}
