package org.aiobench.engines.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;

import org.aiobench.engines.Capabilities;
import org.aiobench.engines.CompletionHandler;
import org.aiobench.engines.EngineOptions;
import org.aiobench.engines.IoEngine;
import org.aiobench.engines.MetadataOps;
import org.aiobench.engines.Op;
import org.aiobench.engines.RingFlag;
import org.aiobench.engines.UnsupportedConfigurationException;
import org.aiobench.engines.nat.Errno;
import org.aiobench.engines.nat.NativeException;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.aiobench.engines.uring.IoUringAbi.*;

/**
 * io_uring on raw rings ({@link Ring}): a request is one SQE whose user_data is the workload's tag, so nothing is
 * allocated or looked up per request. Every option of the studies is a parameter: setup flags (coop_taskrun,
 * taskrun_flag, single_issuer, defer_taskrun, sqpoll with its CPU and idle time, iopoll, submit_all, the CQ size),
 * IOSQE_ASYNC on every SQE, registered buffers (READ_FIXED/WRITE_FIXED) and registered files (IOSQE_FIXED_FILE),
 * and optionally READV/WRITEV instead of READ/WRITE. {@link IoEngine#LINK} is IOSQE_IO_LINK.
 *
 * <p>Sizes: the SQ holds maxInFlight rounded up to a power of two; the CQ twice that (or {@code cqEntries}), so a
 * batch of completions not yet handed back plus a full set of new requests never overflow it.
 *
 * <p>With single_issuer or defer_taskrun the ring is created disabled (IORING_SETUP_R_DISABLED) and enabled by the
 * first thread that submits or reaps, which is then its only submitter: the thread that builds the engine (a JMH
 * {@code @Setup} thread, say) does not matter.
 *
 * <p>Pieces of their own: the rings ({@link Ring}, {@link SubmissionQueue}, {@link CompletionQueue}, which own
 * their memory ordering and heads), the registered-file table ({@link FixedFileTable}) and the completions taken
 * off the CQ while a submit met EAGAIN ({@link CompletionStash}).
 *
 * <p>With {@link EngineOptions#ringMetadata()} the engine is also the workload's {@link MetadataOps}: OPENAT, STATX,
 * CLOSE and MKDIRAT (checked in the probe; Linux 5.15 for MKDIRAT), opens into fixed-file slots the kernel allocates
 * (IORING_FILE_INDEX_ALLOC, Linux 5.19; probed once per process with a ring of its own) in a sparse table registered
 * with the ring; where the kernel cannot allocate slots, opens return descriptors, and the facts say why.
 *
 * <p>{@link #close()} with requests still in the kernel cancels them (IORING_OP_ASYNC_CANCEL with
 * IORING_ASYNC_CANCEL_ANY, Linux 5.19; before that it waits for them) and takes every completion off the CQ before
 * it unmaps the rings, so no request can write into the workload's buffers once close() returned.
 */
public final class IoUringEngine implements IoEngine, MetadataOps {
    /** Kernel byte limit of one read or write (MAX_RW_COUNT), and the SQE len field is 32 bits. */
    private static final long MAX_RW = 0x7ffff000L;
    /** Registered buffers the kernel accepts (IORING_MAX_REG_BUFFERS). */
    private static final int MAX_REG_BUFFERS = 1 << 14;
    /** Tries before a submit that keeps getting EAGAIN with nothing in flight gives up. */
    private static final int EAGAIN_TRIES = 10_000;
    /** user_data of the ASYNC_CANCEL that close() submits (its CQE is never handed to a workload). */
    private static final long CLOSE_CANCEL_TAG = Long.MIN_VALUE + 0xca11;

    private final EngineOptions options;
    private final boolean vectored;
    private final Ring ring;
    private final SubmissionQueue sq;
    private final CompletionQueue cq;
    private final MemorySegment sqes;
    private final Arena arena = Arena.ofShared();
    private final int capacity;
    private final boolean sqpoll, iopoll, deferTaskrun, taskrunFlag;
    /** Reaping needs an io_uring_enter(GETEVENTS) even when nothing is asked to wait for (see reap). */
    private final boolean enterToReap;
    private final byte baseSqeFlags;
    private final String kernel;

