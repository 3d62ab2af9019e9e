package org.aiobench.engines.nat;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The threads (tasks) of this process as /proc/self/task shows them: name, CPU time (schedstat, nanoseconds) and
 * context switches. The kernel's helper threads of a process are tasks of it: io_uring's io-wq workers
 * ({@code iou-wrk-<tid>}) and SQPOLL thread ({@code iou-sqp-<pid>}) since Linux 5.12, and glibc's POSIX AIO
 * threads, which inherit the name of the thread that started them.
 */
public final class Tasks {
    private Tasks() {}

    private static final Path TASKS = Path.of("/proc/self/task");

    /** One task at one moment. */
    public record Task(int tid, String name, long cpuNanos, long voluntarySwitches, long involuntarySwitches) {}

    /** Every task of this process now, by tid (a task that exits while being read is left out). */
    public static Map<Integer, Task> snapshot() {
        return snapshot(TASKS);
    }

    /**
     * Every task of another process now (fio's job processes, whose helper threads are tasks of theirs), by tid;
     * empty when the process has ended.
     */
    public static Map<Integer, Task> snapshot(long pid) {
        try {
            return snapshot(Path.of("/proc", Long.toString(pid), "task"));
        } catch (IllegalStateException gone) {
            return Map.of();
        }
    }

    private static Map<Integer, Task> snapshot(Path tasks) {
        Map<Integer, Task> m = new HashMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tasks)) {
            for (Path t : ds) {
                int tid = Integer.parseInt(t.getFileName().toString());
                try {
                    String name = Files.readString(t.resolve("comm")).trim();
                    long cpu = Long.parseLong(Files.readString(t.resolve("schedstat")).trim().split("\\s+")[0]);
                    long vol = 0;
                    long invol = 0;
                    for (String line : Files.readAllLines(t.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) vol = number(line);
                        else if (line.startsWith("nonvoluntary_ctxt_switches:")) invol = number(line);
                    }
                    m.put(tid, new Task(tid, name, cpu, vol, invol));
                } catch (IOException exited) {
                    // gone while we looked (ENOENT, or ESRCH while its files are read)
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + tasks + ": " + e.getMessage(), e);
        }
        return m;
    }

    private static long number(String line) {
        return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
    }

    /** The calling thread's tid. */
    public static int currentTid() {
        return (int) Libc.syscall(Linux.SYS_gettid, 0, 0, 0, 0, 0, 0);
    }

    /**
     * Names the calling thread for the kernel (its comm, at most 15 bytes; threads it starts from now on inherit
     * it). The Java thread's name is left alone.
     */
    public static void nameCurrentThread(String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocateFrom(name.length() > 15 ? name.substring(0, 15) : name);
            Libc.check(Libc.syscall(Linux.SYS_prctl, Linux.PR_SET_NAME, s.address(), 0, 0, 0, 0), "prctl(PR_SET_NAME)", null);
        }
    }

    /** Whether a task of this name is one of the kernel's io_uring helper threads. */
    public static boolean isIoUringHelper(String name) {
        return name.startsWith("iou-wrk-") || name.startsWith("iou-sqp-");
    }
}
