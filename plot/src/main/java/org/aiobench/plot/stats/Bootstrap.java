package org.aiobench.plot.stats;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The seeded percentile bootstrap behind every interval: 10,000 resamples, 95%. commons-math3 has no bootstrap.
 *
 * <p>The statistic is always a mean of logarithms, reported as its exponential: a geometric mean of ratios. Whole
 * rounds are resampled, never single iterations: a round is where the machine's state varies (reference/
 * measurement.md, after Kalibera and Jones). Across several runs (several boots of one kernel, for compare) the
 * resampling is hierarchical: draw runs with replacement, then rounds with replacement within each drawn run, and
 * average the drawn runs' means, so each run weighs the same whatever its number of rounds.
 *
 * <p>Seeded, so a report rendered twice shows the same intervals; {@link #seed(String)} gives every comparison its
 * own stream from a stable key (the two configurations' ids).
 */
public final class Bootstrap {
    public static final int RESAMPLES = 10_000;
    public static final double CONFIDENCE = 0.95;

    private Bootstrap() {}

    /** The geometric mean of per-round ratios, given as their logarithms, resampling rounds. */
    public static RatioInterval geometricMean(double[] logRatios, long seed) {
        return geometricMean(List.of(logRatios), seed);
    }

    /** The same over several runs: runs resampled, then rounds within each drawn run. */
    public static RatioInterval geometricMean(List<double[]> logRatiosPerRun, long seed) {
        List<double[]> runs = nonEmpty(logRatiosPerRun);
        int n = runs.stream().mapToInt(r -> r.length).sum();
        double point = Math.exp(meanOfMeans(runs));
        if (n < 2) return new RatioInterval(point, Double.NaN, Double.NaN, n);
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] stats = new double[RESAMPLES];
        for (int b = 0; b < RESAMPLES; b++) stats[b] = resampledMean(runs, rnd);
        return interval(point, stats, n);
    }

    /**
     * The ratio of two sides' geometric means, next / base, each side resampled on its own (runs, then rounds): what
     * compare needs for absolute values measured in different runs, where no round pairs them.
     *
     * @param baseLogs per run, the logarithms of one configuration's per-round values (e.g. medians) on the base side
     */
    public static RatioInterval ratio(List<double[]> baseLogs, List<double[]> nextLogs, long seed) {
        List<double[]> base = nonEmpty(baseLogs), next = nonEmpty(nextLogs);
        int nb = base.stream().mapToInt(r -> r.length).sum(), nn = next.stream().mapToInt(r -> r.length).sum();
        double point = Math.exp(meanOfMeans(next) - meanOfMeans(base));
        if (nb < 2 || nn < 2) return new RatioInterval(point, Double.NaN, Double.NaN, Math.min(nb, nn));
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] stats = new double[RESAMPLES];
        for (int b = 0; b < RESAMPLES; b++) stats[b] = resampledMean(next, rnd) - resampledMean(base, rnd);
        return interval(point, stats, Math.min(nb, nn));
    }

    /** A stable seed from a key (FNV-1a over its UTF-8 bytes): the same comparison always draws the same resamples. */
    public static long seed(String key) {
        long h = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    private static List<double[]> nonEmpty(List<double[]> runs) {
        return runs.stream().filter(r -> r.length > 0).toList();
    }

    private static double meanOfMeans(List<double[]> runs) {
        if (runs.isEmpty()) return Double.NaN;
        double sum = 0;
        for (double[] r : runs) sum += Arrays.stream(r).average().orElseThrow();
        return sum / runs.size();
    }

    private static double resampledMean(List<double[]> runs, SplittableRandom rnd) {
        double sum = 0;
        for (int i = 0; i < runs.size(); i++) {
            double[] run = runs.get(runs.size() == 1 ? 0 : rnd.nextInt(runs.size()));
            double s = 0;
            for (int j = 0; j < run.length; j++) s += run[rnd.nextInt(run.length)];
            sum += s / run.length;
        }
        return sum / runs.size();
    }

    private static RatioInterval interval(double point, double[] logStats, int n) {
        Arrays.sort(logStats);
        int cut = (int) Math.floor((1 - CONFIDENCE) / 2 * logStats.length);
        return new RatioInterval(point, Math.exp(logStats[cut]), Math.exp(logStats[logStats.length - 1 - cut]), n);
    }
}