    /** One iovec per SQE slot for READV/WRITEV: the slot is not reused before the kernel consumed the SQE. */
    private final MemorySegment iovecs;

    // registered buffers
    private long bufBase, bufSlot;
    private int bufCount;
    private boolean buffersRegistered;

    /** Registered files, or null without regfiles. */
    private final FixedFileTable files;

    /** With ringMetadata: slots in the sparse table the kernel allocates from (0: opens return descriptors). */
    private final int metaSlots;
    /** With ringMetadata and no slots: why (the kernel cannot allocate them). */
    private final String metaSlotsMissing;
    private long metaOpens, metaStatx, metaCloses, metaMkdirs;

    /** Completions taken off the CQ while submitting (EAGAIN/EBUSY), handed over by the next reap. */
    private final CompletionStash stash;

    private int inFlight;      // queued or in flight, not yet handed to a handler
    private int unsubmitted;   // queued since the last submit
    private int inKernel;      // submitted, completion not yet taken off the CQ
    private boolean enabled;
    private String enabledBy;
    private boolean closed;

    // what close() found and did, for facts() after it
    private int closeInKernel;
    private int closeCancelResult = Integer.MIN_VALUE; // the ASYNC_CANCEL's res, MIN_VALUE if none was needed
    private int droppedAtClose, overflowAtClose;

    public IoUringEngine(EngineOptions options) {
        this(options, false);
    }

    /**
     * @param vectored Op.READ/WRITE become READV/WRITEV with one iovec (not with regbuf: READV_FIXED is 6.15+ and
     *                 not used here)
     */
    public IoUringEngine(EngineOptions options, boolean vectored) {
        this.options = options;
        this.vectored = vectored;
        this.kernel = kernelRelease();
        validate(options, vectored);
        capacity = options.maxInFlight();
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
        int flags = setupFlags(options);
        Ring.Params p = new Ring.Params(sqEntries, flags, cqEntries, Math.max(0, options.sqpollCpu()),
                options.sqpollIdleMs(), 0);
        Ring r;
        try {
            r = Ring.create(p);
        } catch (NativeException e) {
            if (!e.call().equals("io_uring_setup")) throw e;
            throw SetupErrors.explain(e.errno(), p, options, kernel);
        }
        ring = r;
        try {
            sq = ring.sq;
            cq = ring.cq;
            sqes = sq.sqes;
            sqpoll = options.has(RingFlag.SQPOLL);
            iopoll = options.has(RingFlag.IOPOLL);
            deferTaskrun = options.has(RingFlag.DEFER_TASKRUN);
            taskrunFlag = options.has(RingFlag.TASKRUN_FLAG);
            enterToReap = iopoll || (deferTaskrun && !taskrunFlag);
            byte f = 0;
            if (options.has(RingFlag.ASYNC)) f |= IOSQE_ASYNC;
            if (options.regfiles()) f |= IOSQE_FIXED_FILE;
            baseSqeFlags = f;
            enabled = (flags & SETUP_R_DISABLED) == 0;
            checkOpcodes();
            iovecs = vectored ? arena.allocate(16L * sq.entries, 8) : null;
            stash = new CompletionStash(capacity + 1); // + close()'s cancel request
            files = options.regfiles() ? new FixedFileTable(ring, arena, Math.max(1024, 2 * capacity), kernel) : null;
            if (options.ringMetadata()) {
                String alloc = FileIndexAlloc.failure();
                metaSlotsMissing = alloc;
                metaSlots = alloc == null ? registerSparseTable(Math.max(64, capacity)) : 0;
            } else {
                metaSlots = 0;
                metaSlotsMissing = null;
            }
        } catch (RuntimeException e) {
            ring.close();
            arena.close();
            throw e;
        }
    }

    // ---- configuration ----------------------------------------------------------------------------------------

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

