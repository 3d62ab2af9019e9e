package org.aiobench.analysis.stats;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * An effect on the log scale (the log of a ratio, or the mean of several logs) with its standard error and degrees
 * of freedom: what every interval and every verdict is computed from, closed form.
 *
 * <p>Within a run the units are rounds: the mean of per-round log ratios, a one-sample t ({@link #ofMean}), exact
 * for normal log ratios. Across runs the units are runs ({@link RunLevel}): the difference of the two sides' means
 * of run means, with the run-level variance pooled and moderated across configurations.
 *
 * @param log       the point estimate, log of the ratio
 * @param commonVar the variance of one unit that every cell of the comparison shares (across runs: the box's own
 *                  level in each run, which moves every configuration at once); 0 within a run
 * @param ownVar    the variance of one unit of this cell's own (a round's log ratio; a run's level beyond the box's)
 * @param se        the standard error of {@code log}; NaN when there is none (fewer than two units and no prior)
 * @param df        the t distribution's degrees of freedom (Welch-Satterthwaite where the two variances combine)
 * @param units     how many units it rests on (rounds, or runs on both sides together)
 * @param unit      what a unit is
 * @param priorDf   degrees of freedom of {@code ownVar} that do not come from these units (a moderated or calibrated
 *                  run-level variance); 0 within a run
 */
public record Estimate(double log, double commonVar, double ownVar, double se, double df, int units, Unit unit,
                       double priorDf) {
    public static final double CONFIDENCE = 0.95;

    /** What a unit of replication is. */
    public enum Unit {
        ROUNDS("round", "rounds"), RUNS("run", "runs");

        public final String one, many;

        Unit(String one, String many) {
            this.one = one;
            this.many = many;
        }

        public String count(int n) {
            return n + " " + (n == 1 ? one : many);
        }
    }

    /** The mean of logs measured in {@code logs.length} units (per-round log ratios): a one-sample t. */
    public static Estimate ofMean(double[] logs, Unit unit) {
        int n = logs.length;
        if (n == 0) return new Estimate(Double.NaN, 0, Double.NaN, Double.NaN, Double.NaN, 0, unit, 0);
        double mean = Arrays.stream(logs).average().orElseThrow();
        if (n < 2) return new Estimate(mean, 0, Double.NaN, Double.NaN, Double.NaN, n, unit, 0);
        double ss = 0;
        for (double v : logs) ss += (v - mean) * (v - mean);
        double var = ss / (n - 1);
        return new Estimate(mean, 0, var, Math.sqrt(var / n), n - 1, n, unit, 0);
    }

    /**
     * One side's level of a log ratio over its runs, each run's per-round logs given: with one run its rounds are the
     * units, with several the runs' means are.
     */
    public static RatioInterval ofSide(List<double[]> perRun) {
        List<double[]> runs = perRun.stream().filter(r -> r.length > 0).toList();
        if (runs.size() == 1) return ofMean(runs.get(0), Unit.ROUNDS).interval();
        return ofMean(runs.stream().mapToDouble(r -> Arrays.stream(r).average().orElseThrow()).toArray(), Unit.RUNS)
                .interval();
    }

    /**
     * The difference of two sides' means of run levels, new - base: a run level's variance is {@code commonVar} on
     * {@code commonDf} degrees of freedom plus {@code ownVar} on {@code ownDf + priorDf}.
     */
    public static Estimate ofRuns(double log, double commonVar, double commonDf, double ownVar, double ownDf,
                                  double priorDf, int baseRuns, int newRuns) {
        // a calibration has runs on one side only: its standard error is that of one run's level
        double k = newRuns == 0 ? 1 : 1.0 / baseRuns + 1.0 / newRuns;
        double df = satterthwaite(commonVar, commonDf, ownVar, ownDf + priorDf);
        boolean ok = Double.isFinite(ownVar) && df > 0;
        return new Estimate(log, commonVar, ownVar, ok ? Math.sqrt(k * (commonVar + ownVar)) : Double.NaN,
                ok ? df : Double.NaN, baseRuns + newRuns, Unit.RUNS, priorDf);
    }

    /**
     * The degrees of freedom of a sum of two variances estimated on df1 and df2: the smaller of the two. Welch and
     * Satterthwaite's weighted formula is nearer the truth when both variances are well estimated, but it trusts them:
     * when the common part rests on two runs a side (two degrees of freedom) and came out small by chance, it gives
     * the sum the own part's forty, and identical runs were called slower together (a simulation: 4% of identical
     * pairs exited 1 through that alone). The smaller df is Satterthwaite's lower bound, never too optimistic.
     */
    static double satterthwaite(double v1, double df1, double v2, double df2) {
        if (!(v1 > 0)) return df2;
        if (!(v2 > 0)) return df1;
        if (!(df1 > 0) || !(df2 > 0)) return 0;
        return Math.min(df1, df2);
    }

    /**
     * The standard error and degrees of freedom this estimate would have with {@code n} units (rounds; or runs on
     * each side), the same effect and spread: {se, df}.
     */
    public double[] at(int n) {
        if (unit == Unit.ROUNDS) return new double[] {Math.sqrt(ownVar / n), n - 1};
        return new double[] {Math.sqrt(2.0 / n * (commonVar + ownVar)),
                satterthwaite(commonVar, 2 * n - 2, ownVar, priorDf + 2 * n - 2)};
    }

    /** Units now, as {@link #at} counts them: rounds, or runs on the smaller side. */
    public int unitsForProjection() {
        return unit == Unit.ROUNDS ? units : Math.max(1, units / 2);
    }

    /** There is an interval: a standard error and degrees of freedom. */
    public boolean hasInterval() {
        return Double.isFinite(se) && df > 0;
    }

    public double ratio() {
        return Math.exp(log);
    }

    /** The two-sided quantile of this estimate's t distribution at {@code confidence}. */
    public double quantile(double confidence) {
        return quantile(df, confidence);
    }

    static double quantile(double df, double confidence) {
        double p = 1 - (1 - confidence) / 2;
        if (Double.isInfinite(df) || df > 1e6) return NORMAL.inverseCumulativeProbability(p);
        // many cells share their degrees of freedom (a moderated kind, the rounds of one run): solve each once
        return QUANTILES.computeIfAbsent(List.of(df, p), k -> t(df).inverseCumulativeProbability(p));
    }

    /** Student's t with {@code df} degrees of freedom, made once per df (its constructor computes a log gamma). */
    private static TDistribution t(double df) {
        return T.computeIfAbsent(df, d -> new TDistribution(null, d));
    }

    private static final Map<Double, TDistribution> T = new ConcurrentHashMap<>();

    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);
    private static final Map<List<Double>, Double> QUANTILES = new ConcurrentHashMap<>();

    /** The 95% interval of the ratio; NaN bounds without an interval. */
    public RatioInterval interval() {
        if (!hasInterval()) return new RatioInterval(ratio(), Double.NaN, Double.NaN, units);
        double half = quantile(CONFIDENCE) * se;
        return new RatioInterval(ratio(), Math.exp(log - half), Math.exp(log + half), units);
    }

    /** One-sided p of "the log effect is at most {@code bound}" against "it is above". */
    public double pAbove(double bound) {
        if (!hasInterval()) return Double.NaN;
        if (se == 0) return log > bound ? 0 : 1;
        return 1 - cdf((log - bound) / se);
    }

    /** One-sided p of "the log effect is at least {@code bound}" against "it is below". */
    public double pBelow(double bound) {
        if (!hasInterval()) return Double.NaN;
        if (se == 0) return log < bound ? 0 : 1;
        return cdf((log - bound) / se);
    }

    /** Two-sided p of "no effect". */
    public double pTwoSided() {
        if (!hasInterval()) return Double.NaN;
        return Math.min(1, 2 * Math.min(pAbove(0), pBelow(0)));
    }

    private double cdf(double t) {
        if (Double.isInfinite(df) || df > 1e6) return NORMAL.cumulativeProbability(t);
        return t(df).cumulativeProbability(t);
    }
}
