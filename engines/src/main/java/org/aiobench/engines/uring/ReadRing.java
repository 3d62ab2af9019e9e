package org.aiobench.engines.uring;

import java.lang.foreign.MemorySegment;

import org.aiobench.engines.EngineOptions;
import org.aiobench.engines.RingFlag;
import org.aiobench.engines.UnsupportedConfigurationException;
import org.aiobench.engines.nat.NativeException;

import static org.aiobench.engines.uring.IoUringAbi.*;

/**
 * One io_uring ring driven by hand, for the experiments in which who submits, who waits and who reaps is the point
 * (the thesis' completion on another thread, exp 11): the {@link org.aiobench.engines.IoEngine} interface hides
 * exactly that. One thread owns the submission side ({@link #queueRead}, {@link #submit}), one thread, possibly
 * another, owns the completion side ({@link #poll}, {@link #waitForCompletion}): the SQ and CQ classes keep their
 * memory ordering, each side has a single owner, so no lock is needed.
 *
 * <p>The ring is created by the thread that calls {@link #create}: with single_issuer that thread is the only one
 * allowed to submit (no IORING_SETUP_R_DISABLED here, the creator is the issuer). The ring flags are the engine's
 * ({@link EngineOptions#withRingFlagsSpec}), checked as the engine checks them.
 */
public final class ReadRing implements AutoCloseable {
    private final Ring ring;
    private final SubmissionQueue sq;
    private final CompletionQueue cq;
    private final byte sqeFlags;
    private int queued;
    private int lastResult;

    private ReadRing(Ring ring, byte sqeFlags) {
        this.ring = ring;
        this.sq = ring.sq;
        this.cq = ring.cq;
        this.sqeFlags = sqeFlags;
    }

    /**
     * A ring of {@code entries} SQEs with the options' ring flags (regbuf and regfiles are not used here).
     *
     * @throws UnsupportedConfigurationException the kernel refuses the flags, with the reason
     */
    public static ReadRing create(int entries, EngineOptions options) {
        IoUringEngine.validate(options, false);
        int flags = IoUringEngine.setupFlags(options) & ~(SETUP_R_DISABLED | SETUP_CQSIZE);
        Ring.Params p = new Ring.Params(entries, flags, 0, Math.max(0, options.sqpollCpu()), options.sqpollIdleMs(), 0);
        try {
            return new ReadRing(Ring.create(p), options.has(RingFlag.ASYNC) ? IOSQE_ASYNC : 0);
        } catch (NativeException e) {
            if (!e.call().equals("io_uring_setup")) throw e;
            throw SetupErrors.explain(e.errno(), p, options, IoUringEngine.kernelRelease());
        }
    }

    /** Queues a read of {@code len} bytes at {@code off} into {@code buf}; false when the SQ is full. */
    public boolean queueRead(int fd, MemorySegment buf, int len, long off, long tag) {
        long at = sq.next();
        if (at < 0) return false;
        Sqe.read(sq.sqes, at, fd, buf.address(), len, off, tag);
        if (sqeFlags != 0) Sqe.flags(sq.sqes, at, sqeFlags);
        queued++;
        return true;
    }

    /**
     * Queues a no-op whose completion carries {@code tag}: wakes a thread waiting on this ring (used to stop a
     * waiter when its partner failed). False when the SQ is full.
     */
    public boolean queueNop(long tag) {
        long at = sq.next();
        if (at < 0) return false;
        Sqe.nop(sq.sqes, at, tag);
        queued++;
        return true;
    }

    /** Hands everything queued to the kernel (io_uring_enter without waiting); returns -errno or the count. */
    public int submit() {
        if (queued == 0) return 0;
        sq.flush();
        int r;
        do {
            r = ring.enter(queued, 0, 0);
        } while (r == -4 /* EINTR */);
        if (r > 0) queued -= r;
        return r;
    }

    /**
     * Takes one completion if the kernel has posted one: its tag (user_data), its result in {@link #lastResult()};
     * -1 when the CQ is empty. A plain read of the CQ tail: no system call.
     */
    public long poll() {
        int tail = cq.acquireTail();
        if (!cq.before(tail)) return -1;
        long tag = cq.userData();
        lastResult = cq.result();
        cq.advance();
        cq.releaseHead();
        return tag;
    }

    /** The result (bytes or -errno) of the completion {@link #poll} took last. */
    public int lastResult() { return lastResult; }

    /**
     * io_uring_enter(GETEVENTS, min_complete 1): sleeps until a completion is posted (and runs this thread's task
     * work). Returns 0 or -errno (EINTR is retried by the caller's loop).
     */
    public int waitForCompletion() {
        int r = ring.enter(0, 1, ENTER_GETEVENTS);
        return Math.min(r, 0);
    }

    /**
     * io_uring_enter(GETEVENTS, min_complete 0): runs this thread's pending task work (and, with defer_taskrun, the
     * ring's deferred completions) without waiting. Returns 0 or -errno.
     */
    public int runTaskWork() {
        return Math.min(ring.enter(0, 0, ENTER_GETEVENTS), 0);
    }

    @Override
    public void close() {
        ring.close();
    }
}