    private void checkOpcodes() {
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
    private int registerSparseTable(int n) {
        MemorySegment fds = arena.allocate(JAVA_INT, n);
        for (int i = 0; i < n; i++) fds.setAtIndex(JAVA_INT, i, -1);
        int r = ring.register(REGISTER_FILES, fds, n);
        if (r < 0) {
            throw new UnsupportedConfigurationException("metadata=ring: IORING_REGISTER_FILES of a sparse table of " + n
                    + " slots failed with " + Errno.describe(-r) + (-r == Errno.EMFILE ? " (RLIMIT_NOFILE is lower)" : ""));
        }
        return n;
    }

    // ---- IoEngine: setup calls ------------------------------------------------------------------------------

    @Override public String name() { return "io_uring"; }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(true, true, true, true, false, false);
    }

    @Override
    public void useBuffers(MemorySegment region, long slotSize) {
        checkOpen();
        if (slotSize <= 0 || region.byteSize() < slotSize) {
            throw new IllegalArgumentException("useBuffers: slotSize " + slotSize + " does not fit a region of "
                    + region.byteSize() + " bytes");
        }
        bufBase = region.address();
        bufSlot = slotSize;
        bufCount = (int) Math.min(Integer.MAX_VALUE, region.byteSize() / slotSize);
        if (!options.regbuf()) return;
        if (bufCount > MAX_REG_BUFFERS) {
            throw new UnsupportedConfigurationException("regbuf: " + bufCount + " buffer slots exceed the kernel's "
                    + MAX_REG_BUFFERS + " registered buffers");
        }
        if (slotSize > (1L << 30)) {
            throw new UnsupportedConfigurationException("regbuf: a registered buffer is at most 1 GiB, slot is "
                    + slotSize + " bytes");
        }
        if (buffersRegistered) {
            ring.register(UNREGISTER_BUFFERS, null, 0);
            buffersRegistered = false;
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment iov = a.allocate(16L * bufCount, 8);
            for (int i = 0; i < bufCount; i++) {
                iov.set(JAVA_LONG, 16L * i, bufBase + i * slotSize);
                iov.set(JAVA_LONG, 16L * i + 8, slotSize);
            }
            int r = ring.register(REGISTER_BUFFERS, iov, bufCount);
            if (r < 0) throw SetupErrors.registerBuffers(-r, bufCount, slotSize, kernel);
        }
        buffersRegistered = true;
    }

    @Override
    public void fileOpened(int fd) {
        checkOpen();
        if (files == null) return;
        try {
            files.opened(fd);
        } catch (NativeException e) {
            if (e.errno() == Errno.EEXIST) throw wrongThread("io_uring_register(FILES_UPDATE)");
            throw e;
        }
    }

    @Override
    public void fileClosing(int fd) {
        if (closed || files == null) return; // a closed ring has no file table left
        files.closing(fd);
    }

    // ---- IoEngine: hot path -----------------------------------------------------------------------------------

    @Override
    public void queue(Op op, long tag, int fd, MemorySegment buffer, long length, long offset, int flags) {
        if (closed) throw new IllegalStateException("io_uring engine is closed");
        if (inFlight >= capacity) {
            throw new IllegalStateException("io_uring: more than maxInFlight=" + capacity + " requests queued or unreaped");
        }
        // validate everything before claiming an SQE, so a bad request leaves the ring untouched
        int file = fd;
        boolean fixedSlot = (flags & FIXED_FILE) != 0;
        if (fixedSlot && (fd < 0 || fd >= metaSlots)) {
            throw new IllegalStateException("FIXED_FILE: " + fd + " is not a slot of this ring's table of " + metaSlots
                    + (metaSlots == 0 ? " (no fixed-file slots: " + (options.ringMetadata() ? metaSlotsMissing
                    : "metadata=ring not set") + ")" : ""));
        }
        if (!fixedSlot && files != null && op != Op.NOP && (file = files.slotOf(fd)) < 0) {
            throw new IllegalStateException("regfiles: fd " + fd + " was not given to fileOpened");
        }
        int bufIndex = 0;
        if (op == Op.READ || op == Op.WRITE) bufIndex = checkBuffer(op, buffer, length);
        long at = sq.next();
        if (at < 0) at = waitForSqe();
        switch (op) {
            case READ, WRITE -> prepReadWrite(op, at, tag, file, buffer.address(), (int) length, offset, bufIndex);
            case FSYNC -> Sqe.fsync(sqes, at, file, 0, tag);
            case FALLOCATE -> Sqe.fallocate(sqes, at, file, 0, offset, length, tag);
            case NOP -> Sqe.nop(sqes, at, tag);
        }
        // flags last: the prep helper cleared them
        byte f = op == Op.NOP ? (byte) (baseSqeFlags & ~IOSQE_FIXED_FILE) : baseSqeFlags;
        if (fixedSlot && op != Op.NOP) f |= IOSQE_FIXED_FILE;
        if ((flags & LINK) != 0) f |= IOSQE_IO_LINK;
        Sqe.flags(sqes, at, f);
        inFlight++;
        unsubmitted++;
    }

