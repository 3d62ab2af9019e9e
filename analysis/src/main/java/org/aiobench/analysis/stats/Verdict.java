package org.aiobench.analysis.stats;

/**
 * What a comparison of X with Y concludes (Chromium Pinpoint's different / same / unknown), decided by the interval,
 * never by the point estimate ({@link VerdictRule}): {@link #SLOWER} or {@link #FASTER} when the whole interval lies
 * beyond the threshold, {@link #SAME} when it lies within it, otherwise {@link #UNKNOWN}: the data cannot decide, and
 * the judgement says how many more units would. The words speak of speed whatever the unit (for s/op a ratio below 1
 * is faster, for ops/s above 1); for a size (bytes, lower is better) {@link #word(boolean)} says "less" and "more".
 */
public enum Verdict {
    FASTER, SLOWER, SAME, UNKNOWN;

    /** The practical threshold within one run: smaller effects are not called faster or slower. */
    public static final double THRESHOLD_WITHIN_RUN = 0.03;

    /** "faster", "slower", "same", "unknown"; for a size (speed false) "less" and "more". */
    public String word(boolean speed) {
        return switch (this) {
            case FASTER -> speed ? "faster" : "less";
            case SLOWER -> speed ? "slower" : "more";
            case SAME -> "same";
            case UNKNOWN -> "unknown";
        };
    }

    public boolean decisive() {
        return this == FASTER || this == SLOWER;
    }
}
