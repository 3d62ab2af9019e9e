package org.aiobench.engines.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;

import org.aiobench.engines.EngineOptions;
import org.aiobench.engines.RingFlag;
import org.aiobench.engines.UnsupportedConfigurationException;
import org.aiobench.engines.nat.Errno;
import org.aiobench.engines.nat.NativeException;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.aiobench.engines.uring.IoUringAbi.*;

/**
 * How a ring is set up from the engine's options, before the first request: the combinations the kernel would refuse
 * with a bare EINVAL (explained here instead), the setup flags, the SQ and CQ sizes, the ring itself (a refusal
 * explained by {@link SetupErrors}), the opcodes the engine needs (IORING_REGISTER_PROBE), the SQE flags every request
 * carries and the sparse file table of metadata=ring. {@link IoUringEngine} and {@link ReadRing} set up through here;
 * none of it runs per request.
 */
final class RingSetup {
    private RingSetup() {}

    /** Combinations the kernel would reject with a bare EINVAL, explained before trying. */
    static void validate(EngineOptions o, boolean vectored) {
        if (o.maxInFlight() > MAX_ENTRIES) {
            throw new UnsupportedConfigurationException("maxInFlight=" + o.maxInFlight()
                    + " exceeds the largest io_uring SQ (" + MAX_ENTRIES + " entries, IORING_MAX_ENTRIES)");
        }
        if (o.has(RingFlag.DEFER_TASKRUN) && !o.has(RingFlag.SINGLE_ISSUER)) {
            throw new UnsupportedConfigurationException("defer_taskrun needs single_issuer: the kernel rejects "
                    + "IORING_SETUP_DEFER_TASKRUN without IORING_SETUP_SINGLE_ISSUER (EINVAL); use single_issuer,defer_taskrun");
        }
        if (o.has(RingFlag.TASKRUN_FLAG) && !o.has(RingFlag.COOP_TASKRUN) && !o.has(RingFlag.DEFER_TASKRUN)) {
            throw new UnsupportedConfigurationException("taskrun_flag needs coop_taskrun or defer_taskrun: the kernel "
                    + "rejects IORING_SETUP_TASKRUN_FLAG alone (EINVAL)");
        }
        if (o.has(RingFlag.SQPOLL)) {
            for (RingFlag f : new RingFlag[] {RingFlag.COOP_TASKRUN, RingFlag.TASKRUN_FLAG, RingFlag.DEFER_TASKRUN}) {
                if (o.has(f)) {
                    throw new UnsupportedConfigurationException("sqpoll cannot be combined with " + f.cliName()
                            + ": the kernel rejects task-work flags on an IORING_SETUP_SQPOLL ring (EINVAL), its"
                            + " completions run on the SQ thread");
                }
            }
        }
        if (o.sqpollCpu() >= 0 && !o.has(RingFlag.SQPOLL)) {
            throw new UnsupportedConfigurationException("sqpoll_cpu=" + o.sqpollCpu()
                    + " needs sqpoll (IORING_SETUP_SQ_AFF pins the SQPOLL thread)");
        }
        if (o.ringMetadata() && o.regfiles()) {
            throw new UnsupportedConfigurationException("regfiles with metadata=ring: the ring's opens already put"
                    + " every file into a fixed-file slot the kernel picks, in the one file table a ring has");
        }
        if (vectored && o.regbuf()) {
            throw new UnsupportedConfigurationException("vectored I/O with registered buffers needs READV_FIXED "
                    + "(Linux 6.15), which this engine does not use; choose one of them");
        }
    }

    static int setupFlags(EngineOptions o) {
        int f = SETUP_CQSIZE;
        if (o.has(RingFlag.COOP_TASKRUN)) f |= SETUP_COOP_TASKRUN;
        if (o.has(RingFlag.TASKRUN_FLAG)) f |= SETUP_TASKRUN_FLAG;
        if (o.has(RingFlag.SINGLE_ISSUER)) f |= SETUP_SINGLE_ISSUER | SETUP_R_DISABLED;
        if (o.has(RingFlag.DEFER_TASKRUN)) f |= SETUP_DEFER_TASKRUN | SETUP_R_DISABLED;
        if (o.has(RingFlag.SQPOLL)) f |= SETUP_SQPOLL;
        if (o.sqpollCpu() >= 0) f |= SETUP_SQ_AFF;
        if (o.has(RingFlag.IOPOLL)) f |= SETUP_IOPOLL;
        if (o.has(RingFlag.SUBMIT_ALL)) f |= SETUP_SUBMIT_ALL;
        return f;
    }

    /**
     * The engine's ring for {@code capacity} requests in flight: the SQ holds capacity rounded up to a power of two,
     * the CQ twice that (or {@code cqEntries}), so a batch of completions not yet handed back plus a full set of new
     * requests never overflow it.
     */
    static Ring engineRing(EngineOptions options, int capacity, String kernel) {
        int sqEntries = Integer.highestOneBit(Math.max(1, capacity - 1)) << 1;
        if (capacity == 1) sqEntries = 1;
        int cqEntries = options.cqEntries() > 0 ? options.cqEntries() : Math.min(2 * sqEntries, MAX_CQ_ENTRIES);
        if (cqEntries < capacity) {
            throw new UnsupportedConfigurationException("cqEntries=" + cqEntries + " is smaller than maxInFlight="
                    + capacity + ": completions would overflow the CQ");
        }
        if (cqEntries > MAX_CQ_ENTRIES) {
            throw new UnsupportedConfigurationException("cqEntries=" + cqEntries + " exceeds the kernel's maximum "
                    + MAX_CQ_ENTRIES + " (IORING_MAX_CQ_ENTRIES)");
        }
        return create(new Ring.Params(sqEntries, setupFlags(options), cqEntries, Math.max(0, options.sqpollCpu()),
                options.sqpollIdleMs(), 0), options, kernel);
    }

