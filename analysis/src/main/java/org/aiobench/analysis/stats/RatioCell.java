package org.aiobench.analysis.stats;

/**
 * A ratio new/base across runs and what it says (compare's and history's cells).
 *
 * @param gates whether it sets the exit status (slower, and backed by the family-wise correction)
 */
public record RatioCell(Judgement judgement, boolean gates) {
    /** Shown without a verdict: a run made before rounds, whose ratios are of means. */
    public static RatioCell shownOnly(double ratio, String note, Better better, boolean speed) {
        Estimate e = new Estimate(Math.log(ratio), 0, Double.NaN, Double.NaN, Double.NaN, 0, Estimate.Unit.ROUNDS,
                0);
        return new RatioCell(new Judgement(e, Double.NaN, better, speed, Verdict.UNKNOWN, 0, note), false);
    }

    public RatioInterval ratio() {
        return judgement.interval();
    }

    public Verdict verdict() {
        return judgement.verdict();
    }

    public boolean speed() {
        return judgement.speed();
    }

    public boolean significant() {
        return judgement.significant();
    }

    /** How much slower new is: the ratio for a time, its inverse for a rate (above 1: slower). */
    public double slowdown() {
        return judgement.slowdown();
    }

    /** "1.094 [1.051, 1.139] slower", "1.02 [0.91, 1.14] unknown: ~4 runs a side would decide (2 a side now)". */
    public String text() {
        return judgement.text();
    }
}
