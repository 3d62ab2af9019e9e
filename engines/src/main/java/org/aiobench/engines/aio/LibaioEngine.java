package org.aiobench.engines.aio;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.aiobench.engines.Capabilities;
import org.aiobench.engines.EngineOptions;
import org.aiobench.engines.UnsupportedConfigurationException;
import org.aiobench.engines.nat.Errno;
import org.aiobench.engines.nat.Libc;
import org.aiobench.engines.nat.Linux;
import org.aiobench.engines.nat.NativeException;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.aiobench.engines.aio.AioAbi.*;

/**
 * The kernel's own asynchronous I/O (Linux AIO) through raw syscalls, as the Linux AIO guide describes it:
 * io_setup / io_submit / io_getevents / io_destroy. No libaio library: the iocbs, the iocb pointer array and the
 * io_events live in native memory for the engine's life, one per slot, and aio_data carries the slot index.
 *
 * <p>{@code submit()} is one io_submit of everything issuable (a partial submit resubmits the rest; EAGAIN when
 * the context is full reaps first). {@code reap(min)} is io_getevents with min_nr = the completions still wanted
 * (at most those in flight) and nr = the whole context, so one call takes every event already there.
 *
 * <p>Buffered (non-O_DIRECT) requests work, but the kernel carries them out inside io_submit, and so does ext4 for
 * O_DIRECT writes that extend a file. The engine observes it: after each io_submit it looks in the context's
 * completion ring (user memory, no syscall) for events of the requests that call submitted, counts them by
 * read/write and by O_DIRECT (from the descriptor's flags, read once in {@link #fileOpened}), and says so in
 * {@link #facts()}; that count is {@link InlineCompletions}'. A context closed with nothing in flight is destroyed
 * by the process's shared {@link ContextReaper}.
 */
public final class LibaioEngine extends LinkEmulatingEngine {
    private final Arena arena = Arena.ofShared();
    private final MemorySegment iocbs;
    private final MemorySegment ptrs;       // struct iocb *[] handed to io_submit
    private final int[] ptrSlot;            // slot of each pointer, for a request io_submit refuses
    private final MemorySegment events;
    private final MemorySegment zeroTimeout;
    private final long ctx;
    private final MemorySegment ring;       // the aio_ring (header and events), or null if not the layout we know
    private final int ringNr;
    /** Which requests io_submit completed inline (a diagnostic; see facts). */
    private final InlineCompletions inline;
    /** Where a closed context's io_destroy goes when nothing is in flight. */
    private final ContextReaper reaper = ContextReaper.SHARED;
    private int pendStart;
    private int pendEnd;
    private int kernelInFlight;

    private long submitCalls, submitted, partialSubmits, eagainReaps, refused;
    private long geteventsCalls, eventsReaped;

