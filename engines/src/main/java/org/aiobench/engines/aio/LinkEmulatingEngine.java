package org.aiobench.engines.aio;

import java.lang.foreign.MemorySegment;
import java.util.Map;

import org.aiobench.engines.CompletionHandler;
import org.aiobench.engines.EngineOptions;
import org.aiobench.engines.IoEngine;
import org.aiobench.engines.Links;
import org.aiobench.engines.Op;
import org.aiobench.engines.nat.Errno;
import org.aiobench.engines.nat.Libc;

/**
 * What libaio and posixaio share: a slot per request (preallocated for {@code maxInFlight}, held from queue until
 * the completion is handed to the workload), emulated links, and completions the engine makes itself.
 *
 * <p>Neither interface orders requests, so a request queued after one with {@link IoEngine#LINK} is held back
 * and issued only when its predecessor releases it ({@link Links}); otherwise the rest of its chain completes
 * with {@link Links#CANCELED}. A held successor keeps its slot, so a linked pair counts twice against
 * {@code maxInFlight}. FALLOCATE has no AIO opcode: it runs synchronously when issued, and NOP completes without a
 * syscall; both completions wait in the ready queue for {@code reap}, like every other.
 *
 * <p>Subclasses issue READ/WRITE/FSYNC natively ({@link #issueNative}), hand queued native requests to the
 * kernel or library ({@link #flush}), and collect native completions ({@link #harvest}), reporting each through
 * {@link #completed}. The slot index is the request's identity everywhere (aio_data, aiocb index).
 */
abstract class LinkEmulatingEngine implements IoEngine {
    protected final int capacity;

    // the request in each slot
    protected final Op[] op;
    protected final long[] tag;
    protected final int[] fd;
    protected final long[] buf;
    protected final long[] len;
    protected final long[] off;
    private final int[] next;        // linked successor, or -1
    private final boolean[] held;    // issued by its predecessor's completion, never by submit

    private final int[] free;
    private int freeCount;
    private final int[] queued;
    private int queuedCount;
    private int linkFrom = -1;       // the last queued slot, if it asked for LINK

    // completions waiting for reap; every slot is in here at most once, so capacity entries suffice
    private final int[] readySlot;
    private final long[] readyRes;
    private int readyHead;
    private int readyCount;

    private int outstanding;         // submitted (issued, held or ready) and not yet handed to the workload
    private boolean closing;         // close() is draining: release no more successors
    protected boolean closed;

    private long syncFallocates;
    private long canceled;

    protected LinkEmulatingEngine(EngineOptions options, String name) {
        options.refuseIoUringOptions(name);
        capacity = options.maxInFlight();
        op = new Op[capacity];
        tag = new long[capacity];
        fd = new int[capacity];
        buf = new long[capacity];
        len = new long[capacity];
        off = new long[capacity];
        next = new int[capacity];
        held = new boolean[capacity];
        free = new int[capacity];
        for (int i = 0; i < capacity; i++) free[i] = capacity - 1 - i;
        freeCount = capacity;
        queued = new int[capacity];
        readySlot = new int[capacity];
        readyRes = new long[capacity];
    }

    // ---- what the subclasses provide ---------------------------------------------------------------------

    /** Prepares READ, WRITE or FSYNC of slot {@code s}; may report a refused request through {@link #completed}. */
    protected abstract void issueNative(int s);

    /** Hands what {@link #issueNative} prepared to the kernel or library (libaio: io_submit). */
    protected abstract void flush();

    /** Native requests issued and not yet completed. */
    protected abstract int nativeInFlight();

    /**
     * Waits until at least {@code minNr} native requests have completed (0: do not wait; never more than
     * {@link #nativeInFlight()}), reporting each completed one through {@link #completed}.
     */
    protected abstract void harvest(int minNr);

    // ---- the engine interface ----------------------------------------------------------------------------

    @Override
    public final void queue(Op o, long t, int f, MemorySegment buffer, long length, long offset, int flags) {
        if (closed) throw new IllegalStateException(name() + " engine is closed");
        if (freeCount == 0) {
            throw new IllegalStateException(name() + ": more than maxInFlight=" + capacity + " requests queued or unreaped");
        }
        long address = 0;
        if (o == Op.READ || o == Op.WRITE) {
            if (buffer == null || !buffer.isNative()) {
                throw new IllegalArgumentException(name() + ": " + o + " needs a native buffer, got " + buffer);
            }
            if (buffer.byteSize() < length) {
                throw new IllegalArgumentException(name() + ": buffer of " + buffer.byteSize() + " bytes for "
                        + length + " bytes");
            }
            address = buffer.address();
        }
        if (length < 0) throw new IllegalArgumentException(name() + ": negative length " + length);
        int s = free[--freeCount];
        op[s] = o;
        tag[s] = t;
        fd[s] = f;
        buf[s] = address;
        len[s] = length;
        off[s] = offset;
        next[s] = -1;
        held[s] = false;
        if (linkFrom >= 0) {
            next[linkFrom] = s;
            held[s] = true;
        }
        linkFrom = (flags & LINK) != 0 ? s : -1;
        queued[queuedCount++] = s;
    }

