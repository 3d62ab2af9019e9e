package org.aiobench.engines.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.aiobench.engines.nat.Errno;
import org.aiobench.engines.nat.Libc;
import org.aiobench.engines.nat.Linux;
import org.aiobench.engines.nat.NativeException;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.aiobench.engines.uring.IoUringAbi.*;

/**
 * One io_uring instance on raw syscalls: io_uring_setup, the mmapped SQ ring, CQ ring and SQE array (one mapping
 * for both rings with IORING_FEAT_SINGLE_MMAP), io_uring_enter and io_uring_register. Ring offsets come from the
 * kernel's io_uring_params at run time. {@link #close()} unmaps everything and closes the descriptor.
 *
 * <p>Not thread-safe: one ring per submitting thread, as io_uring wants it.
 */
public final class Ring implements AutoCloseable {
    public final int fd;
    /** Setup flags the ring was created with. */
    public final int setupFlags;
    public final int features;
    public final SubmissionQueue sq;
    public final CompletionQueue cq;
    private final long sqRingAddr, sqRingSize, cqRingAddr, cqRingSize, sqesAddr, sqesSize;
    private boolean closed;

    /** How to create a ring: entries and the io_uring_params inputs. */
    public record Params(int entries, int flags, int cqEntries, int sqThreadCpu, int sqThreadIdleMs, int wqFd) {
        public static Params of(int entries, int flags) { return new Params(entries, flags, 0, 0, 0, 0); }
    }

    /**
     * io_uring_setup alone, for probing: the ring descriptor or -errno. {@code params} (120 bytes) is filled from
     * {@code p} and receives the kernel's answer. The caller closes the descriptor.
     */
    public static int setup(Params p, MemorySegment params) {
        params.fill((byte) 0);
        params.set(JAVA_INT, P_FLAGS, p.flags());
        params.set(JAVA_INT, P_CQ_ENTRIES, p.cqEntries());
        params.set(JAVA_INT, P_SQ_THREAD_CPU, p.sqThreadCpu());
        params.set(JAVA_INT, P_SQ_THREAD_IDLE, p.sqThreadIdleMs());
        params.set(JAVA_INT, P_WQ_FD, p.wqFd());
        long r;
        do {
            r = Libc.syscall(Linux.SYS_io_uring_setup, p.entries(), params.address(), 0, 0, 0, 0);
        } while (r == -Errno.EINTR);
        return (int) r;
    }

