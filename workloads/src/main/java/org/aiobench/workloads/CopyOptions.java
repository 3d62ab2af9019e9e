package org.aiobench.workloads;

import java.util.Locale;

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
 * @param cfrRequest  copy_file_range: a request per file, as GNU cp (fadvise, whole file, cp's fallbacks), or one per
 *                    read/write pair of bufferSize, as the copy study's figures were made; every other engine
 *                    makes one per pair
 * @param aioFds      posixaio: a dup'd descriptor per concurrent request of a file (ours), or the file's one
 *                    descriptor for all of them, which glibc serialises (the copy study's program)
 * @param metadata    the walk's opens, statx, mkdirat and closes by system calls, or through the ring too (io_uring)
 */
public record CopyOptions(String engine, CopyMode mode, int qd, int opsPerFile, int bufferSize, boolean direct,
                          boolean fallocate, boolean regbuf, boolean regfiles, String ringFlags,
                          boolean posixPolling, CfrRequest cfrRequest, AioFds aioFds, Metadata metadata) {

    public static final int DEFAULT_QD = 64;
    public static final int DEFAULT_OPS_PER_FILE = 4;
    public static final int DEFAULT_BUFFER_SIZE = 128 * 1024;

    /** copy_file_range's request: {@code cfrRequest} in the CLI, the JMH parameters and the results. */
    public enum CfrRequest {
        /** As GNU cp 9: the whole file in one request (copy_file_range loops to its end). */
        FILE,
        /** One request per read/write pair of bufferSize (the copy study's figures). */
        PAIR;

        public String cliName() { return name().toLowerCase(Locale.ROOT); }

        public static CfrRequest parse(String s) {
            return CopyOptions.parse(CfrRequest.class, "cfrRequest", s);
        }
    }

    /** posixaio's descriptors: {@code aioFds}. */
    public enum AioFds {
        /** A dup'd descriptor for each request of a file issued while another of it is in flight (ours). */
        DUP,
        /** The file's one descriptor for every request: glibc runs them one after the other (the copy study's). */
        FILE;

        public String cliName() { return name().toLowerCase(Locale.ROOT); }

        public static AioFds parse(String s) {
            return CopyOptions.parse(AioFds.class, "aioFds", s);
        }
    }

    /** How the walk's metadata is done: {@code metadata}. */
    public enum Metadata {
        /** openat, statx, mkdirat, close, fchmod as system calls (every engine). */
        SYSCALLS,
        /** io_uring: opens, statx, mkdirat and closes as requests of the ring, files in fixed-file slots. */
        RING;

        public String cliName() { return name().toLowerCase(Locale.ROOT); }

        public static Metadata parse(String s) {
            return CopyOptions.parse(Metadata.class, "metadata", s);
        }
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String what, String s) {
        for (E e : type.getEnumConstants()) if (e.name().equalsIgnoreCase(s.trim())) return e;
        throw new IllegalArgumentException("unknown " + what + " '" + s + "' (known: " + java.util.Arrays.stream(
                type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT))
                .collect(java.util.stream.Collectors.joining(", ")) + ")");
    }

    public CopyOptions {
        if (ringFlags == null || ringFlags.isBlank()) ringFlags = "none";
        if (cfrRequest == null) cfrRequest = CfrRequest.FILE;
        if (aioFds == null) aioFds = AioFds.DUP;
        if (metadata == null) metadata = Metadata.SYSCALLS;
    }

    /** The defaults for {@code engine}: a whole file per request for copy_file_range (as cp), a pair for the others. */
    public static CopyOptions defaults(String engine) {
        return new CopyOptions(engine, CopyMode.SINGLE, DEFAULT_QD, DEFAULT_OPS_PER_FILE, DEFAULT_BUFFER_SIZE,
                false, false, false, false, "none", false, defaultCfrRequest(engine), AioFds.DUP, Metadata.SYSCALLS);
    }

    /** FILE for copy_file_range (what cp does), PAIR for every other engine (what they do). */
    public static CfrRequest defaultCfrRequest(String engine) {
        return COPY_FILE_RANGE.equals(engine) ? CfrRequest.FILE : CfrRequest.PAIR;
    }

    static final String COPY_FILE_RANGE = "copy_file_range";

    /** Requests of the walk's metadata through the ring, at most, for subdirectories (mkdirat) at once. */
    public static final int MKDIRS_IN_FLIGHT = 16;

    public CopyOptions withMode(CopyMode v) { return new CopyOptions(engine, v, qd, opsPerFile, bufferSize, direct, fallocate, regbuf, regfiles, ringFlags, posixPolling, cfrRequest, aioFds, metadata); }
    public CopyOptions withQd(int v) { return new CopyOptions(engine, mode, v, opsPerFile, bufferSize, direct, fallocate, regbuf, regfiles, ringFlags, posixPolling, cfrRequest, aioFds, metadata); }
    public CopyOptions withOpsPerFile(int v) { return new CopyOptions(engine, mode, qd, v, bufferSize, direct, fallocate, regbuf, regfiles, ringFlags, posixPolling, cfrRequest, aioFds, metadata); }
    public CopyOptions withBufferSize(int v) { return new CopyOptions(engine, mode, qd, opsPerFile, v, direct, fallocate, regbuf, regfiles, ringFlags, posixPolling, cfrRequest, aioFds, metadata); }
    public CopyOptions withDirect(boolean v) { return new CopyOptions(engine, mode, qd, opsPerFile, bufferSize, v, fallocate, regbuf, regfiles, ringFlags, posixPolling, cfrRequest, aioFds, metadata); }
    public CopyOptions withFallocate(boolean v) { return new CopyOptions(engine, mode, qd, opsPerFile, bufferSize, direct, v, regbuf, regfiles, ringFlags, posixPolling, cfrRequest, aioFds, metadata); }
    public CopyOptions withRegbuf(boolean v) { return new CopyOptions(engine, mode, qd, opsPerFile, bufferSize, direct, fallocate, v, regfiles, ringFlags, posixPolling, cfrRequest, aioFds, metadata); }
    public CopyOptions withRegfiles(boolean v) { return new CopyOptions(engine, mode, qd, opsPerFile, bufferSize, direct, fallocate, regbuf, v, ringFlags, posixPolling, cfrRequest, aioFds, metadata); }
    public CopyOptions withRingFlags(String v) { return new CopyOptions(engine, mode, qd, opsPerFile, bufferSize, direct, fallocate, regbuf, regfiles, v, posixPolling, cfrRequest, aioFds, metadata); }
    public CopyOptions withPosixPolling(boolean v) { return new CopyOptions(engine, mode, qd, opsPerFile, bufferSize, direct, fallocate, regbuf, regfiles, ringFlags, v, cfrRequest, aioFds, metadata); }
    public CopyOptions withCfrRequest(CfrRequest v) { return new CopyOptions(engine, mode, qd, opsPerFile, bufferSize, direct, fallocate, regbuf, regfiles, ringFlags, posixPolling, v, aioFds, metadata); }
    public CopyOptions withAioFds(AioFds v) { return new CopyOptions(engine, mode, qd, opsPerFile, bufferSize, direct, fallocate, regbuf, regfiles, ringFlags, posixPolling, cfrRequest, v, metadata); }
    public CopyOptions withMetadata(Metadata v) { return new CopyOptions(engine, mode, qd, opsPerFile, bufferSize, direct, fallocate, regbuf, regfiles, ringFlags, posixPolling, cfrRequest, aioFds, v); }

    /** Whether the walk's metadata goes through the engine's ring. */
    public boolean ringMetadata() { return metadata == Metadata.RING; }

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

    /**
     * Requests that can be queued or in flight at once: a read and a write per slot, one fallocate per file; with the
     * metadata through the ring up to three per file instead (statx and open of the source; statx and two closes at
     * its end) and {@link #MKDIRS_IN_FLIGHT} mkdirat.
     */
    public int maxInFlight() {
        return ringMetadata() ? slots() * 2 + filesInFlight() * 3 + MKDIRS_IN_FLIGHT : slots() * 2 + filesInFlight();
    }

    /** The engine options these copy options imply. */
    public EngineOptions engineOptions() {
        return EngineOptions.defaults(maxInFlight()).withRegbuf(regbuf).withRegfiles(regfiles)
                .withRingFlagsSpec(ringFlags).withPosixPolling(posixPolling)
                .withCfrWholeFile(cfrRequest == CfrRequest.FILE).withAioFdPerFile(aioFds == AioFds.FILE)
                .withRingMetadata(ringMetadata());
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
        if (ringMetadata() && !"io_uring".equals(engine)) {
            throw new IllegalArgumentException("metadata=ring (the walk's opens, statx, mkdirat and closes through the"
                    + " ring) is an io_uring mode; engine " + engine + " has no ring");
        }
        if (aioFds == AioFds.FILE && !"posixaio".equals(engine)) {
            throw new IllegalArgumentException("aio-fds=file (one descriptor per file) is a posixaio option; engine "
                    + engine + " has none");
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
        String mismatch = parameterMismatch();
        if (mismatch != null) return mismatch;
        if (mode == CopyMode.SINGLE) return null;
        try (IoEngine e = Engines.create(engine, EngineOptions.defaults(1))) {
            if (e.capabilities().synchronous()) {
                return mode.cliName() + " mode needs an asynchronous engine: " + engine
                        + " completes every request inside submit(), so it would repeat single mode";
            }
        }
        return null;
    }

    /**
     * Why a value of cfrRequest, aioFds or metadata does not apply to this engine and mode, or null: the matrix gives
     * each configuration the values that describe it (cfrRequest=pair for every engine but copy_file_range, aioFds=dup
     * for every engine but posixaio in multi and batch modes, metadata=syscalls for every engine but io_uring).
     */
    public String parameterMismatch() {
        if (cfrRequest == CfrRequest.FILE && !COPY_FILE_RANGE.equals(engine)) {
            return "cfrRequest=file (a whole file per request, as cp) is copy_file_range's; engine " + engine
                    + " makes one request per read/write pair (cfrRequest=pair)";
        }
        if (aioFds == AioFds.FILE && !"posixaio".equals(engine)) {
            return "aioFds=file (one descriptor per file, as the copy study's POSIX AIO) is posixaio's; engine " + engine
                    + " has no glibc descriptors to share";
        }
        if (ringMetadata() && !"io_uring".equals(engine)) {
            return "metadata=ring (the walk's opens, statx, mkdirat and closes through the ring) is io_uring's; engine "
                    + engine + " has no ring";
        }
        if (aioFds == AioFds.FILE && mode == CopyMode.SINGLE) {
            return "aioFds=file in single mode is the copy of aioFds=dup: a file never has two requests in flight there";
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
        if (COPY_FILE_RANGE.equals(engine)) sb.append(cfrRequest == CfrRequest.FILE ? " whole-file" : " per-pair");
        if (aioFds == AioFds.FILE) sb.append(" aio-fd-per-file");
        if (ringMetadata()) sb.append(" metadata=ring");
        return sb.toString();
    }
}
