package org.aiobench.analysis.stats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Adjusted p-values for many comparisons at once. NaN entries (cells without a test) take no part and stay NaN.
 *
 * <ul>
 *   <li>{@link #holm}: Holm (1979), family-wise error under any dependence: what gates an exit status.</li>
 *   <li>{@link #benjaminiHochberg}: Benjamini and Hochberg (1995), false discovery rate for independent or
 *       positively dependent tests: a listed set of verdicts.</li>
 *   <li>{@link #benjaminiYekutieli}: Benjamini and Yekutieli (2001), false discovery rate under any dependence
 *       (the BH steps divided by the harmonic sum): cells that share cp -r's samples, whose two-sided tests are not
 *       known to be positively dependent.</li>
 * </ul>
 */
public final class Multiplicity {
    private Multiplicity() {}

    public static double[] holm(double[] p) {
        int[] idx = order(p);
        int m = idx.length;
        double[] out = nanLike(p);
        double running = 0;
        for (int k = 0; k < m; k++) {
            running = Math.max(running, Math.min(1, (m - k) * p[idx[k]]));
            out[idx[k]] = running;
        }
        return out;
    }

    public static double[] benjaminiHochberg(double[] p) {
        return stepUp(p, 1);
    }

    public static double[] benjaminiYekutieli(double[] p) {
        int m = order(p).length;
        double c = 0;
        for (int i = 1; i <= m; i++) c += 1.0 / i;
        return stepUp(p, c);
    }

    private static double[] stepUp(double[] p, double c) {
        int[] idx = order(p);
        int m = idx.length;
        double[] out = nanLike(p);
        double running = 1;
        for (int k = m - 1; k >= 0; k--) {
            running = Math.min(running, Math.min(1, p[idx[k]] * m * c / (k + 1)));
            out[idx[k]] = running;
        }
        return out;
    }

    /** Indices of the tested (non-NaN) entries, smallest p first. */
    private static int[] order(double[] p) {
        return IntStream.range(0, p.length).filter(i -> !Double.isNaN(p[i])).boxed()
                .sorted(Comparator.comparingDouble(i -> p[i])).mapToInt(Integer::intValue).toArray();
    }

    private static double[] nanLike(double[] p) {
        double[] out = new double[p.length];
        Arrays.fill(out, Double.NaN);
        return out;
    }
}
