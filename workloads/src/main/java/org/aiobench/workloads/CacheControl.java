package org.aiobench.workloads;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

import org.aiobench.engines.nat.Libc;
import org.aiobench.engines.nat.Linux;

/**
 * Puts the source's page-cache state where a measurement wants it, and says how it did so (for the records):
 * {@code warm} reads every source file; {@code cold} writes back dirty pages and drops the caches
 * (/proc/sys/vm/drop_caches, root only), or without root asks the kernel to drop each source file's pages
 * (posix_fadvise DONTNEED), which leaves metadata cached.
 */
public final class CacheControl {
    private CacheControl() {}

    private static final Path DROP_CACHES = Path.of("/proc/sys/vm/drop_caches");

    /** Prepares {@code tree}'s cache state; returns what was done, e.g. "cold: syncfs + drop_caches=3". */
    public static String prepare(Path tree, CacheMode mode) {
        return switch (mode) {
            case ASIS -> "as-is: page cache left as it was";
            case WARM -> warm(tree);
            case COLD -> cold(tree);
        };
    }

    private static String warm(Path tree) {
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        List<Path> files = regularFiles(tree);
        long bytes = 0;
        for (Path f : files) {
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                long off = 0;
                int r;
                while ((r = ch.read(buf.clear(), off)) > 0) off += r;
                bytes += off;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + f + " to warm the cache: " + e.getMessage(), e);
            }
        }
        return "warm: read " + files.size() + " files (" + Sizes.human(bytes) + ") into the page cache";
    }

    private static String cold(Path tree) {
        syncfs(tree);
        if (Files.isWritable(DROP_CACHES)) {
            try {
                Files.writeString(DROP_CACHES, "3");
                return "cold: syncfs + drop_caches=3 (page cache, dentries and inodes)";
            } catch (IOException e) {
                // not root after all (or a read-only /proc in a container): fall back below
            }
        }
        List<Path> files = regularFiles(tree);
        for (Path f : files) {
            int fd = Libc.open(f.toString(), Linux.O_RDONLY, 0);
            try {
                Libc.check(Libc.fadvise(fd, 0, 0, Linux.POSIX_FADV_DONTNEED), "posix_fadvise", f.toString());
            } finally {
                Libc.closeChecked(fd, f.toString());
            }
        }
        return "cold: posix_fadvise(DONTNEED) on " + files.size()
                + " source files (drop_caches needs root; metadata stays cached)";
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

    private static List<Path> regularFiles(Path tree) {
        try (Stream<Path> s = Files.walk(tree)) {
            return s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + tree + ": " + e.getMessage(), e);
        }
    }
}
