package org.aiobench.workloads;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;

import org.aiobench.engines.nat.CName;
import org.aiobench.engines.nat.Dirents;
import org.aiobench.engines.nat.Errno;
import org.aiobench.engines.nat.Libc;
import org.aiobench.engines.nat.Linux;
import org.aiobench.engines.nat.Statx;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Checks a copy: against the manifest of a generated tree (reads only the copy, and the source only to say which
 * side changed), or against any source tree (reads both). Names are bytes and every file is opened relative to its
 * directory, as the copy does, so a name that is not text is verified like any other. Any difference is a
 * {@link VerificationException} naming the file and the first differing offset.
 */
public final class Verifier {
    private Verifier() {}

    /** Verifies {@code tree} against {@code m}: the same files, sizes, modes and bytes, and nothing else. */
    public static void verify(Path tree, Manifest m, Progress progress) {
        verify(tree, m, null, progress);
    }

    public static void verify(Path tree, Manifest m) {
        verify(tree, m, null, Progress.NONE);
    }

    /**
     * {@link #verify(Path, Manifest, Progress)} of a copy of {@code source}, the tree {@code m} describes: where the
     * copy differs from the manifest and the source does too, the message says that the source changed after its
     * manifest was written (the copy itself stops when a source changes while it is copied).
     */
    public static void verify(Path tree, Manifest m, Path source, Progress progress) {
        try (Natives n = new Natives(m.blockSize())) {
            ByteBuffer expected = ByteBuffer.allocateDirect(m.blockSize());
            long total = m.totalBytes();
            long done = 0;
            int root = n.openDirectory(Linux.AT_FDCWD, Names.bytes(tree.toString()), tree.toString());
            try {
                for (Manifest.Entry e : m.files()) {
                    String shown = tree.resolve(e.path()).toString();
                    int fd = Libc.openat(root, n.name.of(Names.bytes(e.path())),
                            Linux.O_RDONLY | Linux.O_NOFOLLOW | Linux.O_CLOEXEC, 0);
                    if (fd < 0 || n.statA.of(fd, Linux.STATX_BASIC_STATS) < 0 || !n.statA.isRegular()) {
                        if (fd >= 0) Libc.close(fd);
                        throw new VerificationException(shown, -1, "missing (or not a regular file)");
                    }
                    try {
                        long size = n.statA.size();
                        if (size != e.size()) {
                            throw new VerificationException(shown, Math.min(size, e.size()), "size " + size
                                    + " differs from the manifest's " + e.size() + sourceSize(source, e));
                        }
                        if (n.statA.permissions() != e.mode()) {
                            throw new VerificationException(shown, -1, String.format("mode %04o differs from the"
                                    + " manifest's %04o", n.statA.permissions(), e.mode()));
                        }
                        for (int b = 0; b < e.blocks().length; b++) {
                            long off = (long) b * m.blockSize();
                            int len = (int) Math.min(m.blockSize(), e.size() - off);
                            readFully(fd, n.bufA, off, len, shown);
                            if (crc(n.bufA, len) != e.blocks()[b]) {
                                TestTree.fillBlock(m.seed(), e.index(), b, expected, len);
                                long at = MemorySegment.mismatch(n.bufA, 0, len, MemorySegment.ofBuffer(expected), 0, len);
                                throw new VerificationException(shown, off + Math.max(at, 0),
                                        "content differs from the manifest" + sourceBlock(source, e, b, m));
                            }
                            done += len;
                            progress.update(done, total);
                        }
                    } finally {
                        Libc.close(fd);
                    }
                }
                Set<String> dirs = new HashSet<>();
                for (String d : m.directories()) dirs.add(Names.key(Names.bytes(d)));
                Set<String> files = new HashSet<>();
                for (Manifest.Entry e : m.files()) files.add(Names.key(Names.bytes(e.path())));
                n.nothingElse(root, new byte[0], tree.toString(), dirs, files);
            } finally {
                Libc.close(root);
            }
        }
        progress.finish();
    }

