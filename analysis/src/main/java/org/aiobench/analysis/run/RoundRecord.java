package org.aiobench.analysis.run;

import java.util.List;

/**
 * One line of rounds.jsonl: a finished round.
 *
 * @param order          the configuration ids in the order they ran (the A/A second label as {@code <config>#B})
 * @param stealFraction  CPU steal over the round as a fraction of all CPU time; NaN when not recorded
 * @param iowaitFraction iowait likewise
 * @param failed         the configuration ids that failed in this round
 */
public record RoundRecord(int round, String started, String finished, List<String> order, double stealFraction,
                          double iowaitFraction, List<String> failed) {}
