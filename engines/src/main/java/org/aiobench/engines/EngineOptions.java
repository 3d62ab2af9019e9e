package org.aiobench.engines;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How to build an engine. {@code maxInFlight} is the most requests the workload will have queued or in flight at
 * once (qd x opsPerFile x 2 for read/write pairs); engines size their rings and contexts from it.
 *
 * @param maxInFlight   requests queued or in flight at once, at most
 * @param regbuf        io_uring registered buffers
 * @param regfiles      io_uring registered files
 * @param ringFlags     io_uring setup and SQE flags
 * @param sqpollCpu     CPU of the SQPOLL thread (IORING_SETUP_SQ_AFF), or -1
 * @param sqpollIdleMs  SQPOLL idle time before the thread sleeps
 * @param cqEntries     io_uring CQ size (IORING_SETUP_CQSIZE), 0 for the engine's choice
 * @param posixPolling  posixaio: busy-poll aio_error (the copy study's loop) instead of aio_suspend
 * @param cfrWholeFile  copy_file_range as cp does it: POSIX_FADV_SEQUENTIAL on each source, requests as large as the
 *                      workload gives (a whole file), and cp's fallback to read/write through the buffer decided per
 *                      request; false: the study's one call per read/write pair, the fallback for the engine's life
 * @param aioFdPerFile  posixaio as the copy study ran it: every request of a file on the file's one descriptor, so
 *                      glibc runs them one after the other; false: a dup'd descriptor per concurrent request
 * @param ringMetadata  io_uring: the workload also opens, stats, creates directories and closes through the ring
 *                      ({@link MetadataOps}); the engine checks the opcodes and registers a table for
 *                      kernel-allocated fixed-file slots where the kernel has them
 */
public record EngineOptions(int maxInFlight, boolean regbuf, boolean regfiles, Set<RingFlag> ringFlags,
                            int sqpollCpu, int sqpollIdleMs, int cqEntries, boolean posixPolling,
                            boolean cfrWholeFile, boolean aioFdPerFile, boolean ringMetadata) {

    public EngineOptions {
        if (maxInFlight < 1) throw new IllegalArgumentException("maxInFlight must be >= 1, got " + maxInFlight);
        ringFlags = ringFlags.isEmpty() ? Collections.unmodifiableSet(EnumSet.noneOf(RingFlag.class))
                : Collections.unmodifiableSet(EnumSet.copyOf(ringFlags));
    }

    /** How long an idle SQPOLL thread spins before it sleeps, unless {@code sqpoll_idle=MS} says otherwise. */
    public static final int DEFAULT_SQPOLL_IDLE_MS = 1000;

    public static EngineOptions defaults(int maxInFlight) {
        return new EngineOptions(maxInFlight, false, false, EnumSet.noneOf(RingFlag.class), -1,
                DEFAULT_SQPOLL_IDLE_MS, 0, false, true, false, false);
    }

    public EngineOptions withRegbuf(boolean b) {
        return new EngineOptions(maxInFlight, b, regfiles, ringFlags, sqpollCpu, sqpollIdleMs, cqEntries,
                posixPolling, cfrWholeFile, aioFdPerFile, ringMetadata);
    }

    public EngineOptions withRegfiles(boolean b) {
        return new EngineOptions(maxInFlight, regbuf, b, ringFlags, sqpollCpu, sqpollIdleMs, cqEntries,
                posixPolling, cfrWholeFile, aioFdPerFile, ringMetadata);
    }

    public EngineOptions withRingFlags(Set<RingFlag> f) {
        return new EngineOptions(maxInFlight, regbuf, regfiles, f, sqpollCpu, sqpollIdleMs, cqEntries,
                posixPolling, cfrWholeFile, aioFdPerFile, ringMetadata);
    }

    public EngineOptions withCqEntries(int n) {
        return new EngineOptions(maxInFlight, regbuf, regfiles, ringFlags, sqpollCpu, sqpollIdleMs, n,
                posixPolling, cfrWholeFile, aioFdPerFile, ringMetadata);
    }

    public EngineOptions withPosixPolling(boolean b) {
        return new EngineOptions(maxInFlight, regbuf, regfiles, ringFlags, sqpollCpu, sqpollIdleMs, cqEntries, b,
                cfrWholeFile, aioFdPerFile, ringMetadata);
    }

    public EngineOptions withCfrWholeFile(boolean b) {
        return new EngineOptions(maxInFlight, regbuf, regfiles, ringFlags, sqpollCpu, sqpollIdleMs, cqEntries,
                posixPolling, b, aioFdPerFile, ringMetadata);
    }

    public EngineOptions withAioFdPerFile(boolean b) {
        return new EngineOptions(maxInFlight, regbuf, regfiles, ringFlags, sqpollCpu, sqpollIdleMs, cqEntries,
                posixPolling, cfrWholeFile, b, ringMetadata);
    }

    public EngineOptions withRingMetadata(boolean b) {
        return new EngineOptions(maxInFlight, regbuf, regfiles, ringFlags, sqpollCpu, sqpollIdleMs, cqEntries,
                posixPolling, cfrWholeFile, aioFdPerFile, b);
    }

    public boolean has(RingFlag f) { return ringFlags.contains(f); }

    /**
     * For an engine without io_uring's features: refuses registered buffers, registered files and ring flags
     * with a reason naming the option and the engine.
     *
     * @throws UnsupportedConfigurationException when any of them is asked for
     */
    public void refuseIoUringOptions(String engine) {
        if (regbuf) {
            throw new UnsupportedConfigurationException(
                    "registered buffers (regbuf) are an io_uring feature; engine " + engine + " has none");
        }
        if (regfiles) {
            throw new UnsupportedConfigurationException(
                    "registered files (regfiles) are an io_uring feature; engine " + engine + " has none");
        }
        if (!ringFlags.isEmpty() || sqpollCpu >= 0) {
            throw new UnsupportedConfigurationException(
                    "ring flags (" + ringFlagsLabel() + ") are io_uring features; engine " + engine + " has none");
        }
        if (ringMetadata) {
            throw new UnsupportedConfigurationException("the walk's opens, statx, mkdirat and closes through the ring"
                    + " (metadata=ring) are an io_uring mode; engine " + engine + " has no ring");
        }
    }

    /** "coop_taskrun,sqpoll,sqpoll_cpu=1" or "none": the flags as the CLI and the results spell them. */
    public String ringFlagsLabel() {
        String s = ringFlags.stream().map(RingFlag::cliName).collect(Collectors.joining(","));
        if (sqpollCpu >= 0) s = s.isEmpty() ? "sqpoll_cpu=" + sqpollCpu : s + ",sqpoll_cpu=" + sqpollCpu;
        if (sqpollIdleMs != DEFAULT_SQPOLL_IDLE_MS) s = s + ",sqpoll_idle=" + sqpollIdleMs;
        return s.isEmpty() ? "none" : s;
    }

    /**
     * Parses "coop_taskrun,single_issuer,sqpoll_cpu=1,sqpoll_idle=50" (or "none" / empty) into these options'
     * flags. {@code sqpoll_cpu=N} and {@code sqpoll_idle=MS} imply sqpoll.
     */
    public EngineOptions withRingFlagsSpec(String spec) {
        EnumSet<RingFlag> set = EnumSet.noneOf(RingFlag.class);
        int cpu = -1;
        int idle = DEFAULT_SQPOLL_IDLE_MS;
        if (spec != null && !spec.isBlank() && !spec.trim().equals("none")) {
            for (String part : spec.split(",")) {
                String p = part.trim();
                if (p.isEmpty()) continue;
                if (p.startsWith("sqpoll_cpu=")) {
                    String v = p.substring("sqpoll_cpu=".length());
                    try { cpu = Integer.parseInt(v); } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("sqpoll_cpu needs a CPU number, got '" + v + "'");
                    }
                    if (cpu < 0) throw new IllegalArgumentException("sqpoll_cpu must be >= 0, got " + cpu);
                    set.add(RingFlag.SQPOLL);
                } else if (p.startsWith("sqpoll_idle=")) {
                    String v = p.substring("sqpoll_idle=".length());
                    try { idle = Integer.parseInt(v); } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("sqpoll_idle needs milliseconds, got '" + v + "'");
                    }
                    if (idle < 0) throw new IllegalArgumentException("sqpoll_idle must be >= 0 ms, got " + idle);
                    set.add(RingFlag.SQPOLL);
                } else {
                    set.add(RingFlag.parse(p));
                }
            }
        }
        return new EngineOptions(maxInFlight, regbuf, regfiles, set, cpu, idle, cqEntries,
                posixPolling, cfrWholeFile, aioFdPerFile, ringMetadata);
    }
}
