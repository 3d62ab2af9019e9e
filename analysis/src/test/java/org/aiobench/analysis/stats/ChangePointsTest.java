package org.aiobench.analysis.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Change points over runs in kernel order: a real step is found where it is, noise and small steps are not. */
class ChangePointsTest {
    /** Runs of 8 kernels, 2 runs each (boundaries every 2 runs), level {@code step} from kernel {@code at} on. */
    private static double[] series(SplittableRandom rnd, double sd, int at, double step) {
        double[] v = new double[16];
        for (int i = 0; i < 16; i++) v[i] = (i / 2 >= at ? Math.log(step) : 0) + sd * rnd.nextGaussian();
        return v;
    }

    private static final int[] BOUNDS = {2, 4, 6, 8, 10, 12, 14};

    @Test
    void aTwentyPercentStepIsFoundAtItsKernel() {
        SplittableRandom rnd = new SplittableRandom(1);
        int found = 0;
        for (int t = 0; t < 200; t++) {
            List<ChangePoints.ChangePoint> cps = ChangePoints.find(series(rnd, 0.04, 5, 1.2), BOUNDS, 0.05,
                    Better.LOWER, true, 0.05, t);
            if (cps.size() == 1 && cps.get(0).at() == 10 && cps.get(0).judgement().verdict() == Verdict.SLOWER) found++;
        }
        assertTrue(found >= 180, found + " of 200");
    }

    @Test
    void noiseAloneHasNoChangePointMostOfTheTime() {
        SplittableRandom rnd = new SplittableRandom(2);
        int any = 0;
        for (int t = 0; t < 300; t++) {
            if (!ChangePoints.find(series(rnd, 0.04, 99, 1), BOUNDS, 0.05, Better.LOWER, true, 0.05, t).isEmpty()) any++;
        }
        assertTrue(any <= 15, any + " of 300 noise series had a change point");
    }

    @Test
    void aStepBelowTheThresholdIsNoChangePoint() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int t = 0; t < 100; t++) {
            // 2% at 0.2% noise: certainly a change, but under the 5% threshold
            assertEquals(List.of(), ChangePoints.find(series(rnd, 0.002, 4, 1.02), BOUNDS, 0.05, Better.LOWER, true,
                    0.05, t));
        }
    }

    @Test
    void threeRunsCannotShowAChange() {
        double[] v = {0, 0, Math.log(2)};
        ChangePoints.ChangePoint cp = ChangePoints.strongest(v, new int[] {1, 2}, 0.05, Better.LOWER, true, 1);
        assertTrue(cp.p() >= 1.0 / 6, "three runs have six orders: p " + cp.p());
    }
}
