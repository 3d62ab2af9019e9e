package org.aiobench.benchmarks.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.aiobench.workloads.randio.RandomIoReport;

/**
 * The job runs of the current iteration, handed from the benchmark to {@link RandomIoProfiler} (both run in the
 * benchmark's JVM, one iteration at a time).
 */
public final class RandomIoMetrics {
    private RandomIoMetrics() {}

    private static final List<RandomIoReport> REPORTS = new ArrayList<>();
    private static final Map<String, double[]> EXTRAS = new LinkedHashMap<>();
    private static volatile boolean profilerActive;

    public static synchronized void record(RandomIoReport r) {
        REPORTS.add(r);
    }

    /**
     * A secondary metric the report does not carry (a thesis experiment's io-wq workers, timeouts, CPU hogs): the
     * iteration's value is the mean of those recorded in it, in unit "count".
     */
    public static synchronized void recordExtra(String name, double value) {
        double[] acc = EXTRAS.computeIfAbsent(name, k -> new double[2]);
        acc[0] += value;
        acc[1]++;
    }

    /** Takes the extra metrics recorded since the last call: their means by name. */
    static synchronized Map<String, Double> drainExtras() {
        Map<String, Double> out = new LinkedHashMap<>();
        EXTRAS.forEach((k, acc) -> out.put(k, acc[0] / acc[1]));
        EXTRAS.clear();
        return out;
    }

    /** Takes every report recorded since the last call. */
    static synchronized List<RandomIoReport> drain() {
        List<RandomIoReport> out = new ArrayList<>(REPORTS);
        REPORTS.clear();
        return out;
    }

    static void profilerActive(boolean on) { profilerActive = on; }

    public static boolean profilerActive() { return profilerActive; }
}
