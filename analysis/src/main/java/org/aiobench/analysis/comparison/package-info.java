/**
 * {@code compare}: two kernels (or any two sets of runs) side by side, after mmtests' compare-kernels. The model and
 * its verdicts ({@link org.aiobench.analysis.comparison.KernelComparison}, on the box's calibration: {@link
 * org.aiobench.analysis.comparison.Calibration}), what differs between the environments ({@link
 * org.aiobench.analysis.comparison.EnvDifferences}), and its rendering ({@link
 * org.aiobench.analysis.comparison.CompareReport}). Imports every package but {@code history}.
 */
package org.aiobench.analysis.comparison;
