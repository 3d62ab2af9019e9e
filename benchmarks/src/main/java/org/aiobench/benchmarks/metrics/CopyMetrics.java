package org.aiobench.benchmarks.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.aiobench.engines.nat.ResourceUsage;
import org.aiobench.engines.nat.Tasks;

/**
 * The secondary metrics of each copy (keys and units in results/README.md). A benchmark calls {@link #begin} at
 * the end of its invocation setup and {@link #end} at the start of its teardown, so the sampling stays outside the
 * timed section; {@link CopyMetricsProfiler} hands the samples of each iteration to JMH. Everything here runs in
 * the benchmark's JVM; one copy runs at a time, in the thread that calls begin and end.
 *
 * <p>Who used the CPU, three ways: the whole process ({@code cpu*}, {@code ctx*}: RUSAGE_SELF, JIT and GC
 * threads included), the copying thread alone ({@code thread*}: RUSAGE_THREAD), and the kernel's helper threads
 * of this process ({@code helper*}: io_uring's {@code iou-wrk-*} and {@code iou-sqp-*}, glibc's POSIX AIO
 * threads, from /proc/self/task). The copying thread is named {@value #COPY_THREAD} for the kernel, so the AIO
 * threads glibc starts from it carry that name too. Helpers that exit during the copy (io-wq workers leave when
 * the ring closes) are counted as the process's time less that of the threads still there.
 */
public final class CopyMetrics {
    public static final String MB_PER_SEC = "mbPerSec";
    public static final String PEAK_RSS = "peakRssBytes";
    public static final String NATIVE_BYTES = "nativeBytes";
    public static final String CPU_USER = "cpuUserSec";
    public static final String CPU_SYS = "cpuSysSec";
    public static final String CTX_VOLUNTARY = "ctxVoluntary";
    public static final String CTX_INVOLUNTARY = "ctxInvoluntary";
    public static final String THREAD_CPU_USER = "threadCpuUserSec";
    public static final String THREAD_CPU_SYS = "threadCpuSysSec";
    public static final String THREAD_CTX_VOLUNTARY = "threadCtxVoluntary";
    public static final String THREAD_CTX_INVOLUNTARY = "threadCtxInvoluntary";
    public static final String HELPER_CPU = "helperCpuSec";
    public static final String HELPER_CTX_VOLUNTARY = "helperCtxVoluntary";
    public static final String HELPER_CTX_INVOLUNTARY = "helperCtxInvoluntary";
    public static final String HELPER_THREADS = "helperThreads";
    public static final String RESIDENT = "residentFraction";
    /** Which side of a paired fork a copy was ({@link PairedCopy}): 0 for x, 1 for y. */
    public static final String PAIR_SIDE = "pairSide";
    public static final String PAIRS_IN_FLIGHT = "pairsInFlight";
    public static final String FILES_IN_FLIGHT = "filesInFlight";
    public static final String SPAWN = "spawnSec";
    /** The copy bound's (fio's) own time: the longer job's runtime, without fio's start, layout and exit. */
    public static final String BOUND = "boundSec";

    /** Unit of each key, as JMH reports it. */
    public static final Map<String, String> UNITS = Map.ofEntries(Map.entry(MB_PER_SEC, "MB/s"),
            Map.entry(PEAK_RSS, "bytes"), Map.entry(NATIVE_BYTES, "bytes"), Map.entry(CPU_USER, "s"),
            Map.entry(CPU_SYS, "s"), Map.entry(CTX_VOLUNTARY, "count"), Map.entry(CTX_INVOLUNTARY, "count"),
            Map.entry(THREAD_CPU_USER, "s"), Map.entry(THREAD_CPU_SYS, "s"), Map.entry(THREAD_CTX_VOLUNTARY, "count"),
            Map.entry(THREAD_CTX_INVOLUNTARY, "count"), Map.entry(HELPER_CPU, "s"),
            Map.entry(HELPER_CTX_VOLUNTARY, "count"), Map.entry(HELPER_CTX_INVOLUNTARY, "count"),
            Map.entry(HELPER_THREADS, "count"), Map.entry(RESIDENT, "fraction"), Map.entry(PAIRS_IN_FLIGHT, "count"),
            Map.entry(FILES_IN_FLIGHT, "count"), Map.entry(SPAWN, "s"), Map.entry(BOUND, "s"),
            Map.entry(PAIR_SIDE, "side"));

    /** The kernel's name for the copying thread (and the glibc AIO threads it starts). */
    public static final String COPY_THREAD = "aiobench-copy";

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");
    private static final List<Map<String, Double>> SAMPLES = new ArrayList<>();

    private CopyMetrics() {}

