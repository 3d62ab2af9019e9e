package org.aiobench.engines;

import java.lang.foreign.MemorySegment;

import org.aiobench.engines.nat.Errno;
import org.aiobench.engines.nat.Libc;

/**
 * Shared machinery of the engines that complete requests inside {@code submit()} ({@link PreadPwriteEngine},
 * {@link CopyFileRangeEngine}): the queue as preallocated arrays, chains of linked requests run in queue order
 * ({@link Links} says when a request releases its successor), and the completions waiting to be reaped.
 * Subclasses say how to carry out requests.
 */
abstract class SynchronousEngine implements IoEngine {
    protected final int capacity;
    protected final Op[] ops;
    protected final long[] tags;
    protected final int[] fds;
    protected final MemorySegment[] buffers;
    protected final long[] lengths;
    protected final long[] offsets;
    protected final int[] flags;
    private final long[] results;
    private int queued;

    private final long[] doneTags;
    private final long[] doneResults;
    private int doneCount;
    private int delivered;
    private boolean closed;

    protected SynchronousEngine(EngineOptions options) {
        options.refuseIoUringOptions(name());
        capacity = options.maxInFlight();
        ops = new Op[capacity];
        tags = new long[capacity];
        fds = new int[capacity];
        buffers = new MemorySegment[capacity];
        lengths = new long[capacity];
        offsets = new long[capacity];
        flags = new int[capacity];
        results = new long[capacity];
        doneTags = new long[capacity];
        doneResults = new long[capacity];
    }

    @Override
    public final void queue(Op op, long tag, int fd, MemorySegment buffer, long length, long offset, int fl) {
        if (closed) throw new IllegalStateException(name() + " engine is closed");
        if (queued + (doneCount - delivered) >= capacity) {
            throw new IllegalStateException(name() + ": more than maxInFlight=" + capacity + " requests queued or unreaped");
        }
        int i = queued++;
        ops[i] = op;
        tags[i] = tag;
        fds[i] = fd;
        buffers[i] = buffer;
        lengths[i] = length;
        offsets[i] = offset;
        flags[i] = fl;
    }

    @Override
    public final int submit() {
        int n = queued;
        if (doneCount == delivered) { doneCount = 0; delivered = 0; }
        boolean cancel = false;
        for (int i = 0; i < n; ) {
            int consumed;
            if (cancel) {
                results[i] = Links.CANCELED;
                consumed = 1;
            } else {
                consumed = execute(i, results);
            }
            for (int j = i; j < i + consumed; j++) {
                doneTags[doneCount] = tags[j];
                doneResults[doneCount] = results[j];
                doneCount++;
                buffers[j] = null;
                boolean linked = (flags[j] & LINK) != 0;
                cancel = linked && (cancel || !Links.releasesSuccessor(ops[j], lengths[j], results[j]));
            }
            i += consumed;
        }
        queued = 0;
        return n;
    }

    /** How many requests the running {@code submit()} carries out (valid inside {@link #execute}). */
    protected final int submitting() {
        return queued;
    }

    /**
     * Carries out request {@code i} (and possibly the ones after it, for a subclass that fuses a linked pair),
     * storing each result in {@code results}; returns how many requests it consumed.
     */
    protected abstract int execute(int i, long[] results);

    /**
     * pread/pwrite/fsync/fallocate of request {@code i}, looping on short transfers and EINTR. An error after some
     * bytes returns the bytes done (a short result, as the kernel's own read does); the workload continues from
     * there and meets the error with its errno.
     */
    protected final long runOne(int i) {
        int fd = fds[i];
        long len = lengths[i];
        long off = offsets[i];
        switch (ops[i]) {
            case READ: {
                long done = 0;
                MemorySegment buf = buffers[i];
                while (done < len) {
                    long r = Libc.pread(fd, done == 0 ? buf : buf.asSlice(done), len - done, off + done);
                    if (r == -Errno.EINTR) continue;
                    if (r < 0) return done > 0 ? done : r;
                    if (r == 0) break; // end of file
                    done += r;
                }
                return done;
            }
            case WRITE: {
                long done = 0;
                MemorySegment buf = buffers[i];
                while (done < len) {
                    long r = Libc.pwrite(fd, done == 0 ? buf : buf.asSlice(done), len - done, off + done);
                    if (r == -Errno.EINTR) continue;
                    if (r < 0) return done > 0 ? done : r;
                    if (r == 0) break;
                    done += r;
                }
                return done;
            }
            case FSYNC: {
                int r;
                do { r = Libc.fsync(fd); } while (r == -Errno.EINTR);
                return r;
            }
            case FALLOCATE: {
                int r;
                do { r = Libc.fallocate(fd, 0, off, len); } while (r == -Errno.EINTR);
                return r;
            }
            case NOP:
                return 0;
            default:
                throw new IllegalStateException("unknown op " + ops[i]);
        }
    }

    @Override
    public final int reap(int min, CompletionHandler handler) {
        int available = doneCount - delivered;
        if (min > available) {
            throw new IllegalStateException(name() + ": reap(" + min + ") with only " + available
                    + " completions and " + queued + " requests not yet submitted would wait forever");
        }
        int n = 0;
        while (delivered < doneCount) {
            int k = delivered++;
            handler.complete(doneTags[k], doneResults[k]);
            n++;
        }
        doneCount = 0;
        delivered = 0;
        return n;
    }

    @Override
    public final int inFlight() {
        return queued + (doneCount - delivered);
    }

    @Override
    public void close() {
        closed = true;
    }
}
