package org.aiobench.workloads.randio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

import org.aiobench.engines.UnsupportedConfigurationException;
import org.aiobench.engines.nat.Errno;
import org.aiobench.engines.nat.FileStat;
import org.aiobench.engines.nat.Libc;
import org.aiobench.engines.nat.Linux;
import org.aiobench.engines.nat.NativeException;
import org.aiobench.workloads.CacheControl;
import org.aiobench.workloads.CopyException;
import org.aiobench.workloads.Progress;
import org.aiobench.workloads.Scratch;
import org.aiobench.workloads.Sizes;
import org.aiobench.workloads.VerificationException;

/**
 * What a random-I/O job reads or writes: a file aiobench laid out in the scratch directory ({@link TargetData}),
 * or a path the user names: a block device (read-only unless writes are allowed in as many words) or an existing
 * regular file (read-only: aiobench does not write data it did not make).
 *
 * <p>In the scratch directory ({@code <scratch>/randio/}, created and marked by aiobench) there are two targets of
 * each size: {@code read-<size>.dat}, which nothing writes, verified in full against its manifest when reused; and
 * {@code write-<size>.dat} for jobs that write, laid out the same way, whose sector headers are checked when
 * reused. Both are kept between runs.
 */
public final class Target {
    /** What the path is. */
    public enum Kind {
        /** The scratch target for reads (nothing writes it). */
        SCRATCH_READ,
        /** The scratch target for jobs that write. */
        SCRATCH_WRITE,
        DEVICE,
        /** A regular file the user named, not made by aiobench: only read, content unknown. */
        USER_FILE
    }

    public static final long DEFAULT_SIZE = 1L << 30;
    private static final int S_IFBLK = 0x6000;

    private final Path path;
    private final Kind kind;
    private final long size;
    private final int dioAlign;
    private final boolean writable;
    private final String verified;

    private Target(Path path, Kind kind, long size, int dioAlign, boolean writable, String verified) {
        this.path = path;
        this.kind = kind;
        this.size = size;
        this.dioAlign = dioAlign;
        this.writable = writable;
        this.verified = verified;
    }

    public Path path() { return path; }
    public Kind kind() { return kind; }
    /** Bytes the job's offsets range over. */
    public long size() { return size; }
    /** O_DIRECT offset and length alignment (STATX_DIOALIGN, else the device's logical block size, else 512). */
    public int dioAlign() { return dioAlign; }
    /** Whether the data's sector headers are known, so every read can be checked. */
    public boolean headers() { return kind == Kind.SCRATCH_READ || kind == Kind.SCRATCH_WRITE; }
    public long key() { return TargetData.key(TargetData.SEED); }

    /** {@code <scratch>/randio}, the directory of the scratch targets. */
    public static Path scratchDir(Path scratch) {
        return scratch.resolve("randio");
    }

    /** {@code <scratch>/randio/read-1G.dat} or {@code write-1G.dat}. */
    public static Path scratchPath(Path scratch, long size, boolean writes) {
        return scratchDir(scratch).resolve((writes ? "write-" : "read-") + Sizes.format(size) + ".dat");
    }

    /** Refuses a scratch target size the layout cannot have. */
    public static void checkSize(long size) {
        if (size < TargetData.BLOCK || size % JobSpec.SECTOR != 0) {
            throw new IllegalArgumentException("--size must be at least 1M and a multiple of 512, got " + Sizes.format(size));
        }
    }

