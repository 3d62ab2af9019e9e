package org.aiobench.plot;

import java.util.Map;

/**
 * One JMH result (one benchmark configuration) of a group.
 *
 * @param params  the JMH @Params as strings
 * @param samples raw samples per metric, all forks together: {@link #TIME} for the primary metric in seconds (the
 *                copies) or {@link #IOPS} in ops/s (the random-I/O groups), the secondary metrics under their own
 *                keys in their own units
 */
public record Result(String group, String benchmark, Map<String, String> params, Map<String, double[]> samples) {
    public static final String TIME = "time";
    public static final String IOPS = "iops";

    public String param(String name) {
        return params.get(name);
    }
}
