package org.aiobench.analysis.stats;

import java.util.List;
import org.apache.commons.math3.special.Gamma;

/**
 * The empirical Bayes prior for many cells' variances (Smyth 2004, "Linear models and empirical Bayes methods for
 * assessing differential expression"; limma's {@code eBayes(trend = TRUE)}): each cell's run-mean variance s&sup2; on
 * d degrees of freedom is taken as a draw from a scaled inverse chi-square prior with d0 degrees of freedom around a
 * level s0&sup2; that follows the cell's own round-to-round variance (a log-linear trend). d0 and the trend are fitted
 * from the cells' log variances by the method of moments (the digamma and trigamma terms remove the bias and the
 * sampling variance of a log chi-square). A cell's moderated variance is then (d0 s0&sup2; + d s&sup2;) / (d0 + d) on
 * d0 + d degrees of freedom ({@link RunLevel#estimate}). Where the cells' variances are no more spread than sampling
 * alone would make them, d0 is infinite: every cell shares the trend's level.
 */
public final class Moderation {
    /** Fewer cells with a variance than this fit no prior. */
    public static final int MIN_CELLS = 3;
    /** An infinite prior df is counted as this many in degrees of freedom (a normal quantile, near enough). */
    static final double MAX_PRIOR_DF = 1000;

    private final double intercept, slope, d0;
    private final boolean fitted;

    private Moderation(double intercept, double slope, double d0, boolean fitted) {
        this.intercept = intercept;
        this.slope = slope;
        this.d0 = d0;
        this.fitted = fitted;
    }

    /** No prior: every cell on its own variance. */
    public static final Moderation NONE = new Moderation(Double.NaN, 0, 0, false);

    /** Fitted to the cells that have a variance of their own (two runs on a side or more). */
    public static Moderation fit(List<RunLevel.Cell> cells) {
        List<RunLevel.Cell> usable = cells.stream().filter(c -> c.ownDf() > 0 && c.ownVar() > 0
                && Double.isFinite(c.ownVar())).toList();
        int g = usable.size();
        if (g < MIN_CELLS) return NONE;
        double[] e = new double[g], x = new double[g];
        boolean trend = true;
        double meanTri = 0;
        for (int i = 0; i < g; i++) {
            RunLevel.Cell c = usable.get(i);
            double d = c.ownDf();
            e[i] = Math.log(c.ownVar()) - Gamma.digamma(d / 2) + Math.log(d / 2);
            meanTri += Gamma.trigamma(d / 2) / g;
            x[i] = Math.log(c.roundPart());
            trend &= Double.isFinite(x[i]);
        }
        double a, b = 0;
        int params = 1;
        double mx = 0, me = 0;
        for (int i = 0; i < g; i++) {
            me += e[i] / g;
            if (trend) mx += x[i] / g;
        }
        double sxx = 0;
        if (trend) for (int i = 0; i < g; i++) sxx += (x[i] - mx) * (x[i] - mx);
        if (trend && g > MIN_CELLS && sxx > 1e-12) {
            double sxe = 0;
            for (int i = 0; i < g; i++) sxe += (x[i] - mx) * (e[i] - me);
            b = sxe / sxx;
            params = 2;
        }
        a = me - b * mx;
        double rss = 0;
        for (int i = 0; i < g; i++) {
            double r = e[i] - (a + b * (params == 2 ? x[i] : 0));
            rss += r * r;
        }
        double excess = rss / (g - params) - meanTri;
        double d0 = excess > 0 ? 2 * trigammaInverse(excess) : Double.POSITIVE_INFINITY;
        return new Moderation(a, params == 2 ? b : 0, d0, true);
    }

    public boolean fitted() {
        return fitted;
    }

    /** The prior's degrees of freedom (infinite: the cells share the trend's level). */
    public double priorDf() {
        return d0;
    }

    /** The prior for a cell: the trend's level at its round variance, on d0 degrees of freedom. */
    public RunLevel.Prior priorFor(RunLevel.Cell c) {
        if (!fitted) return RunLevel.Prior.NONE;
        double x = Math.log(c.roundPart());
        double level = intercept + (slope != 0 && Double.isFinite(x) ? slope * x : 0);
        double s0 = Double.isInfinite(d0) ? Math.exp(level)
                : Math.exp(level + Gamma.digamma(d0 / 2) - Math.log(d0 / 2));
        return new RunLevel.Prior(s0, d0);
    }

    /** The y with trigamma(y) = x (trigamma is decreasing on y > 0), by bisection on log y. */
    static double trigammaInverse(double x) {
        double lo = Math.log(1e-8), hi = Math.log(1e8);
        for (int i = 0; i < 60; i++) {
            double mid = (lo + hi) / 2;
            if (Gamma.trigamma(Math.exp(mid)) > x) lo = mid;
            else hi = mid;
        }
        return Math.exp((lo + hi) / 2);
    }
}
