package org.aiobench.analysis.stats;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The verdicts across runs on simulated comparisons whose truth is known: identical pairs must exit 0 (at most 5%
 * exit 1), a 20% slowdown of one configuration must be caught, a 1% change never called slower, and "how many more
 * runs" must be about what the simulation needs.
 *
 * <p>The noise is the kind measured on the test VM (reference/measurement.md): per configuration a round-to-round
 * spread from 3% to 30% with a slow fork now and then (10% of rounds 1.35 to 2.2 times slower), a run effect of its
 * own of SD 2% to 5% (a fresh JVM, the tree's layout), and the box's own level per run (SD 15%) and per round (SD
 * 10%), which every configuration and cp -r share: absolute times see them, ratios to cp -r cancel them.
 */
class CrossRunSimulationTest {
    static final int CONFIGS = 80, GROUPS = 4;
    static final double THRESHOLD = 0.05;

    /** One simulated box: each configuration's noise, fixed for the box. */
    static final class Box {
        final double[] roundSd = new double[CONFIGS], runSd = new double[CONFIGS];
        double cpRoundSd = 0.05, cpRunSd = 0.03, boxRunSd = 0.15, boxRoundSd = 0.10, slowForkRate = 0.10;

        Box(SplittableRandom rnd) {
            for (int c = 0; c < CONFIGS; c++) {
                roundSd[c] = Math.exp(Math.log(0.03) + rnd.nextDouble() * Math.log(10));
                runSd[c] = 0.02 + 0.03 * rnd.nextDouble();
            }
        }
    }

    /** One run: per configuration and for cp -r, the per-round log values. */
    record Run(double[][] configs, double[] cp) {}

    static Run run(Box box, int rounds, double[] slowdown, SplittableRandom rnd) {
        double level = box.boxRunSd * rnd.nextGaussian();
        double[][] v = new double[CONFIGS][rounds];
        double[] cp = new double[rounds];
        double cpRun = box.cpRunSd * rnd.nextGaussian();
        double[] runEffect = new double[CONFIGS];
        for (int c = 0; c < CONFIGS; c++) runEffect[c] = box.runSd[c] * rnd.nextGaussian();
        for (int r = 0; r < rounds; r++) {
            double round = level + box.boxRoundSd * rnd.nextGaussian();
            cp[r] = round + cpRun + box.cpRoundSd * rnd.nextGaussian() + slowFork(box, rnd);
            for (int c = 0; c < CONFIGS; c++) {
                v[c][r] = Math.log(1 + 0.1 * c) + round + runEffect[c] + Math.log(slowdown[c])
                        + box.roundSd[c] * rnd.nextGaussian() + slowFork(box, rnd);
            }
        }
        return new Run(v, cp);
    }

    private static double slowFork(Box box, SplittableRandom rnd) {
        return rnd.nextDouble() < box.slowForkRate ? Math.log(1.35) + rnd.nextDouble() * Math.log(2.2 / 1.35) : 0;
    }

    /** The comparison compare makes of these runs: every configuration absolute and against cp -r, and the groups. */
    static CrossRun.Output compare(List<Run> base, List<Run> next) {
        List<CrossRun.Input> in = new ArrayList<>();
        for (int c = 0; c < CONFIGS; c++) {
            final int cc = c;
            in.add(new CrossRun.Input(CrossRun.Kind.ABSOLUTE, base.stream().map(r -> r.configs()[cc]).toList(),
                    next.stream().map(r -> r.configs()[cc]).toList(), Better.LOWER, true, "config " + c));
            in.add(new CrossRun.Input(CrossRun.Kind.VS_CP, base.stream().map(r -> vsCp(r, cc)).toList(),
                    next.stream().map(r -> vsCp(r, cc)).toList(), Better.LOWER, true, "config " + c));
            in.add(new CrossRun.Input(CrossRun.Kind.RELATIVE, base.stream().map(r -> r.configs()[cc]).toList(),
                    next.stream().map(r -> r.configs()[cc]).toList(), Better.LOWER, true, "config " + c));
        }
        for (int g = 0; g < GROUPS; g++) {
            final int gg = g;
            in.add(new CrossRun.Input(CrossRun.Kind.GROUP_ABSOLUTE, base.stream().map(r -> group(r, gg, false)).toList(),
                    next.stream().map(r -> group(r, gg, false)).toList(), Better.LOWER, true, "group " + g));
            in.add(new CrossRun.Input(CrossRun.Kind.GROUP_VS_CP, base.stream().map(r -> group(r, gg, true)).toList(),
                    next.stream().map(r -> group(r, gg, true)).toList(), Better.LOWER, true, "group " + g));
        }
        return CrossRun.judge(in, THRESHOLD);
    }

    static double[] vsCp(Run r, int c) {
        double[] out = new double[r.cp().length];
        for (int i = 0; i < out.length; i++) out[i] = r.configs()[c][i] - r.cp()[i];
        return out;
    }

    /** A group's per-round mean of its configurations' logs, as compare averages a group. */
    static double[] group(Run r, int g, boolean vsCp) {
        int per = CONFIGS / GROUPS;
        double[] out = new double[r.cp().length];
        for (int c = g * per; c < (g + 1) * per; c++) {
            double[] v = vsCp ? vsCp(r, c) : r.configs()[c];
            for (int i = 0; i < out.length; i++) out[i] += v[i] / per;
        }
        return out;
    }

    static List<Run> runs(Box box, int n, int rounds, double[] slowdown, SplittableRandom rnd) {
        List<Run> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(run(box, rounds, slowdown, rnd));
        return out;
    }

    static double[] none() {
        double[] s = new double[CONFIGS];
        java.util.Arrays.fill(s, 1.0);
        return s;
    }

    @Test
    void identicalPairsExitZeroAtLeast95PercentOfTheTime() {
        double[] none = none();
        StringBuilder report = new StringBuilder();
        for (int runsASide : new int[] {2, 3}) {
            for (int rounds : new int[] {3, 10}) {
                SplittableRandom rnd = new SplittableRandom(1000L * runsASide + rounds);
                int pairs = 1000, exits = 0, listedSlower = 0;
                for (int t = 0; t < pairs; t++) {
                    Box box = new Box(rnd);
                    CrossRun.Output o = compare(runs(box, runsASide, rounds, none, rnd),
                            runs(box, runsASide, rounds, none, rnd));
                    if (o.anyGate()) exits++;
                    listedSlower += (int) o.judgements().stream().filter(j -> j.verdict() == Verdict.SLOWER).count();
                }
                double rate = (double) exits / pairs;
                report.append(String.format(Locale.ROOT, "%d runs a side, %d rounds: exit 1 in %.1f%% of %d identical"
                        + " pairs; %.3f cells listed slower per pair%n", runsASide, rounds, 100 * rate, pairs,
                        (double) listedSlower / pairs));
                assertTrue(rate <= 0.05, report.toString());
            }
        }
        System.out.print(report);
    }

    @Test
    void aTwentyPercentSlowdownAtThreeRunsASideIsCaught() {
        SplittableRandom rnd = new SplittableRandom(7);
        int trials = 1000, flagged = 0, exits = 0, slowed = 17;
        for (int t = 0; t < trials; t++) {
            Box box = new Box(rnd);
            // the slowed configuration's run-to-run noise: a run mean of its ratio to cp -r varies by about 5%
            box.runSd[slowed] = 0.035;
            box.roundSd[slowed] = 0.05;
            box.cpRunSd = 0.02;
            box.cpRoundSd = 0.03;
            box.slowForkRate = 0;
            double[] slow = none();
            slow[slowed] = 1.20;
            CrossRun.Output o = compare(runs(box, 3, 10, none(), rnd), runs(box, 3, 10, slow, rnd));
            boolean any = false, gate = false;
            for (int k = 0; k < 3; k++) {
                any |= o.judgements().get(3 * slowed + k).verdict() == Verdict.SLOWER;
                gate |= o.gates()[3 * slowed + k];
            }
            if (any) flagged++;
            if (gate) exits++;
        }
        String what = String.format(Locale.ROOT, "20%% slower at 3 runs a side: flagged in %d of %d trials, exit 1 in %d",
                flagged, trials, exits);
        System.out.println(what);
        assertTrue(flagged >= 0.80 * trials, what);
        assertTrue(exits >= 0.80 * trials, what);
    }

    /**
     * Measured precisely (a quiet box, 5 runs a side of 10 rounds), a 1% change of every configuration is below the
     * threshold and never called slower, however sure the measurement is that it is not zero.
     */
    @Test
    void aOnePercentChangeIsNeverCalledSlower() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int t = 0; t < 300; t++) {
            Box box = new Box(rnd);
            box.boxRunSd = 0.01;
            box.boxRoundSd = 0.01;
            box.cpRunSd = 0.01;
            box.cpRoundSd = 0.02;
            box.slowForkRate = 0;
            for (int c = 0; c < CONFIGS; c++) {
                box.roundSd[c] = Math.min(box.roundSd[c], 0.03);
                box.runSd[c] = 0.01;
            }
            double[] slow = none();
            java.util.Arrays.fill(slow, 1.01);
            CrossRun.Output o = compare(runs(box, 5, 10, none(), rnd), runs(box, 5, 10, slow, rnd));
            for (Judgement j : o.judgements()) {
                assertTrue(j.verdict() != Verdict.SLOWER, "1% called slower: " + j.text());
            }
        }
    }
}
