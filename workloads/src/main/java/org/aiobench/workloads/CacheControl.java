package org.aiobench.workloads;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.aiobench.engines.nat.CName;
import org.aiobench.engines.nat.Errno;
import org.aiobench.engines.nat.Libc;
import org.aiobench.engines.nat.Linux;
import org.aiobench.engines.nat.Statx;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Puts the source's page-cache state where a measurement wants it, checks it, and says how (for the records).
 *
 * <ul>
 *   <li>{@code warm}: every source file is read, then every page of it must be in the page cache.</li>
 *   <li>{@code cold}: exactly the source's pages are evicted: syncfs, then posix_fadvise(DONTNEED) on every file
 *       (no root needed); then none of them may be in the page cache. Nothing else is evicted, so the programs a
 *       measurement starts (cp, GNU time) and the JVM stay as resident as in a warm run.</li>
 *   <li>{@code AIOBENCH_DROP_CACHES=1} in the environment makes {@code cold} drop every clean page, dentry and
 *       inode of the machine instead (/proc/sys/vm/drop_caches, root only): closer to a cold boot, but a
 *       program started afterwards (cp) then also loads itself from the disk.</li>
 * </ul>
 * The check is mincore(2) over a read-only mapping of each file: the resident fraction of the tree's pages. A
 * state that is not reached after a few tries throws: a cold copy that is not cold (a tmpfs source, pages mapped
 * by another process) or a warm one that is not warm (memory pressure) measures something else.
 */
public final class CacheControl {
    private CacheControl() {}

    private static final Path DROP_CACHES = Path.of("/proc/sys/vm/drop_caches");
    /** Environment variable that makes cold drop the whole page cache (root only). */
    public static final String DROP_CACHES_ENV = "AIOBENCH_DROP_CACHES";
    private static final int TRIES = 3;

    /**
     * The cache state reached.
     *
     * @param how              what was done, e.g. "cold: syncfs + posix_fadvise(DONTNEED) on 128 files"
     * @param residentFraction the fraction of the tree's pages in the page cache afterwards (0 to 1)
     */
    public record State(String how, double residentFraction) {
        @Override
        public String toString() {
            return how + String.format(Locale.ROOT, "; %.1f%% of the source resident (mincore)", 100 * residentFraction);
        }
    }

    /** Prepares {@code tree}'s cache state and describes it, e.g. "cold: ...; 0.0% of the source resident". */
    public static String prepare(Path tree, CacheMode mode) {
        return reach(tree, mode).toString();
    }

    /**
     * Prepares {@code tree}'s cache state and checks it: warm all resident, cold none.
     *
     * @throws IllegalStateException when the state is not reached
     */
    public static State reach(Path tree, CacheMode mode) {
        List<byte[]> files = regularFiles(tree);
        for (int attempt = 1; ; attempt++) {
            String how = switch (mode) {
                case ASIS -> "as-is: page cache left as it was";
                case WARM -> warm(files);
                case COLD -> cold(tree, files);
            };
            double resident = residentFraction(files);
            boolean reached = switch (mode) {
                case ASIS -> true;
                case WARM -> resident == 1.0;
                case COLD -> resident == 0.0;
            };
            if (reached) return new State(how, resident);
            if (attempt == TRIES) {
                throw new IllegalStateException(String.format(Locale.ROOT, "%s cache not reached for %s: %.2f%% of its"
                        + " pages are resident after %d tries (%s)%s", mode.cliName(), tree, 100 * resident, TRIES,
                        how, mode == CacheMode.COLD ? "; pages of a tmpfs or mapped by a process cannot be evicted"
                        : "; memory is short: the tree does not stay in the page cache"));
            }
        }
    }

    /** Whether {@link #DROP_CACHES_ENV} asks for the global drop. */
    public static boolean dropAllRequested() {
        String v = System.getenv(DROP_CACHES_ENV);
        return v != null && !v.isBlank() && !v.equals("0") && !v.equalsIgnoreCase("false");
    }

    /** How cold copies are prepared on this machine, for the records. */
    public static String coldMethod() {
        if (dropAllRequested()) {
            return Files.isWritable(DROP_CACHES)
                    ? "syncfs + drop_caches=3 (" + DROP_CACHES_ENV + "=1): the whole page cache, dentries and inodes"
                    : DROP_CACHES_ENV + "=1 asks for drop_caches, which needs root: exact eviction of the source instead";
        }
        return "exact eviction of the source's pages: syncfs + posix_fadvise(DONTNEED) per file, checked with mincore"
                + " (" + DROP_CACHES_ENV + "=1 for drop_caches=3 instead)";
    }

