package org.aiobench.engines.uring;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

import org.aiobench.engines.EngineOptions;
import org.aiobench.engines.UnsupportedConfigurationException;
import org.aiobench.engines.nat.Errno;
import org.aiobench.engines.nat.Libc;

import static org.aiobench.engines.uring.IoUringAbi.*;

/**
 * Turns a failed io_uring_setup or buffer registration into a message a user can act on: which flag, which errno,
 * the first kernel that has it; io_uring disabled by sysctl or blocked by seccomp; a memlock limit too low.
 */
public final class SetupErrors {
    private SetupErrors() {}

    /** Why io_uring_setup with {@code p} failed with {@code errno}; an EINVAL is narrowed down to one flag. */
    public static UnsupportedConfigurationException explain(int errno, Ring.Params p, EngineOptions o, String kernel) {
        String flags = names(SETUP_FLAGS, p.flags());
        switch (errno) {
            case Errno.EPERM: {
                String disabled = ioUringDisabled();
                if ("2".equals(disabled)) {
                    return new UnsupportedConfigurationException("io_uring is disabled on this machine: sysctl "
                            + "kernel.io_uring_disabled=2, so io_uring_setup fails with EPERM for every process");
                }
                if ("1".equals(disabled)) {
                    return new UnsupportedConfigurationException("io_uring is restricted on this machine: sysctl "
                            + "kernel.io_uring_disabled=1 allows only members of kernel.io_uring_group and "
                            + "CAP_SYS_ADMIN (io_uring_setup: EPERM)");
                }
                if ((p.flags() & SETUP_SQPOLL) != 0 && trySetup(p.entries(), p.flags() & ~(SETUP_SQPOLL | SETUP_SQ_AFF),
                        p.cqEntries(), 0) == 0) {
                    return new UnsupportedConfigurationException("IORING_SETUP_SQPOLL (sqpoll) rejected (EPERM): "
                            + "unprivileged SQPOLL needs Linux 5.13, this kernel is " + kernel);
                }
                return new UnsupportedConfigurationException("io_uring_setup failed with EPERM although sysctl "
                        + "kernel.io_uring_disabled=" + (disabled == null ? "(absent)" : disabled)
                        + ": a seccomp filter blocks io_uring (container runtimes' default profiles do); allow "
                        + "io_uring_setup/io_uring_enter/io_uring_register or run outside the container");
            }
            case Errno.ENOSYS:
                return new UnsupportedConfigurationException("io_uring_setup is not available (ENOSYS): the kernel ("
                        + kernel + ") has no io_uring (needs Linux 5.1 with CONFIG_IO_URING) or a seccomp filter "
                        + "hides the syscall");
            case Errno.ENOMEM:
                return new UnsupportedConfigurationException("io_uring_setup failed with ENOMEM for a ring of "
                        + p.entries() + " SQ / " + p.cqEntries() + " CQ entries: before Linux 5.12 ring memory "
                        + "counts against RLIMIT_MEMLOCK, which is " + describeLimit(memlockLimit())
                        + " (this kernel is " + kernel + ")");
            case Errno.EMFILE:
            case 23: // ENFILE
                return new UnsupportedConfigurationException("io_uring_setup failed with " + Errno.describe(errno)
                        + ": no file descriptor left for the ring");
            case Errno.EINVAL: {
                String culprit = culprit(p, o, kernel);
                if (culprit != null) return new UnsupportedConfigurationException(culprit);
                return new UnsupportedConfigurationException("io_uring_setup rejected the combination " + flags
                        + " (EINVAL) with " + p.entries() + " SQ / " + p.cqEntries() + " CQ entries on kernel " + kernel
                        + "; each of these flags alone is accepted");
            }
            default:
                return new UnsupportedConfigurationException("io_uring_setup(entries=" + p.entries() + ", flags="
                        + flags + ") failed with " + Errno.describe(errno) + " on kernel " + kernel);
        }
    }

    /** The first requested flag the kernel rejects on its own (with what it needs), as a message; or null. */
    private static String culprit(Ring.Params p, EngineOptions o, String kernel) {
        for (int bitNo = 0; bitNo < 32; bitNo++) {
            int value = 1 << bitNo;
            if ((p.flags() & value) == 0) continue;
            Bit b = bit(SETUP_FLAGS, value);
            if (b == null) b = new Bit("io_uring setup bit 0x" + Integer.toHexString(value), value, null);
            int f = b.value() | prerequisites(b.value(), p.flags());
            int cq = (f & SETUP_CQSIZE) != 0 ? p.cqEntries() : 0;
            int cpu = (f & SETUP_SQ_AFF) != 0 ? p.sqThreadCpu() : 0;
            int r = trySetup(p.entries(), f, cq, cpu);
            if (r == 0) continue;
            String name = b.name() + cliName(b.value());
            if (b.value() == SETUP_SQ_AFF && r == -Errno.EINVAL) {
                return name + " with sqpoll_cpu=" + o.sqpollCpu() + " rejected (EINVAL): CPU " + o.sqpollCpu()
                        + " is not online here (" + Runtime.getRuntime().availableProcessors() + " CPUs available)";
            }
            if (b.value() == SETUP_CQSIZE && r == -Errno.EINVAL) {
                return name + " with " + p.cqEntries() + " CQ entries rejected (EINVAL): the CQ must hold at least the "
                        + p.entries() + " SQ entries and at most " + MAX_CQ_ENTRIES + " (CQSIZE needs Linux 5.5, this kernel is "
                        + kernel + ")";
            }
            String needs = b.since() == null ? "a flag this program does not know"
                    : b.since().isEmpty() ? "a kernel newer than the documented ones" : "needs Linux " + b.since();
            return name + " rejected (" + Errno.name(-r) + "): " + needs + ", this kernel is " + kernel;
        }
        return null;
    }

