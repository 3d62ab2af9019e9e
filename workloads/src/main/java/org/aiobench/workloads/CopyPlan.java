package org.aiobench.workloads;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import org.aiobench.engines.EngineOptions;
import org.aiobench.engines.Engines;
import org.aiobench.engines.IoEngine;
import org.aiobench.engines.nat.CName;
import org.aiobench.engines.nat.Errno;
import org.aiobench.engines.nat.FileStat;
import org.aiobench.engines.nat.Libc;
import org.aiobench.engines.nat.Linux;
import org.aiobench.engines.nat.Statx;
import org.aiobench.engines.probe.KernelProbe;

/**
 * A recursive copy prepared, so that its timed part ({@link #run}) does only the copy. Preparing it
 * ({@link #prepare}, untimed) does, once:
 * <ul>
 *   <li>every check of the input (a refusal is a {@link CopyException} with {@code badInput()}, before anything
 *       is written), including the preflight walk of the whole source: every directory listable, every regular
 *       file openable, its bytes counted;</li>
 *   <li>the destination root, created empty and marked as aiobench's (an earlier copy of ours there is deleted);</li>
 *   <li>with O_DIRECT, the alignment probe of both filesystems (statx DIOALIGN, else 4096);</li>
 *   <li>the buffers: one aligned region of {@code qd x bufferSize}, zero-filled once and reused by every run, and
 *       the walk's own (the directory buffer for getdents64, names, statx).</li>
 * </ul>
 * {@link #run} is the timed section: it creates the engine (as the study's programs did: ring or AIO context
 * setup, buffer registration), walks the source making directories as it goes, copies every file, closes the
 * engine, and stops its clock; {@link CopyResult#nanos()} is exactly that span. {@link #resetDestination()}
 * (untimed) empties the destination for the next run; {@link #close()} frees the buffers.
 *
 * <p>One plan serves one thread at a time; the source is only read.
 */
public final class CopyPlan implements AutoCloseable {
    private final CopyOptions options;
    private final Path src;
    private final Path dst;
    private final long bytes;
    private final int files;
    /** What a run makes in the destination: the source's entries less its special files. */
    private final List<byte[]> made;
    private final int align;
    private final Arena arena;
    private final MemorySegment region;
    private final Slot[] slots;
    private final TreeWalk walk;
    private final Statx fileStat;
    /** metadata=ring: a name and a statx buffer per file place, names for the mkdirat in flight; else empty. */
    private final CName[] placeNames;
    private final Statx[] placeStats;
    private final CName[] dirNames;
    /** The process's umask (for the modes a ring's open gives), or -1 where /proc does not say. */
    private final int umask;
    private final long prepareNanos;
    private Function<EngineOptions, IoEngine> engineFactory;
    private final Consumer<String> trace;
    private boolean destinationFresh = true;
    private boolean buffersMayBeInUse;
    private boolean closed;

    private CopyPlan(CopyOptions options, Source source, int align, Arena arena, MemorySegment region, long t0,
                     Consumer<String> trace) {
        this.options = options;
        this.src = source.src;
        this.dst = source.dst;
        this.bytes = source.bytes;
        this.files = source.files;
        this.made = source.made;
        this.align = align;
        this.arena = arena;
        this.region = region;
        this.trace = trace;
        slots = new Slot[options.slots()];
        for (int j = 0; j < slots.length; j++) {
            slots[j] = new Slot(j, region.asSlice((long) j * options.bufferSize(), options.bufferSize()), align);
        }
        walk = new TreeWalk(src, dst, arena);
        fileStat = new Statx(arena);
        int places = options.ringMetadata() ? options.filesInFlight() : 0;
        placeNames = new CName[places];
        placeStats = new Statx[places];
        for (int i = 0; i < places; i++) {
            placeNames[i] = new CName(arena);
            placeStats[i] = new Statx(arena);
        }
        dirNames = new CName[options.ringMetadata() ? CopyOptions.MKDIRS_IN_FLIGHT : 0];
        for (int i = 0; i < dirNames.length; i++) dirNames[i] = new CName(arena);
        umask = options.ringMetadata() ? readUmask() : -1;
        engineFactory = o -> Engines.create(options.engine(), o);
        prepareNanos = System.nanoTime() - t0;
    }

