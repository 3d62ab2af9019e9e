package org.aiobench.benchmarks.metrics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Puts the copy benchmarks' secondary metrics ({@link CopyMetrics}) into JMH's results: one value per iteration
 * (the mean of the iteration's copies, which in SingleShotTime is the one copy), so each metric gets its own
 * {@code rawData} in the JSON. The experiment runner adds it; by hand:
 * {@code java -jar benchmarks.jar BasicCopy -prof org.aiobench.benchmarks.metrics.CopyMetricsProfiler}.
 */
public final class CopyMetricsProfiler implements InternalProfiler {

    @Override
    public String getDescription() {
        return "aiobench copy metrics: MB/s, peak RSS, native bytes, CPU user/sys, context switches";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        CopyMetrics.drain();
    }

    @Override
    public Collection<? extends Result<?>> afterIteration(BenchmarkParams benchmarkParams,
                                                       IterationParams iterationParams, IterationResult result) {
        List<Map<String, Double>> samples = CopyMetrics.drain();
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (Map<String, Double> s : samples) {
            s.forEach((k, v) -> {
                double[] acc = sums.computeIfAbsent(k, x -> new double[2]);
                acc[0] += v;
                acc[1]++;
            });
        }
        List<ScalarResult> out = new ArrayList<>();
        sums.forEach((k, acc) -> out.add(new ScalarResult(k, acc[0] / acc[1], CopyMetrics.UNITS.get(k),
                AggregationPolicy.AVG)));
        return out;
    }
}