    public LibaioEngine(EngineOptions options) {
        super(checkContextSize(options), "libaio");
        try {
            iocbs = arena.allocate((long) capacity * IOCB_SIZE, 64);
            ptrs = arena.allocate((long) capacity * 8, 8);
            ptrSlot = new int[capacity];
            events = arena.allocate((long) capacity * IO_EVENT_SIZE, 64);
            zeroTimeout = arena.allocate(TIMESPEC_SIZE, 8);
            MemorySegment ctxp = arena.allocate(JAVA_LONG); // aio_context_t, zero before io_setup
            long r = Libc.syscall(Linux.SYS_io_setup, capacity, ctxp.address(), 0, 0, 0, 0);
            if (r == -Errno.EAGAIN && reaper.awaitIdle()) {
                // contexts of closed engines still counted in fs.aio-nr until their io_destroy ran: retry once
                r = Libc.syscall(Linux.SYS_io_setup, capacity, ctxp.address(), 0, 0, 0, 0);
            }
            if (r < 0) throw setupFailure(capacity, (int) -r);
            ctx = ctxp.get(JAVA_LONG, 0);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
        MemorySegment header = MemorySegment.ofAddress(ctx).reinterpret(AIO_RING_HEADER);
        if (header.get(JAVA_INT, RING_MAGIC) == AIO_RING_MAGIC) {
            ringNr = header.get(JAVA_INT, RING_NR);
            ring = header.reinterpret(AIO_RING_HEADER + (long) ringNr * IO_EVENT_SIZE);
        } else {
            ring = null;
            ringNr = -1;
        }
        inline = new InlineCompletions(capacity, ring, ringNr);
    }

    /**
     * Refuses, before allocating anything for it, a context io_setup would refuse: larger than the kernel allows
     * per context, or than fs.aio-max-nr allows in all.
     */
    private static EngineOptions checkContextSize(EngineOptions o) {
        int nr = o.maxInFlight();
        if (nr > MAX_CONTEXT_EVENTS / 2) throw setupFailure(nr, Errno.EINVAL);
        long max = procLong("/proc/sys/fs/aio-max-nr");
        if (max >= 0 && nr > max) throw setupFailure(nr, Errno.EAGAIN);
        return o;
    }

    /** io_setup failed (or would): say which limit, with the numbers a user needs to fix it. */
    private static RuntimeException setupFailure(int nr, int errno) {
        NativeException cause = new NativeException("io_setup", errno, null, "nr_events=" + nr);
        long max = procLong("/proc/sys/fs/aio-max-nr");
        long used = procLong("/proc/sys/fs/aio-nr");
        if (errno == Errno.EAGAIN) {
            String why = max >= 0 && nr > max
                    ? "a context of " + nr + " events is larger than the system-wide limit fs.aio-max-nr = " + max
                    : "the system-wide limit of AIO events is reached (fs.aio-nr = " + used + " in use of fs.aio-max-nr = "
                      + max + ", this context needs " + nr + ")";
            return new UnsupportedConfigurationException("io_setup(" + nr + "): EAGAIN: " + why
                    + "; raise it with 'sysctl -w fs.aio-max-nr=N' or lower qd", cause);
        }
        if (errno == Errno.EINVAL && nr > MAX_CONTEXT_EVENTS / 2) {
            return new UnsupportedConfigurationException("io_setup(" + nr + "): EINVAL: the kernel refuses an AIO"
                    + " context this large (it doubles nr_events and allows at most " + MAX_CONTEXT_EVENTS
                    + " per context); lower qd", cause);
        }
        if (errno == Errno.ENOSYS) {
            return new UnsupportedConfigurationException("io_setup: ENOSYS: this kernel has no AIO (CONFIG_AIO off)", cause);
        }
        return cause;
    }

    /**
     * A number from a /proc file, or -1 if it cannot be read. Not Files.readString: on JDK 25 it returns only the
     * first byte of a /proc/sys file (which reports size 0); readAllLines reads to the end.
     */
    private static long procLong(String path) {
        try {
            return Long.parseLong(Files.readAllLines(Path.of(path)).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    @Override public String name() { return "libaio"; }

    /** Remembers whether the descriptor is O_DIRECT, to tell the two apart in the inline-completion count. */
    @Override
    public void fileOpened(int f) {
        if (closed) throw new IllegalStateException("libaio engine is closed");
        if (f < 0) throw new IllegalArgumentException("fileOpened(" + f + ")");
        inline.fileOpened(f);
    }

    @Override
    public void fileClosing(int f) {
        inline.fileClosing(f);
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(false, false, false, false, false, false);
    }

    @Override
    protected void issueNative(int s) {
        long base = (long) s * IOCB_SIZE;
        short opcode = switch (op[s]) {
            case READ -> IOCB_CMD_PREAD;
            case WRITE -> IOCB_CMD_PWRITE;
            case FSYNC -> IOCB_CMD_FSYNC;
            default -> throw new IllegalStateException("not a native op: " + op[s]);
        };
        boolean rw = opcode != IOCB_CMD_FSYNC;
        // every field, so nothing of the slot's previous request survives
        iocbs.set(JAVA_LONG, base + IOCB_DATA, s);
        iocbs.set(JAVA_INT, base + IOCB_KEY, 0);
        iocbs.set(JAVA_INT, base + IOCB_RW_FLAGS, 0);
        iocbs.set(JAVA_SHORT, base + IOCB_LIO_OPCODE, opcode);
        iocbs.set(JAVA_SHORT, base + IOCB_REQPRIO, (short) 0);
        iocbs.set(JAVA_INT, base + IOCB_FILDES, fd[s]);
        iocbs.set(JAVA_LONG, base + IOCB_BUF, rw ? buf[s] : 0);
        iocbs.set(JAVA_LONG, base + IOCB_NBYTES, rw ? len[s] : 0);
        iocbs.set(JAVA_LONG, base + IOCB_OFFSET, rw ? off[s] : 0);
        iocbs.set(JAVA_LONG, base + IOCB_RESERVED2, 0);
        iocbs.set(JAVA_INT, base + IOCB_FLAGS, 0);
        iocbs.set(JAVA_INT, base + IOCB_RESFD, 0);
        if (pendEnd == capacity) compactPending();
        ptrs.set(JAVA_LONG, (long) pendEnd * 8, iocbs.address() + base);
        ptrSlot[pendEnd] = s;
        pendEnd++;
    }

    private void compactPending() {
        int n = pendEnd - pendStart;
        MemorySegment.copy(ptrs, (long) pendStart * 8, ptrs, 0, (long) n * 8);
        System.arraycopy(ptrSlot, pendStart, ptrSlot, 0, n);
        pendStart = 0;
        pendEnd = n;
    }

    @Override
    protected void flush() {
        while (pendStart < pendEnd) {
            int n = pendEnd - pendStart;
            long call = inline.beforeSubmit(ptrSlot, pendStart, pendEnd);
            int tailBefore = inline.ringTail();
            long r = Libc.syscall(Linux.SYS_io_submit, ctx, n, ptrs.address() + (long) pendStart * 8, 0, 0, 0);
            submitCalls++;
            if (r > 0) {
                inline.afterSubmit(call, tailBefore, inline.ringTail(), ptrSlot, pendStart, (int) r, op, fd);
                kernelInFlight += (int) r;
                submitted += r;
                pendStart += (int) r;
                if (r < n) partialSubmits++;
                continue;
            }
            if (r == -Errno.EINTR) continue;
            if ((r == -Errno.EAGAIN || r == 0) && kernelInFlight > 0) {
                // the context is out of request slots: make room by reaping, then resubmit the rest
                eagainReaps++;
                harvest(1);
                continue;
            }
            // io_submit refused the first remaining request (bad descriptor, file not open for writing ...):
            // that is its result; the rest are submitted on the next round
            int s = ptrSlot[pendStart++];
            refused++;
            completed(s, r == 0 ? -Errno.EAGAIN : r);
        }
        pendStart = 0;
        pendEnd = 0;
    }

    @Override
    protected int nativeInFlight() {
        return kernelInFlight;
    }

    @Override
    protected void harvest(int minNr) {
        long timeout = minNr == 0 ? zeroTimeout.address() : 0; // NULL: block until min_nr are there
        long r;
        do {
            r = Libc.syscall(Linux.SYS_io_getevents, ctx, minNr, capacity, events.address(), timeout, 0);
        } while (r == -Errno.EINTR);
        geteventsCalls++;
        if (r < 0) throw new NativeException("io_getevents", (int) -r, null);
        eventsReaped += r;
        for (int i = 0; i < r; i++) {
            long e = (long) i * IO_EVENT_SIZE;
            int s = (int) events.get(JAVA_LONG, e + EV_DATA);
            long res = events.get(JAVA_LONG, e + EV_RES);
            kernelInFlight--;
            completed(s, res);
        }
    }

    @Override
    public Map<String, String> facts() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("io", "Linux AIO through raw syscalls: io_setup/io_submit/io_getevents/io_destroy (no libaio library)");
        m.put("context", "io_setup(nr_events=" + capacity + ") = maxInFlight"
                + (ring != null ? "; the kernel's completion ring has " + ringNr + " entries" : ""));
        m.put("io_getevents", "min_nr = completions the caller still waits for, capped at those in flight (0 polls);"
                + " nr = " + capacity + " (the whole context) so one call takes every event already there; "
                + geteventsCalls + " calls, " + eventsReaped + " events" + (geteventsCalls > 0
                ? String.format(" (%.2f per call)", (double) eventsReaped / geteventsCalls) : ""));
        m.put("io_submit", "one io_submit of everything queued per submit(); " + submitCalls + " calls, " + submitted
                + " requests; partial submits resubmitted: " + partialSubmits + "; EAGAIN (context full) reaped first: "
                + eagainReaps + "; refused by io_submit (reported as their result): " + refused);
        if (ring != null && submitted > 0) m.put("inline completion", inline.fact());
        m.put("close", reaper.fact());
        sharedFacts(m);
        return m;
    }

    /**
     * Destroys the context. io_destroy waits for every request still in flight, so with requests in flight close()
     * calls it and waits: no DMA into the workload's buffers outlives close(). With nothing in flight it still
     * waits for RCU grace periods (about 30 ms measured here, against under 1 ms for io_setup), a cost a timed
     * copy would otherwise charge to libaio; then the call goes to a background thread. The kernel takes the
     * context out of fs.aio-nr as soon as that call starts.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        beginClose();
        if (kernelInFlight == 0 && reaper.offer(ctx)) {
            arena.close(); // the kernel keeps no pointer into the iocbs or events once nothing is in flight
            return;
        }
        long r = Libc.syscall(Linux.SYS_io_destroy, ctx, 0, 0, 0, 0, 0);
        arena.close();
        if (r < 0) throw new NativeException("io_destroy", (int) -r, null);
    }

    /**
     * This process's live Linux AIO contexts: each maps its completion ring as {@code /[aio] (deleted)}. Unlike
     * fs.aio-nr, which counts every process's contexts, it does not move when another program uses libaio.
     */
    public static long liveContexts() {
        try (var lines = java.nio.file.Files.lines(java.nio.file.Path.of("/proc/self/maps"))) {
            return lines.filter(l -> l.contains("/[aio]")).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
