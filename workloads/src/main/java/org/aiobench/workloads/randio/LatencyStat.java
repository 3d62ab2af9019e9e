package org.aiobench.workloads.randio;

import java.util.List;

/**
 * Count, minimum, maximum, mean and standard deviation of a stream of latencies in nanoseconds, exact (fio keeps the
 * same four numbers exactly per job, its percentiles from buckets), recorded without allocating: a few arithmetic
 * operations per value. The sums are of the values less the first one, so the variance is not lost to cancellation
 * when the spread is small beside the mean.
 */
final class LatencyStat {
    private long n, min = Long.MAX_VALUE, max = Long.MIN_VALUE, shift, s1;
    private double s2;

    void record(long ns) {
        if (n == 0) shift = ns;
        long d = ns - shift;
        n++;
        s1 += d;
        s2 += (double) d * d;
        if (ns < min) min = ns;
        if (ns > max) max = ns;
    }

    void reset() {
        n = s1 = 0;
        s2 = 0;
        min = Long.MAX_VALUE;
        max = Long.MIN_VALUE;
    }

    long count() { return n; }

    /** The numbers so far (fio's stddev: the sample standard deviation, n - 1; 0 for one value). */
    FioStats.Summary summary() {
        if (n == 0) return FioStats.Summary.NONE;
        double meanD = (double) s1 / n;
        double m2 = Math.max(0, s2 - (double) s1 * s1 / n);
        return new FioStats.Summary(n, min, max, shift + meanD, n > 1 ? Math.sqrt(m2 / (n - 1)) : 0);
    }

    /** Several streams as one (Chan, Golub and LeVeque's pairwise combination of means and squared deviations). */
    static FioStats.Summary combine(List<FioStats.Summary> parts) {
        long n = 0, min = Long.MAX_VALUE, max = Long.MIN_VALUE;
        double mean = 0, m2 = 0;
        for (FioStats.Summary p : parts) {
            if (p.n() == 0) continue;
            double pm2 = p.stdev() * p.stdev() * (p.n() - 1);
            long total = n + p.n();
            double delta = p.mean() - mean;
            mean += delta * p.n() / total;
            m2 += pm2 + delta * delta * ((double) n * p.n() / total);
            n = total;
            min = Math.min(min, p.min());
            max = Math.max(max, p.max());
        }
        if (n == 0) return FioStats.Summary.NONE;
        return new FioStats.Summary(n, min, max, mean, n > 1 ? Math.sqrt(m2 / (n - 1)) : 0);
    }
}
