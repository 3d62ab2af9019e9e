package org.aiobench.workloads;

import java.nio.file.Path;

import org.aiobench.engines.CompletionHandler;
import org.aiobench.engines.IoEngine;
import org.aiobench.engines.Op;
import org.aiobench.engines.nat.Errno;
import org.aiobench.engines.nat.FileStat;
import org.aiobench.engines.nat.Libc;
import org.aiobench.engines.nat.Linux;
import org.aiobench.engines.nat.NativeException;

/**
 * The copy study's recursive copy (report section 3), engine-agnostic, as one timed run of a {@link CopyPlan}:
 * a breadth-first walk of the source ({@link TreeWalk}) with {@code qd} read->write pairs in flight, each carried
 * by a buffer {@link Slot} through its named states.
 *
 * <ul>
 *   <li>{@code single}: one pair per file, so {@code qd} files in flight; {@code multi}: up to
 *       {@code opsPerFile} pairs per file, so {@code qd / opsPerFile} files; {@code batch}: like multi, but every
 *       free slot is filled, the batch submitted and all of it waited for before the next fill. Every mode keeps
 *       the same {@code qd} pairs in flight (the study's reading), so the modes differ only in how they use them.</li>
 *   <li>Each chunk of {@code bufferSize} bytes starts as a read linked to its write ({@link IoEngine#LINK}). A
 *       short read or write continues from where it ended, so an error in the middle of a buffer surfaces with its
 *       errno.</li>
 *   <li>O_DIRECT on source and destination: a tail that is not a multiple of the alignment is read and written
 *       as a whole aligned block, and the destination truncated to the source's size.</li>
 *   <li>fallocate: the destination is preallocated (the engine's FALLOCATE) before its first write.</li>
 *   <li>Symbolic links are recreated as links; fifos, sockets and devices are reported and skipped; file and
 *       directory modes are kept.</li>
 * </ul>
 *
 * <p>A file place goes FREE -> (ALLOCATING ->) COPYING -> FINISHING -> FREE: opened when a place is free,
 * its chunks handed to free slots while it has some left, finished (truncated, its mode set, closed) at the fill
 * after its last chunk.
 */
public final class RecursiveCopy {
    private static final long FALLOC_TAG = 1L << 40;

    /** One place for a file in flight. */
    private static final class OpenFile {
        enum State {
            /** No file. */
            FREE,
            /** Opened; its FALLOCATE is in flight and no chunk goes before it completes. */
            ALLOCATING,
            /** Opened; chunks are handed out until none is left. */
            COPYING,
            /** Every chunk copied: truncated (O_DIRECT tail), its mode set and closed at the next fill. */
            FINISHING
        }

        State state = State.FREE;
        int srcFd = -1;
        int dstFd = -1;
        String src;
        String dst;
        long size;
        int mode;
        long nextOffset;
        int pairs;              // chunks of it in slots
        boolean needsTruncate;
    }

    private final CopyPlan plan;
    private final CopyOptions o;
    private final IoEngine engine;
    private final Progress progress;
    private final TreeWalk walk;
    private final OpenFile[] places;
    private final Slot[] slots;
    private final int pairsPerFile;
    private final int align;
    private final int[] freeSlots;
    private int freeCount;
    private final int[] dueSlots;
    private int dueCount;
    private boolean walkDone;
    private long bytesDone;
    private int filesDone;
    private String failure;
    private final CompletionHandler onComplete = this::complete;

    RecursiveCopy(CopyPlan plan, IoEngine engine, Progress progress) {
        this.plan = plan;
        this.o = plan.options();
        this.engine = engine;
        this.progress = progress;
        this.slots = plan.slots();
        this.align = plan.alignment();
        pairsPerFile = o.pairsPerFile();
        places = new OpenFile[o.filesInFlight()];
        for (int i = 0; i < places.length; i++) places[i] = new OpenFile();
        freeSlots = new int[slots.length];
        dueSlots = new int[slots.length];
        for (int j = slots.length - 1; j >= 0; j--) {
            slots[j].reset();
            freeSlots[freeCount++] = j;
        }
        engine.useBuffers(plan.region(), o.bufferSize());
        walk = new TreeWalk(plan.source(), plan.destination());
    }

