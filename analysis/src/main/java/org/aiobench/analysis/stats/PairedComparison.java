package org.aiobench.analysis.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.math3.stat.inference.WilcoxonSignedRankTest;

/**
 * Two configurations measured in the same rounds of one run, X against Y: per round the ratio of their medians, and
 * the geometric mean of those ratios with a 95% t interval over the rounds (closed form: the rounds are the units, a
 * one-sample t on the per-round log ratios, {@link Estimate#ofMean}), judged by {@link VerdictRule}. Only rounds in
 * which both were measured count (a round where one failed pairs with nothing).
 *
 * <p>The Wilcoxon signed-rank test (commons-math3; exact p up to {@value #EXACT_WILCOXON_MAX} rounds, the normal
 * approximation above, as the exact one enumerates 2^n sign patterns) on the same per-round log ratios is a
 * cross-check, not part of the verdict: it needs no normal tails, but with 3 rounds its exact p cannot go below
 * 0.25, so it says little before about 6 rounds.
 *
 * @param rounds    the paired rounds, in order
 * @param ratios    X's median / Y's median in each paired round
 * @param judgement the geometric mean of {@code ratios}, its interval and verdict
 * @param wilcoxonP two-sided p of the signed-rank test of the log ratios against 0; NaN below 2 rounds
 */
public record PairedComparison(int[] rounds, double[] ratios, Judgement judgement, double wilcoxonP) {
    static final int EXACT_WILCOXON_MAX = 15;

    /**
     * @param threshold the practical threshold, {@link Verdict#THRESHOLD_WITHIN_RUN} within a run
     * @param speed     whether the verdict's words are speed words (a time or a rate) or size words
     */
    public static PairedComparison of(RoundSeries x, RoundSeries y, Better better, double threshold, boolean speed) {
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
        Judgement j = VerdictRule.judge(Estimate.ofMean(logs, Estimate.Unit.ROUNDS), threshold, better, speed);
        return new PairedComparison(rounds, ratios, j, wilcoxon(logX, logY));
    }

    public int n() {
        return rounds.length;
    }

    public RatioInterval estimate() {
        return judgement.interval();
    }

    public Verdict verdict() {
        return judgement.verdict();
    }

    /** The logarithms of the per-round ratios: one run's side of a comparison across runs ({@link RunLevel}). */
    public double[] logRatios() {
        double[] logs = new double[ratios.length];
        for (int i = 0; i < logs.length; i++) logs[i] = Math.log(ratios[i]);
        return logs;
    }

    /**
     * Per round in which every one of {@code all} comparisons was paired, the mean of their log ratios, in round
     * order: a group's level in one run (comparisons missing from {@code comparisons} leave every round out).
     */
    public static double[] meanLogRatioByRound(List<PairedComparison> comparisons, int all) {
        Map<Integer, double[]> sums = new TreeMap<>();
        for (PairedComparison pc : comparisons) {
            double[] logs = pc.logRatios();
            for (int j = 0; j < logs.length; j++) {
                double[] s = sums.computeIfAbsent(pc.rounds()[j], x -> new double[2]);
                s[0] += logs[j];
                s[1]++;
            }
        }
        return sums.values().stream().filter(s -> s[1] == all).mapToDouble(s -> s[0] / s[1]).toArray();
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
