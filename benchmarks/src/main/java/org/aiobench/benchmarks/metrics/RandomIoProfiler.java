package org.aiobench.benchmarks.metrics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.aiobench.workloads.randio.RandomIoReport;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;
import org.openjdk.jmh.runner.IterationType;

/**
 * Reports a random-I/O job run's IOPS and its other numbers as the iteration's secondary results: the IOPS as
 * {@value #SCORE} (ops/s), the rest as {@link RandomIoReport#metrics()} names them (names and units in
 * results/README.md). JMH's own score of the iteration only counts its calls (one per iteration, a fraction of an
 * op/s) and JMH cannot take a score from the benchmark, so the run's IOPS is a metric of its own, which the runner
 * writes as the sample's value. Several runs in one iteration (an iteration time longer than a run) count as one run
 * of all their I/Os. The runner adds it; by hand:
 * {@code java -jar benchmarks.jar RandomRead -prof org.aiobench.benchmarks.metrics.RandomIoProfiler} (read
 * {@code ·iops}, not the score).
 */
public final class RandomIoProfiler implements InternalProfiler {
    /** The secondary result that is a random-I/O iteration's score: the job run's IOPS, in ops/s. */
    public static final String SCORE = RandomIoReport.IOPS;

    @Override
    public String getDescription() {
        return "aiobench random I/O: the job's IOPS (" + SCORE + "), latency percentiles, CPU, interval IOPS";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        RandomIoMetrics.drain();
        RandomIoMetrics.drainExtras();
        RandomIoMetrics.profilerActive(true);
    }

    @Override
    public Collection<? extends Result<?>> afterIteration(BenchmarkParams benchmarkParams,
                                                       IterationParams iterationParams, IterationResult result) {
        List<RandomIoReport> runs = RandomIoMetrics.drain();
        Map<String, Double> extras = RandomIoMetrics.drainExtras();
        if (iterationParams.getType() != IterationType.MEASUREMENT || runs.isEmpty()) return List.of();
        double windows = 0, ios = 0;
        Map<String, double[]> weighted = new LinkedHashMap<>();
        for (RandomIoReport r : runs) {
            windows += r.windowSec();
            ios += r.ios();
            r.metrics().forEach((k, v) -> {
                double[] acc = weighted.computeIfAbsent(k, x -> new double[2]);
                acc[0] += v * r.windowSec();
                acc[1] += r.windowSec();
            });
        }
        double iops = runs.size() == 1 ? runs.get(0).iops() : ios / windows;
        List<Result<?>> out = new ArrayList<>();
        out.add(new ScalarResult(SCORE, iops, "ops/s", AggregationPolicy.AVG));
        weighted.forEach((k, acc) -> out.add(new ScalarResult(k, acc[0] / acc[1], RandomIoReport.UNITS.get(k),
                AggregationPolicy.AVG)));
        extras.forEach((k, v) -> out.add(new ScalarResult(k, v, "count", AggregationPolicy.AVG)));
        return out;
    }
}
