package org.aiobench.analysis.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The verdict rules decide by the interval, never by the point; the t interval holds its 95% from 3 rounds on; the
 * corrections for many comparisons give the published adjusted p-values; and "how many more" is about what a
 * simulation needs.
 */
class VerdictRuleTest {
    private static final double T = 0.05;

    /** An estimate whose 95% interval is exactly [low, high] on a normal quantile. */
    private static Estimate interval(double low, double high, int units) {
        double lo = Math.log(low), hi = Math.log(high);
        double se = (hi - lo) / 2 / 1.959963984540054;
        return new Estimate((lo + hi) / 2, 0, se * se * units, se, Double.POSITIVE_INFINITY, units,
                Estimate.Unit.ROUNDS, 0);
    }

    private static Verdict verdict(double low, double high) {
        return VerdictRule.judge(interval(low, high, 20), T, Better.LOWER, true).verdict();
    }

    @Test
    void decidedByTheIntervalNotThePoint() {
        assertEquals(Verdict.SLOWER, verdict(1.06, 1.20));
        assertEquals(Verdict.FASTER, verdict(0.80, 0.94));
        // the point is 9% slower and the interval excludes 1, but not the threshold: unknown (the old rule said slower)
        assertEquals(Verdict.UNKNOWN, verdict(1.02, 1.16));
        assertEquals(Verdict.SAME, verdict(0.96, 1.04));
        assertEquals(Verdict.UNKNOWN, verdict(0.97, 1.07));
        // for a rate (ops/s), above is faster
        assertEquals(Verdict.FASTER, VerdictRule.judge(interval(1.06, 1.2, 20), T, Better.HIGHER, true).verdict());
        assertEquals("less", Verdict.FASTER.word(false));
        assertEquals("unknown", Verdict.UNKNOWN.word(true));
    }

    @Test
    void fewUnitsAreExploratoryAndNoIntervalIsUnknown() {
        Judgement j = VerdictRule.judge(interval(1.10, 1.30, 4), T, Better.LOWER, true);
        assertTrue(j.exploratory() && j.text().endsWith("slower (exploratory: 4 rounds)"), j.text());
        Judgement one = VerdictRule.judge(Estimate.ofMean(new double[] {0.3}, Estimate.Unit.ROUNDS), T, Better.LOWER,
                true);
        assertEquals(Verdict.UNKNOWN, one.verdict());
        assertTrue(one.text().contains("one round: no interval"), one.text());
        Judgement runs = VerdictRule.judge(Estimate.ofRuns(0.3, 0, 0, Double.NaN, 0, 0, 1, 1), T, Better.LOWER, true);
        assertTrue(runs.text().contains("one run a side") && runs.text().contains("calibrated box"),
                runs.text());
    }

    @Test
    void aCorrectionTakesBackAVerdictItDoesNotBack() {
        Judgement j = VerdictRule.judge(interval(1.06, 1.20, 20), T, Better.LOWER, true);
        assertEquals(j, VerdictRule.corrected(j, 0.01, 80));
        Judgement c = VerdictRule.corrected(j, 0.2, 80);
        assertEquals(Verdict.UNKNOWN, c.verdict());
        assertTrue(c.text().contains("not after the correction for 80 comparisons"), c.text());
        assertTrue(c.needed() > 20, c.text());
    }

    /** R: p.adjust(c(0.01, 0.04, 0.03, 0.005, NA), "holm" | "BH" | "BY"). */
    @Test
    void adjustedPValuesAsPublished() {
        double[] p = {0.01, 0.04, 0.03, 0.005, Double.NaN};
        assertArrayEquals(new double[] {0.03, 0.06, 0.06, 0.02, Double.NaN}, Multiplicity.holm(p), 1e-12);
        assertArrayEquals(new double[] {0.02, 0.04, 0.04, 0.02, Double.NaN}, Multiplicity.benjaminiHochberg(p), 1e-12);
        double c = 1 + 1 / 2.0 + 1 / 3.0 + 1 / 4.0;
        assertArrayEquals(new double[] {0.02 * c, 0.04 * c, 0.04 * c, 0.02 * c, Double.NaN},
                Multiplicity.benjaminiYekutieli(p), 1e-12);
    }

