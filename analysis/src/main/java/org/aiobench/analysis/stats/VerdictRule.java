package org.aiobench.analysis.stats;

/**
 * The verdict rules (reference/measurement.md, revised), decided by the 95% interval and never by the point:
 *
 * <ul>
 *   <li><b>slower</b> (or faster): the whole interval lies beyond the threshold in that direction (for a time ratio,
 *       its lower bound above 1 + threshold), a one-sided test at 2.5% that the effect exceeds the threshold;</li>
 *   <li><b>same</b>: the whole interval lies within 1 &plusmn; threshold (equivalence by two one-sided tests,
 *       Lakens 2017, each at 2.5%);</li>
 *   <li><b>unknown</b> otherwise, with the number of units (rounds, or runs a side) at which an interval of the same
 *       centre and spread would decide ({@link Judgement#needed}).</li>
 * </ul>
 * Many comparisons at once: {@link #corrected} keeps a slower or faster verdict only where the family's corrected
 * p-value of "no change" backs it too (Holm for an exit status, Benjamini-Hochberg or -Yekutieli for a listed set,
 * {@link Multiplicity}); otherwise it is unknown, and says so.
 */
public final class VerdictRule {
    /** The error rate of every test and correction. */
    public static final double ALPHA = 0.05;
    /** Projections of "how many more" stop here: beyond, more units are not a plan. */
    public static final int MAX_ROUNDS = 2000, MAX_RUNS = 200;

    private VerdictRule() {}

    public static Judgement judge(Estimate e, double threshold, Better better, boolean speed) {
        if (!e.hasInterval()) {
            String why = e.units() == 0 ? "nothing measured in common"
                    : e.unit() == Estimate.Unit.ROUNDS ? "one round: no interval"
                    : "one run a side (needs 2 runs a side, or a calibrated box)";
            return new Judgement(e, threshold, better, speed, Verdict.UNKNOWN, 0, why);
        }
        RatioInterval r = e.interval();
        Verdict v;
        if (r.low() > 1 + threshold) v = better == Better.LOWER ? Verdict.SLOWER : Verdict.FASTER;
        else if (r.high() < 1 - threshold) v = better == Better.LOWER ? Verdict.FASTER : Verdict.SLOWER;
        else if (r.within(threshold)) v = Verdict.SAME;
        else v = Verdict.UNKNOWN;
        return new Judgement(e, threshold, better, speed, v, 0, "");
    }

    /**
     * A slower or faster verdict kept where the family's corrected p of "no change" ({@code adjustedP}) is below
     * {@link #ALPHA}; otherwise unknown, with what more would decide it after the correction for {@code family}
     * comparisons.
     */
    public static Judgement corrected(Judgement j, double adjustedP, int family) {
        if (!j.verdict().decisive() || adjustedP < ALPHA) return j;
        return new Judgement(j.estimate(), j.threshold(), j.better(), j.speed(), Verdict.UNKNOWN, Math.max(1, family),
                "beyond the threshold, but not after the correction for " + family + " comparisons");
    }

    /** {@link Judgement#needed()}: computed when asked, as it takes a few quantiles. */
    static int needed(Judgement j) {
        if (j.verdict() != Verdict.UNKNOWN) return 0;
        Estimate e = j.estimate();
        if (!e.hasInterval()) return -1;
        int forThreshold = needed(e, gap(e.log(), j.threshold()), Estimate.CONFIDENCE);
        if (j.family() == 0) return forThreshold;
        int forCorrection = needed(e, Math.abs(e.log()), 1 - ALPHA / j.family());
        return forCorrection < 0 || forThreshold < 0 ? -1 : Math.max(forCorrection, forThreshold);
    }

    /** How far the estimate lies from the nearest bound that would decide it. */
    static double gap(double log, double threshold) {
        double hi = Math.log(1 + threshold), lo = Math.log(1 - threshold);
        if (log > hi) return log - hi;
        if (log < lo) return lo - log;
        return Math.min(log - lo, hi - log);
    }

    /**
     * The fewest units (rounds, or runs a side) at which the interval's half-width at {@code confidence} falls below
     * {@code gap}, at the same spread; -1 when none up to the cap does (or there is no spread).
     */
    static int needed(Estimate e, double gap, double confidence) {
        if (!(gap > 0) || !(e.ownVar() + e.commonVar() > 0)) return -1;
        int lo = e.unitsForProjection(), cap = e.unit() == Estimate.Unit.ROUNDS ? MAX_ROUNDS : MAX_RUNS;
        if (!decides(e, cap, gap, confidence)) return -1;
        // the half-width falls as n grows: the smallest n that decides, by bisection
        int hi = cap;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (decides(e, mid, gap, confidence)) hi = mid;
            else lo = mid;
        }
        return hi;
    }

    private static boolean decides(Estimate e, int n, double gap, double confidence) {
        double[] at = e.at(n);
        return at[1] > 0 && Estimate.quantile(at[1], confidence) * at[0] < gap;
    }
}
