package org.aiobench.analysis.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Known effects, generated with a seeded noise, must give the verdicts they were built to give. */
class PairedComparisonTest {
    private static final double T = Verdict.THRESHOLD_WITHIN_RUN;

    /**
     * Two configurations over {@code rounds} rounds of 3 iterations: Y at 1.0 times a per-round level (the box's
     * drift, up to +/- 30%), X at {@code effect} times it; every sample with its own lognormal noise of SD sigma.
     */
    private static RoundSeries[] pair(int rounds, double effect, double sigma, long seed) {
        Random rnd = new Random(seed);
        SortedMap<Integer, double[]> x = new TreeMap<>(), y = new TreeMap<>();
        for (int r = 1; r <= rounds; r++) {
            double level = 0.1 * (1 + 0.3 * (2 * rnd.nextDouble() - 1));
            double[] xs = new double[3], ys = new double[3];
            for (int i = 0; i < 3; i++) {
                xs[i] = level * effect * Math.exp(sigma * rnd.nextGaussian());
                ys[i] = level * Math.exp(sigma * rnd.nextGaussian());
            }
            x.put(r, xs);
            y.put(r, ys);
        }
        return new RoundSeries[] {new RoundSeries(x), new RoundSeries(y)};
    }

    private static PairedComparison compare(RoundSeries[] s, Better better) {
        return PairedComparison.of(s[0], s[1], better, T, true);
    }

    @Test
    void tenPercentSlowerInEveryRoundIsSlowerDespiteDrift() {
        PairedComparison c = compare(pair(20, 1.10, 0.05, 1), Better.LOWER);
        assertEquals(Verdict.SLOWER, c.verdict(), c.estimate().toString());
        assertTrue(c.estimate().low() > 1.03 && c.estimate().high() < 1.17, c.estimate().toString());
        assertTrue(c.wilcoxonP() < 0.01, "the Wilcoxon cross-check agrees: " + c.wilcoxonP());
    }

    /** At 2% noise per copy the estimate's own error is under 1%: a 1% effect stays below the 3% threshold. */
    @Test
    void onePercentIsNotCalledSlower() {
        for (long seed = 1; seed <= 10; seed++) {
            PairedComparison c = compare(pair(20, 1.01, 0.02, seed), Better.LOWER);
            assertNotEquals(Verdict.SLOWER, c.verdict(), "seed " + seed + ": " + c.estimate());
            assertNotEquals(Verdict.FASTER, c.verdict(), "seed " + seed + ": " + c.estimate());
        }
    }

    @Test
    void anAaPairWithLittleNoiseIsSame() {
        PairedComparison c = compare(pair(20, 1.0, 0.02, 3), Better.LOWER);
        assertEquals(Verdict.SAME, c.verdict(), c.estimate().toString());
    }

    @Test
    void forARateHigherIsFaster() {
        RoundSeries[] s = pair(20, 1.10, 0.05, 4);
        assertEquals(Verdict.FASTER, compare(s, Better.HIGHER).verdict());
        assertEquals(Verdict.SLOWER, compare(s, Better.LOWER).verdict());
        assertEquals(Verdict.FASTER, compare(new RoundSeries[] {s[1], s[0]}, Better.LOWER).verdict());
    }

    @Test
    void theRatioIsThePerRoundRatioOfMedians() {
        SortedMap<Integer, double[]> x = new TreeMap<>(), y = new TreeMap<>();
        x.put(1, new double[] {2, 100, 4}); // median 4: one disturbed iteration does not move it
        y.put(1, new double[] {2, 2, 2});
        x.put(2, new double[] {9, 9, 9});
        y.put(2, new double[] {3, 3, 3});
        x.put(3, new double[] {1}); // round 3: Y failed, nothing to pair with
        PairedComparison c = PairedComparison.of(new RoundSeries(x), new RoundSeries(y), Better.LOWER, T, true);
        assertArrayEquals(new int[] {1, 2}, c.rounds());
        assertArrayEquals(new double[] {2, 3}, c.ratios(), 1e-12);
        assertArrayEquals(new double[] {Math.log(2), Math.log(3)}, c.logRatios(), 1e-12);
        assertEquals(Math.sqrt(6), c.estimate().ratio(), 1e-12);
        // two rounds: a t interval on one degree of freedom, far too wide for a verdict
        assertEquals(Verdict.UNKNOWN, c.verdict(), c.judgement().text());
        double half = Math.abs(Math.log(3) - Math.log(2)) / 2; // the SD of the two logs over sqrt(2)
        assertEquals(Math.sqrt(6) * Math.exp(12.706204736 * half), c.estimate().high(), 1e-6, "t(1) = 12.706");
    }

    /** The 95% interval covers the true ratio in about 95% of repeated experiments (20 rounds; VerdictRuleTest simulates 3 to 20). */
    @Test
    void intervalCoversTheTrueRatioAtAboutItsConfidence() {
        int covered = 0, trials = 200;
        for (int t = 0; t < trials; t++) {
            RatioInterval e = compare(pair(20, 1.07, 0.05, 1000 + t), Better.LOWER).estimate();
            if (e.low() <= 1.07 && 1.07 <= e.high()) covered++;
        }
        assertTrue(covered >= 0.88 * trials && covered <= 0.99 * trials, covered + " of " + trials);
    }

    @Test
    void driftIsMaxOverMinOfRoundMeans() {
        SortedMap<Integer, double[]> m = new TreeMap<>();
        m.put(1, new double[] {1, 3});
        m.put(2, new double[] {4, 4});
        m.put(5, new double[] {3, 3});
        RoundSeries s = new RoundSeries(m);
        assertEquals(2.0, s.drift(), 1e-12);
        assertEquals(List.of(1, 2, 5), List.copyOf(s.rounds()));
        assertEquals(2.0, s.median(1), 1e-12);
    }

    @Test
    void aWarmUpThatWasTooShortShowsAsATrend() {
        Random rnd = new Random(13);
        List<double[]> falling = new java.util.ArrayList<>(), flat = new java.util.ArrayList<>();
        for (int f = 0; f < 10; f++) {
            double level = 1 + rnd.nextDouble();
            double[] a = new double[5], b = new double[5];
            for (int i = 0; i < 5; i++) {
                a[i] = level * (1.3 - 0.06 * i) * (1 + 0.01 * rnd.nextGaussian());
                b[i] = level * (1 + 0.05 * rnd.nextGaussian());
            }
            falling.add(a);
            flat.add(b);
        }
        IterationTrend t = IterationTrend.of(falling);
        assertTrue(t.trends() && t.rho() < -0.5, t.toString());
        assertTrue(!IterationTrend.of(flat).trends(), IterationTrend.of(flat).toString());
        assertTrue(Double.isNaN(IterationTrend.of(List.of(new double[] {1, 2})).rho()), "too few points");
    }
}