    /**
     * Checks everything, creates the destination root and the buffers (untimed).
     *
     * @throws CopyException                                          bad input (nothing written)
     * @throws IllegalArgumentException                               bad option values
     * @throws org.aiobench.engines.UnsupportedConfigurationException the engine cannot run these options here
     */
    public static CopyPlan prepare(Path src, Path dst, CopyOptions o) {
        return prepare(src, dst, o, Progress.NONE, null);
    }

    /** {@link #prepare}, telling {@code progress} when it replaces an earlier copy of aiobench's. */
    public static CopyPlan prepare(Path src, Path dst, CopyOptions o, Progress progress) {
        return prepare(src, dst, o, progress, null);
    }

    /** {@link #prepare}, naming each step to {@code trace} (tests show what is and is not timed). */
    static CopyPlan prepare(Path src, Path dst, CopyOptions o, Progress progress, Consumer<String> trace) {
        long t0 = System.nanoTime();
        o.validate(); // the engine is built and closed once: options it refuses are refused before writing
        Source s = Source.check(src, dst, o);
        step(trace, "preflight walk: " + s.files + " files, " + s.bytes + " bytes");
        requireSpace(s.dst, s.bytes, s.files, "the copy writes holes as zeros");
        int align = 1;
        if (Files.exists(s.dst, LinkOption.NOFOLLOW_LINKS)) {
            // an earlier copy of ours: the filesystem is probed inside it before it goes, so a refusal keeps it
            if (o.direct()) align = directAlignment(s, o);
            progress.note("replacing " + dst + (Scratch.ownsCompanion(s.dst, Manifest.pathFor(s.dst))
                    ? ", a tree aiobench generated (its manifest goes too)" : ", an earlier copy made by aiobench"
                    + " (it holds only what that copy made)"));
            Scratch.deleteOwned(s.dst);
        }
        createDestination(s.dst, s.made);
        step(trace, "destination root");
        Arena arena = null;
        try {
            if (o.direct() && align == 1) {
                align = directAlignment(s, o);
                step(trace, "O_DIRECT alignment probe: " + align);
            }
            arena = Arena.ofShared();
            MemorySegment region = arena.allocate((long) o.slots() * o.bufferSize(), Linux.BUFFER_ALIGN);
            step(trace, "buffers: " + o.slots() + " x " + o.bufferSize());
            return new CopyPlan(o, s, align, arena, region, t0, trace);
        } catch (RuntimeException | Error e) {
            if (arena != null) arena.close();
            Scratch.deleteOwned(s.dst);
            throw e;
        }
    }

    /**
     * Creates the destination root as aiobench's, with the record of what the copy makes in it (the source's
     * directories, files and links), so that replacing it later deletes nothing else.
     */
    private static void createDestination(Path dst, List<byte[]> made) {
        Scratch.createOwned(dst);
        Scratch.recordMade(dst, made);
    }

    private static void step(Consumer<String> trace, String what) {
        if (trace != null) trace.accept(what);
    }

    /** Builds engines another way (tests: an engine that injects failures). */
    CopyPlan withEngineFactory(Function<EngineOptions, IoEngine> factory) {
        this.engineFactory = factory;
        return this;
    }