    // ---- MetadataOps (metadata=ring) --------------------------------------------------------------------------

    @Override
    public MetadataOps metadataOps() {
        return options.ringMetadata() ? this : null;
    }

    @Override
    public boolean fixedSlots() {
        return metaSlots > 0;
    }

    /** An SQE for a metadata request, after the same checks as {@link #queue}. */
    private long claimMeta() {
        if (closed) throw new IllegalStateException("io_uring engine is closed");
        if (!options.ringMetadata()) throw new IllegalStateException("io_uring: metadata requests need metadata=ring");
        if (inFlight >= capacity) {
            throw new IllegalStateException("io_uring: more than maxInFlight=" + capacity + " requests queued or unreaped");
        }
        long at = sq.next();
        return at < 0 ? waitForSqe() : at;
    }

    /** Flags of a metadata SQE (IOSQE_ASYNC where the ring flags ask for it), set after the prep helper. */
    private void queuedMeta(long at) {
        Sqe.flags(sqes, at, (byte) (baseSqeFlags & ~IOSQE_FIXED_FILE));
        inFlight++;
        unsubmitted++;
    }

    @Override
    public void queueOpenat(long tag, int dirFd, MemorySegment name, int flags, int mode) {
        long at = claimMeta();
        boolean slot = metaSlots > 0;
        // a fixed file is no descriptor: the kernel refuses O_CLOEXEC with a file_index (EINVAL)
        Sqe.openat(sqes, at, dirFd, name.address(), slot ? flags & ~org.aiobench.engines.nat.Linux.O_CLOEXEC : flags,
                mode, slot ? FILE_INDEX_ALLOC : 0, tag);
        queuedMeta(at);
        metaOpens++;
    }

    @Override
    public void queueStatx(long tag, int dirFd, MemorySegment name, int flags, int mask, MemorySegment buf) {
        long at = claimMeta();
        Sqe.statx(sqes, at, dirFd, name.address(), flags, mask, buf.address(), tag);
        queuedMeta(at);
        metaStatx++;
    }

    @Override
    public void queueClose(long tag, int file) {
        long at = claimMeta();
        if (metaSlots > 0) Sqe.close(sqes, at, 0, file + 1, tag);
        else Sqe.close(sqes, at, file, 0, tag);
        queuedMeta(at);
        metaCloses++;
    }

    @Override
    public void queueMkdirat(long tag, int dirFd, MemorySegment name, int mode) {
        long at = claimMeta();
        Sqe.mkdirat(sqes, at, dirFd, name.address(), mode, tag);
        queuedMeta(at);
        metaMkdirs++;
    }

    /** Checks a READ/WRITE buffer; with regbuf returns its registered buffer index. */
    private int checkBuffer(Op op, MemorySegment buffer, long length) {
        if (length < 0 || length > MAX_RW || buffer == null || buffer.byteSize() < length) {
            throw new IllegalArgumentException("io_uring " + op + ": length " + length + " with a buffer of "
                    + (buffer == null ? "null" : buffer.byteSize() + " bytes") + " (at most " + MAX_RW + " bytes)");
        }
        if (!options.regbuf()) return 0;
        if (!buffersRegistered) {
            throw new IllegalStateException("regbuf: useBuffers was not called before the first request");
        }
        long addr = buffer.address();
        long index = (addr - bufBase) / bufSlot;
        if (addr < bufBase || index >= bufCount || addr + length > bufBase + (index + 1) * bufSlot) {
            throw new IllegalStateException("regbuf: buffer at 0x" + Long.toHexString(addr) + " (" + length
                    + " bytes) is not inside one slot of the region given to useBuffers");
        }
        return (int) index;
    }

