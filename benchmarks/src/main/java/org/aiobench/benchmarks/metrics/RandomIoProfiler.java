package org.aiobench.benchmarks.metrics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.aiobench.workloads.randio.RandomIoReport;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ResultRole;
import org.openjdk.jmh.results.ScalarResult;
import org.openjdk.jmh.results.ThroughputResult;
import org.openjdk.jmh.runner.IterationType;

/**
 * Makes a random-I/O job run's IOPS the iteration's score, and its other numbers the secondary results
 * ({@link RandomIoReport#metrics()}, names and units in results/README.md). JMH scores a Throughput benchmark by
 * its calls (here one per iteration, about 0.1 ops/s) and adds up every primary result of an iteration as it adds
 * up its threads'; this profiler adds one more primary result, the run's IOPS less JMH's own count, so the
 * iteration's score is exactly the run's IOPS, in ops/s. Several runs in one iteration (an iteration time longer
 * than a run) count as one run of all their I/Os. The runner adds it; by hand:
 * {@code java -jar benchmarks.jar RandomRead -prof org.aiobench.benchmarks.metrics.RandomIoProfiler}.
 */
public final class RandomIoProfiler implements InternalProfiler {

    @Override
    public String getDescription() {
        return "aiobench random I/O: the job's IOPS as the score; latency percentiles, CPU, interval IOPS";
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
        Result<?> own = result.getPrimaryResult();
        List<Result<?>> out = new ArrayList<>();
        out.add(new ThroughputResult(ResultRole.PRIMARY, own.getLabel(), iops - own.getScore(),
                TimeUnit.SECONDS.toNanos(1), TimeUnit.SECONDS));
        weighted.forEach((k, acc) -> out.add(new ScalarResult(k, acc[0] / acc[1], RandomIoReport.UNITS.get(k),
                AggregationPolicy.AVG)));
        extras.forEach((k, v) -> out.add(new ScalarResult(k, v, "count", AggregationPolicy.AVG)));
        return out;
    }
}