    /**
     * The scratch target of this size for a job that reads only ({@code writes=false}) or writes: reused when its
     * manifest matches and its data checks out, laid out (again) otherwise. A directory {@code randio} that aiobench
     * did not make is refused.
     */
    public static Target ensureScratch(Path scratch, long size, boolean writes, Progress progress,
                                       Consumer<String> log) {
        checkSize(size);
        Path dir = scratchDir(scratch);
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            if (!Scratch.isOwned(dir)) {
                throw CopyException.badInput(dir + " exists and was not created by aiobench; choose another --dir");
            }
        } else {
            Scratch.createOwned(dir);
        }
        Path f = scratchPath(scratch, size, writes);
        String purpose = writes ? "write" : "read";
        TargetData.Manifest m = TargetData.Manifest.load(f);
        String how;
        if (m != null && m.size() == size && m.seed() == TargetData.SEED && TargetData.GENERATOR.equals(m.generator())
                && purpose.equals(m.purpose()) && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            try {
                verify(f, m, progress);
                how = "reused, verified in full (" + (writes ? "every sector header" : "CRC32C of every MiB") + ")";
            } catch (VerificationException | UncheckedIOException e) {
                log.accept("target " + f + " is damaged (" + e.getMessage() + "); laying it out again");
                layOut(f, size, purpose, progress);
                how = "laid out again (the old one was damaged)";
            }
        } else {
            if (Files.exists(f, LinkOption.NOFOLLOW_LINKS)) log.accept("target " + f + " has no matching manifest; laying it out again");
            long free = usable(dir);
            if (free >= 0 && free < size + (64L << 20)) {
                throw CopyException.badInput("not enough space for the target " + f + ": it needs " + Sizes.human(size)
                        + ", " + Sizes.human(free) + " free (choose --size or another --dir)");
            }
            layOut(f, size, purpose, progress);
            how = "laid out (seeded data)";
        }
        dropCache(f);
        return new Target(f, writes ? Kind.SCRATCH_WRITE : Kind.SCRATCH_READ, size, dioAlign(f), writes, how);
    }

    /**
     * Refuses, before anything is created, a scratch target that must be laid out (none yet, or none matching its
     * manifest) on a filesystem without room for it; {@code existing} is the directory that exists already.
     */
    public static void checkSpace(Path scratch, long size, boolean writes, Path existing) {
        Path f = scratchPath(scratch, size, writes);
        TargetData.Manifest m = TargetData.Manifest.load(f);
        if (m != null && m.size() == size && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) return;
        String readOnly = org.aiobench.workloads.PathProblem.notWritable(existing);
        if (readOnly != null) throw CopyException.badInput("cannot write the target in " + existing + ": " + readOnly);
        long free = usable(existing);
        if (free >= 0 && free < size + (64L << 20)) {
            throw CopyException.badInput("not enough space for the target " + f + ": it needs " + Sizes.human(size)
                    + ", " + Sizes.human(free) + " free (choose --size or another --dir)");
        }
    }

    /**
     * The scratch target as the run left it, for a benchmark fork: the runner made and verified it once for the run;
     * here only its manifest and size are checked (and every read checks its sector headers).
     */
    public static Target openScratch(Path scratch, long size, boolean writes) {
        Path f = scratchPath(scratch, size, writes);
        TargetData.Manifest m = TargetData.Manifest.load(f);
        if (m == null || m.size() != size || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) return null;
        try {
            if (Files.size(f) != size) return null;
        } catch (IOException e) {
            return null;
        }
        return new Target(f, writes ? Kind.SCRATCH_WRITE : Kind.SCRATCH_READ, size, dioAlign(f), writes,
                "prepared for this run (manifest checked)");
    }

    /**
     * A path the user gave. A block device is opened read-only unless {@code allowDeviceWrites}; an existing regular
     * file is only ever read, unless it is one of aiobench's scratch targets. {@code size} 0 means all of it.
     */
    public static Target given(Path path, long size, boolean writes, boolean allowDeviceWrites) {
        if (!Files.exists(path)) throw CopyException.badInput(path + ": no such file or device");
        FileStat st;
        try {
            st = FileStat.of(path.toString(), true);
        } catch (NativeException e) {
            throw CopyException.badInput(path + ": " + e.getMessage());
        }
        boolean device = (st.mode() & Linux.S_IFMT) == S_IFBLK;
        if (!device && !st.isRegular()) {
            throw CopyException.badInput(path + " is neither a block device nor a regular file");
        }
        if (device && writes && !allowDeviceWrites) {
            throw CopyException.badInput("a job that writes would overwrite the data on " + path
                    + "; say --allow-device-writes if that is what you want");
        }
        long actual = device ? deviceBytes(path) : st.size();
        if (size > actual) {
            throw CopyException.badInput("--size " + Sizes.format(size) + " is larger than " + path + " ("
                    + Sizes.human(actual) + ")");
        }
        long use = size > 0 ? size : actual;
        if (use < JobSpec.SECTOR) throw CopyException.badInput(path + " is smaller than one 512-byte sector");
        if (device) {
            return new Target(path, Kind.DEVICE, use, dioAlign(path), writes, "a block device: its data is the"
                    + " user's, so reads are not checked against expected content");
        }
        Path abs = path.toAbsolutePath().normalize();
        TargetData.Manifest m = TargetData.Manifest.load(abs);
        if (m != null && m.size() == actual && TargetData.GENERATOR.equals(m.generator())
                && Scratch.isOwned(abs.getParent())) {
            boolean w = m.purpose().equals("write");
            if (writes && !w) {
                throw CopyException.badInput(path + " is aiobench's read target, which nothing writes (its CRCs"
                        + " are kept); give no FILE, and the job writes the scratch write target");
            }
            return new Target(abs, w ? Kind.SCRATCH_WRITE : Kind.SCRATCH_READ, use, dioAlign(abs), writes,
                    "an aiobench target (not re-verified; every read checks its sector headers)");
        }
        if (writes) {
            throw CopyException.badInput(path + " is a regular file aiobench did not make; a job that writes would"
                    + " destroy its data (give no FILE to write aiobench's own target)");
        }
        return new Target(abs, Kind.USER_FILE, use, dioAlign(abs), false, "a regular file aiobench did not make:"
                + " only read, its content is not checked");
    }

    /**
     * Refuses a job this target cannot run: bs beyond the target, or with O_DIRECT not a multiple of the target's
     * alignment.
     */
    public void checkJob(JobSpec spec) {
        check(spec, size, dioAlign, writable, path);
    }

    /** {@link #checkJob} for the scratch target of {@code size} in {@code dir} before it exists. */
    public static void checkJobBefore(JobSpec spec, long size, Path dir) {
        check(spec, size, dioAlign(dir), true, dir);
    }

    private static void check(JobSpec spec, long size, int dioAlign, boolean writable, Path path) {
        if (spec.bs() > size) {
            throw new IllegalArgumentException("--bs " + Sizes.format(spec.bs()) + " is larger than the target (" + Sizes.human(size) + ")");
        }
        if (spec.direct() && spec.bs() % dioAlign != 0) {
            throw new IllegalArgumentException("--bs " + spec.bs() + " is not a multiple of " + dioAlign
                    + ", the O_DIRECT alignment of " + path);
        }
        if (spec.rw().writes() && !writable) {
            throw new IllegalArgumentException(path + " is opened read-only; a job that writes needs the write target");
        }
    }

    /** Opens the target for one job: O_RDONLY or O_RDWR, O_DIRECT if asked. */
    public int open(boolean direct, boolean write) {
        int flags = (write ? Linux.O_RDWR : Linux.O_RDONLY) | (direct ? Linux.O_DIRECT : 0);
        try {
            return Libc.open(path.toString(), flags, 0);
        } catch (NativeException e) {
            if (direct && e.errno() == Errno.EINVAL) {
                throw new UnsupportedConfigurationException("O_DIRECT is not supported for " + path + " (open: EINVAL)");
            }
            throw e;
        }
    }

    /** One line for the summary: the path, its kind and size, and how its data was checked. */
    public String describe() {
        String what = switch (kind) {
            case SCRATCH_READ -> "aiobench read target";
            case SCRATCH_WRITE -> "aiobench write target";
            case DEVICE -> "block device";
            case USER_FILE -> "regular file";
        };
        return path + " (" + what + ", " + Sizes.human(size) + ", O_DIRECT alignment " + dioAlign + "; " + verified + ")";
    }

    // ---- layout and verification ----------------------------------------------------------------------------

    private static void layOut(Path f, long size, String purpose, Progress progress) {
        Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
        List<Long> crcs = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.allocateDirect(TargetData.BLOCK);
        try {
            Files.deleteIfExists(f);
            Files.deleteIfExists(TargetData.Manifest.pathFor(f));
            Files.deleteIfExists(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                long blocks = (size + TargetData.BLOCK - 1) / TargetData.BLOCK;
                for (long b = 0; b < blocks; b++) {
                    int len = (int) Math.min(TargetData.BLOCK, size - b * TargetData.BLOCK);
                    TargetData.fillBlock(TargetData.SEED, b, buf, len);
                    CRC32C c = new CRC32C();
                    c.update(buf.duplicate());
                    crcs.add(c.getValue());
                    long at = b * TargetData.BLOCK;
                    while (buf.hasRemaining()) at += ch.write(buf, at);
                    progress.update((b + 1) * TargetData.BLOCK, size);
                }
                ch.force(true);
            }
            Files.move(tmp, f, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lay out the target " + f + ": " + e.getMessage(), e);
        }
        CacheControl.syncfs(f.getParent());
        new TargetData.Manifest(TargetData.Manifest.FORMAT, TargetData.GENERATOR, TargetData.SEED, size,
                TargetData.BLOCK, purpose, purpose.equals("read") ? crcs : List.of()).save(f);
        progress.finish();
    }

    /** The read target: every MiB against its CRC; the write target: every sector header. */
    private static void verify(Path f, TargetData.Manifest m, Progress progress) {
        ByteBuffer buf = ByteBuffer.allocateDirect(TargetData.BLOCK).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long key = TargetData.key(m.seed());
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            if (ch.size() != m.size()) {
                throw new VerificationException(f.toString(), Math.min(ch.size(), m.size()), "size " + ch.size()
                        + " differs from the manifest's " + m.size());
            }
            long blocks = (m.size() + TargetData.BLOCK - 1) / TargetData.BLOCK;
            boolean crc = m.purpose().equals("read");
            if (crc && m.crc32c().size() != blocks) {
                throw new VerificationException(f.toString(), -1, "the manifest has " + m.crc32c().size() + " CRCs for "
                        + blocks + " blocks");
            }
            for (long b = 0; b < blocks; b++) {
                int len = (int) Math.min(TargetData.BLOCK, m.size() - b * TargetData.BLOCK);
                buf.clear().limit(len);
                long at = b * TargetData.BLOCK;
                while (buf.hasRemaining()) {
                    int r = ch.read(buf, at + buf.position());
                    if (r < 0) throw new VerificationException(f.toString(), at + buf.position(), "ends early");
                }
                buf.flip();
                if (crc) {
                    CRC32C c = new CRC32C();
                    c.update(buf.duplicate());
                    if (c.getValue() != m.crc32c().get((int) b)) {
                        throw new VerificationException(f.toString(), at, "CRC32C of the MiB at this offset differs from the manifest");
                    }
                } else {
                    for (int s = 0; s < len; s += JobSpec.SECTOR) {
                        if (buf.getLong(s) != ((at + s) ^ key)) {
                            throw new VerificationException(f.toString(), at + s, "sector header does not name its offset");
                        }
                    }
                }
                progress.update(at + len, m.size());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
        progress.finish();
    }

    /** Leaves none of the target in the page cache, so buffered jobs start from the same state. */
    private static void dropCache(Path f) {
        try {
            int fd = Libc.open(f.toString(), Linux.O_RDONLY, 0);
            try {
                Libc.fadvise(fd, 0, 0, Linux.POSIX_FADV_DONTNEED);
            } finally {
                Libc.closeChecked(fd, f.toString());
            }
        } catch (NativeException ignored) {
            // only a cache hint
        }
    }

    private static long usable(Path dir) {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    // ---- devices and alignment ------------------------------------------------------------------------------

    /** /sys/dev/block/MAJ:MIN of a block device node (its rdev) or of the device holding a file (its dev). */
    static Path sysBlock(Path path) {
        try {
            FileStat st = FileStat.of(path.toString(), true);
            int major, minor;
            if ((st.mode() & Linux.S_IFMT) == S_IFBLK) {
                long rdev = (Long) Files.getAttribute(path, "unix:rdev");
                major = (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
                minor = (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL));
            } else {
                major = st.devMajor();
                minor = st.devMinor();
            }
            return Path.of("/sys/dev/block/" + major + ":" + minor);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long deviceBytes(Path dev) {
        Path sys = sysBlock(dev);
        Long sectors = sys == null ? null : readLong(sys.resolve("size"));
        if (sectors == null) throw CopyException.badInput("cannot tell the size of " + dev + " (no " + sys + "/size)");
        return sectors * 512;
    }

    /** STATX_DIOALIGN's offset alignment, else the logical block size of the device (a partition's parent), else 512. */
    static int dioAlign(Path path) {
        try {
            FileStat st = FileStat.of(path.toString(), true);
            if (st.dioOffsetAlign() > 0) return st.dioOffsetAlign();
        } catch (NativeException ignored) {
            // fall back to the device
        }
        Path sys = sysBlock(path);
        if (sys != null) {
            for (Path q : List.of(sys.resolve("queue/logical_block_size"), sys.resolve("../queue/logical_block_size"))) {
                Long v = readLong(q);
                if (v != null && v > 0) return v.intValue();
            }
        }
        return JobSpec.SECTOR;
    }

    private static Long readLong(Path p) {
        try {
            return Long.parseLong(Files.readAllLines(p).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
