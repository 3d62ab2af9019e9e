package org.aiobench.analysis.stats;

/** Which way a metric improves: it decides whether a ratio below 1 is the faster (or smaller) side. */
public enum Better {
    /** Times (s/op) and sizes (bytes): a ratio below 1 means the first side is faster or smaller. */
    LOWER,
    /** Rates (ops/s, MB/s): a ratio above 1 means the first side is faster. */
    HIGHER;

    /** From a unit as samples.jsonl and JMH write it: a rate ("ops/s", "MB/s") is higher-better, all else lower. */
    public static Better forUnit(String unit) {
        return unit.endsWith("/s") ? HIGHER : LOWER;
    }
}
