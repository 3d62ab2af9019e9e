/**
 * What a benchmark measures besides JMH's score, and the JMH profilers that hand it to JMH as secondary results:
 * the copies' metrics ({@link org.aiobench.benchmarks.metrics.CopyMetrics}, {@code -prof}
 * {@link org.aiobench.benchmarks.metrics.CopyMetricsProfiler}), a random-I/O job run's
 * ({@link org.aiobench.benchmarks.metrics.RandomIoMetrics}, {@link org.aiobench.benchmarks.metrics.RandomIoProfiler})
 * and each iteration's start time ({@link org.aiobench.benchmarks.metrics.StartTimeProfiler}). The runner names the
 * profilers by class on its JMH command lines.
 *
 * <p>Imports run one way, downward: {@code run -> plan -> benchmarks -> metrics} (then workloads, engines). This
 * package is the bottom of the module: it imports none of the others; the benchmarks record into it, the runner reads
 * its metric names.
 */
package org.aiobench.benchmarks.metrics;
