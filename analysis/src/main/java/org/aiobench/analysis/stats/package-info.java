/**
 * Every statistic of the analysis module, in one place: what the report, its verdicts, the copy study's claims, compare and
 * history use.
 *
 * <ul>
 *   <li>{@link org.aiobench.analysis.stats.Stats}: mean, SD and n of raw samples (the figures' mean +/- 2 SD bars).</li>
 *   <li>{@link org.aiobench.analysis.stats.RoundSeries}: one configuration's samples by round; medians, means, drift.</li>
 *   <li>{@link org.aiobench.analysis.stats.Estimate}: an effect on the log scale with its standard error and degrees of
 *       freedom, and its closed-form t interval; rounds or runs as the units.</li>
 *   <li>{@link org.aiobench.analysis.stats.VerdictRule} and {@link org.aiobench.analysis.stats.Judgement}: slower, faster,
 *       same or unknown, decided by the interval against the threshold, exploratory below 6 units, with the units
 *       that would decide an unknown one; {@link org.aiobench.analysis.stats.Better} says which way a metric improves.</li>
 *   <li>{@link org.aiobench.analysis.stats.PairedComparison}: two configurations in the same rounds of one run.</li>
 *   <li>{@link org.aiobench.analysis.stats.BestOf}: each of several configurations against the best (Hsu's multiple
 *       comparisons with the best).</li>
 *   <li>{@link org.aiobench.analysis.stats.RunLevel}, {@link org.aiobench.analysis.stats.Moderation} and
 *       {@link org.aiobench.analysis.stats.CrossRun}: comparisons across runs, the run as the unit, the box's common level
 *       separated, each configuration's own variance moderated by empirical Bayes or taken from a calibration;
 *       {@link org.aiobench.analysis.stats.Multiplicity}: Holm, Benjamini-Hochberg and -Yekutieli.</li>
 *   <li>{@link org.aiobench.analysis.stats.RatioCell} and {@link org.aiobench.analysis.stats.VerdictCounts}: a ratio
 *       across runs with its verdict and whether it sets compare's exit status, and verdicts counted over cells.</li>
 *   <li>{@link org.aiobench.analysis.stats.ChangePoints}: change points over a series of runs in kernel order.</li>
 *   <li>{@link org.aiobench.analysis.stats.IterationTrend}: whether samples trend across the iterations of a fork.</li>
 *   <li>{@link org.aiobench.analysis.stats.Numbers}: how the tables print a number (five significant digits).</li>
 * </ul>
 * Sources: reference/measurement.md (Kalibera and Jones 2013 for replicating where the variation arises; Abedi and
 * Brecht 2017 for rounds; Lakens 2017 for equivalence; Smyth 2004 for moderated variances; Holm 1979,
 * Benjamini-Hochberg 1995, Benjamini-Yekutieli 2001; Hsu 1984; Matteson and James 2014 for change points).
 */
package org.aiobench.analysis.stats;
