package org.aiobench.benchmarks;

import java.util.ArrayList;
import java.util.List;

import org.aiobench.workloads.randio.RandomIoReport;

/**
 * The job runs of the current iteration, handed from the benchmark to {@link RandomIoProfiler} (both run in the
 * benchmark's JVM, one iteration at a time).
 */
final class RandomIoMetrics {
    private RandomIoMetrics() {}

    private static final List<RandomIoReport> REPORTS = new ArrayList<>();
    private static volatile boolean profilerActive;

    static synchronized void record(RandomIoReport r) {
        REPORTS.add(r);
    }

    /** Takes every report recorded since the last call. */
    static synchronized List<RandomIoReport> drain() {
        List<RandomIoReport> out = new ArrayList<>(REPORTS);
        REPORTS.clear();
        return out;
    }

    static void profilerActive(boolean on) { profilerActive = on; }

    static boolean profilerActive() { return profilerActive; }
}