    /** What the source's file says when the copy's size differs from the manifest's. */
    private static String sourceSize(Path source, Manifest.Entry e) {
        if (source == null) return "";
        Path f = source.resolve(e.path());
        try (Arena a = Arena.ofConfined()) {
            Statx s = new Statx(a);
            int fd = Libc.openat(Linux.AT_FDCWD, a.allocateFrom(f.toString()), Linux.O_RDONLY | Linux.O_CLOEXEC, 0);
            if (fd < 0) return "; the source's " + f + " cannot be opened (" + Errno.describe(-fd) + ")";
            try {
                if (s.of(fd, Linux.STATX_SIZE_MASK) < 0 || s.size() == e.size()) return "";
                return "; the source's " + f + " has " + s.size() + " bytes: the source changed after its manifest"
                        + " was written (regenerate it with gen-tree)";
            } finally {
                Libc.close(fd);
            }
        }
    }

    /** What the source's file says when the copy's block {@code b} differs from the manifest's. */
    private static String sourceBlock(Path source, Manifest.Entry e, int b, Manifest m) {
        if (source == null) return "";
        Path f = source.resolve(e.path());
        try (Arena a = Arena.ofConfined()) {
            int fd = Libc.openat(Linux.AT_FDCWD, a.allocateFrom(f.toString()), Linux.O_RDONLY | Linux.O_CLOEXEC, 0);
            if (fd < 0) return "";
            try {
                long off = (long) b * m.blockSize();
                int len = (int) Math.min(m.blockSize(), e.size() - off);
                MemorySegment buf = a.allocate(len);
                readFully(fd, buf, off, len, f.toString());
                if (crc(buf, len) == e.blocks()[b]) return "";
                return "; so does the source's " + f + ": the source changed after its manifest was written"
                        + " (regenerate it with gen-tree)";
            } catch (VerificationException ended) {
                return "; the source's " + f + " is shorter: the source changed after its manifest was written";
            } finally {
                Libc.close(fd);
            }
        }
    }

    /**
     * Compares {@code dst} with {@code src} entry by entry: directories (and their modes), regular files (size,
     * mode, bytes) and symbolic links (target); special files in the source must be absent from the copy (the copy
     * skips them). Modes are compared whole, setuid, setgid and sticky included, as the copy keeps them
     * ({@link TreeWalk#modeOfCopy}).
     */
    public static void compareTrees(Path src, Path dst, Progress progress) {
        try (Natives n = new Natives(TestTree.BLOCK)) {
            int s = n.openDirectory(Linux.AT_FDCWD, Names.bytes(src.toString()), src.toString());
            try {
                int d = n.openDirectory(Linux.AT_FDCWD, Names.bytes(dst.toString()), dst.toString());
                try {
                    n.total = bytesUnder(src);
                    n.progress = progress;
                    n.compareDirectories(s, d, src.toString(), dst.toString());
                } finally {
                    Libc.close(d);
                }
            } finally {
                Libc.close(s);
            }
        }
        progress.finish();
    }

    public static void compareTrees(Path src, Path dst) {
        compareTrees(src, dst, Progress.NONE);
    }

    /** Bytes of the regular files under {@code root} (for the progress line). */
    private static long bytesUnder(Path root) {
        long[] sum = {0};
        try (Arena a = Arena.ofConfined()) {
            Statx s = new Statx(a);
            DirectoryListing.forEachFile(root, (dirFd, name, path) -> {
                if (s.at(dirFd, name, Linux.STATX_SIZE_MASK) == 0) sum[0] += s.size();
            }, Verifier::cannotList);
        }
        return sum[0];
    }

    private static RuntimeException cannotList(String what, int errno) {
        return new UncheckedIOException(new IOException(what + ": " + Errno.describe(errno)));
    }

    private static long crc(MemorySegment buf, int len) {
        CRC32C c = new CRC32C();
        c.update(buf.asSlice(0, len).asByteBuffer());
        return c.getValue();
    }

    private static void readFully(int fd, MemorySegment buf, long off, int len, String shown) {
        long got = 0;
        while (got < len) {
            long r = Libc.pread(fd, buf.asSlice(got), len - got, off + got);
            if (r == -Errno.EINTR) continue;
            if (r < 0) throw new UncheckedIOException(new IOException("cannot read " + shown + " at offset "
                    + (off + got) + ": " + Errno.describe((int) -r)));
            if (r == 0) throw new VerificationException(shown, off + got, "ends early");
            got += r;
        }
    }