    private void prepReadWrite(Op op, long at, long tag, int file, long addr, int len, long offset, int bufIndex) {
        if (options.regbuf()) {
            if (op == Op.READ) Sqe.readFixed(sqes, at, file, addr, len, offset, bufIndex, tag);
            else Sqe.writeFixed(sqes, at, file, addr, len, offset, bufIndex, tag);
        } else if (vectored) {
            long iov = 16L * sq.lastIndex();
            iovecs.set(JAVA_LONG, iov, addr);
            iovecs.set(JAVA_LONG, iov + 8, len);
            if (op == Op.READ) Sqe.readv(sqes, at, file, iovecs.address() + iov, 1, offset, tag);
            else Sqe.writev(sqes, at, file, iovecs.address() + iov, 1, offset, tag);
        } else {
            if (op == Op.READ) Sqe.read(sqes, at, file, addr, len, offset, tag);
            else Sqe.write(sqes, at, file, addr, len, offset, tag);
        }
    }

    /** The SQ is full: only under SQPOLL (the kernel thread has not consumed it yet); wait for a free slot. */
    private long waitForSqe() {
        if (!sqpoll) throw new IllegalStateException("io_uring: SQ full (" + sq.entries + " entries) without submit");
        ensureEnabled();
        while (true) {
            long at = sq.next();
            if (at >= 0) return at;
            sq.flush();
            int fl = ENTER_SQ_WAIT | (sq.needsWakeup() ? ENTER_SQ_WAKEUP : 0);
            int r = ring.enter(0, 0, fl);
            if (r < 0 && r != -Errno.EINTR && r != -Errno.EAGAIN && r != -Errno.EBUSY) throw enterFailed(r);
        }
    }

    @Override
    public int submit() {
        checkOpen();
        ensureEnabled();
        int n = unsubmitted;
        int toSubmit = publish();
        if (toSubmit > 0) submitPending(toSubmit, 0);
        return n;
    }

    /** One io_uring_enter with to_submit and min_complete (io_uring_submit_and_wait), then the reap loop. */
    @Override
    public int submitAndReap(int min, CompletionHandler handler) {
        checkOpen();
        ensureEnabled();
        int toSubmit = publish();
        int wait = Math.max(0, Math.min(min, inFlight) - cq.ready() - stash.size());
        if (toSubmit > 0 || wait > 0) submitPending(toSubmit, wait);
        return reap(min, handler);
    }

    /** Publishes the queued SQEs (one release store of the SQ tail); returns how many the kernel has not taken. */
    private int publish() {
        if (sqpoll) inKernel += unsubmitted; // the SQ thread takes them from here
        unsubmitted = 0;
        return sq.flush();
    }

    /**
     * Hands {@code toSubmit} published SQEs to the kernel, waiting for {@code minComplete} completions if the
     * whole batch went in. Short submits are resubmitted; EINTR retried; EAGAIN/EBUSY (no memory for requests or
     * a CQ overflow backlog) retried after taking completions off the CQ into the stash.
     *
     * <p>Links and short submits: the kernel stops early for a failing SQE only at the end of its chain (a failing
     * linked SQE fails the chain and submission goes on to the chain's end), so a resubmit starts a new chain. Only
     * running out of memory for requests in the middle of a batch could cut a chain in two; then its halves run
     * unordered, as with liburing, and the workload's verification would report it.
     */
    private void submitPending(int toSubmit, int minComplete) {
        if (sqpoll) {
            // the SQ thread submits; it only needs a wake-up when it went to sleep
            int fl = sq.needsWakeup() ? ENTER_SQ_WAKEUP : 0;
            if (minComplete > 0) fl |= ENTER_GETEVENTS;
            if (fl != 0) enterRetrying(0, minComplete, fl);
            return;
        }
        int stalls = 0;
        while (toSubmit > 0) {
            int fl = minComplete > 0 || enterToReap ? ENTER_GETEVENTS : 0;
            int r = ring.enter(toSubmit, minComplete, fl);
            if (r > 0) {
                toSubmit -= r;
                inKernel += r;
                stalls = 0;
                continue;
            }
            if (r == -Errno.EINTR) continue;
            if (r == 0 || r == -Errno.EAGAIN || r == -Errno.EBUSY) {
                if (++stalls > EAGAIN_TRIES) {
                    throw new IllegalStateException("io_uring_enter kept returning " + (r == 0 ? "0" : Errno.name(r))
                            + " with " + toSubmit + " SQEs to submit");
                }
                makeRoom();
                continue;
            }
            throw enterFailed(r);
        }
    }

