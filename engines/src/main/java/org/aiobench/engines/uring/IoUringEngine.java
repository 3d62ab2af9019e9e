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
import org.aiobench.engines.nat.Errno;
import org.aiobench.engines.nat.NativeException;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.aiobench.engines.uring.IoUringAbi.*;

/**
 * io_uring on raw rings ({@link Ring}): a request is one SQE whose user_data is the workload's tag, so nothing is
 * allocated or looked up per request. Every option of the studies is a parameter: setup flags (coop_taskrun,
 * taskrun_flag, single_issuer, defer_taskrun, sqpoll with its CPU and idle time, iopoll, submit_all, the CQ size),
 * IOSQE_ASYNC on every SQE, registered buffers (READ_FIXED/WRITE_FIXED) and registered files (IOSQE_FIXED_FILE),
 * and optionally READV/WRITEV instead of READ/WRITE. {@link IoEngine#LINK} is IOSQE_IO_LINK.
 *
 * <p>This class is the hot path: queue, submit, reap, and close's cancel-and-wait. The rest are pieces of their own:
 * the setup from the options, its checks, sizes, opcodes and facts ({@link RingSetup}); the thread that enters the
 * ring first, which enables an R_DISABLED ring (single_issuer, defer_taskrun) and registers its descriptor
 * ({@link RingIssuer}); the rings ({@link Ring}, {@link SubmissionQueue}, {@link CompletionQueue}, which own their
 * memory ordering and heads); registered buffers ({@link RegisteredBuffers}) and files ({@link FixedFileTable});
 * the completions taken off the CQ while a submit met EAGAIN ({@link CompletionStash}); and, with
 * {@link EngineOptions#ringMetadata()}, the workload's {@link MetadataOps} through this ring ({@link RingMetadata}),
 * whose requests take their SQEs here.
 *
 * <p>{@link #close()} with requests still in the kernel cancels them (IORING_OP_ASYNC_CANCEL with
 * IORING_ASYNC_CANCEL_ANY, Linux 5.19; before that it waits for them) and takes every completion off the CQ before
 * it unmaps the rings, so no request can write into the workload's buffers once close() returned.
 */
public final class IoUringEngine implements IoEngine {
    /** Kernel byte limit of one read or write (MAX_RW_COUNT), and the SQE len field is 32 bits. */
    private static final long MAX_RW = 0x7ffff000L;
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
    private final boolean sqpoll;
    /** Reaping needs an io_uring_enter(GETEVENTS) even when nothing is asked to wait for (see reap). */
    private final boolean enterToReap;
    private final byte baseSqeFlags;
    private final String kernel;

    /** One iovec per SQE slot for READV/WRITEV: the slot is not reused before the kernel consumed the SQE. */
    private final MemorySegment iovecs;

    /** Registered buffers, or null without regbuf. */
    private final RegisteredBuffers buffers;

    /** Registered files, or null without regfiles. */
    private final FixedFileTable files;

    /** With ringMetadata: the walk's metadata requests through this ring; else null. */
    private final RingMetadata meta;
    /** Its fixed-file slots (0: opens return descriptors, or no ringMetadata), checked by every FIXED_FILE request. */
    private final int metaSlots;

    /** Completions taken off the CQ while submitting (EAGAIN/EBUSY), handed over by the next reap. */
    private final CompletionStash stash;

