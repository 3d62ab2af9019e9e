package org.aiobench.analysis.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where a configuration's noise arises, level by level (Kalibera and Jones 2013), on the log scale: between the
 * measured copies of one fork ({@code copy}), between two forks of the same round ({@code fork}: the A/A control's
 * two labels, run in the same round, differ only by their forks), and between rounds beyond that ({@code round}: the
 * box's drift), with the cost of each level: a fork's start and warm-up, and one measured copy.
 *
 * <p>What a comparison within rounds pays: the variance of one round's log ratio of two configurations is about
 * {@code between + within / n}, where {@code within} is the two sides' copy variance and {@code between} what the
 * forks add (their JVMs, their placement, the seconds between them), and {@code n} the measured copies a fork. With a
 * fork costing {@code forkSeconds} beyond its copies and a copy {@code copySeconds}, the copies a fork that give the
 * most precision per second are sqrt(within / between x forkSeconds / copySeconds) (Kalibera and Jones' r_i), and the
 * rounds for a half-width h follow from the t interval ({@link #roundsFor}).
 *
 * @param copy         variance of one copy's log value around its fork's mean, pooled; NaN with one copy a fork
 * @param fork         variance between two forks of one configuration in the same round (beyond their copies); NaN
 *                     without an A/A control
 * @param round        variance between rounds beyond forks and copies; NaN with fewer than 2 rounds
 * @param copiesPerFork the measured copies a fork had
 * @param forkSeconds  what a fork costs beyond its measured copies (JVM start, set-up, warm-up copies)
 * @param copySeconds  one measured copy with its untimed preparation and verification
 */
public record VarianceComponents(double copy, double fork, double round, double copiesPerFork, double forkSeconds,
                                 double copySeconds) {

    /** One fork of a configuration: its round, and its measured copies' log values and start times (epoch ms). */
    public record Fork(int round, double[] logs, double[] startMs) {}

    /** The variance of one round's log ratio of two such configurations: {between, within}; see the class comment. */
    public static double[] ratioVariance(double[] perRoundLogRatios, double withinBoth, double copiesPerFork) {
        double total = variance(perRoundLogRatios);
        double within = Double.isFinite(withinBoth) ? withinBoth : 0;
        double between = Math.max(0, total - within / copiesPerFork);
        return new double[] {between, within};
    }

    /**
     * The copies a fork that buy the most precision per second for a comparison whose round variance is
     * {@code between + within / n} (Kalibera and Jones 2013); at least 1.
     */
    public static double optimalCopies(double between, double within, double forkSeconds, double copySeconds) {
        if (!(within > 0) || !(copySeconds > 0) || !(forkSeconds > 0)) return 1;
        if (!(between > 0)) return Double.POSITIVE_INFINITY;
        return Math.max(1, Math.sqrt(within / between * forkSeconds / copySeconds));
    }

    /**
     * The rounds at which the 95% t interval of a comparison whose one-round variance is {@code var} has a half-width
     * of at most {@code halfWidth} (a fraction: 0.05 for ±5%); at least 3.
     */
    public static int roundsFor(double var, double halfWidth) {
        double target = Math.log(1 + halfWidth);
        for (int r = 3; r <= 10_000; r++) {
            if (Estimate.quantile(r - 1, Estimate.CONFIDENCE) * Math.sqrt(var / r) <= target) return r;
        }
        return Integer.MAX_VALUE;
    }

    /** The half-width (fraction) of the 95% interval after {@code rounds} rounds of one-round variance {@code var}. */
    public static double halfWidth(double var, int rounds) {
        if (rounds < 2 || !(var >= 0)) return Double.NaN;
        return Math.exp(Estimate.quantile(rounds - 1, Estimate.CONFIDENCE) * Math.sqrt(var / rounds)) - 1;
    }

    /**
     * A configuration's components from its forks; {@code aaPairs} are, per round, the A/A control's two forks (A and B
     * in the same round), or empty.
     */
    public static VarianceComponents of(List<Fork> forks, List<Fork[]> aaPairs) {
        double ss = 0, df = 0, copies = 0;
        List<Double> forkMeans = new ArrayList<>();
        List<Double> copyGaps = new ArrayList<>();
        for (Fork f : forks) {
            double m = RunLevel.mean(f.logs());
            forkMeans.add(m);
            for (double v : f.logs()) ss += (v - m) * (v - m);
            df += f.logs().length - 1;
            copies += f.logs().length;
            for (int i = 1; i < f.startMs().length; i++) {
                double gap = f.startMs()[i] - f.startMs()[i - 1];
                if (gap > 0) copyGaps.add(gap / 1000);
            }
        }
        double copyVar = df > 0 ? ss / df : Double.NaN;
        double n = forks.isEmpty() ? 1 : copies / forks.size();
        double within = Double.isFinite(copyVar) ? copyVar / n : 0;
        double fork = Double.NaN;
        if (aaPairs.size() >= 2) {
            double[] d = aaPairs.stream().mapToDouble(p -> RunLevel.mean(p[0].logs()) - RunLevel.mean(p[1].logs()))
                    .toArray();
            fork = Math.max(0, variance(d) / 2 - within);
        }
        double round = Double.NaN;
        if (forkMeans.size() >= 2) {
            round = Math.max(0, variance(forkMeans.stream().mapToDouble(Double::doubleValue).toArray()) - within
                    - (Double.isFinite(fork) ? fork : 0));
        }
        double copySeconds = median(copyGaps);
        return new VarianceComponents(copyVar, fork, round, n, Double.NaN, copySeconds);
    }

    /** The same, with a fork's cost beyond its measured copies (measured between forks by the caller). */
    public VarianceComponents withForkSeconds(double seconds) {
        return new VarianceComponents(copy, fork, round, copiesPerFork, seconds, copySeconds);
    }

    static double variance(double[] v) {
        if (v.length < 2) return Double.NaN;
        double m = RunLevel.mean(v), s = 0;
        for (double x : v) s += (x - m) * (x - m);
        return s / (v.length - 1);
    }

    static double median(List<Double> v) {
        if (v.isEmpty()) return Double.NaN;
        double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
        return RunLevel.median(a);
    }

    /** The median of a component over several configurations (a group's), NaN ones left out. */
    public static double median(double[] values) {
        double[] a = Arrays.stream(values).filter(Double::isFinite).toArray();
        return a.length == 0 ? Double.NaN : RunLevel.median(a);
    }
}
