package org.aiobench.plot.stats;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.stat.inference.WilcoxonSignedRankTest;

/**
 * Two configurations measured in the same rounds, X against Y: per round the ratio of their medians, the geometric
 * mean of those ratios across rounds with a 95% bootstrap interval that resamples whole rounds, and the verdict.
 * Only rounds in which both were measured count (a round where one failed pairs with nothing).
 *
 * <p>The Wilcoxon signed-rank test (commons-math3; exact p up to {@value #EXACT_WILCOXON_MAX} rounds, the normal
 * approximation above, as the exact one enumerates 2^n sign patterns) on the same per-round log ratios is a
 * cross-check, not part of the verdict: it needs no normal tails, but with 3 rounds its exact p cannot go below
 * 0.25, so it says little before about 6 rounds.
 *
 * @param rounds       the paired rounds, in order
 * @param ratios       X's median / Y's median in each paired round
 * @param estimate     the geometric mean of {@code ratios} and its interval
 * @param wilcoxonP    two-sided p of the signed-rank test of the log ratios against 0; NaN below 2 rounds
 */
public record PairedComparison(int[] rounds, double[] ratios, RatioInterval estimate, double wilcoxonP,
                               Verdict verdict) {

    /** Fewer paired rounds than this give no verdict but inconclusive: an interval from two rounds means nothing. */
    public static final int MIN_ROUNDS = 3;
    static final int EXACT_WILCOXON_MAX = 15;

    /**
     * @param threshold the practical threshold, {@link Verdict#THRESHOLD_WITHIN_RUN} within a run
     * @param seed      for the bootstrap; {@link Bootstrap#seed(String)} of a key naming both configurations
     */
    public static PairedComparison of(RoundSeries x, RoundSeries y, Better better, double threshold, long seed) {
        List<Integer> paired = new ArrayList<>(x.rounds());
        paired.retainAll(y.rounds());
        int n = paired.size();
        int[] rounds = new int[n];
        double[] ratios = new double[n], logs = new double[n];
        double[] logX = new double[n], logY = new double[n];
        for (int i = 0; i < n; i++) {
            int r = paired.get(i);
            rounds[i] = r;
            double mx = x.median(r), my = y.median(r);
            ratios[i] = mx / my;
            logX[i] = Math.log(mx);
            logY[i] = Math.log(my);
            logs[i] = logX[i] - logY[i];
        }
        RatioInterval est = n == 0 ? new RatioInterval(Double.NaN, Double.NaN, Double.NaN, 0)
                : Bootstrap.geometricMean(logs, seed);
        Verdict v = n < MIN_ROUNDS ? Verdict.INCONCLUSIVE : Verdict.judge(est, threshold, better);
        return new PairedComparison(rounds, ratios, est, wilcoxon(logX, logY), v);
    }

    public int n() {
        return rounds.length;
    }

    /**
     * The logarithms of the per-round ratios: one run's side of a comparison across runs (compare bootstraps an
     * engine/cp -r ratio of several runs per kernel with {@link Bootstrap#ratio}).
     */
    public double[] logRatios() {
        double[] logs = new double[ratios.length];
        for (int i = 0; i < logs.length; i++) logs[i] = Math.log(ratios[i]);
        return logs;
    }

    private static double wilcoxon(double[] x, double[] y) {
        if (x.length < 2) return Double.NaN;
        boolean allEqual = true;
        for (int i = 0; i < x.length; i++) allEqual &= x[i] == y[i];
        if (allEqual) return 1.0;
        try {
            return new WilcoxonSignedRankTest().wilcoxonSignedRankTest(x, y, x.length <= EXACT_WILCOXON_MAX);
        } catch (RuntimeException e) {
            return Double.NaN; // commons-math3 refuses degenerate input; the cross-check is then not available
        }
    }
}
