package org.aiobench.analysis.stats;

import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;

/**
 * Mean, sample standard deviation and count of one configuration's raw samples. The error bar is mean +/- 2 SD
 * (DESIGN.md), not JMH's scoreError, which is a 99.9% confidence half-width.
 *
 * @param sd NaN when n < 2: one sample has no spread to show, and 0 would claim there is none
 */
public record Stats(double mean, double sd, int n) {

    public static Stats of(double[] samples) {
        DescriptiveStatistics d = new DescriptiveStatistics(samples);
        int n = samples.length;
        return new Stats(d.getMean(), n >= 2 ? d.getStandardDeviation() : Double.NaN, n);
    }

    /** Lower end of the error bar, clamped at zero: a time or a size is never negative. */
    public double low() {
        return Double.isNaN(sd) ? mean : Math.max(0, mean - 2 * sd);
    }

    public double high() {
        return Double.isNaN(sd) ? mean : mean + 2 * sd;
    }
}
