package org.aiobench.plot.stats;

/**
 * What a comparison of X with Y concludes (reference/measurement.md, after Chromium Pinpoint's
 * different/same/unknown): {@link #FASTER} or {@link #SLOWER} when the interval of the ratio X/Y excludes 1 and the
 * effect is at least the threshold, {@link #SAME} when the interval lies within the threshold, otherwise
 * {@link #INCONCLUSIVE}. The words speak of speed whatever the unit: for s/op a ratio below 1 is faster, for ops/s
 * a ratio above 1. For a size (bytes, lower is better) {@link #word(boolean)} says "less" and "more".
 */
public enum Verdict {
    FASTER, SLOWER, SAME, INCONCLUSIVE;

    /** The practical threshold within one run: smaller effects are not called faster or slower. */
    public static final double THRESHOLD_WITHIN_RUN = 0.03;

    /**
     * @param threshold e.g. 0.03: "at least 3%" is a ratio at or beyond 1.03 or 0.97; "within" is 0.97 to 1.03
     */
    public static Verdict judge(RatioInterval r, double threshold, Better better) {
        if (r.within(threshold)) return SAME;
        if (r.excludesOne() && Math.abs(r.ratio() - 1) >= threshold) {
            boolean below = r.ratio() < 1;
            return below == (better == Better.LOWER) ? FASTER : SLOWER;
        }
        return INCONCLUSIVE;
    }

    /** "faster", "slower", "same", "inconclusive"; for a size (speed false) "less" and "more". */
    public String word(boolean speed) {
        return switch (this) {
            case FASTER -> speed ? "faster" : "less";
            case SLOWER -> speed ? "slower" : "more";
            case SAME -> "same";
            case INCONCLUSIVE -> "inconclusive";
        };
    }
}
