package org.aiobench.analysis.stats;

import java.util.Locale;

/**
 * A verdict with everything it was decided from: the estimate and its interval, the threshold, which way is better,
 * the p-values the corrections for many comparisons read, and, when the verdict is {@link Verdict#UNKNOWN}, how many
 * units (rounds, or runs a side) would decide it ({@link VerdictRule}).
 *
 * @param family the number of comparisons a correction counted when it made a verdict unknown; 0 otherwise
 * @param note   why an unknown verdict is unknown where that is not the interval alone ("" otherwise)
 * @param bounds the interval where it is not the estimate's own symmetric one (a comparison with the best), or null
 */
public record Judgement(Estimate estimate, double threshold, Better better, boolean speed, Verdict verdict,
                        int family, String note, RatioInterval bounds) {

    public Judgement(Estimate estimate, double threshold, Better better, boolean speed, Verdict verdict, int family,
                     String note) {
        this(estimate, threshold, better, speed, verdict, family, note, null);
    }

    /** Below this many units (rounds, or runs on both sides), a verdict is marked exploratory. */
    public static final int MIN_UNITS = 6;

    public RatioInterval interval() {
        return bounds != null ? bounds : estimate.interval();
    }

    public double ratio() {
        return interval().ratio();
    }

    /** Decided on fewer than {@link #MIN_UNITS} units: shown, and marked. */
    public boolean exploratory() {
        return verdict != Verdict.UNKNOWN && estimate.units() < MIN_UNITS;
    }

    public boolean significant() {
        return verdict.decisive();
    }

    /** One-sided p of "not slower" (H0: no change or faster) against "slower": what gates an exit status. */
    public double pSlower() {
        return better == Better.LOWER ? estimate.pAbove(0) : estimate.pBelow(0);
    }

    /** Two-sided p of "no change": what a listed set of verdicts is corrected with. */
    public double pChange() {
        return estimate.pTwoSided();
    }

    /** How much slower X is: the ratio for a time, its inverse for a rate (above 1: slower). */
    public double slowdown() {
        return better == Better.LOWER ? ratio() : 1 / ratio();
    }

    public String word() {
        return verdict.word(speed);
    }

    /** "1.094 [1.051, 1.139] slower", "... slower (exploratory: 3 rounds)", "... unknown: ~14 rounds would decide". */
    public String text() {
        RatioInterval r = interval();
        String s = ratioText(r.ratio()) + (Double.isNaN(r.low()) ? "" : " [" + ratioText(r.low()) + ", "
                + ratioText(r.high()) + "]") + " " + word();
        if (exploratory()) return s + " (exploratory: " + estimate.unit().count(estimate.units()) + ")";
        if (verdict == Verdict.UNKNOWN) return s + ": " + more();
        return s;
    }

    /**
     * The units that would decide an unknown verdict at the same effect and spread: rounds, or runs on each side; 0
     * when decided; -1 when nothing would (the effect lies at the threshold, or there is no spread to project from).
     */
    public int needed() {
        return VerdictRule.needed(this);
    }

    /** What would decide an unknown verdict. */
    public String more() {
        int needed = needed();
        String why = note.isEmpty() ? "" : note + "; ";
        Estimate.Unit u = estimate.unit();
        String per = u == Estimate.Unit.RUNS ? " a side" : "";
        if (needed > 0) {
            return why + "~" + u.count(needed) + per + " would decide (" + (u == Estimate.Unit.RUNS
                    ? estimate.unitsForProjection() + per : u.count(estimate.units())) + " now)";
        }
        if (!estimate.hasInterval()) return !note.isEmpty() ? note : "needs " + (u == Estimate.Unit.RUNS
                ? "2 runs a side, or a calibrated box" : "2 rounds or more");
        return why + "more than " + u.count(u == Estimate.Unit.ROUNDS ? VerdictRule.MAX_ROUNDS : VerdictRule.MAX_RUNS)
                + per + " would be needed (the effect lies near the threshold, or the spread is wide)";
    }

    /** Ratios with three decimals (a 0.1% step), large ones with one. */
    public static String ratioText(double r) {
        if (Double.isNaN(r)) return "n/a";
        return String.format(Locale.ROOT, Math.abs(r) >= 10 ? "%.1f" : "%.3f", r);
    }
}
