package org.aiobench.analysis.run;

import java.util.Map;

/**
 * One line of samples.jsonl: one measured iteration, with its place in time (layout: results/README.md).
 *
 * @param aa      null, or "B": the A/A control's second label
 * @param value   the primary metric as written, in {@code unit}
 * @param metrics the secondary metrics of this iteration by their results/README names
 * @param pairWith the configuration this copy shared its fork with, copies alternating (samples.jsonl
 *                 {@code pair.with}, {@code --pairing fork}), or null
 */
public record Sample(int round, String group, String config, String benchmark, Map<String, String> params, String aa,
                     int fork, int iteration, String start, double value, String unit, Map<String, Double> metrics,
                     String pairWith) {

    /** A copy measured in a fork of its own. */
    public Sample(int round, String group, String config, String benchmark, Map<String, String> params, String aa,
                  int fork, int iteration, String start, double value, String unit, Map<String, Double> metrics) {
        this(round, group, config, benchmark, params, aa, fork, iteration, start, value, unit, metrics, null);
    }
}
