/**
 * The run report ({@code plot}): everything it shows computed once ({@link org.aiobench.analysis.report.Analysis}),
 * its sections in order ({@link org.aiobench.analysis.report.ReportWriter}), the document model they write into and
 * that renders Markdown and HTML ({@link org.aiobench.analysis.report.ReportDoc}, which compare and history render
 * through too), the run's verdicts as the store keeps them ({@link org.aiobench.analysis.report.RunVerdicts}) and its
 * precision ({@link org.aiobench.analysis.report.RunPrecision}, the {@code precision} command). Imports {@code
 * figures}, {@code claims}, {@code run} and {@code stats}.
 */
package org.aiobench.analysis.report;