    /** Flags a setup flag cannot be probed without. */
    public static int prerequisites(int flag, int requested) {
        return switch (flag) {
            case SETUP_SQ_AFF -> SETUP_SQPOLL;
            case SETUP_TASKRUN_FLAG -> (requested & SETUP_DEFER_TASKRUN) != 0
                    ? SETUP_DEFER_TASKRUN | SETUP_SINGLE_ISSUER : SETUP_COOP_TASKRUN;
            case SETUP_DEFER_TASKRUN -> SETUP_SINGLE_ISSUER;
            case SETUP_HYBRID_IOPOLL -> SETUP_IOPOLL;
            default -> 0;
        };
    }

    private static String cliName(int flag) {
        return switch (flag) {
            case SETUP_COOP_TASKRUN -> " (coop_taskrun)";
            case SETUP_TASKRUN_FLAG -> " (taskrun_flag)";
            case SETUP_SINGLE_ISSUER -> " (single_issuer)";
            case SETUP_DEFER_TASKRUN -> " (defer_taskrun)";
            case SETUP_SQPOLL -> " (sqpoll)";
            case SETUP_SQ_AFF -> " (sqpoll_cpu)";
            case SETUP_IOPOLL -> " (iopoll)";
            case SETUP_SUBMIT_ALL -> " (submit_all)";
            case SETUP_CQSIZE -> " (cqEntries)";
            default -> "";
        };
    }

    /** io_uring_setup and close: 0 if accepted, else -errno. */
    public static int trySetup(int entries, int flags, int cqEntries, int cpu) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment params = a.allocate(PARAMS_BYTES, 8);
            int fd = Ring.setup(new Ring.Params(entries, flags, cqEntries, cpu, 0, 0), params);
            if (fd < 0) return fd;
            Libc.close(fd);
            return 0;
        }
    }

    /** IORING_REGISTER_BUFFERS failed: ENOMEM is the memlock limit, said with the limit and the bytes asked. */
    static UnsupportedConfigurationException registerBuffers(int errno, int count, long slotSize, String kernel) {
        long bytes = count * slotSize;
        if (errno == Errno.ENOMEM) {
            return new UnsupportedConfigurationException(memlockMessage(count, bytes, memlockLimit()));
        }
        return new UnsupportedConfigurationException("regbuf: IORING_REGISTER_BUFFERS of " + count + " buffers of "
                + slotSize + " bytes failed with " + Errno.describe(errno) + " on kernel " + kernel);
    }

    /** The memlock message (public for its test: the limit cannot be lowered below root's CAP_IPC_LOCK here). */
    public static String memlockMessage(int count, long bytes, long limit) {
        return "regbuf: IORING_REGISTER_BUFFERS of " + count + " buffers (" + bytes + " bytes) failed with ENOMEM: "
                + "registered buffers are locked memory and RLIMIT_MEMLOCK is " + describeLimit(limit)
                + "; raise it (ulimit -l, LimitMEMLOCK=, /etc/security/limits.conf) to at least " + bytes
                + " bytes, or use smaller/fewer buffers, or run without regbuf";
    }

    private static String describeLimit(long limit) {
        return limit < 0 ? "unlimited" : limit + " bytes (" + limit / 1024 + " KiB)";
    }

    /** Soft RLIMIT_MEMLOCK in bytes from /proc/self/limits; -1 for unlimited, -2 if unreadable. */
    public static long memlockLimit() {
        long[] l = limit("Max locked memory");
        return l == null ? -2 : l[0];
    }

    /** {soft, hard} of a /proc/self/limits row (-1 = unlimited), or null. */
    public static long[] limit(String row) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (!line.startsWith(row)) continue;
                String[] f = line.substring(row.length()).trim().split("\\s+");
                return new long[] {parseLimit(f[0]), parseLimit(f[1])};
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    private static long parseLimit(String s) {
        return s.equals("unlimited") ? -1 : Long.parseLong(s);
    }

    /** /proc/sys/kernel/io_uring_disabled (Linux 6.6+), or null where it does not exist. */
    public static String ioUringDisabled() {
        return readSmallFile("/proc/sys/kernel/io_uring_disabled");
    }

    /**
     * A /proc or /sys value, trimmed, or null if unreadable. Read with one stream: Files.readString reads a
     * size-0 proc file in pieces and a sysctl integer read at a non-zero offset returns nothing, so
     * /proc/sys/fs/aio-max-nr came back as "6" instead of "65536".
     */
    public static String readSmallFile(String path) {
        try (var in = new java.io.FileInputStream(path)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return null;
        }
    }
}
