package org.aiobench.analysis.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Variance components recovered from simulated forks whose noise at each level is known. */
class VarianceComponentsTest {
    /** 40 rounds of one fork with 4 copies: copies SD 0.05, forks SD 0.10, rounds SD 0.20; an A/A pair a round. */
    @Test
    void eachLevelIsRecovered() {
        SplittableRandom rnd = new SplittableRandom(1);
        List<VarianceComponents.Fork> forks = new ArrayList<>();
        List<VarianceComponents.Fork[]> aa = new ArrayList<>();
        for (int r = 1; r <= 400; r++) {
            double round = 0.20 * rnd.nextGaussian();
            VarianceComponents.Fork a = fork(rnd, r, round, 0.10, 0.05), b = fork(rnd, r, round, 0.10, 0.05);
            forks.add(a);
            aa.add(new VarianceComponents.Fork[] {a, b});
        }
        VarianceComponents vc = VarianceComponents.of(forks, aa);
        assertEquals(0.05 * 0.05, vc.copy(), 0.0003, "copy");
        assertEquals(0.10 * 0.10, vc.fork(), 0.003, "fork");
        assertEquals(0.20 * 0.20, vc.round(), 0.01, "round");
        assertEquals(4, vc.copiesPerFork(), 1e-9);
        assertEquals(1.0, vc.copySeconds(), 1e-9, "copies start a second apart");
    }

    private static VarianceComponents.Fork fork(SplittableRandom rnd, int round, double roundLevel, double forkSd,
                                                double copySd) {
        double f = roundLevel + forkSd * rnd.nextGaussian();
        double[] logs = new double[4], start = new double[4];
        for (int i = 0; i < 4; i++) {
            logs[i] = f + copySd * rnd.nextGaussian();
            start[i] = 1e12 + round * 1e5 + i * 1000;
        }
        return new VarianceComponents.Fork(round, logs, start);
    }

    /** Kalibera and Jones: more copies where copies are noisy and forks cheap to add to, fewer where forks dominate. */
    @Test
    void theCopiesAForkFollowTheVariancesAndCosts() {
        assertEquals(Math.sqrt(4.0 * 10), VarianceComponents.optimalCopies(0.01, 0.04, 10, 1), 1e-9);
        assertEquals(1, VarianceComponents.optimalCopies(0.04, 0.0001, 1, 1), 1e-9, "forks dominate: one copy");
        assertTrue(Double.isInfinite(VarianceComponents.optimalCopies(0, 0.01, 5, 1)), "no fork noise: many copies");
    }

    /** The rounds for a half-width and the half-width after them agree, and twice the rounds narrow by about √2. */
    @Test
    void roundsAndHalfWidthsAgree() {
        double var = 0.01; // SD 10% a round
        int r = VarianceComponents.roundsFor(var, 0.05);
        assertTrue(VarianceComponents.halfWidth(var, r) <= 0.05 && VarianceComponents.halfWidth(var, r - 1) > 0.05,
                r + " rounds");
        double at10 = VarianceComponents.halfWidth(var, 10), at20 = VarianceComponents.halfWidth(var, 20);
        assertTrue(at20 < at10 / 1.4 && at20 > at10 / 1.6, at10 + " -> " + at20);
    }
}
