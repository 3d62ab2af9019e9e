package org.aiobench.analysis.stats;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.apache.commons.math3.stat.descriptive.rank.Median;

/**
 * Whether a configuration's samples trend across the measured iterations of a fork: a warm-up that was too short
 * (copies getting faster) or a state that builds up (copies getting slower) makes the first or last iterations
 * unlike the rest.
 *
 * <p>The test: each fork's values are divided by that fork's median (so a round that was slow as a whole does not
 * count as a trend), then the Spearman rank correlation of value against iteration number is taken over the
 * iterations of every fork together, with a two-sided p from Student's t with n - 2 degrees of freedom. A
 * configuration trends when |rho| &ge; {@value #MIN_RHO} and p &lt; {@value #MAX_P}.
 *
 * @param rho Spearman's rho (positive: values grow over the iterations); NaN when there are too few points
 * @param n   the points: iterations of forks with at least 2 iterations
 */
public record IterationTrend(double rho, double p, int n) {
    public static final double MIN_RHO = 0.5;
    public static final double MAX_P = 0.01;
    /** Fewer points than this give no answer. */
    public static final int MIN_POINTS = 6;

    /** @param forks each fork's measured values in iteration order */
    public static IterationTrend of(List<double[]> forks) {
        List<Double> iteration = new ArrayList<>(), value = new ArrayList<>();
        for (double[] fork : forks) {
            if (fork.length < 2) continue;
            double median = new Median().evaluate(fork);
            for (int i = 0; i < fork.length; i++) {
                iteration.add((double) (i + 1));
                value.add(median == 0 ? fork[i] : fork[i] / median);
            }
        }
        int n = iteration.size();
        if (n < MIN_POINTS) return new IterationTrend(Double.NaN, Double.NaN, n);
        double rho = new SpearmansCorrelation().correlation(toArray(iteration), toArray(value));
        if (Double.isNaN(rho)) return new IterationTrend(Double.NaN, Double.NaN, n);
        double p;
        if (Math.abs(rho) >= 1) {
            p = 0;
        } else {
            double t = rho * Math.sqrt((n - 2) / (1 - rho * rho));
            p = 2 * new TDistribution(n - 2).cumulativeProbability(-Math.abs(t));
        }
        return new IterationTrend(rho, p, n);
    }

    public boolean trends() {
        return !Double.isNaN(rho) && Math.abs(rho) >= MIN_RHO && p < MAX_P;
    }

    private static double[] toArray(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
