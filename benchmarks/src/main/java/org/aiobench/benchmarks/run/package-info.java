/**
 * The runner: {@code ./run-experiments.sh} calls {@link org.aiobench.benchmarks.run.ExperimentRunner} (the command
 * line), which checks the options and turns them into the plan's inputs
 * ({@link org.aiobench.benchmarks.run.PlanFromOptions}), then carries the run out
 * ({@link org.aiobench.benchmarks.run.ExperimentRun}): the rounds ({@link org.aiobench.benchmarks.run.RoundExecutor}),
 * each configuration's JMH fork ({@link org.aiobench.benchmarks.run.JmhFork}), and the run directory it writes
 * (RunRecord, Samples, RunProgress, Environment, JmhMerge; layout in results/README.md).
 *
 * <p>Imports run one way: {@code run -> plan -> benchmarks -> metrics}; this package is the top, and nothing in the
 * module imports it.
 */
package org.aiobench.benchmarks.run;
