package org.aiobench.workloads;

import org.aiobench.engines.EngineOptions;
import org.aiobench.engines.Engines;
import org.aiobench.engines.IoEngine;

/**
 * How to copy: the vocabulary of DESIGN.md, the same names as the CLI options and the JMH parameters.
 *
 * @param engine      sync, copy_file_range, posixaio, libaio, io_uring
 * @param mode        single, multi, batch
 * @param qd          read->write pairs in flight, for every engine and in every mode (the study's reading): in
 *                    single mode one per file, so qd files in flight (report section 4.4)
 * @param opsPerFile  pairs in flight per file in multi and batch modes (1 in single mode): the qd pairs are spread
 *                    over qd / opsPerFile files
 * @param bufferSize  bytes per read/write (the report's 128K)
 * @param direct      O_DIRECT on source and destination
 * @param fallocate   preallocate each destination file
 * @param regbuf      io_uring registered buffers
 * @param regfiles    io_uring registered files
 * @param ringFlags   io_uring flags, "none" or e.g. "coop_taskrun,single_issuer,defer_taskrun,sqpoll_cpu=1"
 * @param posixPolling posixaio: busy-poll aio_error for completions (the copy study's loop) instead of aio_suspend
 */
public record CopyOptions(String engine, CopyMode mode, int qd, int opsPerFile, int bufferSize, boolean direct,
                          boolean fallocate, boolean regbuf, boolean regfiles, String ringFlags,
                          boolean posixPolling) {

    public static final int DEFAULT_QD = 64;
    public static final int DEFAULT_OPS_PER_FILE = 4;
    public static final int DEFAULT_BUFFER_SIZE = 128 * 1024;

    public CopyOptions {
        if (ringFlags == null || ringFlags.isBlank()) ringFlags = "none";
    }

    public static CopyOptions defaults(String engine) {
        return new CopyOptions(engine, CopyMode.SINGLE, DEFAULT_QD, DEFAULT_OPS_PER_FILE, DEFAULT_BUFFER_SIZE,
                false, false, false, false, "none", false);
    }

    public CopyOptions withMode(CopyMode v) { return new CopyOptions(engine, v, qd, opsPerFile, bufferSize, direct, fallocate, regbuf, regfiles, ringFlags, posixPolling); }
    public CopyOptions withQd(int v) { return new CopyOptions(engine, mode, v, opsPerFile, bufferSize, direct, fallocate, regbuf, regfiles, ringFlags, posixPolling); }
    public CopyOptions withOpsPerFile(int v) { return new CopyOptions(engine, mode, qd, v, bufferSize, direct, fallocate, regbuf, regfiles, ringFlags, posixPolling); }
    public CopyOptions withBufferSize(int v) { return new CopyOptions(engine, mode, qd, opsPerFile, v, direct, fallocate, regbuf, regfiles, ringFlags, posixPolling); }
    public CopyOptions withDirect(boolean v) { return new CopyOptions(engine, mode, qd, opsPerFile, bufferSize, v, fallocate, regbuf, regfiles, ringFlags, posixPolling); }
    public CopyOptions withFallocate(boolean v) { return new CopyOptions(engine, mode, qd, opsPerFile, bufferSize, direct, v, regbuf, regfiles, ringFlags, posixPolling); }
    public CopyOptions withRegbuf(boolean v) { return new CopyOptions(engine, mode, qd, opsPerFile, bufferSize, direct, fallocate, v, regfiles, ringFlags, posixPolling); }
    public CopyOptions withRegfiles(boolean v) { return new CopyOptions(engine, mode, qd, opsPerFile, bufferSize, direct, fallocate, regbuf, v, ringFlags, posixPolling); }
    public CopyOptions withRingFlags(String v) { return new CopyOptions(engine, mode, qd, opsPerFile, bufferSize, direct, fallocate, regbuf, regfiles, v, posixPolling); }
    public CopyOptions withPosixPolling(boolean v) { return new CopyOptions(engine, mode, qd, opsPerFile, bufferSize, direct, fallocate, regbuf, regfiles, ringFlags, v); }

    /** Pairs in flight per file at most: opsPerFile (at most qd) in multi and batch modes, 1 in single mode. */
    public int pairsPerFile() {
        return mode == CopyMode.SINGLE ? 1 : Math.min(opsPerFile, qd);
    }

    /**
     * Buffer slots, one per read->write pair in flight: qd in every mode, so the modes are compared at the same
     * concurrency; memory = slots x bufferSize.
     */
    public int slots() {
        return qd;
    }

    /** Files open at once at most: qd in single mode, qd / opsPerFile (rounded up) in multi and batch. */
    public int filesInFlight() {
        int ppf = pairsPerFile();
        return (qd + ppf - 1) / ppf;
    }

    /** Requests that can be queued or in flight at once: a read and a write per slot, one fallocate per file. */
    public int maxInFlight() {
        return slots() * 2 + filesInFlight();
    }

    /** The engine options these copy options imply. */
    public EngineOptions engineOptions() {
        return EngineOptions.defaults(maxInFlight()).withRegbuf(regbuf).withRegfiles(regfiles)
                .withRingFlagsSpec(ringFlags).withPosixPolling(posixPolling);
    }

    /**
     * Checks the values without building anything: numbers in range, a known engine, options of the right engine.
     *
     * @throws IllegalArgumentException for a bad value, naming the option
     */
    public void checkValues() {
        if (qd < 1) throw new IllegalArgumentException("qd must be at least 1, got " + qd);
        if (opsPerFile < 1) throw new IllegalArgumentException("ops-per-file must be at least 1, got " + opsPerFile);
        if (bufferSize < 1) throw new IllegalArgumentException("buffer-size must be greater than zero, got " + bufferSize);
        if (direct && bufferSize % 4096 != 0) {
            throw new IllegalArgumentException("with --direct the buffer size must be a multiple of 4096 (O_DIRECT alignment), got " + bufferSize);
        }
        if ((long) slots() * bufferSize > (8L << 30)) {
            throw new IllegalArgumentException("qd x buffer-size = " + Sizes.human((long) slots() * bufferSize)
                    + " of buffers is more than the 8 GiB aiobench allows");
        }
        if (!Engines.names().contains(engine)) {
            throw new IllegalArgumentException("unknown engine '" + engine + "' (known: " + String.join(", ", Engines.names()) + ")");
        }
        if (posixPolling && !"posixaio".equals(engine)) {
            throw new IllegalArgumentException("aio polling (--aio-poll) is a posixaio option; engine " + engine + " has none");
        }
        if (polled() && !direct) {
            throw new IllegalArgumentException("iopoll needs --direct: the kernel polls only O_DIRECT I/O and fails"
                    + " buffered requests on an IOPOLL ring with EOPNOTSUPP");
        }
    }

    /** Whether completions are polled (io_uring iopoll): the devices under source and destination must support it. */
    public boolean polled() {
        return engineOptions().has(org.aiobench.engines.RingFlag.IOPOLL);
    }

    /**
     * Checks the values and that the engine accepts the options on this kernel (it is built and closed once).
     *
     * @throws IllegalArgumentException                                 for bad values (unknown engine, qd 0 ...)
     * @throws org.aiobench.engines.UnsupportedConfigurationException for a combination the engine or kernel cannot run
     */
    public void validate() {
        checkValues();
        try (IoEngine e = Engines.create(engine, engineOptions())) {
            e.capabilities();
        }
    }

    /**
     * Why a benchmark matrix should leave this configuration out although it runs, or null: batch and multi
     * modes on an engine that completes every request inside submit() are the single mode again under another name
     * (the copy study did not run them either).
     */
    public String redundancyReason() {
        if (mode == CopyMode.SINGLE) return null;
        try (IoEngine e = Engines.create(engine, EngineOptions.defaults(1))) {
            if (e.capabilities().synchronous()) {
                return mode.cliName() + " mode needs an asynchronous engine: " + engine
                        + " completes every request inside submit(), so it would repeat single mode";
            }
        }
        return null;
    }

    /** A short label for logs: "io_uring multi qd=64 ops=4 bs=128K direct fallocate regbuf flags=sqpoll". */
    public String label() {
        StringBuilder sb = new StringBuilder(engine).append(' ').append(mode.cliName()).append(" qd=").append(qd);
        if (mode != CopyMode.SINGLE) sb.append(" ops=").append(opsPerFile);
        sb.append(" bs=").append(Sizes.format(bufferSize));
        if (direct) sb.append(" direct");
        if (fallocate) sb.append(" fallocate");
        if (regbuf) sb.append(" regbuf");
        if (regfiles) sb.append(" regfiles");
        if (!"none".equals(ringFlags)) sb.append(" flags=").append(ringFlags);
        if (posixPolling) sb.append(" aio-polling");
        return sb.toString();
    }
}