    /**
     * Copies {@code src} to {@code dst} in one step: {@link CopyPlan#prepare}, {@link CopyPlan#run},
     * {@link CopyPlan#close}.
     *
     * @throws CopyException                                          bad input (nothing written) or a failed copy
     * @throws org.aiobench.engines.UnsupportedConfigurationException the engine cannot run these options here
     * @throws IllegalArgumentException                               bad option values
     */
    public static CopyResult copy(Path src, Path dst, CopyOptions o, Progress progress) {
        try (CopyPlan p = CopyPlan.prepare(src, dst, o, progress)) {
            return p.run(progress);
        }
    }

    public static CopyResult copy(Path src, Path dst, CopyOptions o) {
        return copy(src, dst, o, Progress.NONE);
    }

    // ---- the run ------------------------------------------------------------------------------------------

    /** The walk and every file, until everything is copied or a failure stopped it (then throws). */
    void copyTree() {
        boolean batch = o.mode() == CopyMode.BATCH;
        while (true) {
            if (failure == null) fill();
            int inFlight = engine.inFlight();
            if (inFlight == 0) {
                if (failure != null) break;
                if (walkDone && noOpenFiles()) break;
                continue; // files finished inside the last round; fill again
            }
            engine.submitAndReap(batch ? inFlight : 1, onComplete);
        }
        if (failure != null) {
            throw new CopyException("copy stopped: " + failure + "; " + plan.destination() + " holds a partial copy", false);
        }
        walk.applyDirectoryModes();
    }

    private boolean noOpenFiles() {
        for (OpenFile f : places) if (f.state != OpenFile.State.FREE) return false;
        return true;
    }

    /** Finishes finished files, opens files into free places, issues what is due and hands chunks to free slots. */
    private void fill() {
        for (int fi = 0; fi < places.length; fi++) {
            OpenFile f = places[fi];
            if (f.state == OpenFile.State.FINISHING) finishFile(f);
            while (f.state == OpenFile.State.FREE && !walkDone && failure == null) openNext(fi, f);
            if (failure != null) return;
        }
        while (dueCount > 0) {
            Slot s = slots[dueSlots[--dueCount]];
            OpenFile f = places[s.owner];
            s.issue(engine, f.srcFd, f.dstFd);
        }
        for (int fi = 0; fi < places.length && freeCount > 0; fi++) {
            OpenFile f = places[fi];
            if (f.state != OpenFile.State.COPYING) continue;
            while (f.pairs < pairsPerFile && f.nextOffset < f.size && freeCount > 0) {
                Slot s = slots[freeSlots[--freeCount]];
                long len = Math.min(o.bufferSize(), f.size - f.nextOffset);
                long ioLen = len;
                if (o.direct() && len % align != 0) {
                    // an unaligned tail: read and write the whole aligned block, truncate when the file is done
                    ioLen = (len + align - 1) / align * align;
                    f.needsTruncate = true;
                }
                s.start(fi, f.nextOffset, len, ioLen);
                f.nextOffset += len;
                f.pairs++;
                s.issue(engine, f.srcFd, f.dstFd);
            }
        }
    }

    private void complete(long tag, long res) {
        if (tag >= FALLOC_TAG) {
            OpenFile f = places[(int) (tag - FALLOC_TAG)];
            f.state = OpenFile.State.COPYING;
            if (res < 0) fail("fallocate of " + f.dst + " (" + f.size + " bytes): " + Errno.describe((int) -res));
            return;
        }
        Slot s = slots[(int) (tag >>> 1)];
        OpenFile f = places[s.owner];
        switch (s.complete((tag & 1) != 0, res, f.src, f.dst)) {
            case WAIT -> { }
            case ISSUE -> {
                if (failure == null) {
                    dueSlots[dueCount++] = s.index;
                } else {
                    s.reset(); // stopping: what is due is not issued
                    release(s, f);
                }
            }
            case DONE -> {
                release(s, f);
                bytesDone += s.length;
                progress.update(bytesDone, plan.sourceBytes());
                if (f.nextOffset >= f.size && f.pairs == 0) f.state = OpenFile.State.FINISHING;
            }
            case FAILED -> {
                fail(s.failure());
                release(s, f);
            }
        }
    }

