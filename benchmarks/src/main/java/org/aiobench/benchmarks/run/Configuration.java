package org.aiobench.benchmarks.run;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.aiobench.vocabulary.ConfigLabel;

/**
 * One configuration of a run: a group's benchmark with every one of its parameters.
 *
 * @param group  the experiment group
 * @param params the benchmark's {@code @Param}s by name, as the matrix lists them
 */
record Configuration(Group group, Map<String, String> params) {

    Configuration {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /**
     * The stable id of samples.jsonl's {@code config}: the benchmark's simple class name, a colon, then the sorted
     * parameters {@code k=v} joined by commas ({@code CpBaseline:cache=warm,fileSize=1M,files=128}); the same across
     * runs and kernels for the same configuration.
     */
    String id() {
        return ConfigLabel.id(group.benchmarkClassName(), params);
    }

    /** The fully qualified JMH benchmark name. */
    String benchmark() { return group.benchmark(); }
}
