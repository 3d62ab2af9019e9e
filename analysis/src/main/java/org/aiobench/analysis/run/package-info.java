/**
 * A run directory as read (results/README.md's layout): {@link org.aiobench.analysis.run.RunData} and the files it is
 * read from ({@link org.aiobench.analysis.run.RunFiles}, {@link org.aiobench.analysis.run.JmhResults}), each measured
 * configuration ({@link org.aiobench.analysis.run.Result}, {@link org.aiobench.analysis.run.Sample}), what failed or was
 * skipped, and the two things measured within one run that everything above reads: a paired
 * {@link org.aiobench.analysis.run.Comparison} of two configurations and the run's
 * {@link org.aiobench.analysis.run.Drift}. Imports only {@code stats}.
 */
package org.aiobench.analysis.run;
