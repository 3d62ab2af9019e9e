package org.aiobench.benchmarks.metrics;

import java.util.Collection;
import java.util.List;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Puts the wall-clock time at which each measured iteration's timed work began into JMH's results, as the secondary
 * metric {@value #METRIC} (milliseconds since the epoch), so the experiment runner can place every sample in time
 * (samples.jsonl {@code start}; the drift over a run is read from it). JMH itself records no time of day.
 *
 * <p>A benchmark calls {@link #mark()} right before its timed section (after the untimed preparation, which can take
 * longer than the copy); where one does not, the start of the iteration (before its setup) stands in.
 */
public final class StartTimeProfiler implements InternalProfiler {
    /** The secondary metric's name (the runner moves it out of the metrics into the sample's start). */
    public static final String METRIC = "startEpochMs";

    private static volatile long marked = -1;
    private static volatile long iterationStart;

    /** The timed work of this iteration begins now (the first call of an iteration counts). */
    public static void mark() {
        if (marked < 0) marked = System.currentTimeMillis();
    }

    @Override
    public String getDescription() {
        return "aiobench: wall-clock start of each measured iteration's timed work (" + METRIC + ")";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        marked = -1;
        iterationStart = System.currentTimeMillis();
    }

    @Override
    public Collection<? extends Result<?>> afterIteration(BenchmarkParams benchmarkParams,
                                                       IterationParams iterationParams, IterationResult result) {
        long start = marked >= 0 ? marked : iterationStart;
        // MIN: where JMH summarizes the iterations, the fork's first start
        return List.of(new ScalarResult(METRIC, start, "ms", AggregationPolicy.MIN));
    }
}
