package org.aiobench.workloads;

import java.nio.file.Path;

import org.aiobench.engines.CompletionHandler;
import org.aiobench.engines.IoEngine;
import org.aiobench.engines.Op;
import org.aiobench.engines.nat.Errno;
import org.aiobench.engines.nat.Libc;
import org.aiobench.engines.nat.Linux;
import org.aiobench.engines.nat.Statx;

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
 *       directory modes are kept whole (setuid, setgid and sticky too, but see {@link TreeWalk#modeOfCopy}); the
 *       owner is not (no chown). Hard links become separate files and holes are written as zeros: both are counted
 *       (st_nlink &gt; 1; fewer blocks than bytes) from the statx every file gets when it is opened.</li>
 *   <li>A source that changes while it is copied stops the copy, named: a read that ends before the size seen when
 *       the file was opened, or a size or mtime at the end that differs from the one at the open.</li>
 * </ul>
 *
 * <p>A file place goes FREE -> (ALLOCATING ->) COPYING -> FINISHING -> FREE: opened when a place is free,
 * its chunks handed to free slots while it has some left, finished (truncated, its mode set, closed) at the fill
 * after its last chunk.
 */
public final class RecursiveCopy {
    private static final long FALLOC_TAG = 1L << 40;

    /** One place for a file in flight. */
    private static final class OpenFile implements Slot.Files {
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
        TreeWalk.Directory dir;
        byte[] name;
        long size;
        long mtimeSeconds;
        int mtimeNanos;
        int mode;
        int uid;
        int gid;
        long nextOffset;
        int pairs;              // chunks of it in slots
        boolean needsTruncate;

        @Override public String source() { return dir.source(name); }

        @Override public String destination() { return dir.copy(name); }
    }

    private final CopyPlan plan;
    private final CopyOptions o;
    private final IoEngine engine;
    private final Progress progress;
    private final TreeWalk walk;
    /** The statx of the file being opened or finished. */
    private final Statx stat;
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
    private int linkedFiles;
    private int sparseFiles;
    private int setIdDropped;
    private int otherOwners;
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
        stat = plan.fileStat();
        walk = plan.walk();
        walk.start();
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
            if (res < 0) fail("fallocate of " + f.destination() + " (" + f.size + " bytes): " + Errno.describe((int) -res));
            return;
        }
        Slot s = slots[(int) (tag >>> 1)];
        OpenFile f = places[s.owner];
        switch (s.complete((tag & 1) != 0, res, f)) {
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
        byte[] name;
        try {
            name = walk.next();
        } catch (CopyException ex) {
            fail(ex.getMessage());
            walkDone = true;
            return;
        }
        if (name == null) {
            walkDone = true;
            return;
        }
        int dflag = o.direct() ? Linux.O_DIRECT : 0;
        f.dir = walk.directory();
        f.name = name;
        f.nextOffset = 0;
        f.pairs = 0;
        f.needsTruncate = false;
        f.srcFd = walk.openSource(name, dflag);
        if (f.srcFd < 0) {
            fail("cannot open " + f.source() + ": " + Errno.describe(-f.srcFd));
            f.srcFd = -1;
            return;
        }
        int r = stat.of(f.srcFd, TreeWalk.STAT_MASK);
        if (r < 0 || !stat.isRegular()) {
            fail(r < 0 ? "cannot stat " + f.source() + ": " + Errno.describe(-r)
                    : "the source " + f.source() + " changed during the copy: it is no longer a regular file");
            closeFds(f);
            return;
        }
        f.size = stat.size();
        f.mtimeSeconds = stat.mtimeSeconds();
        f.mtimeNanos = stat.mtimeNanos();
        f.mode = stat.permissions();
        f.uid = stat.uid();
        f.gid = stat.gid();
        if (stat.nlink() > 1) linkedFiles++;
        if (stat.isSparse()) sparseFiles++;
        if (f.uid != walk.copyUid() || f.gid != walk.copyGid()) otherOwners++;
        f.dstFd = walk.createCopy(name, dflag);
        if (f.dstFd < 0) {
            fail("cannot create " + f.destination() + ": " + Errno.describe(-f.dstFd));
            f.dstFd = -1;
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

    /**
     * Truncates an O_DIRECT tail, sets the mode (after the last write, which clears setuid and setgid), checks that
     * the source did not change while it was copied, and closes both.
     */
    private void finishFile(OpenFile f) {
        int r = f.needsTruncate ? Libc.ftruncate(f.dstFd, f.size) : 0;
        if (r < 0) fail("ftruncate of " + f.destination() + ": " + Errno.describe(-r));
        int mode = f.mode;
        if ((mode & (Linux.S_ISUID | Linux.S_ISGID)) != 0 && (r = stat.of(f.dstFd, TreeWalk.STAT_MASK)) == 0) {
            mode = TreeWalk.modeOfCopy(f.mode, f.uid, f.gid, stat.uid(), stat.gid());
            if (mode != f.mode) setIdDropped++;
        }
        if (r >= 0) r = Libc.fchmod(f.dstFd, mode);
        if (r < 0) fail("cannot set the mode of " + f.destination() + ": " + Errno.describe(-r));
        r = stat.of(f.srcFd, TreeWalk.STAT_MASK);
        if (r < 0) {
            fail("cannot stat " + f.source() + ": " + Errno.describe(-r));
        } else if (stat.size() != f.size) {
            fail("the source " + f.source() + " changed during the copy: it had " + f.size + " bytes when the copy"
                    + " opened it and " + stat.size() + " when it was copied");
        } else if (stat.mtimeSeconds() != f.mtimeSeconds || stat.mtimeNanos() != f.mtimeNanos) {
            fail("the source " + f.source() + " changed during the copy: it was written to while it was copied");
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
            if (r < 0 && r != -Errno.EINTR) fail("close of " + f.destination() + ": " + Errno.describe(-r));
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
            walk.close();
        }
    }

    /** What the run did; the engine's facts are taken now, after the clock stopped. */
    CopyResult result(long nanos) {
        long resumed = 0;
        for (Slot s : slots) resumed += s.resumed;
        return new CopyResult(nanos, bytesDone, filesDone, walk.directories(), walk.symlinks(), walk.skippedSpecial(),
                engine.facts(), plan.bufferBytes(), slots.length, places.length, resumed, linkedFiles, sparseFiles,
                setIdDropped + walk.setIdDropped(), otherOwners + walk.otherOwners(), walk.copyUid(), walk.copyGid());
    }
}