    private void release(Slot s, OpenFile f) {
        f.pairs--;
        freeSlots[freeCount++] = s.index;
    }

    private void fail(String what) {
        if (failure == null) failure = what;
    }

    // ---- files -------------------------------------------------------------------------------------------

    /** Opens the next regular file of the walk into place {@code fi}, or ends the walk. */
    private void openNext(int fi, OpenFile f) {
        TreeWalk.Entry e;
        try {
            e = walk.next();
        } catch (CopyException ex) {
            fail(ex.getMessage());
            walkDone = true;
            return;
        }
        if (e == null) {
            walkDone = true;
            return;
        }
        int dflag = o.direct() ? Linux.O_DIRECT : 0;
        f.src = e.src().toString();
        f.dst = e.dst().toString();
        f.nextOffset = 0;
        f.pairs = 0;
        f.needsTruncate = false;
        try {
            FileStat st = FileStat.of(f.src, false);
            f.size = st.size();
            f.mode = st.permissions();
            f.srcFd = Libc.open(f.src, Linux.O_RDONLY | Linux.O_NOFOLLOW | dflag, 0);
            f.dstFd = Libc.open(f.dst, Linux.O_WRONLY | Linux.O_CREAT | Linux.O_EXCL | dflag, 0600);
        } catch (NativeException ex) {
            fail(ex.getMessage());
            closeFds(f);
            return;
        }
        engine.fileOpened(f.srcFd);
        engine.fileOpened(f.dstFd);
        if (f.size == 0) {
            finishFile(f);
        } else if (o.fallocate()) {
            f.state = OpenFile.State.ALLOCATING;
            engine.queue(Op.FALLOCATE, FALLOC_TAG + fi, f.dstFd, null, f.size, 0, 0);
        } else {
            f.state = OpenFile.State.COPYING;
        }
    }

    private void finishFile(OpenFile f) {
        try {
            if (f.needsTruncate) Libc.check(Libc.ftruncate(f.dstFd, f.size), "ftruncate", f.dst);
            Libc.check(Libc.fchmod(f.dstFd, f.mode), "fchmod", f.dst);
        } catch (NativeException e) {
            fail(e.getMessage());
        }
        engine.fileClosing(f.srcFd);
        engine.fileClosing(f.dstFd);
        closeFds(f);
        f.state = OpenFile.State.FREE;
        filesDone++;
    }

    private void closeFds(OpenFile f) {
        if (f.srcFd >= 0) { Libc.close(f.srcFd); f.srcFd = -1; }
        if (f.dstFd >= 0) {
            int r = Libc.close(f.dstFd); // a deferred write error can surface here
            if (r < 0 && r != -Errno.EINTR) fail("close of " + f.dst + ": " + Errno.describe(-r));
            f.dstFd = -1;
        }
    }

    /**
     * The end of the timed run, also after a failure: the engine first (it cancels or waits for whatever is still
     * in flight), then the descriptors of files a failure left open. An engine that cannot close leaves the
     * buffers to the kernel: the plan then never frees them.
     */
    void closeEngineThenFiles() {
        try {
            engine.close();
        } catch (RuntimeException e) {
            plan.keepBuffers();
            throw e;
        } finally {
            for (OpenFile f : places) {
                if (f.srcFd >= 0) { Libc.close(f.srcFd); f.srcFd = -1; }
                if (f.dstFd >= 0) { Libc.close(f.dstFd); f.dstFd = -1; }
                f.state = OpenFile.State.FREE;
            }
        }
    }

    /** What the run did; the engine's facts are taken now, after the clock stopped. */
    CopyResult result(long nanos) {
        long resumed = 0;
        for (Slot s : slots) resumed += s.resumed;
        return new CopyResult(nanos, bytesDone, filesDone, walk.directories(), walk.symlinks(), walk.skippedSpecial(),
                engine.facts(), plan.bufferBytes(), slots.length, places.length, resumed);
    }
}
