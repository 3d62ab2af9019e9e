/**
 * The report's figures: what each shows ({@link org.aiobench.analysis.figures.FigureDef}, the copy study's; {@link
 * org.aiobench.analysis.figures.RandomIoFigures} and {@link org.aiobench.analysis.figures.ThesisFigures}), their points
 * and comparisons built from a run ({@link org.aiobench.analysis.figures.FigureBuilder}), and where they are drawn
 * ({@link org.aiobench.analysis.figures.ChartRenderer}, {@link org.aiobench.analysis.figures.DriftChart}, as a {@link
 * org.aiobench.analysis.figures.Drawing}). Imports {@code run} and {@code stats}.
 */
package org.aiobench.analysis.figures;