    /** io_uring_setup with {@code p}; a refusal becomes the reason, as far as the kernel's errno tells it. */
    static Ring create(Ring.Params p, EngineOptions options, String kernel) {
        try {
            return Ring.create(p);
        } catch (NativeException e) {
            if (!e.call().equals("io_uring_setup")) throw e;
            throw SetupErrors.explain(e.errno(), p, options, kernel);
        }
    }

    /** The SQE flags every request of the options carries: IOSQE_ASYNC (ring flag async), IOSQE_FIXED_FILE (regfiles). */
    static byte baseSqeFlags(EngineOptions options) {
        byte f = 0;
        if (options.has(RingFlag.ASYNC)) f |= IOSQE_ASYNC;
        if (options.regfiles()) f |= IOSQE_FIXED_FILE;
        return f;
    }

    /** The opcodes the engine uses, from IORING_REGISTER_PROBE: READ, WRITE, FALLOCATE, and metadata=ring's. */
    static void checkOpcodes(Ring ring, EngineOptions options, String kernel) {
        boolean[] ok = ring.probeOpcodes();
        String missing = null;
        if (ok == null) missing = "IORING_REGISTER_PROBE";
        else if (!ok[OP_READ] || !ok[OP_WRITE]) missing = "IORING_OP_READ/WRITE";
        else if (!ok[OP_FALLOCATE]) missing = "IORING_OP_FALLOCATE";
        if (missing != null) {
            throw new UnsupportedConfigurationException("io_uring engine needs " + missing
                    + " (Linux 5.6); this kernel is " + kernel);
        }
        if (!options.ringMetadata()) return;
        for (int[] op : new int[][] {{OP_OPENAT, 0}, {OP_STATX, 0}, {OP_CLOSE, 0}, {OP_MKDIRAT, 1}}) {
            if (op[0] >= ok.length || !ok[op[0]]) {
                String name = op[1] == 1 ? "IORING_OP_MKDIRAT" : bit(OPCODES, op[0]).name();
                throw new UnsupportedConfigurationException("metadata=ring needs " + name + " (Linux "
                        + (op[1] == 1 ? MKDIRAT_SINCE : bit(OPCODES, op[0]).since()) + "); this kernel is " + kernel
                        + " and has not got it");
            }
        }
    }

    /** A sparse fixed-file table of {@code n} slots for the kernel to allocate from (IORING_FILE_INDEX_ALLOC). */
    static int registerSparseTable(Ring ring, Arena arena, int n) {
        MemorySegment fds = arena.allocate(JAVA_INT, n);
        for (int i = 0; i < n; i++) fds.setAtIndex(JAVA_INT, i, -1);
        int r = ring.register(REGISTER_FILES, fds, n);
        if (r < 0) {
            throw new UnsupportedConfigurationException("metadata=ring: IORING_REGISTER_FILES of a sparse table of " + n
                    + " slots failed with " + Errno.describe(-r) + (-r == Errno.EMFILE ? " (RLIMIT_NOFILE is lower)" : ""));
        }
        return n;
    }

    /** What the ring is, as the engine's facts say it: its sizes, flags, features and mappings. */
    static void ringFacts(Map<String, String> m, Ring ring) {
        m.put("ring.sq_entries", Integer.toString(ring.sq.entries));
        m.put("ring.cq_entries", Integer.toString(ring.cq.entries));
        m.put("ring.setup_flags", names(SETUP_FLAGS, ring.setupFlags));
        m.put("ring.features", names(FEATURES, ring.features));
        m.put("ring.mmap", ring.singleMmap() ? "one mapping for SQ and CQ rings (IORING_FEAT_SINGLE_MMAP)"
                : "separate SQ and CQ ring mappings");
        m.put("ring.mapped_bytes", Long.toString(ring.mappedBytes()));
    }

    /** Which requests the options make: the SQE flags, the opcodes, IOPOLL's and SQPOLL's terms. */
    static void requestFacts(Map<String, String> m, EngineOptions options, boolean vectored, byte baseSqeFlags) {
        if (options.has(RingFlag.IOPOLL)) {
            m.put("iopoll", "completions are polled inside io_uring_enter; needs O_DIRECT files on a block device "
                    + "with poll queues, other reads and writes complete with -EOPNOTSUPP (see the probe)");
        }
        if (options.has(RingFlag.SQPOLL)) {
            m.put("sqpoll.cpu", options.sqpollCpu() >= 0 ? Integer.toString(options.sqpollCpu()) : "any");
            m.put("sqpoll.idle_ms", Integer.toString(options.sqpollIdleMs()));
        }
        String sqeFlags = ((baseSqeFlags & IOSQE_FIXED_FILE) != 0 ? "IOSQE_FIXED_FILE " : "")
                + ((baseSqeFlags & IOSQE_ASYNC) != 0 ? "IOSQE_ASYNC" : "");
        m.put("sqe_flags", sqeFlags.isBlank() ? "none" : sqeFlags.trim().replace(' ', '|'));
        m.put("links", "IOSQE_IO_LINK");
        m.put("read_op", options.regbuf() ? "IORING_OP_READ_FIXED" : vectored ? "IORING_OP_READV" : "IORING_OP_READ");
        m.put("write_op", options.regbuf() ? "IORING_OP_WRITE_FIXED" : vectored ? "IORING_OP_WRITEV" : "IORING_OP_WRITE");
        m.put("fsync", "IORING_OP_FSYNC");
        m.put("fallocate", "IORING_OP_FALLOCATE (mode 0, in the ring)");
    }
}