    /** The buffers, listings and statx buffers of one verification. */
    private static final class Natives implements AutoCloseable {
        private static final int FILE = Linux.O_RDONLY | Linux.O_NOFOLLOW | Linux.O_CLOEXEC;
        private static final int DIRECTORY = Linux.O_RDONLY | Linux.O_DIRECTORY | Linux.O_NOFOLLOW | Linux.O_CLOEXEC;

        final Arena arena = Arena.ofConfined();
        final CName name = new CName(arena);
        final Statx statA = new Statx(arena);
        final Statx statB = new Statx(arena);
        final MemorySegment bufA;
        final MemorySegment bufB;
        final MemorySegment linkA = arena.allocate(Linux.PATH_MAX);
        final MemorySegment linkB = arena.allocate(Linux.PATH_MAX);
        final DirectoryListing listA = new DirectoryListing(arena);
        final DirectoryListing listB = new DirectoryListing(arena);
        long total;
        long done;
        Progress progress = Progress.NONE;

        Natives(int bufferBytes) {
            bufA = arena.allocate(bufferBytes, Linux.BUFFER_ALIGN);
            bufB = arena.allocate(bufferBytes, Linux.BUFFER_ALIGN);
        }

        int openDirectory(int dirFd, byte[] path, String shown) {
            int fd = Libc.openat(dirFd, name.of(path), DIRECTORY, 0);
            if (fd < 0) throw new VerificationException(shown, -1, "cannot open the directory: " + Errno.describe(-fd));
            return fd;
        }

        private void list(DirectoryListing l, int fd, String shown) {
            int r = l.read(fd);
            if (r < 0) throw cannotList("cannot list " + shown, -r);
        }

        /** Everything under the copy's directory {@code fd} ({@code rel} from the root) is in the manifest. */
        void nothingElse(int fd, byte[] rel, String shown, Set<String> dirs, Set<String> files) {
            list(listA, fd, shown);
            for (List<byte[]> kind : List.of(listA.files, listA.symlinks)) {
                for (byte[] f : kind) {
                    if (kind != listA.files || !files.contains(Names.key(Names.join(rel, f)))) {
                        throw new VerificationException(Names.display(shown, f), -1, "not in the manifest");
                    }
                }
            }
            if (!listA.special.isEmpty()) {
                throw new VerificationException(Names.display(shown, listA.special.get(0).name()), -1, "not in the manifest");
            }
            for (byte[] sub : List.copyOf(listA.directories)) {
                byte[] subRel = Names.join(rel, sub);
                String subShown = Names.display(shown, sub);
                if (!dirs.contains(Names.key(subRel))) throw new VerificationException(subShown, -1, "not in the manifest");
                int c = openDirectory(fd, sub, subShown);
                try {
                    nothingElse(c, subRel, subShown, dirs, files);
                } finally {
                    Libc.close(c);
                }
            }
        }

        /** The source's directory {@code s} and the copy's {@code d}: their modes, entries, and all below. */
        void compareDirectories(int s, int d, String sShown, String dShown) {
            compareModes(s, d, dShown);
            list(listA, s, sShown);
            list(listB, d, dShown);
            Map<String, Integer> copyKinds = new HashMap<>();
            kinds(listB, copyKinds);
            Map<String, Integer> sourceKinds = new HashMap<>();
            kinds(listA, sourceKinds);
            for (Map.Entry<String, Integer> e : sourceKinds.entrySet()) {
                Integer copied = copyKinds.get(e.getKey());
                String shown = Names.display(dShown, Names.ofKey(e.getKey()));
                int kind = e.getValue();
                if (kind != Dirents.DT_DIR && kind != Dirents.DT_REG && kind != Dirents.DT_LNK) {
                    if (copied != null) throw new VerificationException(shown, -1, "special file should have been skipped");
                } else if (copied == null) {
                    throw new VerificationException(shown, -1, kind == Dirents.DT_DIR ? "missing directory"
                            : "missing (or not a regular file)");
                } else if (copied != kind) {
                    throw new VerificationException(shown, -1, "should be a " + (kind == Dirents.DT_DIR ? "directory"
                            : kind == Dirents.DT_LNK ? "symbolic link" : "regular file"));
                }
            }
            for (String k : copyKinds.keySet()) {
                if (!sourceKinds.containsKey(k)) {
                    throw new VerificationException(Names.display(dShown,
                            Names.ofKey(k)), -1, "not in the source");
                }
            }
            List<byte[]> files = List.copyOf(listA.files);
            List<byte[]> links = List.copyOf(listA.symlinks);
            List<byte[]> subs = List.copyOf(listA.directories);
            for (byte[] f : files) compareFiles(s, d, f, Names.display(sShown, f), Names.display(dShown, f));
            for (byte[] l : links) compareLinks(s, d, l, Names.display(dShown, l));
            for (byte[] sub : subs) {
                String subS = Names.display(sShown, sub);
                String subD = Names.display(dShown, sub);
                int cs = openDirectory(s, sub, subS);
                try {
                    int cd = openDirectory(d, sub, subD);
                    try {
                        compareDirectories(cs, cd, subS, subD);
                    } finally {
                        Libc.close(cd);
                    }
                } finally {
                    Libc.close(cs);
                }
            }
        }