    /** What was sampled right before a copy. */
    public record Before(long rssBytes, ResourceUsage process, ResourceUsage thread, int tid,
                         Map<Integer, Tasks.Task> tasks) {}

    /** Before a copy in this thread: names it, resets the peak RSS and snapshots the counters. */
    public static Before begin() {
        Tasks.nameCurrentThread(COPY_THREAD);
        try {
            Files.writeString(CLEAR_REFS, "5");
        } catch (IOException e) {
            throw new IllegalStateException("cannot reset the peak RSS (" + CLEAR_REFS + "): " + e.getMessage(), e);
        }
        long rss = statusKiB("VmRSS") * 1024;
        Map<Integer, Tasks.Task> tasks = Tasks.snapshot();
        return new Before(rss, ResourceUsage.self(), ResourceUsage.thread(), Tasks.currentTid(), tasks);
    }

    /** After a copy in the thread that called {@link #begin}: its peak RSS, process, thread and helper metrics. */
    public static Map<String, Double> end(Before b) {
        ResourceUsage process = ResourceUsage.self().minus(b.process());
        ResourceUsage thread = ResourceUsage.thread().minus(b.thread());
        Map<Integer, Tasks.Task> now = Tasks.snapshot();
        long peak = statusKiB("VmHWM") * 1024 - b.rssBytes();

        long liveCpu = 0, liveVol = 0, liveInvol = 0;          // every other task still there
        long helperCpu = 0, helperVol = 0, helperInvol = 0;
        int helpers = 0;
        for (Tasks.Task t : now.values()) {
            if (t.tid() == b.tid()) continue; // the copying thread: RUSAGE_THREAD, read beside RUSAGE_SELF
            Tasks.Task was = b.tasks().get(t.tid());
            boolean same = was != null && was.name().equals(t.name()); // a tid reused by a new thread starts at 0
            long cpu = t.cpuNanos() - (same ? was.cpuNanos() : 0);
            long vol = t.voluntarySwitches() - (same ? was.voluntarySwitches() : 0);
            long invol = t.involuntarySwitches() - (same ? was.involuntarySwitches() : 0);
            liveCpu += cpu;
            liveVol += vol;
            liveInvol += invol;
            boolean helper = Tasks.isIoUringHelper(t.name()) || t.name().equals(COPY_THREAD);
            if (helper && (cpu > 0 || vol > 0 || invol > 0)) {
                helpers++;
                helperCpu += cpu;
                helperVol += vol;
                helperInvol += invol;
            }
        }
        // threads that exited during the copy: the process's counters keep their time, /proc/self/task does not
        long othersCpu = (process.userMicros() + process.systemMicros() - thread.userMicros() - thread.systemMicros()) * 1000;
        helperCpu += Math.max(0, othersCpu - liveCpu);
        helperVol += Math.max(0, process.voluntarySwitches() - thread.voluntarySwitches() - liveVol);
        helperInvol += Math.max(0, process.involuntarySwitches() - thread.involuntarySwitches() - liveInvol);

        Map<String, Double> m = process(process, Math.max(0, peak));
        m.put(THREAD_CPU_USER, thread.userMicros() / 1e6);
        m.put(THREAD_CPU_SYS, thread.systemMicros() / 1e6);
        m.put(THREAD_CTX_VOLUNTARY, (double) thread.voluntarySwitches());
        m.put(THREAD_CTX_INVOLUNTARY, (double) thread.involuntarySwitches());
        m.put(HELPER_CPU, helperCpu / 1e9);
        m.put(HELPER_CTX_VOLUNTARY, (double) helperVol);
        m.put(HELPER_CTX_INVOLUNTARY, (double) helperInvol);
        m.put(HELPER_THREADS, (double) helpers);
        return m;
    }

    /**
     * A sample's process metrics: CPU time and context-switch deltas, and the peak RSS (left out when negative:
     * not measured).
     */
    public static Map<String, Double> process(ResourceUsage usage, long peakRssBytes) {
        Map<String, Double> m = new LinkedHashMap<>();
        if (peakRssBytes >= 0) m.put(PEAK_RSS, (double) peakRssBytes);
        m.put(CPU_USER, usage.userMicros() / 1e6);
        m.put(CPU_SYS, usage.systemMicros() / 1e6);
        m.put(CTX_VOLUNTARY, (double) usage.voluntarySwitches());
        m.put(CTX_INVOLUNTARY, (double) usage.involuntarySwitches());
        return m;
    }

    /** Records one copy's sample (keys of {@link #UNITS}). */
    public static void record(Map<String, Double> sample) {
        for (String k : sample.keySet()) {
            if (!UNITS.containsKey(k)) throw new IllegalArgumentException("unknown metric " + k);
        }
        synchronized (SAMPLES) {
            SAMPLES.add(new LinkedHashMap<>(sample));
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