    /**
     * Creates and maps a ring.
     *
     * @throws NativeException io_uring_setup's or mmap's errno (callers turn it into a user-facing message)
     */
    public static Ring create(Params p) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment params = a.allocate(PARAMS_BYTES, 8);
            int fd = setup(p, params);
            if (fd < 0) throw new NativeException("io_uring_setup", -fd, null);
            try {
                return new Ring(fd, params);
            } catch (RuntimeException e) {
                Libc.close(fd);
                throw e;
            }
        }
    }

    private Ring(int fd, MemorySegment params) {
        this.fd = fd;
        this.setupFlags = params.get(JAVA_INT, P_FLAGS);
        this.features = params.get(JAVA_INT, P_FEATURES);
        int sqEntries = params.get(JAVA_INT, P_SQ_ENTRIES);
        int cqEntries = params.get(JAVA_INT, P_CQ_ENTRIES);
        long sqArray = Integer.toUnsignedLong(params.get(JAVA_INT, P_SQ_OFF + SQO_ARRAY));
        long cqes = Integer.toUnsignedLong(params.get(JAVA_INT, P_CQ_OFF + CQO_CQES));
        // sizes as liburing's io_uring_mmap computes them (setup.c)
        long sqSize = sqArray + 4L * sqEntries;
        long cqSize = cqes + (long) CQE_BYTES * cqEntries;
        boolean single = (features & FEAT_SINGLE_MMAP) != 0;
        if (single) sqSize = cqSize = Math.max(sqSize, cqSize);
        int prot = Linux.PROT_READ | Linux.PROT_WRITE;
        int flags = Linux.MAP_SHARED | Linux.MAP_POPULATE;
        long sqAddr = 0, cqAddr = 0, sqesA = 0;
        try {
            sqAddr = map(sqSize, prot, flags, fd, OFF_SQ_RING, "SQ ring");
            cqAddr = single ? sqAddr : map(cqSize, prot, flags, fd, OFF_CQ_RING, "CQ ring");
            long sqesSz = (long) SQE_BYTES * sqEntries;
            sqesA = map(sqesSz, prot, flags, fd, OFF_SQES, "SQE array");
            sqRingAddr = sqAddr; sqRingSize = sqSize;
            cqRingAddr = cqAddr; cqRingSize = cqSize;
            sqesAddr = sqesA; sqesSize = sqesSz;
        } catch (RuntimeException e) {
            if (sqAddr != 0) Libc.munmap(sqAddr, sqSize);
            if (cqAddr != 0 && cqAddr != sqAddr) Libc.munmap(cqAddr, cqSize);
            throw e;
        }
        MemorySegment sqRing = MemorySegment.ofAddress(sqRingAddr).reinterpret(sqRingSize);
        MemorySegment cqRing = MemorySegment.ofAddress(cqRingAddr).reinterpret(cqRingSize);
        MemorySegment sqesSeg = MemorySegment.ofAddress(sqesAddr).reinterpret(sqesSize);
        sq = new SubmissionQueue(sqRing, sqesSeg, params, (setupFlags & SETUP_SQPOLL) != 0);
        cq = new CompletionQueue(cqRing, params);
    }

    private static long map(long size, int prot, int flags, int fd, long offset, String what) {
        long r = Libc.mmap(0, size, prot, flags, fd, offset);
        if (r < 0) throw new NativeException("mmap", (int) -r, null, "io_uring " + what + ", " + size + " bytes");
        return r;
    }

    /**
     * Fault injection for the engine's tests: EINTR, EAGAIN, EBUSY and short submits are rare on a healthy kernel,
     * so the tests make the next {@code injectCount} submitting enters fail with {@code -injectErrno}, or cap how
     * many SQEs one enter hands over ({@code submitCap}, 0 = no cap).
     */
    int injectErrno, injectCount, submitCap;

    /** io_uring_enter: submitted count (or 0), or -errno. No retries here; callers decide what each errno means. */
    public int enter(int toSubmit, int minComplete, int flags) {
        if (toSubmit > 0 && injectCount > 0) {
            injectCount--;
            return -injectErrno;
        }
        if (submitCap > 0 && toSubmit > submitCap) toSubmit = submitCap;
        // the registered index is valid only in the thread that registered it
        if (registeredBy == Thread.currentThread()) {
            return (int) Libc.syscall(Linux.SYS_io_uring_enter, registeredIndex, toSubmit, minComplete,
                    flags | ENTER_REGISTERED_RING, 0, ENTER_SIGSET_BYTES);
        }
        return (int) Libc.syscall(Linux.SYS_io_uring_enter, fd, toSubmit, minComplete, flags, 0, ENTER_SIGSET_BYTES);
    }

    /** The thread whose registered-ring table holds this ring, or null; its index there. */
    private Thread registeredBy;
    private int registeredIndex = -1;

    /**
     * IORING_REGISTER_RING_FDS (Linux 5.18) for the calling thread: its later io_uring_enter calls pass the ring's
     * index in the thread's own table with IORING_ENTER_REGISTERED_RING, which skips the descriptor lookup (fdget)
     * of every enter, as liburing and fio do. The table is per thread (at most 16 rings), so other threads keep
     * using the descriptor. Returns 0, or -errno (EINVAL before 5.18, EBUSY when the thread's table is full):
     * then every enter uses the descriptor, which works the same, only a little slower.
     */
    public int registerRingFd() {
        if (registeredBy != null) return 0;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment upd = a.allocate(RSRC_UPDATE_BYTES, 8);
            upd.set(JAVA_INT, RU_OFFSET, -1);
            upd.set(JAVA_INT, RU_OFFSET + 4, 0);
            upd.set(ValueLayout.JAVA_LONG, RU_DATA, fd);
            int r = register(REGISTER_RING_FDS, upd, 1);
            if (r != 1) return r < 0 ? r : -Errno.EINVAL;
            registeredIndex = upd.get(JAVA_INT, RU_OFFSET);
            registeredBy = Thread.currentThread();
            return 0;
        }
    }

    /** The index of this ring in its registering thread's table (-1: not registered), and that thread. */
    public int registeredIndex() { return registeredIndex; }

    public Thread registeredBy() { return registeredBy; }

    /**
     * Removes the ring from the registering thread's table; only that thread can (the table is its own). Called
     * by {@link #close()}; from another thread the entry holds the ring until the registering thread exits.
     */
    private boolean unregisterRingFd() {
        if (registeredBy == null) return true;
        if (registeredBy != Thread.currentThread()) return false;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment upd = a.allocate(RSRC_UPDATE_BYTES, 8);
            upd.set(JAVA_INT, RU_OFFSET, registeredIndex);
            register(UNREGISTER_RING_FDS, upd, 1);
        }
        registeredBy = null;
        registeredIndex = -1;
        return true;
    }

    /** io_uring_register: result or -errno, retried on EINTR (registration may wait for the ring to idle). */
    public int register(int opcode, MemorySegment arg, int nrArgs) {
        long addr = arg == null ? 0 : arg.address();
        long r;
        do {
            r = Libc.syscall(Linux.SYS_io_uring_register, fd, opcode, addr, nrArgs, 0, 0);
        } while (r == -Errno.EINTR);
        return (int) r;
    }

    public boolean singleMmap() { return (features & FEAT_SINGLE_MMAP) != 0; }

    /** Bytes of the mappings (SQ ring, CQ ring unless shared, SQE array). */
    public long mappedBytes() {
        return sqRingSize + (cqRingAddr == sqRingAddr ? 0 : cqRingSize) + sqesSize;
    }

    /**
     * IORING_REGISTER_PROBE: {@code supported[op]} for every opcode the kernel knows; null when the kernel has
     * no probe (before 5.6) or refuses it.
     */
    public boolean[] probeOpcodes() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(PROBE_BYTES + (long) PROBE_OP_BYTES * PROBE_MAX_OPS, 8);
            int r = register(REGISTER_PROBE, p, PROBE_MAX_OPS);
            if (r < 0) return null;
            int opsLen = Byte.toUnsignedInt(p.get(java.lang.foreign.ValueLayout.JAVA_BYTE, PROBE_OPS_LEN));
            boolean[] ok = new boolean[PROBE_MAX_OPS];
            for (int i = 0; i < opsLen; i++) {
                long at = PROBE_OPS + (long) i * PROBE_OP_BYTES;
                int op = Byte.toUnsignedInt(p.get(java.lang.foreign.ValueLayout.JAVA_BYTE, at + PROBE_OP_OP));
                int fl = Short.toUnsignedInt(p.get(java.lang.foreign.ValueLayout.JAVA_SHORT, at + PROBE_OP_FLAGS));
                ok[op] = (fl & IO_URING_OP_SUPPORTED) != 0;
            }
            return ok;
        }
    }

    /**
     * Unmaps the rings and closes the descriptor. Idempotent. The kernel would cancel what is still in flight only
     * later, in its own time: {@link IoUringEngine#close()} cancels and waits for it first.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        unregisterRingFd();
        Libc.munmap(sqesAddr, sqesSize);
        if (cqRingAddr != sqRingAddr) Libc.munmap(cqRingAddr, cqRingSize);
        Libc.munmap(sqRingAddr, sqRingSize);
        Libc.close(fd);
    }
}