        private static void kinds(DirectoryListing l, Map<String, Integer> into) {
            for (byte[] n : l.directories) into.put(Names.key(n), Dirents.DT_DIR);
            for (byte[] n : l.files) into.put(Names.key(n), Dirents.DT_REG);
            for (byte[] n : l.symlinks) into.put(Names.key(n), Dirents.DT_LNK);
            for (DirectoryListing.Special sp : l.special) into.put(Names.key(sp.name()), Dirents.DT_FIFO);
        }

        /** The copy's mode against the source's ({@code s} and {@code d} open), as {@link TreeWalk#modeOfCopy} sets it. */
        private void compareModes(int s, int d, String dShown) {
            if (statA.of(s, Linux.STATX_BASIC_STATS) < 0 || statB.of(d, Linux.STATX_BASIC_STATS) < 0) {
                throw new VerificationException(dShown, -1, "cannot stat it or its source");
            }
            int expected = TreeWalk.modeOfCopy(statA.permissions(), statA.uid(), statA.gid(), statB.uid(), statB.gid());
            if (statB.permissions() != expected) {
                throw new VerificationException(dShown, -1, String.format("mode %04o differs from the source's %04o%s",
                        statB.permissions(), statA.permissions(), expected != statA.permissions()
                                ? String.format(" (%04o expected: the copy has another owner or group)", expected) : ""));
            }
        }

        private void compareFiles(int sDir, int dDir, byte[] file, String sShown, String dShown) {
            int s = Libc.openat(sDir, name.of(file), FILE, 0);
            if (s < 0) throw new UncheckedIOException(new IOException("cannot open " + sShown + ": " + Errno.describe(-s)));
            try {
                int d = Libc.openat(dDir, name.of(file), FILE, 0);
                if (d < 0) throw new VerificationException(dShown, -1, "cannot open: " + Errno.describe(-d));
                try {
                    compareModes(s, d, dShown);
                    long size = statA.size();
                    if (statB.size() != size) {
                        throw new VerificationException(dShown, Math.min(size, statB.size()), "size " + statB.size()
                                + " differs from the source's " + size);
                    }
                    for (long off = 0; off < size; off += bufA.byteSize()) {
                        int len = (int) Math.min(bufA.byteSize(), size - off);
                        readFully(s, bufA, off, len, sShown);
                        readFully(d, bufB, off, len, dShown);
                        long at = MemorySegment.mismatch(bufA, 0, len, bufB, 0, len);
                        if (at >= 0) throw new VerificationException(dShown, off + at, "content differs from the source");
                        done += len;
                        progress.update(done, total);
                    }
                } finally {
                    Libc.close(d);
                }
            } finally {
                Libc.close(s);
            }
        }

        private void compareLinks(int sDir, int dDir, byte[] link, String dShown) {
            long a = Libc.readlinkat(sDir, name.of(link), linkA);
            long b = Libc.readlinkat(dDir, name.of(link), linkB);
            if (a < 0 || b < 0) throw new VerificationException(dShown, -1, "cannot read the link or its source's");
            if (MemorySegment.mismatch(linkA, 0, a, linkB, 0, b) >= 0) {
                throw new VerificationException(dShown, -1, "link target " + Names.display(linkB.asSlice(0, b).toArray(JAVA_BYTE))
                        + " differs from the source's " + Names.display(linkA.asSlice(0, a).toArray(JAVA_BYTE)));
            }
        }

        @Override
        public void close() {
            arena.close();
        }
    }
}