    private static String warm(List<byte[]> files) {
        long bytes = 0;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(1 << 20);
            CName path = new CName(a);
            for (byte[] f : files) {
                int fd = open(path, f);
                try {
                    long off = 0;
                    long r;
                    while ((r = Libc.pread(fd, buf, buf.byteSize(), off)) > 0 || r == -Errno.EINTR) off += Math.max(r, 0);
                    Libc.check(r, "pread", Names.display(f));
                    bytes += off;
                } finally {
                    Libc.close(fd);
                }
            }
        }
        return "warm: read " + files.size() + " files (" + Sizes.human(bytes) + ") into the page cache";
    }

    /** Opens a file of the tree, read-only, by its path as bytes. */
    private static int open(CName path, byte[] file) {
        return (int) Libc.check(Libc.openat(Linux.AT_FDCWD, path.of(file), Linux.O_RDONLY | Linux.O_CLOEXEC, 0),
                "openat", Names.display(file));
    }

    private static String cold(Path tree, List<byte[]> files) {
        syncfs(tree);
        if (dropAllRequested() && Files.isWritable(DROP_CACHES)) {
            try {
                Files.writeString(DROP_CACHES, "3");
                return "cold: syncfs + drop_caches=3 (page cache, dentries and inodes)";
            } catch (IOException e) {
                // a read-only /proc in a container: evict the source alone below
            }
        }
        try (Arena a = Arena.ofConfined()) {
            CName path = new CName(a);
            for (byte[] f : files) {
                int fd = open(path, f);
                try {
                    Libc.check(Libc.fadvise(fd, 0, 0, Linux.POSIX_FADV_DONTNEED), "posix_fadvise", Names.display(f));
                } finally {
                    Libc.closeChecked(fd, Names.display(f));
                }
            }
        }
        return "cold: syncfs + posix_fadvise(DONTNEED) on " + files.size() + " source files";
    }

    /**
     * The fraction of the pages of {@code tree}'s regular files that are in the page cache (mincore over a
     * read-only shared mapping of each, which itself faults nothing in); 1 for a tree without data.
     */
    public static double residentFraction(Path tree) {
        return residentFraction(regularFiles(tree));
    }

    private static double residentFraction(List<byte[]> files) {
        long pages = 0;
        long resident = 0;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment vec = MemorySegment.NULL;
            CName path = new CName(a);
            Statx stat = new Statx(a);
            for (byte[] file : files) {
                String f = Names.display(file);
                int fd = open(path, file);
                try {
                    Libc.check(stat.of(fd, Linux.STATX_SIZE_MASK), "statx", f);
                    long size = stat.size();
                    if (size == 0) continue;
                    long n = (size + Linux.PAGE_SIZE - 1) / Linux.PAGE_SIZE;
                    if (vec.byteSize() < n) vec = a.allocate(Math.max(n, 4096));
                    long addr = Libc.mmap(0, size, Linux.PROT_READ, Linux.MAP_SHARED, fd, 0);
                    if (addr < 0) Libc.check(addr, "mmap", f);
                    try {
                        Libc.check(Libc.mincore(addr, size, vec), "mincore", f);
                    } finally {
                        Libc.munmap(addr, size);
                    }
                    pages += n;
                    for (long i = 0; i < n; i++) if ((vec.get(JAVA_BYTE, i) & 1) != 0) resident++;
                } finally {
                    Libc.closeChecked(fd, f);
                }
            }
        }
        return pages == 0 ? 1.0 : (double) resident / pages;
    }

    /** syncfs(2) on the filesystem holding {@code path}: writeback of earlier work does not land in the next measurement. */
    public static void syncfs(Path path) {
        Path p = path;
        while (p != null && !Files.exists(p)) p = p.getParent();
        if (p == null) throw new IllegalArgumentException("no existing directory above " + path);
        int fd = Libc.open(p.toString(), Linux.O_RDONLY, 0);
        try {
            Libc.check(Libc.syncfs(fd), "syncfs", p.toString());
        } finally {
            Libc.closeChecked(fd, p.toString());
        }
    }

    /** The paths, as bytes, of the regular files under {@code tree} (names that are not text included). */
    private static List<byte[]> regularFiles(Path tree) {
        List<byte[]> files = new ArrayList<>();
        DirectoryListing.forEachFile(tree, (dirFd, name, path) -> files.add(path),
                (what, errno) -> new UncheckedIOException(new IOException(what + ": " + Errno.describe(errno))));
        return files;
    }
}
