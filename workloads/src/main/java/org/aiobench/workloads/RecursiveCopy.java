package org.aiobench.workloads;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.aiobench.engines.CompletionHandler;
import org.aiobench.engines.Engines;
import org.aiobench.engines.IoEngine;
import org.aiobench.engines.Op;
import org.aiobench.engines.nat.Errno;
import org.aiobench.engines.nat.FileStat;
import org.aiobench.engines.nat.Libc;
import org.aiobench.engines.nat.Linux;
import org.aiobench.engines.nat.NativeException;
import org.aiobench.engines.probe.KernelProbe;

/**
 * The copy study's recursive copy (report section 3), engine-agnostic: a breadth-first walk of the source that
 * recreates directories as it reaches them, with {@code qd} files in flight, each copied as read->write pairs of
 * {@code bufferSize} bytes through one buffer slot per pair.
 *
 * <ul>
 *   <li>{@code single}: one pair per file in flight; {@code multi}: {@code opsPerFile} pairs per file;
 *       {@code batch}: every free slot filled, the batch submitted, all of it waited for, then refilled.</li>
 *   <li>Each pair is a read linked to its write ({@link IoEngine#LINK}): the write runs only after the read
 *       returned every byte. A short pair (the source changed, a short write) is issued again.</li>
 *   <li>O_DIRECT on source and destination: a tail that is not a multiple of the alignment is read and written
 *       as a whole aligned block, and the destination truncated to the source's size.</li>
 *   <li>fallocate: the destination is preallocated (the engine's FALLOCATE) before its first write.</li>
 *   <li>Symbolic links are recreated as links; fifos, sockets and devices are reported and skipped; file and
 *       directory modes are kept.</li>
 * </ul>
 *
 * <p>Safety: the source is only read; the destination must not exist, or must be an earlier copy aiobench made
 * (then it is replaced); a destination inside the source is refused. Every bad input is refused before anything
 * is written, as a {@link CopyException} with {@code badInput()}.
 *
 * <p>Timing ({@link CopyResult#nanos()}) covers what the study's programs timed: engine setup, buffer allocation,
 * the walk, every open, request, close and mode change. The checks of the source before it are not timed.
 */
public final class RecursiveCopy {
    private static final long FALLOC_TAG = 1L << 40;
    private static final int MAX_REISSUES = 16;

    private final CopyOptions o;
    private final Path srcRoot;
    private final Path dstRoot;
    private final Progress progress;
    private final long totalBytes;
    private final int align;

    // the walk
    private final ArrayDeque<Path[]> dirQueue = new ArrayDeque<>();
    private final ArrayDeque<Path> filesOfDir = new ArrayDeque<>();
    private Path currentDstDir;
    private final List<Object[]> dirModes = new ArrayList<>();
    private final List<String> skippedSpecial = new ArrayList<>();
    private int directories;
    private int symlinks;
    private boolean walkDone;

    // files in flight
    private final OpenFile[] open;
    private final int pairsPerFile;
    // pair slots: slot j belongs to open[j / pairsPerFile]
    private final boolean[] busy;
    private final long[] slotOff;
    private final long[] slotLen;
    private final long[] slotIoLen;
    private final boolean[] slotLinked;
    private final long[] readRes;
    private final long[] writeRes;
    private final long[] slotWritten;
    private final int[] arrived;
    private final int[] reissues;
    private final boolean[] writePending;
    private final boolean[] reissuePending;
    private MemorySegment[] slotBuf;

    private IoEngine engine;
    private long bytesDone;
    private int filesDone;
    private long reissued;
    private String failure;

    private static final class OpenFile {
        boolean active;
        boolean fallocPending;
        boolean finishPending;
        boolean needsTruncate;
        int srcFd = -1;
        int dstFd = -1;
        long size;
        int mode;
        long nextOff;
        int pairsOutstanding;
        String src;
        String dst;
    }