    @Override
    public int submit() {
        int n = issueQueued();
        flush();
        return n;
    }

    /** Issues every queued request that does not wait for a predecessor; returns how many were queued. */
    protected final int issueQueued() {
        if (closed) throw new IllegalStateException(name() + " engine is closed");
        int n = queuedCount;
        outstanding += n;
        // a chain never spans a submit: forget a trailing LINK before anything completes
        queuedCount = 0;
        linkFrom = -1;
        for (int i = 0; i < n; i++) {
            int s = queued[i];
            if (!held[s]) issue(s);
        }
        return n;
    }

    private void issue(int s) {
        switch (op[s]) {
            case FALLOCATE -> {
                int r;
                do { r = Libc.fallocate(fd[s], 0, off[s], len[s]); } while (r == -Errno.EINTR);
                syncFallocates++;
                completed(s, r);
            }
            case NOP -> completed(s, 0);
            default -> issueNative(s);
        }
    }

    /**
     * Request {@code s} finished with {@code res} (bytes, 0, or -errno): queue its completion for reap and release
     * or cancel its linked successor.
     */
    protected final void completed(int s, long res) {
        readyPush(s, res);
        int nx = next[s];
        if (nx < 0) return;
        if (Links.releasesSuccessor(op[s], len[s], res) && !closing) {
            issue(nx);
        } else {
            for (; nx >= 0; nx = next[nx]) {
                readyPush(nx, Links.CANCELED);
                canceled++;
            }
        }
    }

    private void readyPush(int s, long res) {
        int i = readyHead + readyCount;
        if (i >= capacity) i -= capacity;
        readySlot[i] = s;
        readyRes[i] = res;
        readyCount++;
    }

    @Override
    public int reap(int min, CompletionHandler handler) {
        if (closed) throw new IllegalStateException(name() + " engine is closed");
        if (min < 0) throw new IllegalArgumentException("reap(" + min + ")");
        if (min > outstanding) {
            throw new IllegalStateException(name() + ": reap(" + min + ") with only " + outstanding
                    + " submitted requests outstanding and " + queuedCount + " not yet submitted would wait forever");
        }
        int n = 0;
        while (true) {
            flush(); // successors released by the last round
            int nat = nativeInFlight();
            int want = min - n - readyCount;
            if (nat > 0) {
                harvest(Math.max(0, Math.min(want, nat)));
            } else if (want > 0) {
                throw new IllegalStateException(name() + ": " + want + " more completions expected but nothing is in flight");
            }
            n += drain(handler);
            if (n >= min) break;
        }
        flush();
        return n;
    }

    /** Hands every ready completion to the handler; the slot is free again before the handler runs. */
    private int drain(CompletionHandler handler) {
        int n = 0;
        while (readyCount > 0) {
            int s = readySlot[readyHead];
            long r = readyRes[readyHead];
            if (++readyHead == capacity) readyHead = 0;
            readyCount--;
            long t = tag[s];
            op[s] = null;
            free[freeCount++] = s;
            outstanding--;
            handler.complete(t, r);
            n++;
        }
        return n;
    }

    @Override
    public final int inFlight() {
        return capacity - freeCount;
    }

    /** From now on completed predecessors cancel their successors instead of issuing them (close drains). */
    protected final void beginClose() {
        closing = true;
    }

    protected final long syncFallocates() { return syncFallocates; }
    protected final long canceled() { return canceled; }

    /** The facts both engines share: links, fallocate, nop. */
    protected final void sharedFacts(Map<String, String> m) {
        m.put("links", "emulated: a linked successor is issued when its predecessor completes in full, otherwise it"
                + " completes with -ECANCELED (" + canceled + " cancelled so far)");
        m.put("fallocate", "no AIO opcode: fallocate(2) runs synchronously when the request is issued and its"
                + " completion is delivered at reap (" + syncFallocates + " so far)");
        m.put("nop", "completed by the engine without a syscall");
    }
}
