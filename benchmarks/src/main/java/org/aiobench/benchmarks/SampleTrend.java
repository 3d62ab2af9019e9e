package org.aiobench.benchmarks;

import java.util.Locale;

import org.apache.commons.math3.stat.regression.SimpleRegression;

/**
 * Whether a configuration's raw samples, in the order they were taken, drift: the last ones systematically
 * faster (code still warming up, caches filling) or slower (the device or the page cache filling, something
 * else starting on the machine). A least-squares line through (iteration, value); a warning when its slope is
 * significant (two-sided p below {@link #P}) and the change it describes over the samples is at least
 * {@link #MIN_CHANGE} of their mean. The runner logs it; the report can show it beside the configuration.
 */
public final class SampleTrend {
    private SampleTrend() {}

    /** Significance of the slope (t-test of the regression). */
    public static final double P = 0.05;
    /** Smallest drift over the samples worth a warning, as a fraction of their mean. */
    public static final double MIN_CHANGE = 0.10;
    /** Fewer samples show no trend worth testing. */
    public static final int MIN_SAMPLES = 4;

    /**
     * A one-line warning when {@code samples} (in the order taken) trend, else null: e.g. "samples trend down by
     * 23% over 10 iterations (p = 0.004): the first ones ran slower; more warm-up or a steadier machine".
     */
    public static String warning(double[] samples) {
        int n = samples.length;
        if (n < MIN_SAMPLES) return null;
        SimpleRegression r = new SimpleRegression();
        double sum = 0;
        for (int i = 0; i < n; i++) {
            r.addData(i, samples[i]);
            sum += samples[i];
        }
        double mean = sum / n;
        if (mean == 0) return null;
        double change = r.getSlope() * (n - 1) / mean;
        double p = r.getSignificance();
        if (Double.isNaN(p) || p >= P || Math.abs(change) < MIN_CHANGE) return null;
        return String.format(Locale.ROOT, "samples trend %s by %.0f%% over %d iterations (p = %.3f): %s", change < 0
                ? "down" : "up", 100 * Math.abs(change), n, p, change < 0
                ? "the first ones were higher (still warming up?)" : "the last ones were higher (something filling up or"
                + " starting?)");
    }
}