    private RecursiveCopy(Path src, Path dst, CopyOptions o, Progress progress, long totalBytes, int align) {
        this.o = o;
        this.srcRoot = src;
        this.dstRoot = dst;
        this.progress = progress;
        this.totalBytes = totalBytes;
        this.align = align;
        this.pairsPerFile = o.pairsPerFile();
        int slots = o.slots();
        open = new OpenFile[o.qd()];
        for (int i = 0; i < open.length; i++) open[i] = new OpenFile();
        busy = new boolean[slots];
        slotOff = new long[slots];
        slotLen = new long[slots];
        slotIoLen = new long[slots];
        slotLinked = new boolean[slots];
        readRes = new long[slots];
        writeRes = new long[slots];
        slotWritten = new long[slots];
        arrived = new int[slots];
        reissues = new int[slots];
        writePending = new boolean[slots];
        reissuePending = new boolean[slots];
    }

    public static CopyResult copy(Path src, Path dst, CopyOptions o) {
        return copy(src, dst, o, Progress.NONE);
    }

    /**
     * Copies the tree {@code src} to {@code dst}.
     *
     * @throws CopyException                                           bad input (nothing written) or a failed copy
     * @throws org.aiobench.engines.UnsupportedConfigurationException the engine cannot run these options here
     * @throws IllegalArgumentException                                bad option values
     */
    public static CopyResult copy(Path src, Path dst, CopyOptions o, Progress progress) {
        o.checkValues();
        Preflight pf = preflight(src, dst, o);
        int align = 1;
        if (Files.exists(pf.dst, LinkOption.NOFOLLOW_LINKS)) {
            // an earlier copy of ours: the engine and the filesystem (probed inside it) are checked before it goes
            o.validate();
            if (o.direct()) align = directAlignment(pf, o);
            progress.note("replacing " + dst + (Scratch.ownsCompanion(pf.dst, Manifest.pathFor(pf.dst))
                    ? ", a tree aiobench generated (its manifest goes too)" : ", an earlier copy made by aiobench"));
            Scratch.deleteOwned(pf.dst);
            Scratch.createOwned(pf.dst, dst);
        } else {
            Scratch.createOwned(pf.dst, dst);
            try {
                if (o.direct()) align = directAlignment(pf, o);
            } catch (RuntimeException e) {
                Scratch.deleteOwned(pf.dst);
                throw e;
            }
        }
        RecursiveCopy c = new RecursiveCopy(pf.src, pf.dst, o, progress, pf.bytes, align);
        return c.run();
    }

    private record Preflight(Path src, Path dst, long bytes, int files, Path firstFile) {}

    /** Everything that can be refused is refused here, before anything is written. */
    private static Preflight preflight(Path src, Path dst, CopyOptions o) {
        if (!Files.exists(src)) throw CopyException.badInput("source " + src + " does not exist");
        if (!Files.isDirectory(src)) throw CopyException.badInput("source " + src + " is not a directory");
        Path srcReal;
        Path dstReal;
        try {
            srcReal = src.toRealPath();
            Path abs = dst.toAbsolutePath().normalize();
            if (abs.getParent() == null) throw CopyException.badInput("destination " + dst + " cannot be the root directory");
            if (!Files.isDirectory(abs.getParent())) {
                throw CopyException.badInput("the parent of destination " + dst + " does not exist");
            }
            dstReal = abs.getParent().toRealPath().resolve(abs.getFileName());
        } catch (IOException e) {
            throw CopyException.badInput("cannot resolve " + src + " or " + dst + ": " + e.getMessage());
        }
        if (dstReal.startsWith(srcReal)) {
            throw CopyException.badInput("destination " + dst + " is inside the source " + src + "; refusing");
        }
        if (srcReal.startsWith(dstReal)) {
            throw CopyException.badInput("source " + src + " is inside the destination " + dst + "; refusing");
        }
        if (Files.exists(dstReal, LinkOption.NOFOLLOW_LINKS)) {
            String why = Scratch.whyNotOwned(dstReal);
            if (why != null) {
                throw CopyException.badInput("destination " + dst + " exists and was not created by aiobench (" + why
                        + "); refusing to overwrite it");
            }
            int w;
            try (Arena a = Arena.ofConfined()) {
                w = (int) Libc.syscall(Linux.SYS_access, a.allocateFrom(dstReal.getParent().toString()).address(),
                        Linux.W_OK, 0, 0, 0, 0);
            }
            if (w < 0) {
                throw CopyException.badInput("cannot replace " + dst + ": " + dstReal.getParent() + " is not writable: "
                        + Errno.describe(-w));
            }
        }
        // every directory listable and every regular file openable, so no copy stops half-way on bad input
        long[] bytes = {0};
        int[] files = {0};
        Path[] first = {null};
        scan(srcReal, bytes, files, first);
        if (o.direct() && first[0] != null) {
            int r = Libc.openat(Linux.AT_FDCWD, Arena.ofAuto().allocateFrom(first[0].toString()),
                    Linux.O_RDONLY | Linux.O_DIRECT | Linux.O_CLOEXEC, 0);
            if (r < 0) {
                throw CopyException.badInput("O_DIRECT refused on the source filesystem (" + first[0] + ": "
                        + Errno.describe(-r) + "); ramfs (and tmpfs before Linux 6.6) have no direct I/O");
            }
            Libc.close(r);
            if (o.polled()) {
                String why = KernelProbe.iopollFailure(first[0]);
                if (why != null) throw CopyException.badInput("iopoll cannot work on the source's device: " + why);
            }
        }
        return new Preflight(srcReal, dstReal, bytes[0], files[0], first[0]);
    }

