package org.aiobench.workloads;

import java.nio.file.Path;

import org.aiobench.engines.CompletionHandler;
import org.aiobench.engines.IoEngine;
import org.aiobench.engines.MetadataOps;
import org.aiobench.engines.Op;
import org.aiobench.engines.UnsupportedConfigurationException;
import org.aiobench.engines.nat.CName;
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
 *       errno. An engine whose kernel copies a pair itself (copy_file_range, {@code cfrRequest=file}) gets the
 *       whole file as one chunk, as cp asks the kernel for it (with O_DIRECT, an unaligned tail goes apart).</li>
 *   <li>{@code metadata=ring} (io_uring): the source file's statx and open, the copy's open (O_CREAT|O_EXCL with the
 *       source's mode), the statx at the end and both closes are requests of the ring, beside the reads and
 *       writes, and the files live in fixed-file slots the kernel allocates; so are the subdirectories' mkdirat.
 *       Each step waits for the completion it needs (the slot, the size and mode), so nothing needs a link beyond
 *       read->write. Reading a directory (open, getdents64, which io_uring has no opcode for) stays a system call,
 *       and so does a mode the open could not give (umask, setuid, setgid, sticky: fchmodat after the close).</li>
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
 * after its last chunk. With the metadata through the ring: FREE -> OPENING -> CREATE_DUE -> CREATING ->
 * (ALLOCATING ->) COPYING -> FINISHING -> CLOSING -> CLOSED -> FREE, the "due" states acted on at the next fill.
 */
public final class RecursiveCopy {
    private static final long FALLOC_TAG = 1L << 40;
    /** metadata=ring: {@code META_TAG | place << 3 | kind}. */
    private static final long META_TAG = 1L << 41;
    /** metadata=ring: a subdirectory's mkdirat, {@code DIR_TAG | pool entry << 32 | directory index}. */
    private static final long DIR_TAG = 1L << 42;
    private static final int STAT_OPEN = 0, OPEN_SRC = 1, OPEN_DST = 2, STAT_END = 3, CLOSE_SRC = 4, CLOSE_DST = 5;

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
            FINISHING,
            /** metadata=ring: the source's statx and open in flight. */
            OPENING,
            /** metadata=ring: both in; the copy's open is queued at the next fill. */
            CREATE_DUE,
            /** metadata=ring: the copy's open in flight. */
            CREATING,
            /** metadata=ring: the statx at the end and both closes in flight. */
            CLOSING,
            /** metadata=ring: all three in; its mode is set where the open could not, and the place freed. */
            CLOSED
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
        /** metadata=ring: requests of it in flight, and what went wrong in one (reported when all are in). */
        int pending;
        String metaFailure;
        /** metadata=ring: its name in native memory (valid while requests name it). */
        java.lang.foreign.MemorySegment cName;

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
    /** Bytes per chunk: bufferSize, or a whole file for a kernel copy as cp asks for it. */
    private final long requestBytes;
    /** metadata=ring: the engine's metadata requests (null: system calls), and what they need. */
    private final MetadataOps meta;
    private final int fileFlag;
    private final CName[] placeNames;
    private final Statx[] placeStats;
    private final CName[] dirNames;
    /** The directory each mkdirat name buffer is in flight for, or null. */
    private final TreeWalk.Directory[] dirInFlight;
    private int dirsInFlight;
    private final int umask;

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
        requestBytes = o.cfrRequest() == CopyOptions.CfrRequest.FILE && engine.capabilities().kernelCopy()
                ? Long.MAX_VALUE : o.bufferSize();
        meta = o.ringMetadata() ? engine.metadataOps() : null;
        if (o.ringMetadata() && meta == null) {
            throw new UnsupportedConfigurationException("metadata=ring: engine " + engine.name()
                    + " cannot queue opens, statx, mkdirat and closes");
        }
        fileFlag = meta != null && meta.fixedSlots() ? IoEngine.FIXED_FILE : 0;
        placeNames = plan.placeNames();
        placeStats = plan.placeStats();
        dirNames = plan.dirNames();
        dirInFlight = new TreeWalk.Directory[dirNames.length];
        umask = plan.umask();
        walk.makeDirectoriesWith(meta != null ? ringMkdirs : null);
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
            if (f.state == OpenFile.State.FINISHING) {
                if (meta != null) startClosing(fi, f); else finishFile(f);
            }
            if (f.state == OpenFile.State.CLOSED) closed(f);
            if (f.state == OpenFile.State.CREATE_DUE) create(fi, f);
            while (f.state == OpenFile.State.FREE && !walkDone && failure == null) {
                if (meta != null) openNextThroughRing(fi, f); else openNext(fi, f);
            }
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
                long len = Math.min(requestBytes, f.size - f.nextOffset);
                if (len > o.bufferSize() && len % align != 0) len -= len % align; // a whole file's unaligned tail apart
                long ioLen = len;
                if (o.direct() && len % align != 0) {
                    // an unaligned tail: read and write the whole aligned block, truncate when the file is done
                    ioLen = (len + align - 1) / align * align;
                    f.needsTruncate = true;
                }
                s.start(fi, f.nextOffset, len, ioLen, fileFlag);
                f.nextOffset += len;
                f.pairs++;
                s.issue(engine, f.srcFd, f.dstFd);
            }
        }
    }

    private void complete(long tag, long res) {
        if ((tag & DIR_TAG) != 0) {
            directoryCreated(tag, (int) res);
            return;
        }
        if ((tag & META_TAG) != 0) {
            metaDone((int) ((tag & ~META_TAG) >>> 3), (int) (tag & 7), res);
            return;
        }
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

    /** The walk's next regular file, or null when the walk ended (done, or failed: the failure recorded). */
    private byte[] nextName() {
        byte[] name;
        try {
            name = walk.next();
        } catch (CopyException ex) {
            fail(ex.getMessage());
            name = null;
        }
        if (name == null) walkDone = true;
        return name;
    }

    /** Opens the next regular file of the walk into place {@code fi}, or ends the walk. */
    private void openNext(int fi, OpenFile f) {
        byte[] name = nextName();
        if (name == null) return;
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
        if (r < 0 || !noteOpened(f, stat)) {
            fail(r < 0 ? "cannot stat " + f.source() + ": " + Errno.describe(-r)
                    : "the source " + f.source() + " changed during the copy: it is no longer a regular file");
            closeFds(f);
            return;
        }
        f.dstFd = walk.createCopy(name, dflag);
        if (f.dstFd < 0) {
            fail("cannot create " + f.destination() + ": " + Errno.describe(-f.dstFd));
            f.dstFd = -1;
            closeFds(f);
            return;
        }
        engine.fileOpened(f.srcFd);
        engine.fileOpened(f.dstFd);
        startCopying(fi, f);
    }

    /** Both files open: an empty one is finished, a fallocate queued, or its chunks handed out from the next fill. */
    private void startCopying(int fi, OpenFile f) {
        if (f.size == 0) {
            f.state = OpenFile.State.FINISHING;
            if (meta == null) finishFile(f);
        } else if (o.fallocate()) {
            f.state = OpenFile.State.ALLOCATING;
            engine.queue(Op.FALLOCATE, FALLOC_TAG + fi, f.dstFd, null, f.size, 0, fileFlag);
        } else {
            f.state = OpenFile.State.COPYING;
        }
    }

    /** What the statx of a file found when it was opened: its size, mtime, mode and owner, and the counts. */
    private boolean noteOpened(OpenFile f, Statx st) {
        if (!st.isRegular()) return false;
        f.size = st.size();
        f.mtimeSeconds = st.mtimeSeconds();
        f.mtimeNanos = st.mtimeNanos();
        f.mode = st.permissions();
        f.uid = st.uid();
        f.gid = st.gid();
        if (st.nlink() > 1) linkedFiles++;
        if (st.isSparse()) sparseFiles++;
        if (f.uid != walk.copyUid() || f.gid != walk.copyGid()) otherOwners++;
        return true;
    }

    /** The changed-source check at the end: the size and mtime the open saw, or the failure. */
    private String changedSince(OpenFile f, Statx st) {
        if (st.size() != f.size) {
            return "the source " + f.source() + " changed during the copy: it had " + f.size + " bytes when the copy"
                    + " opened it and " + st.size() + " when it was copied";
        }
        if (st.mtimeSeconds() != f.mtimeSeconds || st.mtimeNanos() != f.mtimeNanos) {
            return "the source " + f.source() + " changed during the copy: it was written to while it was copied";
        }
        return null;
    }

    // ---- files through the ring (metadata=ring) ----------------------------------------------------------

    /** The next file of the walk into place {@code fi}: its statx and open queued together. */
    private void openNextThroughRing(int fi, OpenFile f) {
        byte[] name = nextName();
        if (name == null) return;
        f.dir = walk.directory();
        walk.retain(f.dir); // its descriptors name this file in requests until the file is closed
        f.name = name;
        f.nextOffset = 0;
        f.pairs = 0;
        f.needsTruncate = false;
        f.metaFailure = null;
        f.srcFd = -1;
        f.dstFd = -1;
        f.cName = placeNames[fi].of(name);
        int dflag = o.direct() ? Linux.O_DIRECT : 0;
        meta.queueStatx(metaTag(fi, STAT_OPEN), f.dir.srcFd, f.cName, Linux.AT_SYMLINK_NOFOLLOW, TreeWalk.STAT_MASK,
                placeStats[fi].buffer());
        meta.queueOpenat(metaTag(fi, OPEN_SRC), f.dir.srcFd, f.cName,
                Linux.O_RDONLY | Linux.O_NOFOLLOW | Linux.O_CLOEXEC | dflag, 0);
        f.pending = 2;
        f.state = OpenFile.State.OPENING;
    }

    /** The source is open and stat'ed: its copy is created with the source's permissions (what the umask lets through). */
    private void create(int fi, OpenFile f) {
        int dflag = o.direct() ? Linux.O_DIRECT : 0;
        meta.queueOpenat(metaTag(fi, OPEN_DST), f.dir.dstFd, f.cName,
                Linux.O_WRONLY | Linux.O_CREAT | Linux.O_EXCL | Linux.O_CLOEXEC | dflag, f.mode & 0777);
        f.pending = 1;
        f.state = OpenFile.State.CREATING;
    }

    /** Every chunk copied: the O_DIRECT tail truncated, then the statx at the end and both closes queued together. */
    private void startClosing(int fi, OpenFile f) {
        if (f.needsTruncate) {
            // no ftruncate of a fixed-file slot before Linux 6.9 (IORING_OP_FTRUNCATE): the rare unaligned tail by path
            int fd = Libc.openat(f.dir.dstFd, f.cName, Linux.O_WRONLY | Linux.O_CLOEXEC, 0);
            int r = fd < 0 ? fd : Libc.ftruncate(fd, f.size);
            if (fd >= 0) Libc.close(fd);
            if (r < 0) fail("ftruncate of " + f.destination() + ": " + Errno.describe(-r));
        }
        meta.queueStatx(metaTag(fi, STAT_END), f.dir.srcFd, f.cName, Linux.AT_SYMLINK_NOFOLLOW, TreeWalk.STAT_MASK,
                placeStats[fi].buffer());
        meta.queueClose(metaTag(fi, CLOSE_SRC), f.srcFd);
        meta.queueClose(metaTag(fi, CLOSE_DST), f.dstFd);
        f.srcFd = -1; // being closed: nothing else closes them
        f.dstFd = -1;
        f.pending = 3;
        f.state = OpenFile.State.CLOSING;
    }

    /** Closed: the mode the open could not give (umask, setuid, setgid, sticky) set by path, and the place freed. */
    private void closed(OpenFile f) {
        int given = umask < 0 ? -1 : f.mode & 0777 & ~umask;
        if (given != f.mode) {
            int mode = f.mode;
            int r = 0;
            if ((mode & (Linux.S_ISUID | Linux.S_ISGID)) != 0 && (r = stat.at(f.dir.dstFd, f.cName, TreeWalk.STAT_MASK)) == 0) {
                mode = TreeWalk.modeOfCopy(f.mode, f.uid, f.gid, stat.uid(), stat.gid());
                if (mode != f.mode) setIdDropped++;
            }
            if (r >= 0) r = Libc.fchmodat(f.dir.dstFd, f.cName, mode);
            if (r < 0) fail("cannot set the mode of " + f.destination() + ": " + Errno.describe(-r));
        }
        walk.release(f.dir);
        f.dir = null;
        f.state = OpenFile.State.FREE;
        filesDone++;
    }

    private static long metaTag(int fi, int kind) {
        return META_TAG | (long) fi << 3 | kind;
    }

    /** A metadata request of place {@code fi} completed. */
    private void metaDone(int fi, int kind, long res) {
        OpenFile f = places[fi];
        String what = null;
        switch (kind) {
            case STAT_OPEN -> what = res < 0 ? "cannot stat " + f.source() + ": " + Errno.describe((int) -res)
                    : noteOpened(f, placeStats[fi]) ? null
                    : "the source " + f.source() + " changed during the copy: it is no longer a regular file";
            case OPEN_SRC -> {
                if (res < 0) what = "cannot open " + f.source() + ": " + Errno.describe((int) -res);
                else f.srcFd = (int) res;
            }
            case OPEN_DST -> {
                if (res < 0) what = "cannot create " + f.destination() + ": " + Errno.describe((int) -res);
                else f.dstFd = (int) res;
            }
            case STAT_END -> what = res < 0 ? "cannot stat " + f.source() + ": " + Errno.describe((int) -res)
                    : changedSince(f, placeStats[fi]);
            case CLOSE_SRC -> { }
            case CLOSE_DST -> {
                // a deferred write error can surface here
                if (res < 0) what = "close of " + f.destination() + ": " + Errno.describe((int) -res);
            }
            default -> throw new IllegalStateException("unknown metadata request " + kind);
        }
        if (what != null && f.metaFailure == null) f.metaFailure = what;
        if (--f.pending > 0) return;
        if (f.metaFailure != null) {
            fail(f.metaFailure);
            return; // the place stays as it is: the copy stops, the engine's close takes the slots back
        }
        switch (f.state) {
            case OPENING -> f.state = OpenFile.State.CREATE_DUE;
            case CREATING -> startCopying(fi, f);
            case CLOSING -> f.state = OpenFile.State.CLOSED;
            default -> throw new IllegalStateException("place " + fi + ": a metadata completion while " + f.state);
        }
    }

    /** A subdirectory's mkdirat completed: the walk reads it once it is created. */
    private void directoryCreated(long tag, int res) {
        int k = (int) (tag & ~DIR_TAG);
        TreeWalk.Directory d = dirInFlight[k];
        dirInFlight[k] = null;
        dirsInFlight--;
        d.created = res < 0 ? res : 0;
        walk.release(d.parent);
    }

    /** The copy's subdirectories through the ring: mkdirat queued while the parent is retained. */
    private final TreeWalk.Mkdirs ringMkdirs = new TreeWalk.Mkdirs() {
        @Override
        public void mkdir(TreeWalk.Directory parent, TreeWalk.Directory child) {
            while (dirsInFlight == dirNames.length) engine.submitAndReap(1, onComplete); // a pool entry frees up
            int k = 0;
            while (dirInFlight[k] != null) k++;
            dirInFlight[k] = child;
            dirsInFlight++;
            walk.retain(parent); // its descriptor names the new directory until the mkdirat completed
            meta.queueMkdirat(DIR_TAG | k, parent.dstFd, dirNames[k].of(child.name), 0700);
        }

        @Override
        public void await(TreeWalk.Directory d) {
            while (d.created == TreeWalk.CREATING) engine.submitAndReap(1, onComplete);
        }
    };


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
        String changed = r < 0 ? "cannot stat " + f.source() + ": " + Errno.describe(-r) : changedSince(f, stat);
        if (changed != null) fail(changed);
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
                // fixed-file slots are no descriptors: they went with the ring's file table
                if (f.srcFd >= 0 && fileFlag == 0) Libc.close(f.srcFd);
                if (f.dstFd >= 0 && fileFlag == 0) Libc.close(f.dstFd);
                f.srcFd = -1;
                f.dstFd = -1;
                f.dir = null;
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
