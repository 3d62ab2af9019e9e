package org.aiobench.engines.uring;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static org.aiobench.engines.uring.IoUringAbi.*;

/**
 * The SQ ring as the application sees it. All of its memory ordering is here: the tail is published with a
 * release store once per batch (the kernel must see the SQEs before the tail), the head is read with acquire
 * under SQPOLL (the kernel thread frees slots concurrently; without SQPOLL it moves only inside our own
 * io_uring_enter), and a full fence separates publishing the tail from reading NEED_WAKEUP (otherwise the load
 * could pass the store and we could miss waking a thread that just went to sleep - liburing's io_uring_smp_mb).
 */
public final class SubmissionQueue {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final MemorySegment ring;
    final MemorySegment sqes;
    private final long khead, ktail, kflags, kdropped;
    final int entries;
    private final int mask;
    private final boolean sqpoll;
    /** Next SQE to fill (application-owned). */
    private int tail;

    SubmissionQueue(MemorySegment ring, MemorySegment sqes, MemorySegment params, boolean sqpoll) {
        this.ring = ring;
        this.sqes = sqes;
        long o = P_SQ_OFF;
        khead = Integer.toUnsignedLong(params.get(ValueLayout.JAVA_INT, o + SQO_HEAD));
        ktail = Integer.toUnsignedLong(params.get(ValueLayout.JAVA_INT, o + SQO_TAIL));
        kflags = Integer.toUnsignedLong(params.get(ValueLayout.JAVA_INT, o + SQO_FLAGS));
        kdropped = Integer.toUnsignedLong(params.get(ValueLayout.JAVA_INT, o + SQO_DROPPED));
        mask = ring.get(ValueLayout.JAVA_INT, Integer.toUnsignedLong(params.get(ValueLayout.JAVA_INT, o + SQO_RING_MASK)));
        entries = ring.get(ValueLayout.JAVA_INT, Integer.toUnsignedLong(params.get(ValueLayout.JAVA_INT, o + SQO_RING_ENTRIES)));
        this.sqpoll = sqpoll;
        tail = (int) INT.getAcquire(ring, ktail);
        // the index array maps ring slot i to SQE i, once; the SQE written at slot i is then always SQE i
        long array = Integer.toUnsignedLong(params.get(ValueLayout.JAVA_INT, o + SQO_ARRAY));
        for (int i = 0; i < entries; i++) ring.set(ValueLayout.JAVA_INT, array + 4L * i, i);
    }

    private int head() {
        return sqpoll ? (int) INT.getAcquire(ring, khead) : (int) INT.get(ring, khead);
    }

    /** Byte offset in {@link #sqes} of the next free SQE, claimed; -1 if the ring is full. */
    long next() {
        int t = tail;
        if (t - head() >= entries) return -1;
        tail = t + 1;
        return (long) (t & mask) * SQE_BYTES;
    }

    /** Ring index of the SQE {@link #next()} returned last (for per-SQE side data such as an iovec). */
    int lastIndex() {
        return (tail - 1) & mask;
    }

    /** Publishes every SQE filled so far (one release store); returns how many the kernel has not consumed. */
    int flush() {
        int t = tail;
        if ((int) INT.get(ring, ktail) != t) INT.setRelease(ring, ktail, t);
        return t - head();
    }

    /** SQPOLL: whether the kernel thread sleeps and needs IORING_ENTER_SQ_WAKEUP. Call after {@link #flush()}. */
    boolean needsWakeup() {
        VarHandle.fullFence();
        return ((int) INT.getAcquire(ring, kflags) & SQ_NEED_WAKEUP) != 0;
    }

    /** Whether the kernel asks for an enter with GETEVENTS: CQ overflow backlog or pending task work. */
    boolean cqNeedsFlush() {
        return ((int) INT.getAcquire(ring, kflags) & (SQ_CQ_OVERFLOW | SQ_TASKRUN)) != 0;
    }

    /** SQEs the kernel dropped as invalid (an index beyond the ring): should stay 0. */
    int dropped() {
        return (int) INT.getAcquire(ring, kdropped);
    }
}
