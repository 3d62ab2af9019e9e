package org.aiobench.workloads.randio;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.aiobench.engines.nat.ResourceUsage;
import org.aiobench.engines.nat.Tasks;

/**
 * CPU time of the threads that do a job's I/O besides the job threads themselves ({@link Tasks}): the kernel's
 * io_uring threads (the SQPOLL thread {@code iou-sqp-PID}, io-wq workers {@code iou-wrk-TID}) and glibc's POSIX AIO
 * threads, which inherit the name of the job thread that started them. Linux AIO completes in interrupt context
 * and kernel workers of no process: nothing to count there.
 */
final class HelperCpu {
    private HelperCpu() {}

    static final String IO_WQ_WORKER = "io_uring io-wq worker (iou-wrk)";

    /** The process's threads, and its CPU time in all (threads that ended included), at one moment. */
    record Snapshot(Map<Integer, Tasks.Task> tasks, long processMicros) {
        static Snapshot take() {
            ResourceUsage self = ResourceUsage.self();
            return new Snapshot(Tasks.snapshot(), self.userMicros() + self.systemMicros());
        }
    }

    /** Whether a thread is one of a job's helpers: io_uring's kernel threads, or a namesake of a job thread. */
    static boolean isHelper(Tasks.Task t, Set<Integer> jobTids, Set<String> jobNames) {
        if (jobTids.contains(t.tid())) return false;
        return Tasks.isIoUringHelper(t.name()) || jobNames.contains(t.name());
    }

    /**
     * The helpers' CPU seconds between two snapshots. A helper that started in between counts whole. Threads that
     * ended in between are no longer listed, but the process's total still holds their time: what it grew by
     * beyond every listed thread's growth is theirs. That remainder is counted only when {@code helpersEnd} says
     * this job's helpers come and go (posixaio; io-wq workers seen), since the JVM's own threads end too (an idle
     * compiler thread) and their time is not the job's.
     */
    static double seconds(Snapshot before, Snapshot after, Set<Integer> jobTids, Set<String> jobNames,
                          boolean helpersEnd, Map<String, Integer> kinds) {
        long helpers = 0, listed = 0;
        for (Tasks.Task t : after.tasks().values()) {
            Tasks.Task b = before.tasks().get(t.tid());
            long d = t.cpuNanos() - (b == null ? 0 : b.cpuNanos());
            listed += d;
            if (!isHelper(t, jobTids, jobNames)) continue;
            helpers += d;
            kinds.merge(kind(t.name(), jobNames), 1, Integer::sum);
        }
        helpersEnd |= before.tasks().values().stream().anyMatch(t -> t.name().startsWith("iou-wrk"))
                || after.tasks().values().stream().anyMatch(t -> t.name().startsWith("iou-wrk"));
        long ended = (after.processMicros() - before.processMicros()) * 1000 - listed;
        // the process total comes in microseconds and the threads' in nanoseconds: a remainder below a
        // millisecond is rounding
        if (helpersEnd && ended > 1_000_000) {
            helpers += ended;
            kinds.merge("threads that ended during the window", 1, Integer::sum);
        }
        return helpers / 1e9;
    }

    private static String kind(String name, Set<String> jobNames) {
        if (name.startsWith("iou-sqp")) return "io_uring SQPOLL thread (iou-sqp)";
        if (name.startsWith("iou-wrk")) return IO_WQ_WORKER;
        return jobNames.contains(name) ? "glibc POSIX AIO thread" : name;
    }

    /** "io_uring SQPOLL thread (iou-sqp) x1, glibc POSIX AIO thread x8", or "none". */
    static String describe(Map<String, Integer> kinds) {
        if (kinds.isEmpty()) return "none";
        StringBuilder b = new StringBuilder();
        new TreeMap<>(kinds).forEach((k, n) -> b.append(b.isEmpty() ? "" : ", ").append(k)
                .append(k.startsWith("threads that ended") ? "" : " x" + n));
        return b.toString();
    }
}
