package org.aiobench.engines.uring;

import java.lang.foreign.MemorySegment;

import org.aiobench.engines.EngineOptions;
import org.aiobench.engines.RingFlag;
import org.aiobench.engines.UnsupportedConfigurationException;

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
 *
 * <p>SQPOLL: the kernel's SQ thread takes the SQEs from the ring, so a submission is the tail's release store; but
 * the thread goes to sleep after {@code sqpoll_idle} without work and sets IORING_SQ_NEED_WAKEUP, and then only an
 * io_uring_enter with IORING_ENTER_SQ_WAKEUP wakes it. {@link #submit} and both waits pass that flag whenever the
 * kernel asks for it (a ring that did not would leave its SQEs unread and its waiter asleep for ever), and a full SQ
 * waits for the thread to take entries (IORING_ENTER_SQ_WAIT) instead of failing.
 */
public final class ReadRing implements AutoCloseable {
    private final Ring ring;
    private final SubmissionQueue sq;
    private final CompletionQueue cq;
    private final byte sqeFlags;
    private final boolean sqpoll;
    private int queued;
    private int lastResult;

    private ReadRing(Ring ring, byte sqeFlags) {
        this.ring = ring;
        this.sq = ring.sq;
        this.cq = ring.cq;
        this.sqeFlags = sqeFlags;
        this.sqpoll = (ring.setupFlags & SETUP_SQPOLL) != 0;
    }

    /**
     * A ring of {@code entries} SQEs with the options' ring flags (regbuf and regfiles are not used here).
     *
     * @throws UnsupportedConfigurationException the kernel refuses the flags, with the reason
     */
    public static ReadRing create(int entries, EngineOptions options) {
        RingSetup.validate(options, false);
        int flags = RingSetup.setupFlags(options) & ~(SETUP_R_DISABLED | SETUP_CQSIZE);
        Ring.Params p = new Ring.Params(entries, flags, 0, Math.max(0, options.sqpollCpu()), options.sqpollIdleMs(), 0);
        return new ReadRing(RingSetup.create(p, options, IoUringEngine.kernelRelease()),
                options.has(RingFlag.ASYNC) ? IOSQE_ASYNC : 0);
    }

    /** Queues a read of {@code len} bytes at {@code off} into {@code buf}; false when the SQ is full. */
    public boolean queueRead(int fd, MemorySegment buf, int len, long off, long tag) {
        long at = nextSqe();
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
        long at = nextSqe();
        if (at < 0) return false;
        Sqe.nop(sq.sqes, at, tag);
        queued++;
        return true;
    }

    /**
     * A free SQE, or -1. Under SQPOLL an SQE is free once the SQ thread has taken it, which the thread does in its own
     * time: wait for that (IORING_ENTER_SQ_WAIT, waking the thread if it sleeps) rather than report a full ring.
     */
    private long nextSqe() {
        long at = sq.next();
        if (at >= 0 || !sqpoll) return at;
        sq.flush();
        while ((at = sq.next()) < 0) {
            int r = ring.enter(0, 0, ENTER_SQ_WAIT | wakeFlag());
            if (r < 0 && r != -4 /* EINTR */) return -1;
        }
        return at;
    }

    /** IORING_ENTER_SQ_WAKEUP when the ring has an SQ thread that went to sleep (read after the tail's store). */
    private int wakeFlag() {
        return sqpoll && sq.needsWakeup() ? ENTER_SQ_WAKEUP : 0;
    }

    /** Whether the ring has a kernel SQ thread (IORING_SETUP_SQPOLL). */
    public boolean sqpoll() { return sqpoll; }

    /**
     * Hands everything queued to the kernel (io_uring_enter without waiting); returns -errno or the count. Under
     * SQPOLL the tail's store hands them over, and io_uring_enter is called only to wake a sleeping SQ thread.
     */
    public int submit() {
        if (queued == 0) return 0;
        sq.flush();
        if (sqpoll) {
            int n = queued, fl = wakeFlag();
            if (fl != 0) {
                int r;
                do {
                    r = ring.enter(0, 0, fl);
                } while (r == -4 /* EINTR */);
                if (r < 0) return r;
            }
            queued = 0;
            return n;
        }
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
        // an SQ thread asleep with our SQEs unread would never post the completion waited for
        int r = ring.enter(0, 1, ENTER_GETEVENTS | wakeFlag());
        return Math.min(r, 0);
    }

    /**
     * io_uring_enter(GETEVENTS, min_complete 0): runs this thread's pending task work (and, with defer_taskrun, the
     * ring's deferred completions) without waiting. Returns 0 or -errno.
     */
    public int runTaskWork() {
        return Math.min(ring.enter(0, 0, ENTER_GETEVENTS | wakeFlag()), 0);
    }

    @Override
    public void close() {
        ring.close();
    }
}