    /** After EAGAIN/EBUSY: take completions off the CQ (waiting for one if requests are in the kernel). */
    private void makeRoom() {
        if (cq.ready() == 0 && inKernel > 0) {
            int r = ring.enter(0, 1, ENTER_GETEVENTS);
            if (r < 0 && r != -Errno.EINTR && r != -Errno.EAGAIN && r != -Errno.EBUSY && r != -Errno.ETIME) {
                throw enterFailed(r);
            }
        } else if (cq.ready() == 0) {
            Thread.onSpinWait();
        }
        int tail = cq.acquireTail();
        while (cq.before(tail)) {
            stash.add(cq.userData(), cq.result());
            cq.advance();
            inKernel--;
        }
        cq.releaseHead();
    }

    private void enterRetrying(int toSubmit, int minComplete, int flags) {
        while (true) {
            int r = ring.enter(toSubmit, minComplete, flags);
            if (r >= 0 || r == -Errno.ETIME) return;
            if (r == -Errno.EINTR) continue;
            if (r == -Errno.EAGAIN || r == -Errno.EBUSY) {
                makeRoom();
                return; // the reap loop re-waits if it still needs completions
            }
            throw enterFailed(r);
        }
    }

    @Override
    public int reap(int min, CompletionHandler handler) {
        checkOpen();
        int waitable = inFlight - unsubmitted;
        if (min > waitable) {
            throw new IllegalStateException("io_uring: reap(" + min + ") with " + waitable + " requests submitted and "
                    + unsubmitted + " not yet submitted would wait forever");
        }
        if (waitable == 0) return 0;
        ensureEnabled();
        int n = 0;
        boolean entered = false;
        while (true) {
            // completions stashed by a submit that met EAGAIN/EBUSY come first (also one a handler just made)
            while (!stash.isEmpty()) {
                long tag = stash.tag();
                int res = stash.result();
                stash.remove();
                inFlight--;
                n++;
                handler.complete(tag, res);
            }
            if (sq.cqNeedsFlush()) {
                // CQ overflow backlog or task work flagged (TASKRUN_FLAG): GETEVENTS flushes it into the CQ
                enterRetrying(0, 0, ENTER_GETEVENTS);
                entered = true;
            }
            n += drain(handler);
            if (!stash.isEmpty()) continue;
            if (n >= min) {
                if (n == 0 && enterToReap && !entered && inFlight - unsubmitted > 0) {
                    // IOPOLL completes only inside enter; DEFER_TASKRUN runs completions only inside enter
                    enterRetrying(0, 0, ENTER_GETEVENTS);
                    entered = true;
                    continue;
                }
                return n;
            }
            enterRetrying(0, min - n, ENTER_GETEVENTS | (sqpoll && sq.needsWakeup() ? ENTER_SQ_WAKEUP : 0));
            entered = true;
        }
    }

    /** Hands every CQE up to the kernel's tail to the handler; the head moves before each call (re-entrancy). */
    private int drain(CompletionHandler handler) {
        int tail = cq.acquireTail();
        int n = 0;
        while (cq.before(tail)) {
            long tag = cq.userData();
            int res = cq.result();
            cq.advance();
            inKernel--;
            inFlight--;
            n++;
            handler.complete(tag, res);
        }
        if (n > 0) cq.releaseHead();
        return n;
    }

