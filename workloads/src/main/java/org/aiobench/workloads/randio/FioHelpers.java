package org.aiobench.workloads.randio;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.aiobench.engines.nat.Tasks;

/**
 * The CPU of fio's helper threads, which fio's own usr_cpu and sys_cpu leave out (they are its job threads'
 * getrusage(RUSAGE_THREAD)): the io_uring SQPOLL thread and io-wq workers of a job's ring, glibc's POSIX AIO threads
 * of its posixaio. Each is a task of fio's job process other than the job's own thread, so while fio runs this
 * samples the tasks of fio's child processes every {@link #PERIOD_MILLIS} ms (schedstat: nanoseconds).
 *
 * <p>fio's window cannot be seen from outside; it ends when the job stops issuing I/O, after which the helpers stop
 * working and go. So the window is taken as the {@code runtime} before the last sample in which a helper's CPU grew,
 * and the helpers' CPU in it is read off their cumulative CPU at its two ends (interpolated between samples): an
 * estimate within a sampling period at each end, as the summary says.
 */
final class FioHelpers implements AutoCloseable {
    static final long PERIOD_MILLIS = 50;

    private final long fioPid;
    private final Thread sampler;
    private volatile boolean stop;
    /** When, and the helpers' cumulative CPU (ns) then: every helper seen so far at its last reading. */
    private final List<long[]> samples = new ArrayList<>();
    private final Map<Integer, Long> lastCpu = new HashMap<>();
    private final Map<Integer, String> kindOf = new HashMap<>();
    private final List<Long> jobs = new ArrayList<>();
    private int sinceScan;
    private static final int SCAN_EVERY = (int) (1000 / PERIOD_MILLIS);

    private FioHelpers(long fioPid) {
        this.fioPid = fioPid;
        this.sampler = Thread.ofPlatform().daemon().name("fio-helpers").unstarted(this::run);
    }

    /** Starts sampling fio's process tree. */
    static FioHelpers start(Process fio) {
        FioHelpers h = new FioHelpers(fio.pid());
        h.sampler.start();
        return h;
    }

    private void run() {
        while (!stop) {
            sample();
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample() {
        // fio's job processes: found by a scan of the process table (every /proc/N/stat), so only while there are
        // none yet and then once a second, not at every sample: the scan costs CPU fio's measurement would miss
        if (jobs.isEmpty() || ++sinceScan >= SCAN_EVERY) {
            sinceScan = 0;
            ProcessHandle.of(fioPid).ifPresent(fio -> fio.descendants().forEach(p -> {
                if (!jobs.contains(p.pid())) jobs.add(p.pid());
            }));
        }
        for (long job : jobs) {
            for (Tasks.Task t : Tasks.snapshot(job).values()) {
                if (t.tid() == job) continue; // the job's own thread: fio counts it
                synchronized (this) {
                    lastCpu.put(t.tid(), t.cpuNanos());
                    // the latest name: a new io_uring thread starts with its parent's name ("fio") and takes
                    // iou-sqp-N or iou-wrk-N only once it runs, so a sample in between would call it glibc's
                    kindOf.put(t.tid(), kind(t.name()));
                }
            }
        }
        synchronized (this) {
            long total = 0;
            for (long c : lastCpu.values()) total += c;
            samples.add(new long[]{System.nanoTime(), total});
        }
    }

    static String kind(String name) {
        if (name.startsWith("iou-sqp")) return "io_uring SQPOLL thread (iou-sqp)";
        if (name.startsWith("iou-wrk")) return HelperCpu.IO_WQ_WORKER;
        return "glibc POSIX AIO thread";
    }

    @Override
    public void close() {
        stop = true;
        sampler.interrupt();
        try {
            sampler.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** "io_uring SQPOLL thread (iou-sqp) x1", or "none". */
    synchronized String describe() {
        Map<String, Integer> kinds = new TreeMap<>();
        kindOf.values().forEach(k -> kinds.merge(k, 1, Integer::sum));
        return HelperCpu.describe(kinds);
    }

    /** The helpers' CPU seconds in the {@code runtimeSec} before they stopped working (0 with no helpers). */
    synchronized double windowSeconds(double runtimeSec) {
        return windowSeconds(samples, runtimeSec);
    }

    /** {@link #windowSeconds} of samples {time ns, cumulative CPU ns}. */
    static double windowSeconds(List<long[]> samples, double runtimeSec) {
        int last = -1;
        for (int i = 1; i < samples.size(); i++) {
            if (samples.get(i)[1] > samples.get(i - 1)[1]) last = i;
        }
        if (last < 0) return 0;
        long end = samples.get(last)[0];
        long start = end - (long) (runtimeSec * 1e9);
        return (samples.get(last)[1] - cpuAt(samples, start)) / 1e9;
    }

    /** Cumulative CPU at {@code t}, interpolated between the samples around it (the first sample's before them). */
    private static double cpuAt(List<long[]> samples, long t) {
        if (t <= samples.get(0)[0]) return samples.get(0)[1];
        for (int i = 1; i < samples.size(); i++) {
            long[] a = samples.get(i - 1), b = samples.get(i);
            if (t <= b[0]) return a[1] + (double) (b[1] - a[1]) * (t - a[0]) / Math.max(1, b[0] - a[0]);
        }
        return samples.get(samples.size() - 1)[1];
    }
}
