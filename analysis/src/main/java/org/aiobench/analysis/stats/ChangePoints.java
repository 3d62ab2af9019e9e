package org.aiobench.analysis.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Change points in a series of runs over kernels (E-Divisive means in spirit: Matteson and James 2014, as MongoDB and
 * Apache Otava use it; here with a t statistic, as Otava's Hunter does, and the runs as the unit): the series is cut
 * where the levels before and after differ most, the cut is kept when (1) a permutation test says a change that large
 * is unlikely in a series without one, counting that the cut was chosen as the largest, and (2) the change, judged
 * like any comparison across runs ({@link VerdictRule}), lies beyond the threshold; then each side is searched again.
 *
 * <p>Cuts fall only at the boundaries given (between kernels: runs of one kernel are one level), and each side of a
 * cut keeps at least one boundary's runs. With few runs the permutations are few and the test cannot reject (three
 * runs allow six orders, so p is at least 1/6): a short series has no change point, which is the truth about it.
 */
public final class ChangePoints {
    public static final int PERMUTATIONS = 999;

    private ChangePoints() {}

    /**
     * A change point: the series changes between index {@code at - 1} and {@code at}.
     *
     * @param p         the permutation test's p-value of the segment it was found in
     * @param judgement the change, after over before, as a comparison across runs
     */
    public record ChangePoint(int at, double p, Judgement judgement) {}

    /**
     * @param levels     one log level per run, in kernel order
     * @param boundaries the indexes at which a cut may fall (the first run of each kernel but the first)
     * @param alpha      the permutation test's level (a caller correcting for many series passes its own)
     */
    public static List<ChangePoint> find(double[] levels, int[] boundaries, double threshold, Better better,
                                         boolean speed, double alpha, long seed) {
        List<ChangePoint> out = new ArrayList<>();
        search(levels, 0, levels.length, boundaries, threshold, better, speed, alpha, new SplittableRandom(seed), out);
        out.sort(java.util.Comparator.comparingInt(ChangePoint::at));
        return out;
    }

    /** The top-level test alone: the most likely cut of the whole series and its p (for a correction across series). */
    public static ChangePoint strongest(double[] levels, int[] boundaries, double threshold, Better better,
                                        boolean speed, long seed) {
        return test(levels, 0, levels.length, boundaries, threshold, better, speed, new SplittableRandom(seed));
    }

    private static void search(double[] v, int from, int to, int[] boundaries, double threshold, Better better,
                               boolean speed, double alpha, SplittableRandom rnd, List<ChangePoint> out) {
        ChangePoint cp = test(v, from, to, boundaries, threshold, better, speed, rnd);
        if (cp == null || cp.p() >= alpha || !cp.judgement().verdict().decisive()) return;
        out.add(cp);
        search(v, from, cp.at(), boundaries, threshold, better, speed, alpha, rnd, out);
        search(v, cp.at(), to, boundaries, threshold, better, speed, alpha, rnd, out);
    }

    /** The best cut of v[from, to) with its permutation p and judgement; null without a possible cut. */
    private static ChangePoint test(double[] v, int from, int to, int[] boundaries, double threshold, Better better,
                                    boolean speed, SplittableRandom rnd) {
        List<Integer> cuts = new ArrayList<>();
        for (int b : boundaries) if (b > from && b < to) cuts.add(b);
        if (cuts.isEmpty() || to - from < 3) return null;
        double[] seg = java.util.Arrays.copyOfRange(v, from, to);
        int[] local = cuts.stream().mapToInt(c -> c - from).toArray();
        double observed = maxT(seg, local);
        int best = argMaxT(seg, local);
        int n = seg.length, atLeast = 0, total;
        if (factorial(n) <= 5040) {
            List<double[]> all = new ArrayList<>();
            permutations(seg.clone(), 0, all);
            total = all.size();
            for (double[] p : all) if (maxT(p, local) >= observed - 1e-12) atLeast++;
            // the identity is among them: p = share of orders at least as extreme
        } else {
            total = PERMUTATIONS + 1;
            atLeast = 1;
            double[] p = seg.clone();
            for (int i = 0; i < PERMUTATIONS; i++) {
                shuffle(p, rnd);
                if (maxT(p, local) >= observed - 1e-12) atLeast++;
            }
        }
        double pValue = (double) atLeast / total;
        int at = from + local[best];
        double[] before = java.util.Arrays.copyOfRange(v, from, at), after = java.util.Arrays.copyOfRange(v, at, to);
        Estimate e = twoSample(before, after);
        return new ChangePoint(at, pValue, VerdictRule.judge(e, threshold, better, speed));
    }

    /** after - before with their pooled variance, the runs as units. */
    static Estimate twoSample(double[] before, double[] after) {
        List<double[]> b = new ArrayList<>(), a = new ArrayList<>();
        for (double x : before) b.add(new double[] {x});
        for (double x : after) a.add(new double[] {x});
        return RunLevel.estimate(RunLevel.Cell.of(b, a), null, RunLevel.Prior.NONE);
    }

    private static double maxT(double[] v, int[] cuts) {
        return Math.abs(t(v, cuts[argMaxT(v, cuts)]));
    }

    private static int argMaxT(double[] v, int[] cuts) {
        int best = 0;
        double bt = -1;
        for (int i = 0; i < cuts.length; i++) {
            double t = Math.abs(t(v, cuts[i]));
            if (t > bt) {
                bt = t;
                best = i;
            }
        }
        return best;
    }

    /** Pooled two-sample t of v[cut..] against v[..cut]; a side of one run takes the other side's spread. */
    private static double t(double[] v, int cut) {
        int n1 = cut, n2 = v.length - cut;
        double m1 = 0, m2 = 0;
        for (int i = 0; i < cut; i++) m1 += v[i] / n1;
        for (int i = cut; i < v.length; i++) m2 += v[i] / n2;
        double ss = 0;
        for (int i = 0; i < cut; i++) ss += (v[i] - m1) * (v[i] - m1);
        for (int i = cut; i < v.length; i++) ss += (v[i] - m2) * (v[i] - m2);
        int df = v.length - 2;
        double var = df > 0 ? ss / df : 0;
        double se = Math.sqrt(var * (1.0 / n1 + 1.0 / n2));
        double d = m2 - m1;
        return se > 0 ? d / se : d == 0 ? 0 : Math.copySign(1e9, d);
    }

    private static long factorial(int n) {
        long f = 1;
        for (int i = 2; i <= n && f <= Long.MAX_VALUE / 20; i++) f *= i;
        return f;
    }

    private static void permutations(double[] a, int k, List<double[]> out) {
        if (k == a.length) {
            out.add(a.clone());
            return;
        }
        for (int i = k; i < a.length; i++) {
            swap(a, k, i);
            permutations(a, k + 1, out);
            swap(a, k, i);
        }
    }

    private static void shuffle(double[] a, SplittableRandom rnd) {
        for (int i = a.length - 1; i > 0; i--) swap(a, i, rnd.nextInt(i + 1));
    }

    private static void swap(double[] a, int i, int j) {
        double t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
