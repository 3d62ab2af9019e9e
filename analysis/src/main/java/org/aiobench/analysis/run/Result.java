package org.aiobench.analysis.run;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.aiobench.analysis.stats.Better;
import org.aiobench.analysis.stats.RoundSeries;
import org.aiobench.vocabulary.ConfigLabel;
import org.aiobench.vocabulary.Vocabulary;

/**
 * One measured configuration of a group.
 *
 * @param config  the stable configuration id (samples.jsonl's {@code config}; for a run made before rounds, built the
 *                same way from the JMH benchmark and params)
 * @param aa      null, or "B" for the A/A control's second label
 * @param params  the JMH @Params as strings
 * @param samples raw samples per metric, every round and fork together: {@link #TIME} for a time per copy in
 *                seconds, {@link #OPS} for a rate, the secondary metrics under their results/README names
 * @param rounds  the same samples by round, per metric; empty for a run made before rounds
 * @param paired  per configuration this one shared forks with ({@code --pairing fork}), per metric, the copies of
 *                those forks by round: what a comparison with that configuration reads
 */
public record Result(String group, String benchmark, String config, String aa, Map<String, String> params,
                     Map<String, double[]> samples, Map<String, RoundSeries> rounds,
                     Map<String, Map<String, RoundSeries>> paired) {

    public Result(String group, String benchmark, String config, String aa, Map<String, String> params,
                  Map<String, double[]> samples, Map<String, RoundSeries> rounds) {
        this(group, benchmark, config, aa, params, samples, rounds, Map.of());
    }

    /** The copies of the forks this configuration shared with {@code other}, by round, or null. */
    public RoundSeries pairedWith(Result other, String metric) {
        Map<String, RoundSeries> m = paired.get(other.config());
        return m == null ? null : m.get(metric);
    }
    /** The primary metric of a copy: seconds per copy (s/op). */
    public static final String TIME = "time";
    /** The primary metric of a rate (ops/s), e.g. random I/O. */
    public static final String OPS = "opsPerSec";
    /** The cp reference's cost of starting cp (fork and exec), a secondary metric in seconds. */
    public static final String START_COST = "spawnSec";
    /** cp's time less its start cost, per copy: derived here where the run records {@link #START_COST}. */
    public static final String TIME_LESS_START = "timeLessStart";

    /**
     * {@code params} with the group's parameters added later ({@link Vocabulary#ADDED_LATER}) at the value earlier
     * runs had, where they are absent, so a run of either age answers the same questions; after the others by name:
     * Map.of's order changes from one JVM to the next, and compare.json lists the parameters in this order.
     */
    static Map<String, String> withEarlierValues(String group, Map<String, String> params) {
        List<String> later = Vocabulary.ADDED_LATER_IN.get(group);
        if (later == null || params.keySet().containsAll(later)) return params;
        Map<String, String> m = new java.util.LinkedHashMap<>(params);
        new java.util.TreeSet<>(later).forEach(k -> m.putIfAbsent(k, Vocabulary.ADDED_LATER.get(k)));
        return m;
    }

    /** A result from JMH's JSON (a run made before rounds): no rounds. */
    static Result ofJmh(String group, String benchmark, Map<String, String> params, Map<String, double[]> samples) {
        return new Result(group, benchmark, configId(benchmark, params), null, withEarlierValues(group, params), samples,
                Map.of());
    }

    public String param(String name) {
        return params.get(name);
    }

    /** The external cp -r reference (group cp, no engine parameter). */
    public boolean isCp() {
        return group.equals("cp");
    }

    /** The group of the external programs given with --peer (each named by its {@code peer} parameter). */
    public static final String PEER_GROUP = "peer";

    /** A peer: an external copy program measured like cp -r, named by its {@code peer} parameter. */
    public boolean isPeer() {
        return group.equals(PEER_GROUP);
    }

    /** This metric's samples carry their rounds: paired statistics apply. */
    public boolean inRounds(String metric) {
        return rounds.containsKey(metric);
    }

    public RoundSeries series(String metric) {
        return rounds.get(metric);
    }

    /**
     * This configuration's level in its run, as logs: the logarithms of its per-round medians (a run made before
     * rounds: of its samples, pooled). What a comparison across runs reads, one run at a time.
     */
    public double[] levelLogs(String metric) {
        if (inRounds(metric)) return series(metric).logMedians();
        return Arrays.stream(samples.get(metric)).map(Math::log).toArray();
    }

    /** The bytes one copy moves: the tree's size from the parameters, else from a sample's rate and time. */
    public double bytesPerCopy() {
        String size = param("fileSize"), files = param("files");
        if (size != null && files != null) {
            double b = Vocabulary.bytes(size);
            try {
                if (b < Double.MAX_VALUE) return b * Double.parseDouble(files);
            } catch (NumberFormatException e) {
                // not a count: from the samples below
            }
        }
        double[] rate = samples.get("mbPerSec"), time = samples.get(TIME);
        if (rate == null || time == null || rate.length != time.length || rate.length == 0) return Double.NaN;
        double[] bytes = new double[rate.length];
        for (int i = 0; i < bytes.length; i++) bytes[i] = rate[i] * 1e6 * time[i];
        java.util.Arrays.sort(bytes);
        return bytes[bytes.length / 2];
    }

    /**
     * MB/s beside a mean time: the bytes of a copy over that mean time (10^6 bytes/s), so that the two columns agree.
     * Not the mean of per-copy rates, which is dominated by the fastest copies (a mean of 46.6 ms beside 145.6 MB/s
     * where bytes over the mean give 90).
     */
    public double mbPerSecAtMean(String timeMetric) {
        double[] t = samples.get(timeMetric);
        if (t == null || t.length == 0) return Double.NaN;
        return bytesPerCopy() / 1e6 / java.util.Arrays.stream(t).average().orElse(Double.NaN);
    }

    /** Which way a metric improves: rates higher, everything else (times, bytes, CPU, switches) lower. */
    public static Better better(String metric) {
        return metric.equals(OPS) || metric.equals("mbPerSec") ? Better.HIGHER : Better.LOWER;
    }

    /** Whether a metric's verdict words are speed words (faster/slower) or size words (less/more). */
    public static boolean isSpeed(String metric) {
        return metric.equals(TIME) || metric.equals(TIME_LESS_START) || metric.equals(OPS) || metric.equals("mbPerSec");
    }

    /**
     * CONTRACT.md's configuration id: the benchmark's simple class name, then the sorted params k=v joined by ",".
     * Ids read from samples.jsonl are used as they are; this builds one for a run made before rounds.
     */
    public static String configId(String benchmark, Map<String, String> params) {
        String[] parts = benchmark.split("\\.");
        return ConfigLabel.id(parts.length >= 2 ? parts[parts.length - 2] : benchmark, params);
    }

    /** The configuration's key across runs: a run made before rounds and one made with them give the same. */
    public String key() {
        return group + "|" + (benchmark.isEmpty() ? config : configId(benchmark, params));
    }

    /** The primary metric: {@link #TIME} for a copy, {@link #OPS} for a rate, null for neither. */
    public String primaryMetric() {
        return samples.containsKey(TIME) ? TIME : samples.containsKey(OPS) ? OPS : null;
    }

    /** Per group, the parameters whose values differ between these configurations ({@link ConfigLabel#varying}). */
    public static Map<String, Set<String>> varying(Collection<Result> results) {
        return ConfigLabel.varying(results.stream().map(r -> Map.entry(r.group(), r.params())).toList());
    }
}