    @Override
    public int inFlight() { return inFlight; }

    /** The ring, for the package's tests (fault injection). */
    Ring ring() { return ring; }

    // ---- threads and errors -----------------------------------------------------------------------------------

    /**
     * Enables an R_DISABLED ring from the calling thread, which becomes its submitter (SINGLE_ISSUER), and registers
     * the ring's descriptor for the first thread that enters the ring ({@link Ring#registerRingFd()}).
     */
    private void ensureEnabled() {
        if (enabled && ringFdTried) return;
        if (!enabled) {
            int r = ring.register(REGISTER_ENABLE_RINGS, null, 0);
            if (r < 0) {
                throw new UnsupportedConfigurationException("IORING_REGISTER_ENABLE_RINGS failed with "
                        + Errno.describe(-r) + " (needs Linux 5.10; this kernel is " + kernel + ")");
            }
            enabled = true;
            enabledBy = Thread.currentThread().getName();
        }
        ringFdTried = true;
        int r = ring.registerRingFd();
        ringFdFact = r == 0 ? "yes: IORING_REGISTER_RING_FDS, index " + ring.registeredIndex() + " in the table of thread '"
                + Thread.currentThread().getName() + "', whose enters pass IORING_ENTER_REGISTERED_RING"
                : "no: IORING_REGISTER_RING_FDS failed with " + Errno.describe(-r)
                  + " (Linux 5.18+, 16 rings per thread); every enter passes the descriptor";
    }

    /** Whether the first entering thread tried IORING_REGISTER_RING_FDS, and what came of it. */
    private boolean ringFdTried;
    private String ringFdFact = "not yet (at the first submit or reap)";

    private IllegalStateException wrongThread(String call) {
        return new IllegalStateException(call + " failed with EEXIST: this ring was created with single_issuer and "
                + "enabled by thread '" + enabledBy + "'; thread '" + Thread.currentThread().getName()
                + "' may not submit to it or register with it");
    }

    private RuntimeException enterFailed(int r) {
        if (-r == Errno.EEXIST) return wrongThread("io_uring_enter");
        return new NativeException("io_uring_enter", -r, null);
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("io_uring engine is closed");
    }

    // ---- facts and close ------------------------------------------------------------------------------------

    @Override
    public Map<String, String> facts() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("kernel", kernel);
        m.put("ring.sq_entries", Integer.toString(sq.entries));
        m.put("ring.cq_entries", Integer.toString(cq.entries));
        m.put("ring.setup_flags", names(SETUP_FLAGS, ring.setupFlags));
        m.put("ring.features", names(FEATURES, ring.features));
        m.put("ring.mmap", ring.singleMmap() ? "one mapping for SQ and CQ rings (IORING_FEAT_SINGLE_MMAP)"
                : "separate SQ and CQ ring mappings");
        m.put("ring.mapped_bytes", Long.toString(ring.mappedBytes()));
        // both stay 0 unless something is wrong: SQEs the kernel found invalid, CQEs lost without FEAT_NODROP
        m.put("ring.sq_dropped", Integer.toUnsignedString(closed ? droppedAtClose : sq.dropped()));
        m.put("ring.cq_overflow", Integer.toUnsignedString(closed ? overflowAtClose : cq.overflow()));
        m.put("ring.fd_registered", ringFdFact);
        if ((ring.setupFlags & SETUP_R_DISABLED) != 0) {
            m.put("ring.enabled", enabled ? "lazily, by the first submitting thread '" + enabledBy + "'"
                    : "not yet (created with IORING_SETUP_R_DISABLED; the first submitting thread enables it)");
        }
        if (iopoll) {
            m.put("iopoll", "completions are polled inside io_uring_enter; needs O_DIRECT files on a block device "
                    + "with poll queues, other reads and writes complete with -EOPNOTSUPP (see the probe)");
        }
        if (sqpoll) {
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
        if (options.regbuf()) {
            m.put("regbuf.buffers", Integer.toString(buffersRegistered ? bufCount : 0));
            m.put("regbuf.bytes", Long.toString(buffersRegistered ? bufCount * bufSlot : 0));
        }
        if (files != null) {
            m.put("regfiles", files.slots() + " slots registered once (sparse); one IORING_REGISTER_FILES_UPDATE per"
                    + " opened descriptor: " + files.updates() + " so far");
        }
        if (options.ringMetadata()) {
            m.put("metadata", "the walk's opens, statx, closes and mkdirat through the ring (IORING_OP_OPENAT, STATX,"
                    + " CLOSE, MKDIRAT): " + metaOpens + " opens, " + metaStatx + " statx, " + metaCloses + " closes, "
                    + metaMkdirs + " mkdirat");
            m.put("metadata.files", metaSlots > 0 ? "fixed-file slots allocated by the kernel (IORING_FILE_INDEX_ALLOC)"
                    + " in a sparse table of " + metaSlots + ", reads and writes with IOSQE_FIXED_FILE"
                    : "descriptors: " + metaSlotsMissing);
        }
        if (closeCancelResult != Integer.MIN_VALUE) {
            m.put("close", closeInKernel + " request(s) still in the kernel at close: IORING_OP_ASYNC_CANCEL"
                    + " (IORING_ASYNC_CANCEL_ANY) answered " + (closeCancelResult >= 0 ? closeCancelResult + " found"
                    : Errno.describe(-closeCancelResult) + (closeCancelResult == -Errno.EINVAL
                    ? " (no CANCEL_ANY before Linux 5.19: close waited for them)" : ""))
                    + "; every completion was taken before the rings were unmapped");
        }
        return m;
    }

