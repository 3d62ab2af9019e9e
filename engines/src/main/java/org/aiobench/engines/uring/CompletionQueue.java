package org.aiobench.engines.uring;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static org.aiobench.engines.uring.IoUringAbi.*;

/**
 * The CQ ring as the application sees it. Its memory ordering, all here: the kernel's tail is read with acquire
 * (the CQEs up to it are then visible), the CQEs with plain loads, and the head is handed back with one release
 * store per batch (the kernel may reuse those slots only after we read them). The head is application-owned and
 * only this class moves it: a reader takes the CQE at the head ({@link #userData()}, {@link #result()}), then
 * {@link #advance()}s before handing the completion on, so a completion handler that re-enters the engine never
 * sees the same CQE twice.
 *
 * <pre>
 * int tail = cq.acquireTail();
 * while (cq.before(tail)) { long tag = cq.userData(); int res = cq.result(); cq.advance(); ... }
 * cq.releaseHead();
 * </pre>
 */
public final class CompletionQueue {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final MemorySegment ring;
    private final long khead, ktail, koverflow, cqes;
    final int entries;
    private final int mask;
    /** Next CQE to read (application-owned; published by {@link #releaseHead()}). */
    private int head;

    CompletionQueue(MemorySegment ring, MemorySegment params) {
        this.ring = ring;
        long o = P_CQ_OFF;
        khead = Integer.toUnsignedLong(params.get(ValueLayout.JAVA_INT, o + CQO_HEAD));
        ktail = Integer.toUnsignedLong(params.get(ValueLayout.JAVA_INT, o + CQO_TAIL));
        koverflow = Integer.toUnsignedLong(params.get(ValueLayout.JAVA_INT, o + CQO_OVERFLOW));
        cqes = Integer.toUnsignedLong(params.get(ValueLayout.JAVA_INT, o + CQO_CQES));
        mask = ring.get(ValueLayout.JAVA_INT, Integer.toUnsignedLong(params.get(ValueLayout.JAVA_INT, o + CQO_RING_MASK)));
        entries = ring.get(ValueLayout.JAVA_INT, Integer.toUnsignedLong(params.get(ValueLayout.JAVA_INT, o + CQO_RING_ENTRIES)));
        head = (int) INT.getAcquire(ring, khead);
    }

    /** The kernel's tail (acquire): CQEs before it may be read. */
    int acquireTail() {
        return (int) INT.getAcquire(ring, ktail);
    }

    /** Whether a CQE not yet taken lies before {@code tail} (a value of {@link #acquireTail()}). */
    boolean before(int tail) {
        return tail - head > 0;
    }

    /** user_data of the CQE at the head. */
    long userData() {
        return ring.get(ValueLayout.JAVA_LONG, cqes + (long) (head & mask) * CQE_BYTES + CQE_USER_DATA);
    }

    /** res of the CQE at the head. */
    int result() {
        return ring.get(ValueLayout.JAVA_INT, cqes + (long) (head & mask) * CQE_BYTES + CQE_RES);
    }

    /** Takes the CQE at the head: its slot goes back to the kernel at the next {@link #releaseHead()}. */
    void advance() {
        head++;
    }

    /** Gives the slots up to {@link #head} back to the kernel (release). */
    void releaseHead() {
        INT.setRelease(ring, khead, head);
    }

    /** Completions available now. */
    int ready() {
        return acquireTail() - head;
    }

    /** CQEs the kernel could not post (only without FEAT_NODROP); should stay 0. */
    int overflow() {
        return (int) INT.getAcquire(ring, koverflow);
    }
}
