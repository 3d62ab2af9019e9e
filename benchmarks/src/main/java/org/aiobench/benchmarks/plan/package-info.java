/**
 * What a run measures, decided before anything runs: the matrix of the studies' parameters
 * ({@link org.aiobench.benchmarks.plan.Matrix}, {@link org.aiobench.benchmarks.plan.RandomIoMatrix},
 * {@link org.aiobench.benchmarks.plan.ThesisMatrix}), the groups of benchmarks, each
 * {@link org.aiobench.benchmarks.plan.Configuration} and why one is skipped on this machine
 * ({@link org.aiobench.benchmarks.plan.Preflight}, {@link org.aiobench.benchmarks.plan.Skip}), the plan of a run
 * ({@link org.aiobench.benchmarks.plan.RunPlan}), its rounds' order and pairs
 * ({@link org.aiobench.benchmarks.plan.Schedule}, {@link org.aiobench.benchmarks.plan.Pairing}), what a fork costs
 * and how much the box's noise asks for ({@link org.aiobench.benchmarks.plan.ForkCost},
 * {@link org.aiobench.benchmarks.plan.BoxNoise}), and when the rounds stop
 * ({@link org.aiobench.benchmarks.plan.PrecisionStop}).
 *
 * <p>Imports run one way: {@code run -> plan -> benchmarks -> metrics}. The plan names benchmark classes and asks
 * them which parameters they take; it never imports the runner ({@code run}), which carries it out.
 */
package org.aiobench.benchmarks.plan;
