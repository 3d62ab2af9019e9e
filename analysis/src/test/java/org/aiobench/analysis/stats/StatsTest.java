package org.aiobench.analysis.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void sampleStandardDeviationAndTwoSdBars() {
        Stats s = Stats.of(new double[] {2, 4, 4, 4, 5, 5, 7, 9});
        assertEquals(5.0, s.mean(), 1e-12);
        assertEquals(Math.sqrt(32.0 / 7), s.sd(), 1e-12); // n - 1 in the denominator
        assertEquals(8, s.n());
        assertEquals(5.0 + 2 * Math.sqrt(32.0 / 7), s.high(), 1e-12);
    }

    @Test
    void lowerEndIsClampedAtZero() {
        Stats s = Stats.of(new double[] {0.1, 1.0, 3.0});
        assertTrue(s.mean() - 2 * s.sd() < 0);
        assertEquals(0.0, s.low());
    }

    @Test
    void oneSampleHasNoSpread() {
        Stats s = Stats.of(new double[] {3.0});
        assertTrue(Double.isNaN(s.sd()));
        assertEquals(3.0, s.low());
        assertEquals(3.0, s.high());
    }
}