    /** The one-sample t interval of per-round log ratios covers the true ratio 95% of the time from 3 rounds on. */
    @Test
    void theRoundIntervalCoversNearNominal() {
        SplittableRandom rnd = new SplittableRandom(3);
        StringBuilder report = new StringBuilder();
        for (int rounds : new int[] {3, 5, 10, 20}) {
            int held = 0, trials = 4000;
            for (int t = 0; t < trials; t++) {
                double[] logs = new double[rounds];
                for (int i = 0; i < rounds; i++) logs[i] = Math.log(1.07) + 0.08 * gaussian(rnd);
                RatioInterval r = Estimate.ofMean(logs, Estimate.Unit.ROUNDS).interval();
                if (r.low() <= 1.07 && 1.07 <= r.high()) held++;
            }
            double rate = (double) held / trials;
            report.append(String.format(Locale.ROOT, "%d rounds: %.1f%%; ", rounds, 100 * rate));
            assertTrue(rate > 0.935 && rate < 0.965, report.toString());
        }
        System.out.println("coverage of the round interval: " + report);
    }

    /**
     * "~N rounds would decide": from 3 rounds of a 6% effect at 4% noise per round, the projected N is within a
     * factor 2 of the number of rounds at which half of simulated experiments decide.
     */
    @Test
    void roundsNeededIsAboutWhatTheSimulationNeeds() {
        SplittableRandom rnd = new SplittableRandom(5);
        List<Integer> projected = new ArrayList<>();
        for (int t = 0; t < 400; t++) {
            Judgement j = VerdictRule.judge(Estimate.ofMean(draw(rnd, 3, 0.06, 0.04), Estimate.Unit.ROUNDS), 0.03,
                    Better.LOWER, true);
            if (j.verdict() == Verdict.UNKNOWN && j.needed() > 0) projected.add(j.needed());
        }
        int needed = 0;
        for (int n = 3; n <= 400 && needed == 0; n++) {
            int decided = 0;
            for (int t = 0; t < 400; t++) {
                if (VerdictRule.judge(Estimate.ofMean(draw(rnd, n, 0.06, 0.04), Estimate.Unit.ROUNDS), 0.03,
                        Better.LOWER, true).verdict() == Verdict.SLOWER) decided++;
            }
            if (decided >= 200) needed = n;
        }
        double median = median(projected);
        String what = "projected median " + median + " rounds, the simulation decides half the time at " + needed;
        System.out.println(what);
        assertTrue(median >= needed / 2.0 && median <= needed * 2.0, what);
    }

    /** The same across runs: from 3 runs a side, 12% slower at 5% run-to-run noise, the runs a side that decide. */
    @Test
    void runsNeededIsAboutWhatTheSimulationNeeds() {
        SplittableRandom rnd = new SplittableRandom(6);
        List<Integer> projected = new ArrayList<>();
        for (int t = 0; t < 400; t++) {
            Judgement j = judgeRuns(rnd, 3, 0.12, 0.05);
            if (j.verdict() == Verdict.UNKNOWN && j.needed() > 0) projected.add(j.needed());
        }
        int needed = 0;
        for (int m = 2; m <= 60 && needed == 0; m++) {
            int decided = 0;
            for (int t = 0; t < 400; t++) if (judgeRuns(rnd, m, 0.12, 0.05).verdict() == Verdict.SLOWER) decided++;
            if (decided >= 200) needed = m;
        }
        double median = median(projected);
        String what = "projected median " + median + " runs a side, the simulation decides half the time at "
                + needed;
        System.out.println(what);
        assertTrue(median >= needed / 2.0 && median <= needed * 2.0, what);
    }

    private static Judgement judgeRuns(SplittableRandom rnd, int m, double effect, double sd) {
        List<double[]> base = new ArrayList<>(), next = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            base.add(new double[] {sd * gaussian(rnd)});
            next.add(new double[] {Math.log(1 + effect) + sd * gaussian(rnd)});
        }
        RunLevel.Cell c = RunLevel.Cell.of(base, next);
        return VerdictRule.judge(RunLevel.estimate(c, null, RunLevel.Prior.NONE), T, Better.LOWER, true);
    }

    private static double[] draw(SplittableRandom rnd, int n, double effect, double sd) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = Math.log(1 + effect) + sd * gaussian(rnd);
        return v;
    }

    static double gaussian(SplittableRandom rnd) {
        // Box-Muller: SplittableRandom has no nextGaussian before JDK 17's RandomGenerator default
        return rnd.nextGaussian();
    }

    private static double median(List<Integer> v) {
        double[] a = v.stream().mapToDouble(Integer::doubleValue).sorted().toArray();
        return a.length == 0 ? Double.NaN : a[a.length / 2];
    }
}