    /**
     * The timed copy into the empty destination root. Its clock starts before the engine is created and stops
     * after the engine is closed; the engine's facts are taken after that.
     *
     * @throws CopyException a failed copy (the destination then holds a partial copy)
     * @throws org.aiobench.engines.UnsupportedConfigurationException the engine cannot run these options here
     * @throws IllegalStateException after {@link #close()}, or when the destination was not reset since the last run
     */
    public CopyResult run(Progress progress) {
        if (closed) throw new IllegalStateException("the copy plan is closed");
        if (!destinationFresh) {
            throw new IllegalStateException("the destination holds the last run's copy: resetDestination() first");
        }
        destinationFresh = false;
        step(trace, "clock started");
        progress.start();
        long t0 = System.nanoTime();
        IoEngine engine = engineFactory.apply(options.engineOptions());
        step(trace, "engine created");
        RecursiveCopy copy = new RecursiveCopy(this, engine, progress);
        try {
            copy.copyTree();
            step(trace, "tree copied");
        } finally {
            copy.closeEngineThenFiles();
        }
        long nanos = System.nanoTime() - t0;
        step(trace, "clock stopped");
        progress.finish();
        return copy.result(nanos);
    }

    /** Deletes the last run's copy and creates the destination root again, empty (untimed). */
    public void resetDestination() {
        if (closed) throw new IllegalStateException("the copy plan is closed");
        Scratch.deleteOwned(dst);
        createDestination(dst, made);
        destinationFresh = true;
    }