    private int inFlight;      // queued or in flight, not yet handed to a handler
    private int unsubmitted;   // queued since the last submit
    private int inKernel;      // submitted, completion not yet taken off the CQ
    /** The thread that enters the ring first: enables it (R_DISABLED) and registers its descriptor. */
    private final RingIssuer issuer;
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
        RingSetup.validate(options, vectored);
        capacity = options.maxInFlight();
        ring = RingSetup.engineRing(options, capacity, kernel);
        try {
            sq = ring.sq;
            cq = ring.cq;
            sqes = sq.sqes;
            sqpoll = options.has(RingFlag.SQPOLL);
            enterToReap = options.has(RingFlag.IOPOLL)
                    || (options.has(RingFlag.DEFER_TASKRUN) && !options.has(RingFlag.TASKRUN_FLAG));
            baseSqeFlags = RingSetup.baseSqeFlags(options);
            issuer = new RingIssuer(ring, kernel);
            RingSetup.checkOpcodes(ring, options, kernel);
            iovecs = vectored ? arena.allocate(16L * sq.entries, 8) : null;
            stash = new CompletionStash(capacity + 1); // + close()'s cancel request
            buffers = options.regbuf() ? new RegisteredBuffers(ring, kernel) : null;
            files = options.regfiles() ? new FixedFileTable(ring, arena, Math.max(1024, 2 * capacity), kernel) : null;
            if (options.ringMetadata()) {
                String alloc = FileIndexAlloc.failure();
                meta = new RingMetadata(this, sqes, alloc == null
                        ? RingSetup.registerSparseTable(ring, arena, Math.max(64, capacity)) : 0, alloc);
            } else {
                meta = null;
            }
            metaSlots = meta != null ? meta.slots : 0;
        } catch (RuntimeException e) {
            ring.close();
            arena.close();
            throw e;
        }
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
        if (buffers != null) buffers.register(region, slotSize);
    }

    @Override
    public void fileOpened(int fd) {
        checkOpen();
        if (files == null) return;
        try {
            files.opened(fd);
        } catch (NativeException e) {
            if (e.errno() == Errno.EEXIST) throw issuer.wrongThread("io_uring_register(FILES_UPDATE)");
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
                    + (metaSlots == 0 ? " (no fixed-file slots: " + (meta != null ? meta.slotsMissing
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

    // ---- metadata=ring: RingMetadata's requests take their SQEs here ----------------------------------------

    @Override
    public MetadataOps metadataOps() {
        return meta;
    }

    /** An SQE for a metadata request, after the same checks as {@link #queue}. */
    long claimMeta() {
        if (closed) throw new IllegalStateException("io_uring engine is closed");
        if (inFlight >= capacity) {
            throw new IllegalStateException("io_uring: more than maxInFlight=" + capacity + " requests queued or unreaped");
        }
        long at = sq.next();
        return at < 0 ? waitForSqe() : at;
    }

    /** Flags of a metadata SQE (IOSQE_ASYNC where the ring flags ask for it), set after the prep helper. */
    void queuedMeta(long at) {
        Sqe.flags(sqes, at, (byte) (baseSqeFlags & ~IOSQE_FIXED_FILE));
        inFlight++;
        unsubmitted++;
    }

    /** Checks a READ/WRITE buffer; with regbuf returns its registered buffer index. */
    private int checkBuffer(Op op, MemorySegment buffer, long length) {
        if (length < 0 || length > MAX_RW || buffer == null || buffer.byteSize() < length) {
            throw new IllegalArgumentException("io_uring " + op + ": length " + length + " with a buffer of "
                    + (buffer == null ? "null" : buffer.byteSize() + " bytes") + " (at most " + MAX_RW + " bytes)");
        }
        return buffers == null ? 0 : buffers.index(buffer.address(), length);
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

    /** Before the first enter: the calling thread becomes the ring's issuer ({@link RingIssuer}). */
    private void ensureEnabled() {
        if (!issuer.ready) issuer.enterFirst();
    }

    private RuntimeException enterFailed(int r) {
        if (-r == Errno.EEXIST) return issuer.wrongThread("io_uring_enter");
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
        RingSetup.ringFacts(m, ring);
        // both stay 0 unless something is wrong: SQEs the kernel found invalid, CQEs lost without FEAT_NODROP
        m.put("ring.sq_dropped", Integer.toUnsignedString(closed ? droppedAtClose : sq.dropped()));
        m.put("ring.cq_overflow", Integer.toUnsignedString(closed ? overflowAtClose : cq.overflow()));
        issuer.facts(m);
        RingSetup.requestFacts(m, options, vectored, baseSqeFlags);
        if (buffers != null) buffers.facts(m);
        if (files != null) {
            m.put("regfiles", files.slots() + " slots registered once (sparse); one IORING_REGISTER_FILES_UPDATE per"
                    + " opened descriptor: " + files.updates() + " so far");
        }
        if (meta != null) meta.facts(m);
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
