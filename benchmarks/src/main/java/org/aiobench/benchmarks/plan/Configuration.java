package org.aiobench.benchmarks.plan;

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
public record Configuration(Group group, Map<String, String> params) {

    public Configuration {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /**
     * Parameters added after ids were first recorded, with the value every earlier configuration had: left out of the
     * id at that value, so a configuration keeps the id it had before the parameter existed (compare and history
     * match runs by id). cfrRequest=pair: every engine's one request per read/write pair (copy_file_range too, until
     * it asked for whole files as cp does); aioFds=dup: posixaio's own descriptor per concurrent request;
     * metadata=syscalls: the walk by system calls.
     */
    static final Map<String, String> ADDED_LATER = Map.of("cfrRequest", "pair", "aioFds", "dup", "metadata", "syscalls");

    /**
     * The stable id of samples.jsonl's {@code config}: the benchmark's simple class name, a colon, then the sorted
     * parameters {@code k=v} joined by commas ({@code CpBaseline:cache=warm,fileSize=1M,files=128}), less those of
     * {@link #ADDED_LATER} at their earlier value; the same across runs and kernels for the same configuration.
     */
    public String id() {
        Map<String, String> kept = new LinkedHashMap<>(params);
        kept.entrySet().removeIf(e -> e.getValue().equals(ADDED_LATER.get(e.getKey())));
        return ConfigLabel.id(group.benchmarkClassName(), kept);
    }

    /** The fully qualified JMH benchmark name. */
    public String benchmark() { return group.benchmark(); }
}
