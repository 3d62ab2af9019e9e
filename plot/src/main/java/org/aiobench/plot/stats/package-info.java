/**
 * Every statistic of the plot module, in one place: what the report, its verdicts, the copy study's claims and the
 * run-to-run comparison all use.
 *
 * <ul>
 *   <li>{@link org.aiobench.plot.stats.Stats}: mean, SD and n of raw samples (the figures' mean +/- 2 SD bars).</li>
 *   <li>{@link org.aiobench.plot.stats.RoundSeries}: one configuration's samples by round; medians, means, drift.</li>
 *   <li>{@link org.aiobench.plot.stats.PairedComparison}: two configurations measured in the same rounds: the ratio
 *       of their medians per round, the geometric mean of those ratios, its interval and the verdict.</li>
 *   <li>{@link org.aiobench.plot.stats.Bootstrap}: the seeded bootstrap behind every interval (a t interval with
 *       the bootstrap's standard error, near its nominal 95% from 3 rounds on), resampling the rounds of one run or,
 *       across several runs, the runs.</li>
 *   <li>{@link org.aiobench.plot.stats.Verdict}: faster, slower, same or inconclusive, from an interval and a
 *       threshold; {@link org.aiobench.plot.stats.Better} says which way a metric improves.</li>
 *   <li>{@link org.aiobench.plot.stats.IterationTrend}: whether samples trend across the iterations of a fork.</li>
 * </ul>
 * Sources: reference/measurement.md (Kalibera and Jones 2013 for bootstrapping the ratio at the level where variation
 * arises; Abedi and Brecht 2017 for rounds; Laaber et al. 2019 for the hierarchical bootstrap).
 */
package org.aiobench.plot.stats;
