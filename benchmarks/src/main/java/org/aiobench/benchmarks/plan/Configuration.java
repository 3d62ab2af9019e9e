package org.aiobench.benchmarks.plan;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.aiobench.vocabulary.ConfigLabel;
import org.aiobench.vocabulary.Vocabulary;

/**
 * One configuration of a run: a group's benchmark with every one of its parameters.
 *
 * @param group  the experiment group
 * @param params the benchmark's {@code @Param}s by name, as the matrix lists them
 */
public record Configuration(Group group, Map<String, String> params) {

    public Configuration {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /**
     * The stable id of samples.jsonl's {@code config}: the benchmark's simple class name, a colon, then the sorted
     * parameters {@code k=v} joined by commas ({@code CpBaseline:cache=warm,fileSize=1M,files=128}), less those of
     * {@link Vocabulary#ADDED_LATER} at their earlier value; the same across runs and kernels for the same configuration.
     */
    public String id() {
        Map<String, String> kept = new LinkedHashMap<>(params);
        kept.entrySet().removeIf(e -> e.getValue().equals(Vocabulary.ADDED_LATER.get(e.getKey())));
        return ConfigLabel.id(group.benchmarkClassName(), kept);
    }

    /** The fully qualified JMH benchmark name. */
    public String benchmark() { return group.benchmark(); }
}