    /**
     * Cancels what the kernel still holds (IORING_ASYNC_CANCEL_ANY; without it, waits), takes every completion
     * off the CQ, then unmaps the rings and closes the ring. Completions taken here go to no handler. If the
     * requests cannot be waited for (a SINGLE_ISSUER ring closed from another thread), close() throws and leaves
     * the ring as it is: the workload must then not free the buffers those requests use.
     */
    @Override
    public void close() {
        if (closed) return;
        if (inKernel > 0 || unsubmitted > 0 || sq.flush() > 0) {
            cancelAndWait(); // throws, leaving the ring open, when it cannot wait
        }
        closed = true;
        droppedAtClose = sq.dropped();
        overflowAtClose = cq.overflow();
        ring.close();
        arena.close();
    }

    private void cancelAndWait() {
        ensureEnabled();
        long at;
        while ((at = sq.next()) < 0) {
            if (sqpoll) {
                at = waitForSqe();
                break;
            }
            submitPending(publish(), 0); // a full SQ of queued requests goes in first
        }
        Sqe.asyncCancel(sqes, at, 0, ASYNC_CANCEL_ANY, CLOSE_CANCEL_TAG);
        unsubmitted++;
        inFlight++;
        closeInKernel = inKernel + unsubmitted - 1;
        int toSubmit = publish();
        if (toSubmit > 0) submitPending(toSubmit, 0);
        closeCancelResult = -Errno.EINVAL;
        while (true) {
            while (!stash.isEmpty()) {
                noteCloseCompletion(stash.tag(), stash.result());
                stash.remove();
            }
            int tail = cq.acquireTail();
            while (cq.before(tail)) {
                noteCloseCompletion(cq.userData(), cq.result());
                cq.advance();
                inKernel--;
            }
            cq.releaseHead();
            if (inKernel == 0) break;
            enterRetrying(0, 1, ENTER_GETEVENTS | (sqpoll && sq.needsWakeup() ? ENTER_SQ_WAKEUP : 0));
        }
        inFlight = 0;
    }

    private void noteCloseCompletion(long tag, int res) {
        if (tag == CLOSE_CANCEL_TAG) closeCancelResult = res;
    }

    /** The running kernel's release (uname -r). */
    public static String kernelRelease() {
        String r = SetupErrors.readSmallFile("/proc/sys/kernel/osrelease");
        return r != null ? r : System.getProperty("os.version", "unknown");
    }
}
