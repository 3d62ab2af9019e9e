package org.aiobench.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.aiobench.engines.nat.ResourceUsage;

/**
 * The secondary metrics of each copy (keys and units in results/README.md). A benchmark calls {@link #begin} at
 * the end of its invocation setup and {@link #end} at the start of its teardown, so the sampling stays outside the
 * timed section; {@link CopyMetricsProfiler} hands the samples of each iteration to JMH. Everything here runs in
 * the benchmark's JVM; one copy runs at a time.
 */
public final class CopyMetrics {
    public static final String MB_PER_SEC = "mbPerSec";
    public static final String PEAK_RSS = "peakRssBytes";
    public static final String NATIVE_BYTES = "nativeBytes";
    public static final String CPU_USER = "cpuUserSec";
    public static final String CPU_SYS = "cpuSysSec";
    public static final String CTX_VOLUNTARY = "ctxVoluntary";
    public static final String CTX_INVOLUNTARY = "ctxInvoluntary";

    /** Unit of each key, as JMH reports it. */
    public static final Map<String, String> UNITS = Map.of(MB_PER_SEC, "MB/s", PEAK_RSS, "bytes",
            NATIVE_BYTES, "bytes", CPU_USER, "s", CPU_SYS, "s", CTX_VOLUNTARY, "count", CTX_INVOLUNTARY, "count");

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");
    private static final List<Map<String, Double>> SAMPLES = new ArrayList<>();

    private CopyMetrics() {}

    /** What was sampled right before a copy. */
    public record Before(long rssBytes, ResourceUsage usage) {}

    /** Before a copy in this process: resets the peak RSS to the current RSS and snapshots getrusage. */
    public static Before begin() {
        try {
            Files.writeString(CLEAR_REFS, "5");
        } catch (IOException e) {
            throw new IllegalStateException("cannot reset the peak RSS (" + CLEAR_REFS + "): " + e.getMessage(), e);
        }
        long rss = statusKiB("VmRSS") * 1024;
        return new Before(rss, ResourceUsage.self());
    }

    /** After a copy in this process: records its sample. */
    public static void end(Before before, double mbPerSec, long nativeBytes) {
        ResourceUsage d = ResourceUsage.self().minus(before.usage());
        long peak = statusKiB("VmHWM") * 1024 - before.rssBytes();
        record(mbPerSec, Math.max(0, peak), nativeBytes, d);
    }

    /**
     * Records one copy's sample. {@code usage} holds CPU time and context-switch deltas; {@code peakRssBytes} and
     * {@code nativeBytes} are negative when not measured or not applicable (the cp baseline), and are then left out.
     */
    public static void record(double mbPerSec, long peakRssBytes, long nativeBytes, ResourceUsage usage) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(MB_PER_SEC, mbPerSec);
        if (peakRssBytes >= 0) m.put(PEAK_RSS, (double) peakRssBytes);
        if (nativeBytes >= 0) m.put(NATIVE_BYTES, (double) nativeBytes);
        m.put(CPU_USER, usage.userMicros() / 1e6);
        m.put(CPU_SYS, usage.systemMicros() / 1e6);
        m.put(CTX_VOLUNTARY, (double) usage.voluntarySwitches());
        m.put(CTX_INVOLUNTARY, (double) usage.involuntarySwitches());
        synchronized (SAMPLES) {
            SAMPLES.add(m);
        }
    }

    /** Takes every sample recorded since the last call. */
    public static List<Map<String, Double>> drain() {
        synchronized (SAMPLES) {
            List<Map<String, Double>> out = new ArrayList<>(SAMPLES);
            SAMPLES.clear();
            return out;
        }
    }

    /** A {@code kB} line of /proc/self/status (VmRSS, VmHWM). */
    static long statusKiB(String key) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(key + ":")) {
                    return Long.parseLong(line.substring(key.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + STATUS + ": " + e.getMessage(), e);
        }
        throw new IllegalStateException(STATUS + " has no " + key + " line");
    }
}
