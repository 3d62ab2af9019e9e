package org.aiobench.workloads.randio;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * CPU time of this process's threads from /proc/self/task/*&#47;stat, to account for the threads that do a job's
 * I/O besides the job threads themselves: the kernel's io_uring threads (the SQPOLL thread {@code iou-sqp-PID},
 * io-wq workers {@code iou-wrk-TID}) and glibc's POSIX AIO threads (which inherit the name of the job thread that
 * started them). Linux AIO completes in interrupt context and kernel workers of no process: nothing to count.
 *
 * <p>Times are in clock ticks (USER_HZ, 100 per second on Linux): 10 ms resolution, summed over the window.
 */
final class TaskCpu {
    private TaskCpu() {}

    static final double TICK_SECONDS = 0.01;

    /** One thread's cumulative times. */
    record Task(int tid, String comm, long userTicks, long sysTicks) {}

    /** The process as a whole (threads that exited included) has tid {@link #PROCESS} in a snapshot. */
    static final int PROCESS = -1;

    /** Every thread of this process now, and the process's own total under {@link #PROCESS}. */
    static Map<Integer, Task> snapshot() {
        Map<Integer, Task> out = new HashMap<>();
        Task self = read(Path.of("/proc/self"));
        if (self != null) out.put(PROCESS, new Task(PROCESS, self.comm(), self.userTicks(), self.sysTicks()));
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : tasks) {
                Task task = read(t);
                if (task != null) out.put(task.tid(), task);
            }
        } catch (IOException e) {
            // no /proc: nothing to account
        }
        return out;
    }

    private static Task read(Path dir) {
        try {
            String stat = Files.readString(dir.resolve("stat"));
            int open = stat.indexOf('('), close = stat.lastIndexOf(')');
            String comm = stat.substring(open + 1, close);
            String[] f = stat.substring(close + 2).split(" ");
            // after "pid (comm) ": state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime
            return new Task(Integer.parseInt(stat.substring(0, open).trim()), comm, Long.parseLong(f[11]),
                    Long.parseLong(f[12]));
        } catch (IOException | RuntimeException e) {
            return null; // the thread exited meanwhile
        }
    }

    /** Whether a thread is one of a job's helpers: io_uring's kernel threads, or a namesake of a job thread. */
    static boolean isHelper(Task t, Set<Integer> jobTids, Set<String> jobComms) {
        if (jobTids.contains(t.tid())) return false;
        return t.comm().startsWith("iou-") || jobComms.contains(t.comm());
    }

    /**
     * The helpers' CPU between two snapshots: [user seconds, system seconds]. A helper that started in between counts
     * whole. Threads that ended in between are no longer listed, but the process's total still holds their time:
     * what that total grew by beyond the growth of every listed thread is theirs, and is counted as helpers' too
     * (glibc's POSIX AIO threads come and go all the time; an idle io-wq worker exits). That remainder is counted
     * only when {@code helpersEnd} says helpers of this job end while it runs (posixaio, or io-wq workers seen): the
     * JVM's own threads end too (a compiler thread that went idle), and their time is not the job's. Each listed
     * thread's ticks are rounded down, so the remainder is counted only where it exceeds one tick per listed thread.
     */
    static double[] helperSeconds(Map<Integer, Task> before, Map<Integer, Task> after, Set<Integer> jobTids,
                                  Set<String> jobComms, boolean helpersEnd, Map<String, Integer> kinds) {
        long u = 0, s = 0, listedU = 0, listedS = 0;
        int listed = 0;
        for (Task t : after.values()) {
            if (t.tid() == PROCESS) continue;
            listed++;
            Task b = before.get(t.tid());
            long du = t.userTicks() - (b == null ? 0 : b.userTicks());
            long ds = t.sysTicks() - (b == null ? 0 : b.sysTicks());
            listedU += du;
            listedS += ds;
            if (!isHelper(t, jobTids, jobComms)) continue;
            u += du;
            s += ds;
            kinds.merge(kind(t.comm(), jobComms), 1, Integer::sum);
        }
        helpersEnd |= kinds.keySet().stream().anyMatch(k -> k.contains("iou-wrk"))
                || before.values().stream().anyMatch(t -> t.comm().startsWith("iou-wrk"));
        Task pb = before.get(PROCESS), pa = after.get(PROCESS);
        if (helpersEnd && pb != null && pa != null) {
            long goneU = pa.userTicks() - pb.userTicks() - listedU;
            long goneS = pa.sysTicks() - pb.sysTicks() - listedS;
            goneU = goneU > listed ? goneU : 0;
            goneS = goneS > listed ? goneS : 0;
            if (goneU + goneS > 0) {
                u += goneU;
                s += goneS;
                kinds.merge("threads that ended during the window", 1, Integer::sum);
            }
        }
        return new double[] {u * TICK_SECONDS, s * TICK_SECONDS};
    }

    private static String kind(String comm, Collection<String> jobComms) {
        if (comm.startsWith("iou-sqp")) return "io_uring SQPOLL thread (iou-sqp)";
        if (comm.startsWith("iou-wrk")) return "io_uring io-wq worker (iou-wrk)";
        if (comm.startsWith("iou-")) return "io_uring thread (" + comm + ")";
        return jobComms.contains(comm) ? "glibc POSIX AIO thread" : comm;
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
