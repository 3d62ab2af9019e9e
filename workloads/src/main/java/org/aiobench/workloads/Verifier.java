package org.aiobench.workloads;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashSet;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Checks a copy: against the manifest of a generated tree (reads only the copy), or against any source tree
 * (reads both). Any difference is a {@link VerificationException} naming the file and the first differing offset.
 */
public final class Verifier {
    private Verifier() {}

    /** Verifies {@code tree} against {@code m}: the same files, sizes, modes and bytes, and nothing else. */
    public static void verify(Path tree, Manifest m, Progress progress) {
        ByteBuffer buf = ByteBuffer.allocateDirect(m.blockSize());
        ByteBuffer expected = ByteBuffer.allocateDirect(m.blockSize());
        long total = m.totalBytes();
        long done = 0;
        Set<String> expectedFiles = new HashSet<>();
        for (Manifest.Entry e : m.files()) {
            expectedFiles.add(e.path());
            Path f = tree.resolve(e.path());
            if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                throw new VerificationException(f.toString(), -1, "missing (or not a regular file)");
            }
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                long size = ch.size();
                if (size != e.size()) {
                    throw new VerificationException(f.toString(), Math.min(size, e.size()),
                            "size " + size + " differs from the source's " + e.size());
                }
                int mode = modeOf(f);
                if (mode != e.mode()) {
                    throw new VerificationException(f.toString(), -1, String.format("mode %04o differs from the source's %04o", mode, e.mode()));
                }
                for (int b = 0; b < e.blocks().length; b++) {
                    long off = (long) b * m.blockSize();
                    int len = (int) Math.min(m.blockSize(), e.size() - off);
                    readFully(ch, buf, off, len, f);
                    CRC32C c = new CRC32C();
                    c.update(buf.duplicate());
                    if (c.getValue() != e.blocks()[b]) {
                        TestTree.fillBlock(m.seed(), e.index(), b, expected, len);
                        int at = buf.mismatch(expected);
                        throw new VerificationException(f.toString(), off + Math.max(at, 0), "content differs from the source");
                    }
                    done += len;
                    progress.update(done, total);
                }
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot read " + f + ": " + ex.getMessage(), ex);
            }
        }
        Set<String> expectedDirs = new HashSet<>(m.directories());
        try (Stream<Path> all = Files.walk(tree)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (p.equals(tree)) continue;
                String rel = relative(tree, p);
                boolean ok = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? expectedDirs.contains(rel) : expectedFiles.contains(rel);
                if (!ok) throw new VerificationException(p.toString(), -1, "not in the source");
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot list " + tree + ": " + ex.getMessage(), ex);
        }
        progress.finish();
    }

    public static void verify(Path tree, Manifest m) {
        verify(tree, m, Progress.NONE);
    }

    /**
     * Compares {@code dst} with {@code src} entry by entry: directories, regular files (size, mode, bytes) and
     * symbolic links (target); special files in the source must be absent from the copy (the copy skips them).
     */
    public static void compareTrees(Path src, Path dst, Progress progress) {
        ByteBuffer a = ByteBuffer.allocateDirect(TestTree.BLOCK);
        ByteBuffer b = ByteBuffer.allocateDirect(TestTree.BLOCK);
        Set<String> seen = new TreeSet<>();
        long[] done = {0};
        long total = bytesUnder(src);
        try (Stream<Path> all = Files.walk(src)) {
            for (Path s : (Iterable<Path>) all::iterator) {
                String rel = relative(src, s);
                Path d = rel.isEmpty() ? dst : dst.resolve(rel);
                seen.add(rel);
                if (Files.isSymbolicLink(s)) {
                    if (!Files.isSymbolicLink(d)) throw new VerificationException(d.toString(), -1, "should be a symbolic link");
                    if (!Files.readSymbolicLink(s).equals(Files.readSymbolicLink(d))) {
                        throw new VerificationException(d.toString(), -1, "link target " + Files.readSymbolicLink(d)
                                + " differs from the source's " + Files.readSymbolicLink(s));
                    }
                } else if (Files.isDirectory(s, LinkOption.NOFOLLOW_LINKS)) {
                    if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) throw new VerificationException(d.toString(), -1, "missing directory");
                } else if (Files.isRegularFile(s, LinkOption.NOFOLLOW_LINKS)) {
                    compareFiles(s, d, a, b, done, total, progress);
                } else if (Files.exists(d, LinkOption.NOFOLLOW_LINKS)) {
                    throw new VerificationException(d.toString(), -1, "special file should have been skipped");
                }
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot compare " + src + " with " + dst + ": " + ex.getMessage(), ex);
        }
        try (Stream<Path> all = Files.walk(dst)) {
            for (Path d : (Iterable<Path>) all::iterator) {
                if (!seen.contains(relative(dst, d))) throw new VerificationException(d.toString(), -1, "not in the source");
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot list " + dst + ": " + ex.getMessage(), ex);
        }
        progress.finish();
    }

    public static void compareTrees(Path src, Path dst) {
        compareTrees(src, dst, Progress.NONE);
    }

    private static void compareFiles(Path s, Path d, ByteBuffer a, ByteBuffer b, long[] done, long total, Progress progress) throws IOException {
        if (!Files.isRegularFile(d, LinkOption.NOFOLLOW_LINKS)) throw new VerificationException(d.toString(), -1, "missing (or not a regular file)");
        try (FileChannel cs = FileChannel.open(s, StandardOpenOption.READ);
             FileChannel cd = FileChannel.open(d, StandardOpenOption.READ)) {
            long size = cs.size();
            if (cd.size() != size) {
                throw new VerificationException(d.toString(), Math.min(size, cd.size()), "size " + cd.size() + " differs from the source's " + size);
            }
            if (modeOf(s) != modeOf(d)) {
                throw new VerificationException(d.toString(), -1, String.format("mode %04o differs from the source's %04o", modeOf(d), modeOf(s)));
            }
            for (long off = 0; off < size; off += a.capacity()) {
                int len = (int) Math.min(a.capacity(), size - off);
                readFully(cs, a, off, len, s);
                readFully(cd, b, off, len, d);
                int at = a.mismatch(b);
                if (at >= 0) throw new VerificationException(d.toString(), off + at, "content differs from the source");
                done[0] += len;
                progress.update(done[0], total);
            }
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long off, int len, Path f) throws IOException {
        buf.clear().limit(len);
        while (buf.hasRemaining()) {
            int r = ch.read(buf, off + buf.position());
            if (r < 0) throw new VerificationException(f.toString(), off + buf.position(), "ends early");
        }
        buf.flip();
    }

    static int modeOf(Path f) throws IOException {
        PosixFileAttributes at = Files.readAttributes(f, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        int mode = 0;
        for (PosixFilePermission p : at.permissions()) mode |= 1 << (8 - p.ordinal());
        return mode;
    }

    private static long bytesUnder(Path root) {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> {
                try { return Files.size(p); } catch (IOException e) { return 0; }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    static String relative(Path root, Path p) {
        return root.relativize(p).toString().replace('\\', '/');
    }

}
