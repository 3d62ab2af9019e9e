package org.aiobench.benchmarks;

import java.util.Map;

import org.aiobench.workloads.CacheMode;
import org.aiobench.workloads.CopyMode;
import org.aiobench.workloads.CopyOptions;
import org.aiobench.workloads.Sizes;
import org.aiobench.workloads.WarmupCopies;

/**
 * One copy configuration as the benchmarks' {@code @Param}s spell it (results/README.md), turned into the
 * workload's options. JMH's {@code -p} splits values at commas, so on its command line several ring flags may be
 * joined with {@code +} ({@code -p ringFlags=single_issuer+defer_taskrun}). The benchmarks and the experiment runner (which decides skips) both go through here, so
 * what the runner validated is exactly what the benchmark runs.
 *
 * @param params   the parameters by name, as given
 * @param options  the copy's options ({@code null} for the cp baseline, which has no engine)
 * @param fileSize bytes per file of the source tree
 * @param files    files in the source tree
 * @param cache    the page-cache state prepared before each copy
 */
public record CopySpec(Map<String, String> params, CopyOptions options, long fileSize, int files, CacheMode cache) {

    public CopySpec {
        params = Map.copyOf(params);
    }

    /** The parameters of a copy benchmark (every key of results/README.md must be present). */
    public static CopySpec of(Map<String, String> p) {
        CopyOptions o = CopyOptions.defaults(need(p, "engine"))
                .withMode(CopyMode.parse(need(p, "mode")))
                .withQd(Integer.parseInt(need(p, "qd")))
                .withOpsPerFile(Integer.parseInt(need(p, "opsPerFile")))
                .withBufferSize((int) Sizes.parse(need(p, "bufferSize")))
                .withDirect(Boolean.parseBoolean(need(p, "direct")))
                .withFallocate(Boolean.parseBoolean(need(p, "fallocate")))
                .withRegbuf(Boolean.parseBoolean(need(p, "regbuf")))
                .withRegfiles(Boolean.parseBoolean(need(p, "regfiles")))
                .withRingFlags(need(p, "ringFlags").replace('+', ','));
        // parameters only some classes have: their earlier meaning where absent
        if (p.containsKey("cfrRequest")) o = o.withCfrRequest(CopyOptions.CfrRequest.parse(p.get("cfrRequest")));
        if (p.containsKey("aioFds")) o = o.withAioFds(CopyOptions.AioFds.parse(p.get("aioFds")));
        if (p.containsKey("metadata")) o = o.withMetadata(CopyOptions.Metadata.parse(p.get("metadata")));
        return new CopySpec(p, o, Sizes.parse(need(p, "fileSize")), Integer.parseInt(need(p, "files")),
                CacheMode.parse(need(p, "cache")));
    }

    /** The parameters of cp and the other peers: fileSize, files, cache (a peer's name is in {@code peer}). */
    public static CopySpec ofCp(Map<String, String> p) {
        return new CopySpec(p, null, Sizes.parse(need(p, "fileSize")), Integer.parseInt(need(p, "files")),
                CacheMode.parse(need(p, "cache")));
    }

    /** Bytes in the source tree. */
    public long treeBytes() { return fileSize * files; }

    /** The most warm-up copies a configuration gets ({@link WarmupCopies#MAX_WARMUPS}). */
    static final int MAX_WARMUPS = WarmupCopies.MAX_WARMUPS;
    /** cp and the other peers: {@link WarmupCopies#EXTERNAL}. */
    static final int CP_WARMUPS = WarmupCopies.EXTERNAL;

    /**
     * The untimed warm-up copies a configuration gets before its measured ones, so that those run compiled code
     * ({@link WarmupCopies#forEngine}: enough copies for 6,000 read->write pairs, 768 with O_DIRECT, at least 1 and at
     * most 50: buffered 47 for 128 x 32K, 6 for 128 x 1M, 12 for 8 x 8M, 1 for 128 x 100M; O_DIRECT 6 for 128 x 32K,
     * 1 for 128 x 1M). cp and the other peers ({@code params} without
     * an engine) get {@link #CP_WARMUPS}. The experiment runner calls this for each configuration unless warm-ups are
     * set on its command line.
     *
     * @param params a copy benchmark's or a peer's parameters (results/README.md)
     */
    public static int warmupsFor(Map<String, String> params) {
        if (params.containsKey("iodepth") && !params.containsKey("engine")) return 0; // fio's copy bound: no JIT
        if (!params.containsKey("engine")) return CP_WARMUPS;
        CopySpec s = of(params);
        return WarmupCopies.forEngine(s.files, s.fileSize, s.options.bufferSize(), s.options.direct());
    }

    private static String need(Map<String, String> p, String key) {
        String v = p.get(key);
        if (v == null) throw new IllegalArgumentException("missing benchmark parameter '" + key + "'");
        return v;
    }
}