    /** Frees the buffers (unless an engine could not say that nothing uses them any more). */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (!buffersMayBeInUse) arena.close();
    }

    /** An engine's close failed: requests may still use the buffers, so they are never freed. */
    void keepBuffers() {
        buffersMayBeInUse = true;
    }

    public CopyOptions options() { return options; }

    /** The source, resolved. */
    public Path source() { return src; }

    /** The destination root, resolved. */
    public Path destination() { return dst; }

    /** Bytes of regular files the preflight walk found. */
    public long sourceBytes() { return bytes; }

    /** Regular files the preflight walk found. */
    public int sourceFiles() { return files; }

    /** The O_DIRECT alignment (1 without O_DIRECT). */
    public int alignment() { return align; }

    /** Bytes of the buffer region. */
    public long bufferBytes() { return region.byteSize(); }

    /** How long {@link #prepare} took. */
    public long prepareNanos() { return prepareNanos; }

    MemorySegment region() { return region; }

    Slot[] slots() { return slots; }

    TreeWalk walk() { return walk; }

    Statx fileStat() { return fileStat; }

    CName[] placeNames() { return placeNames; }

    Statx[] placeStats() { return placeStats; }

    CName[] dirNames() { return dirNames; }

    int umask() { return umask; }

    /** The umask from /proc/self/status ("Umask:", Linux 4.7), or -1: umask(2) itself would change it to read it. */
    private static int readUmask() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Umask:")) return Integer.parseInt(line.substring(6).trim(), 8);
            }
        } catch (IOException | NumberFormatException e) {
            // unknown: every ring-opened copy gets its mode set afterwards
        }
        return -1;
    }

    // ---- preparation --------------------------------------------------------------------------------------

    /** The source as the preflight walk found it, and where its copy goes. */
    private record Source(Path src, Path dst, long bytes, int files, byte[] firstFile, List<byte[]> made) {

        /** Everything that can be refused is refused here, before anything is written. */
        static Source check(Path src, Path dst, CopyOptions o) {
            String notTree = sourceProblem(src);
            if (notTree != null) throw CopyException.badInput(notTree);
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
                    throw CopyException.badInput("destination " + dst + " exists and was not created by aiobench ("
                            + why + "); refusing to overwrite it");
                }
                List<String> extra = Scratch.unexpected(dstReal, 5);
                if (!extra.isEmpty()) throw CopyException.badInput(Scratch.notOnlyOurs(dst, extra));
                int w;
                try (Arena a = Arena.ofConfined()) {
                    w = (int) Libc.syscall(Linux.SYS_access, a.allocateFrom(dstReal.getParent().toString()).address(),
                            Linux.W_OK, 0, 0, 0, 0);
                }
                if (w < 0) {
                    throw CopyException.badInput("cannot replace " + dst + ": " + dstReal.getParent()
                            + " is not writable: " + Errno.describe(-w));
                }
            }
            // every directory listable and every regular file openable, so no copy stops half-way on bad input
            Walked w = Walked.scan(srcReal);
            if (o.direct() && w.first != null) {
                int r = openFirst(w.first, Linux.O_DIRECT);
                if (r < 0) {
                    throw CopyException.badInput("O_DIRECT refused on the source filesystem (" + Names.display(w.first)
                            + ": " + Errno.describe(-r) + "); ramfs (and tmpfs before Linux 6.6) have no direct I/O");
                }
                try {
                    String why = o.polled() ? KernelProbe.iopollFailure(r, srcReal.toString()) : null;
                    if (why != null) throw CopyException.badInput("iopoll cannot work on the source's device: " + why);
                } finally {
                    Libc.close(r);
                }
            }
            List<byte[]> made = DirectoryListing.entries(srcReal, false,
                    (what, errno) -> CopyException.badInput(what + ": " + Errno.describe(errno)));
            return new Source(srcReal, dstReal, w.bytes, w.files, w.first, made);
        }
    }

    /**
     * Refuses (bad input, with the numbers) a copy of {@code bytes} in {@code files} files that would not fit on the
     * filesystem of {@code dst}'s directory, counting what an earlier copy at {@code dst} frees when it is replaced.
     * {@code bytes} are the files' sizes, not their blocks: a sparse source's holes are written as zeros. A
     * read-only filesystem is said to be one, not full.
     */
    public static void requireSpace(Path dst, long bytes, long files, String why) {
        Path parent = dst.toAbsolutePath().normalize().getParent();
        if (parent == null) return;
        String readOnly = PathProblem.notWritable(parent);
        if (readOnly != null) throw CopyException.badInput("cannot create " + dst + ": " + readOnly + " (" + parent + ")");
        long free;
        try {
            var store = Files.getFileStore(parent);
            if (store.getTotalSpace() == 0) return; // proc, sysfs: no space to count; creating there says why not
            free = store.getUsableSpace();
        } catch (IOException | RuntimeException e) {
            return; // nothing to count against; a full disk still stops the copy with ENOSPC
        }
        long need = bytes + files * 4096L; // each file's last block, rounded up
        long slack = need / 100 + (1L << 20); // directories and the filesystem's own metadata
        long replaced = Files.isDirectory(dst, LinkOption.NOFOLLOW_LINKS) ? bytesUnder(dst) : 0;
        if (need + slack > free + replaced) {
            throw CopyException.badInput("the copy needs " + Sizes.human(need) + " (+" + Sizes.human(slack)
                    + " for metadata; " + why + ") on the filesystem of " + parent + ", which has " + Sizes.human(free)
                    + " free" + (replaced > 0 ? " (+" + Sizes.human(replaced) + " of the copy it replaces)" : ""));
        }
    }

    /** The sizes of the regular files under {@code dir} (links not followed; 0 where it cannot be walked). */
    public static long bytesUnder(Path dir) {
        try (var walk = Files.walk(dir)) {
            return walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    /**
     * Why {@code src} cannot be copied as a tree, in one line, or null when it is a directory: missing, a loop of
     * symbolic links, a file, or a symbolic link (the copy never follows links, and a link given as the source would
     * be copied as the directory it names by one program and as a link by another: name the directory itself).
     */
    public static String sourceProblem(Path src) {
        if (Files.isSymbolicLink(src)) {
            String to;
            try {
                to = Files.readSymbolicLink(src).toString();
            } catch (IOException e) {
                to = "?";
            }
            String where = PathProblem.of(src);
            return "source " + src + " is a symbolic link to " + to + (where != null ? ", and " + where
                    : Files.isDirectory(src) ? "; aiobench copies a directory, not a link to one: give "
                    + PathProblem.real(src) + " itself" : ", not a directory");
        }
        String missing = PathProblem.of(src);
        if (missing != null) return "source " + src + ": " + missing;
        if (!Files.isDirectory(src, LinkOption.NOFOLLOW_LINKS)) return "source " + src + " is not a directory";
        return null;
    }

    /** Opens the first file the preflight walk found (its path as bytes), read-only with {@code flags}: fd or -errno. */
    private static int openFirst(byte[] path, int flags) {
        try (Arena a = Arena.ofConfined()) {
            CName c = new CName(a);
            return Libc.openat(Linux.AT_FDCWD, c.of(path), Linux.O_RDONLY | Linux.O_NOFOLLOW | Linux.O_CLOEXEC | flags, 0);
        }
    }

    /**
     * The preflight walk ({@link DirectoryListing#forEachFile}: names as bytes, as the copy's walk, so it refuses
     * nothing the copy could copy): every directory listed and every regular file opened and counted. Untimed.
     */
    private static final class Walked {
        long bytes;
        int files;
        /** The path of the first non-empty regular file (an empty file's reads reach no device), or null. */
        byte[] first;

        static Walked scan(Path root) {
            Walked w = new Walked();
            try (Arena a = Arena.ofConfined()) {
                Statx statx = new Statx(a);
                DirectoryListing.forEachFile(root, (dirFd, name, path) -> {
                    int fd = Libc.openat(dirFd, name, Linux.O_RDONLY | Linux.O_NOFOLLOW | Linux.O_CLOEXEC, 0);
                    if (fd < 0) throw CopyException.badInput("cannot read " + Names.display(path) + ": " + Errno.describe(-fd));
                    int r = statx.of(fd, Linux.STATX_SIZE_MASK);
                    Libc.close(fd);
                    if (r < 0) throw CopyException.badInput("cannot stat " + Names.display(path) + ": " + Errno.describe(-r));
                    w.bytes += statx.size();
                    w.files++;
                    if (w.first == null && statx.size() > 0) w.first = path;
                }, (what, errno) -> CopyException.badInput(what + ": " + Errno.describe(errno)));
            }
            return w;
        }
    }

    /**
     * The O_DIRECT alignment of both filesystems (statx DIOALIGN, else 4096), probed with a file in the destination
     * directory (ours: the new one, or the earlier copy about to be replaced); with iopoll, also whether the
     * destination's device can poll.
     */
    private static int directAlignment(Source s, CopyOptions o) {
        Path probe = s.dst.resolve(Scratch.PROBE);
        try {
            Files.deleteIfExists(probe); // a run killed while probing left it
        } catch (IOException ignored) {
            // the open below says what is wrong
        }
        int fd;
        try (Arena a = Arena.ofConfined()) {
            fd = Libc.openat(Linux.AT_FDCWD, a.allocateFrom(probe.toString()),
                    Linux.O_WRONLY | Linux.O_CREAT | Linux.O_EXCL | Linux.O_DIRECT | Linux.O_CLOEXEC, 0600);
        }
        if (fd < 0) {
            try { Files.deleteIfExists(probe); } catch (IOException ignored) { }
            throw CopyException.badInput("O_DIRECT refused on the destination filesystem (" + s.dst + ": "
                    + Errno.describe(-fd) + "); ramfs (and tmpfs before Linux 6.6) have no direct I/O");
        }
        int align = 4096;
        try {
            FileStat ds = FileStat.of(fd, probe.toString());
            int a = ds.dioOffsetAlign();
            if (s.firstFile != null) {
                int ffd = openFirst(s.firstFile, 0);
                if (ffd >= 0) {
                    try {
                        a = Math.max(a, FileStat.of(ffd, Names.display(s.firstFile)).dioOffsetAlign());
                    } finally {
                        Libc.close(ffd);
                    }
                }
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
            throw new UncheckedIOException("cannot probe O_DIRECT in " + s.dst + ": " + e.getMessage(), e);
        } finally {
            if (fd >= 0) Libc.close(fd);
            try { Files.deleteIfExists(probe); } catch (IOException e) { throw new UncheckedIOException(e); }
        }
        if (o.bufferSize() % align != 0) {
            throw CopyException.badInput("buffer size " + o.bufferSize() + " is not a multiple of the O_DIRECT alignment " + align);
        }
        return align;
    }
}