    private static void scan(Path dir, long[] bytes, int[] files, Path[] first) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (Files.isSymbolicLink(p)) continue;
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    scan(p, bytes, files, first);
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    int fd;
                    try (Arena a = Arena.ofConfined()) {
                        fd = Libc.openat(Linux.AT_FDCWD, a.allocateFrom(p.toString()),
                                Linux.O_RDONLY | Linux.O_NOFOLLOW | Linux.O_CLOEXEC, 0);
                    }
                    if (fd < 0) throw CopyException.badInput("cannot read " + p + ": " + Errno.describe(-fd));
                    Libc.close(fd);
                    bytes[0] += Files.size(p);
                    files[0]++;
                    if (first[0] == null && Files.size(p) > 0) first[0] = p; // an empty file's reads reach no device
                }
            }
        } catch (IOException e) {
            throw CopyException.badInput("cannot read directory " + dir + ": " + e.getMessage());
        }
    }

    /**
     * The O_DIRECT alignment of both filesystems (statx DIOALIGN, else 4096), probed with a file in the destination
     * directory (ours: the new one, or the earlier copy about to be replaced); with iopoll, also whether the
     * destination's device can poll.
     */
    private static int directAlignment(Preflight pf, CopyOptions o) {
        Path probe = pf.dst.resolve(".aiobench-odirect-probe");
        int fd;
        try (Arena a = Arena.ofConfined()) {
            fd = Libc.openat(Linux.AT_FDCWD, a.allocateFrom(probe.toString()),
                    Linux.O_WRONLY | Linux.O_CREAT | Linux.O_EXCL | Linux.O_DIRECT | Linux.O_CLOEXEC, 0600);
        }
        if (fd < 0) {
            try { Files.deleteIfExists(probe); } catch (IOException ignored) { }
            throw CopyException.badInput("O_DIRECT refused on the destination filesystem (" + pf.dst + ": "
                    + Errno.describe(-fd) + "); ramfs (and tmpfs before Linux 6.6) have no direct I/O");
        }
        int align = 4096;
        try {
            FileStat ds = FileStat.of(fd, probe.toString());
            int a = ds.dioOffsetAlign();
            if (pf.firstFile != null) {
                FileStat ss = FileStat.of(pf.firstFile.toString(), false);
                a = Math.max(a, ss.dioOffsetAlign());
            }
            if (a > 0) align = a;
            Libc.close(fd);
            fd = -1;
            if (o.polled()) {
                Files.write(probe, new byte[8192]);
                String why = KernelProbe.iopollFailure(probe);
                if (why != null) throw CopyException.badInput("iopoll cannot work on the destination's device: " + why);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot probe O_DIRECT in " + pf.dst + ": " + e.getMessage(), e);
        } finally {
            if (fd >= 0) Libc.close(fd);
            try { Files.deleteIfExists(probe); } catch (IOException e) { throw new UncheckedIOException(e); }
        }
        if (o.bufferSize() % align != 0) {
            throw CopyException.badInput("buffer size " + o.bufferSize() + " is not a multiple of the O_DIRECT alignment " + align);
        }
        return align;
    }

    // ---------------------------------------------------------------------------------------------------------

    private CopyResult run() {
        long t0 = System.nanoTime();
        int slots = o.slots();
        long regionBytes = (long) slots * o.bufferSize();
        try (Arena arena = Arena.ofShared()) {
            try {
                engine = Engines.create(o.engine(), o.engineOptions());
            } catch (RuntimeException e) {
                Scratch.deleteOwned(dstRoot);
                throw e;
            }
            try {
                MemorySegment region = arena.allocate(regionBytes, Linux.BUFFER_ALIGN);
                slotBuf = new MemorySegment[slots];
                for (int j = 0; j < slots; j++) slotBuf[j] = region.asSlice((long) j * o.bufferSize(), o.bufferSize());
                engine.useBuffers(region, o.bufferSize());
                startWalk();
                loop();
                applyDirModes();
                java.util.Map<String, String> facts = engine.facts();
                engine.close();
                long nanos = System.nanoTime() - t0;
                progress.finish();
                return new CopyResult(nanos, bytesDone, filesDone, directories, symlinks, List.copyOf(skippedSpecial),
                        facts, regionBytes, slots, reissued);
            } finally {
                closeAllOpen();
                engine.close();
            }
        }
    }

    private final CompletionHandler onComplete = this::complete;

    private void loop() {
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
            throw new CopyException("copy stopped: " + failure + "; " + dstRoot + " holds a partial copy", false);
        }
    }

    private boolean noOpenFiles() {
        for (OpenFile f : open) if (f.active) return false;
        return true;
    }

    /** Opens files into free places, finishes finished ones, and queues every pair that can go. */
    private void fill() {
        for (int fi = 0; fi < open.length; fi++) {
            OpenFile f = open[fi];
            if (f.active && f.finishPending) finishFile(f);
            while (!f.active && !walkDone) {
                if (openNext(f) && failure == null) {
                    if (f.size == 0) finishFile(f);
                    else if (o.fallocate()) {
                        f.fallocPending = true;
                        engine.queue(Op.FALLOCATE, FALLOC_TAG + fi, f.dstFd, null, f.size, 0, 0);
                    }
                }
                if (failure != null) return;
            }
            if (!f.active || f.fallocPending) continue;
            int base = fi * pairsPerFile;
            for (int j = base; j < base + pairsPerFile; j++) {
                if (writePending[j]) {
                    writePending[j] = false;
                    long w = slotWritten[j]; // > 0 only after a short write: the rest of it (rare, may allocate)
                    engine.queue(Op.WRITE, 2L * j + 1, f.dstFd, w == 0 ? slotBuf[j] : slotBuf[j].asSlice(w),
                            slotIoLen[j] - w, slotOff[j] + w, 0);
                } else if (reissuePending[j]) {
                    reissuePending[j] = false;
                    issue(j, f);
                } else if (!busy[j] && f.nextOff < f.size) {
                    long len = Math.min(o.bufferSize(), f.size - f.nextOff);
                    busy[j] = true;
                    reissues[j] = 0;
                    slotOff[j] = f.nextOff;
                    slotLen[j] = len;
                    f.nextOff += len;
                    f.pairsOutstanding++;
                    issue(j, f);
                }
            }
        }
    }

    private void issue(int j, OpenFile f) {
        long len = slotLen[j];
        readRes[j] = 0;
        writeRes[j] = 0;
        slotWritten[j] = 0;
        arrived[j] = 0;
        if (o.direct() && len % align != 0) {
            // an unaligned tail: read and write the whole aligned block, truncate when the file is done
            slotIoLen[j] = (len + align - 1) / align * align;
            slotLinked[j] = false;
            f.needsTruncate = true;
            engine.queue(Op.READ, 2L * j, f.srcFd, slotBuf[j], slotIoLen[j], slotOff[j], 0);
        } else {
            slotIoLen[j] = len;
            slotLinked[j] = true;
            engine.queue(Op.READ, 2L * j, f.srcFd, slotBuf[j], len, slotOff[j], IoEngine.LINK);
            engine.queue(Op.WRITE, 2L * j + 1, f.dstFd, slotBuf[j], len, slotOff[j], 0);
        }
    }

    private void complete(long tag, long res) {
        if (tag >= FALLOC_TAG) {
            OpenFile f = open[(int) (tag - FALLOC_TAG)];
            f.fallocPending = false;
            if (res < 0) fail("fallocate of " + f.dst + " (" + f.size + " bytes): " + Errno.describe((int) -res));
            return;
        }
        int j = (int) (tag >>> 1);
        boolean isWrite = (tag & 1) != 0;
        OpenFile f = open[j / pairsPerFile];
        if (isWrite) writeRes[j] = res; else readRes[j] = res;
        arrived[j]++;
        if (slotLinked[j]) {
            if (arrived[j] == 2) resolvePair(j, f);
        } else if (!isWrite) {
            if (res < 0) fail("read of " + f.src + " at offset " + slotOff[j] + ": " + Errno.describe((int) -res));
            else if (res != slotLen[j]) reissue(j, f, res);
            else writePending[j] = true;
        } else {
            if (res < 0) fail("write of " + f.dst + " at offset " + (slotOff[j] + slotWritten[j]) + ": " + Errno.describe((int) -res));
            else continueWrite(j, f, res);
        }
    }

    /**
     * A write returned {@code written} more bytes: done when the slot's data is all out, otherwise the rest is
     * written (a short write happens when the filesystem fills up; the next write then says ENOSPC).
     */
    private void continueWrite(int j, OpenFile f, long written) {
        slotWritten[j] += written;
        if (slotWritten[j] >= slotIoLen[j]) {
            chunkDone(j, f);
        } else if (written == 0 && ++reissues[j] > MAX_REISSUES) {
            fail("write of " + f.dst + " at offset " + (slotOff[j] + slotWritten[j]) + " made no progress "
                    + MAX_REISSUES + " times");
            releaseSlot(j, f);
        } else {
            slotLinked[j] = false;
            writePending[j] = true;
        }
    }

    private void resolvePair(int j, OpenFile f) {
        long r = readRes[j];
        long w = writeRes[j];
        if (r < 0) {
            fail("read of " + f.src + " at offset " + slotOff[j] + ": " + Errno.describe((int) -r));
        } else if (w < 0 && w != -Errno.ECANCELED) {
            fail("write of " + f.dst + " at offset " + slotOff[j] + ": " + Errno.describe((int) -w));
        } else if (r == slotIoLen[j] && w == slotIoLen[j]) {
            chunkDone(j, f);
        } else if (r == slotIoLen[j] && w >= 0) {
            continueWrite(j, f, w); // the read filled the buffer; only the write came up short
        } else {
            reissue(j, f, r);
        }
    }

    private void reissue(int j, OpenFile f, long readResult) {
        if (failure != null) { releaseSlot(j, f); return; }
        if (readResult == 0) {
            fail(f.src + " ended at offset " + slotOff[j] + " although it had " + f.size + " bytes: it changed during the copy");
            releaseSlot(j, f);
            return;
        }
        if (++reissues[j] > MAX_REISSUES) {
            fail("the pair at offset " + slotOff[j] + " of " + f.src + " came up short " + MAX_REISSUES + " times");
            releaseSlot(j, f);
            return;
        }
        reissued++;
        reissuePending[j] = true;
    }

    private void releaseSlot(int j, OpenFile f) {
        busy[j] = false;
        f.pairsOutstanding--;
    }

    private void chunkDone(int j, OpenFile f) {
        busy[j] = false;
        f.pairsOutstanding--;
        bytesDone += slotLen[j];
        progress.update(bytesDone, totalBytes);
        if (f.nextOff >= f.size && f.pairsOutstanding == 0) f.finishPending = true;
    }

    private void fail(String what) {
        if (failure == null) failure = what;
    }

    // ---- files -------------------------------------------------------------------------------------------

    /** Opens the next regular file of the walk into {@code f}; false when the walk is done. */
    private boolean openNext(OpenFile f) {
        Path src = nextFile();
        if (src == null) return false;
        Path dst = currentDstDir.resolve(src.getFileName().toString());
        FileStat st = FileStat.of(src.toString(), false);
        int dflag = o.direct() ? Linux.O_DIRECT : 0;
        f.src = src.toString();
        f.dst = dst.toString();
        f.size = st.size();
        f.mode = st.permissions();
        f.nextOff = 0;
        f.pairsOutstanding = 0;
        f.needsTruncate = false;
        f.finishPending = false;
        f.fallocPending = false;
        try {
            f.srcFd = Libc.open(f.src, Linux.O_RDONLY | Linux.O_NOFOLLOW | dflag, 0);
            f.dstFd = Libc.open(f.dst, Linux.O_WRONLY | Linux.O_CREAT | Linux.O_EXCL | dflag, 0600);
        } catch (NativeException e) {
            fail(e.getMessage());
            closeFds(f);
            return false;
        }
        f.active = true;
        engine.fileOpened(f.srcFd);
        engine.fileOpened(f.dstFd);
        return true;
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
        f.active = false;
        f.finishPending = false;
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

    private void closeAllOpen() {
        for (OpenFile f : open) {
            if (f.srcFd >= 0) { engine.fileClosing(f.srcFd); Libc.close(f.srcFd); f.srcFd = -1; }
            if (f.dstFd >= 0) { engine.fileClosing(f.dstFd); Libc.close(f.dstFd); f.dstFd = -1; }
            f.active = false;
        }
    }

    // ---- the walk (breadth-first, directories made as they are reached, as in the report) ----------------

    private void startWalk() {
        directories = 1;
        dirModes.add(new Object[]{dstRoot, FileStat.of(srcRoot.toString(), false).permissions()});
        dirQueue.add(new Path[]{srcRoot, dstRoot});
    }

    private Path nextFile() {
        while (true) {
            Path p = filesOfDir.poll();
            if (p != null) return p;
            Path[] d = dirQueue.poll();
            if (d == null) {
                walkDone = true;
                return null;
            }
            readDir(d[0], d[1]);
        }
    }

    private void readDir(Path srcDir, Path dstDir) {
        currentDstDir = dstDir;
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(srcDir)) {
            for (Path p : ds) entries.add(p);
        } catch (IOException e) {
            fail("cannot list " + srcDir + ": " + e.getMessage());
            return;
        }
        entries.sort(null);
        for (Path p : entries) {
            String name = p.getFileName().toString();
            Path target = dstDir.resolve(name);
            try {
                FileStat st = FileStat.of(p.toString(), false);
                if (st.isDirectory()) {
                    Files.createDirectory(target);
                    directories++;
                    dirModes.add(new Object[]{target, st.permissions()});
                    dirQueue.add(new Path[]{p, target});
                } else if (st.isSymlink()) {
                    Files.createSymbolicLink(target, Files.readSymbolicLink(p));
                    symlinks++;
                } else if (st.isRegular()) {
                    filesOfDir.add(p);
                } else {
                    skippedSpecial.add(p + " (" + kind(st.mode()) + ")");
                }
            } catch (IOException | NativeException e) {
                fail("cannot copy " + p + ": " + e.getMessage());
                return;
            }
        }
        // the files queued here are opened later, when a place is free; nextFile() reads the next directory
        // only after they are all taken, so currentDstDir stays theirs until then
    }

    private static String kind(int mode) {
        return switch (mode & Linux.S_IFMT) {
            case 0x1000 -> "fifo";
            case 0xC000 -> "socket";
            case 0x2000 -> "character device";
            case 0x6000 -> "block device";
            default -> String.format("type %o", mode & Linux.S_IFMT);
        };
    }

    private void applyDirModes() {
        for (int i = dirModes.size() - 1; i >= 0; i--) {
            Path d = (Path) dirModes.get(i)[0];
            int mode = (Integer) dirModes.get(i)[1];
            try {
                Files.setPosixFilePermissions(d, permissions(mode));
            } catch (IOException e) {
                throw new CopyException("cannot set the mode of " + d + ": " + e.getMessage(), false, e);
            }
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] all = PosixFilePermission.values();
        for (int i = 0; i < all.length; i++) if ((mode & (1 << (8 - i))) != 0) s.add(all[i]);
        return s;
    }
}
