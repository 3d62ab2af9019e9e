/**
 * JMH benchmarks: one class per experiment of the two studies, each named by class in JMH's generated code, in the
 * runner's groups and in every configuration id ({@code BasicCopy:engine=...}), so they stay in this package.
 *
 * <p>The module's packages, imports running one way, downward: {@code run} (the runner: command line, orchestration,
 * the run directory) -> {@code plan} (what a run measures: matrix, configurations, schedule, when to stop) -> this
 * package (the benchmarks) -> {@code metrics} (what they measure besides the score, and the JMH profilers). The
 * benchmarks never import {@code run} or {@code plan}.
 */
package org.aiobench.benchmarks;
