package org.aiobench.analysis.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * Each of several configurations against the best of them (which queue depth is fastest), measured in the same
 * rounds, without the bias of picking the winner from the data that then judge it: multiple comparisons with the
 * best (Hsu 1984), with Bonferroni's bound in place of Dunnett's constant.
 *
 * <p>For configuration i its distance to the best, the log of i over the fastest, is max over j of (i - j). Every
 * paired difference i - j gets an interval at confidence 1 - 0.05 / (k - 1), so that all k - 1 of them hold at once
 * with 95%; then the distance lies within [max(0, max_j low_ij), max(0, max_j high_ij)], whichever j is truly the
 * best. i is <b>slower</b> than the best when that interval's lower bound exceeds the threshold, the <b>same</b>
 * (as fast as the best, within the threshold) when its upper bound lies below it, otherwise unknown. The point is
 * the ratio to the fastest by the data.
 */
public final class BestOf {
    private BestOf() {}

    /** Each candidate against the best, in the candidates' order. */
    public static List<Judgement> judge(List<RoundSeries> candidates, Better better, double threshold,
                                        boolean speed) {
        int k = candidates.size();
        double confidence = 1 - VerdictRule.ALPHA / Math.max(1, k - 1);
        double sign = better == Better.LOWER ? 1 : -1; // distances in "slower" direction
        List<Judgement> out = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            double lo = 0, hi = 0, point = 0;
            Estimate nearest = null;
            boolean allIntervals = true;
            for (int j = 0; j < k; j++) {
                if (j == i) continue;
                PairedComparison pc = PairedComparison.of(candidates.get(i), candidates.get(j), better, threshold, speed);
                Estimate e = pc.judgement().estimate();
                if (!e.hasInterval()) {
                    allIntervals = false;
                    continue;
                }
                double d = sign * e.log(), half = e.quantile(confidence) * e.se();
                lo = Math.max(lo, d - half);
                hi = Math.max(hi, d + half);
                if (d > point) point = d;
                if (nearest == null || sign * e.log() > sign * nearest.log()) nearest = e;
            }
            if (nearest == null) nearest = Estimate.ofMean(new double[0], Estimate.Unit.ROUNDS);
            RatioInterval bounds = new RatioInterval(Math.exp(sign * point), Math.exp(sign * (sign > 0 ? lo : hi)),
                    Math.exp(sign * (sign > 0 ? hi : lo)), nearest.units());
            Verdict v;
            double t = Math.log(1 + threshold);
            if (!allIntervals) v = Verdict.UNKNOWN;
            else if (lo > t) v = Verdict.SLOWER;
            else if (hi < t) v = Verdict.SAME;
            else v = Verdict.UNKNOWN;
            out.add(new Judgement(nearest, threshold, better, speed, v, 0, v == Verdict.UNKNOWN && allIntervals
                    ? "against the best of " + k + ", each pair at " + percent(confidence) : "", bounds));
        }
        return out;
    }

    private static String percent(double c) {
        return String.format(java.util.Locale.ROOT, "%.1f%%", 100 * c);
    }
}
