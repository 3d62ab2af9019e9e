package org.aiobench.analysis.stats;

/**
 * A ratio, the geometric mean of several ratios, with its bootstrap interval ({@link Bootstrap}).
 *
 * @param n the units the interval rests on: the rounds of one run, or the runs where a side has several (for the
 *          ratio of two sides, the smaller side's count); the interval is NaN when n &lt; 2
 */
public record RatioInterval(double ratio, double low, double high, int n) {

    /** The interval lies wholly above or wholly below 1. */
    public boolean excludesOne() {
        return low > 1 || high < 1;
    }

    /** The interval lies within 1 - threshold .. 1 + threshold. */
    public boolean within(double threshold) {
        return low >= 1 - threshold && high <= 1 + threshold;
    }

    /** The interval and the range lo..hi share a point. */
    public boolean overlaps(double lo, double hi) {
        return low <= hi && high >= lo;
    }
}
