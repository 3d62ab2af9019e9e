package org.aiobench.engines.aio;

import java.util.ArrayDeque;

import org.aiobench.engines.nat.Libc;
import org.aiobench.engines.nat.Linux;

/**
 * The background io_destroy calls of the process's libaio engines: one daemon thread, shared by them all
 * ({@link #SHARED}), with a few contexts at most waiting for it. io_destroy waits for RCU grace periods even with
 * nothing in flight (about 30 ms measured here, against under 1 ms for io_setup), a cost a timed copy would
 * otherwise charge to libaio; the kernel takes the context out of fs.aio-nr as soon as the call starts.
 */
final class ContextReaper {
    /** The process's one reaper: fs.aio-nr and the thread are per process. */
    static final ContextReaper SHARED = new ContextReaper();

    /** More waiting than this and close() destroys its own context, so fs.aio-nr cannot pile up. */
    private static final int MAX_WAITING = 8;
    private final ArrayDeque<Long> waiting = new ArrayDeque<>();
    private int busy;        // taken by the thread, io_destroy not yet returned
    private Thread thread;
    private long done, failed, lastNanos;

    private ContextReaper() {}

    /** Hands {@code ctx}, with nothing in flight, to the thread; false when too many are waiting already. */
    synchronized boolean offer(long ctx) {
        if (waiting.size() >= MAX_WAITING) return false;
        if (thread == null) {
            thread = Thread.ofPlatform().daemon().name("aiobench-io_destroy").start(this::run);
        }
        waiting.add(ctx);
        notifyAll();
        return true;
    }

    private void run() {
        while (true) {
            long ctx;
            synchronized (this) {
                while (waiting.isEmpty()) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        // a daemon thread: nothing to stop for
                    }
                }
                ctx = waiting.poll();
                busy++;
            }
            long t0 = System.nanoTime();
            long r = Libc.syscall(Linux.SYS_io_destroy, ctx, 0, 0, 0, 0, 0);
            synchronized (this) {
                busy--;
                lastNanos = System.nanoTime() - t0;
                if (r < 0) failed++; else done++;
                notifyAll();
            }
        }
    }

    /** Waits (up to 5 s) until no context is waiting for or in io_destroy; true if there were some. */
    synchronized boolean awaitIdle() {
        boolean any = !waiting.isEmpty() || busy > 0;
        long end = System.nanoTime() + 5_000_000_000L;
        while ((!waiting.isEmpty() || busy > 0) && System.nanoTime() < end) {
            try {
                wait(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return any;
    }

    synchronized String fact() {
        String s = "with nothing in flight io_destroy runs on a background thread, so the RCU grace periods it"
                + " waits for even then are not charged to the run; with requests in flight close() calls it and"
                + " waits for them";
        if (done + failed > 0) {
            s += " (this process: " + done + " background io_destroy calls" + (failed > 0 ? ", " + failed
                    + " failed" : "") + String.format(", the last took %.1f ms)", lastNanos / 1e6);
        }
        return s;
    }
}
