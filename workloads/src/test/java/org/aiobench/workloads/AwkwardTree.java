package org.aiobench.workloads;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Random;

import org.aiobench.engines.nat.CName;
import org.aiobench.engines.nat.Libc;
import org.aiobench.engines.nat.Linux;
import org.aiobench.engines.nat.Statx;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * A source tree with what real trees hold and a copy easily gets wrong: names that are not UTF-8 (a file, a
 * directory and what is in it, a link and its target), a name of NAME_MAX bytes, a sticky 1777 directory, a setgid
 * directory, setuid and setgid files, a file with two hard links, and a sparse file.
 */
public final class AwkwardTree {
    private AwkwardTree() {}

    static final byte[] BAD_FILE = {'b', 'a', 'd', (byte) 0xff};
    static final byte[] BAD_DIR = {'d', 'i', 'r', (byte) 0xfe, (byte) 0x80};
    static final byte[] BAD_INNER = {'i', 'n', (byte) 0xc3, '('};
    static final byte[] BAD_LINK = {'l', 'i', 'n', 'k', (byte) 0xff};
    static final byte[] LONG_NAME = longName();
    /** Sparse: 1 MiB of which only the last 3 bytes are written. */
    static final long SPARSE_SIZE = 1 << 20;

    public static Path create(Path root, long seed) throws IOException {
        Files.createDirectories(root);
        Random r = new Random(seed);
        file(root, BAD_FILE, bytes(r, 5000));
        file(root, LONG_NAME, bytes(r, 100));
        mkdir(root, BAD_DIR);
        file(root, Names.join(BAD_DIR, BAD_INNER), bytes(r, 70_000));
        mkdir(root, Names.join(BAD_DIR, Names.bytes("sub")));
        file(root, Names.join(BAD_DIR, Names.bytes("sub/plain")), bytes(r, 10));
        symlink(root, BAD_LINK, BAD_FILE);

        Path sticky = Files.createDirectory(root.resolve("sticky"));
        Files.write(sticky.resolve("f"), bytes(r, 10));
        chmod(sticky, 01777);
        Path setgidDir = Files.createDirectory(root.resolve("setgid-dir"));
        chmod(setgidDir, 02755);
        Path setuid = Files.write(root.resolve("setuid"), bytes(r, 4097));
        chmod(setuid, 04755);
        Path setgid = Files.write(root.resolve("setgid"), bytes(r, 10));
        chmod(setgid, 02750);

        Path a = Files.write(root.resolve("hard-a"), bytes(r, 3000));
        Files.createLink(root.resolve("hard-b"), a);
        try (RandomAccessFile f = new RandomAccessFile(root.resolve("sparse").toFile(), "rw")) {
            f.seek(SPARSE_SIZE - 3);
            f.write(new byte[]{1, 2, 3});
        }
        Files.setPosixFilePermissions(root.resolve("sparse"), PosixFilePermissions.fromString("rw-r-----"));
        return root;
    }

    private static byte[] longName() {
        byte[] n = new byte[Linux.NAME_MAX];
        Arrays.fill(n, (byte) 'n');
        n[0] = (byte) 0xff;
        return n;
    }

    private static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /** {@code dir/name} as bytes, NUL-terminated. */
    static MemorySegment path(Arena a, Path dir, byte[] name) {
        CName c = new CName(a);
        c.clear();
        c.append(Names.bytes(dir.toString()));
        c.append(name);
        return c.terminated();
    }

    static void file(Path dir, byte[] name, byte[] content) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            int fd = check(Libc.openat(Linux.AT_FDCWD, path(a, dir, name), Linux.O_WRONLY | Linux.O_CREAT
                    | Linux.O_EXCL | Linux.O_CLOEXEC, 0644), dir, name);
            MemorySegment buf = a.allocateFrom(JAVA_BYTE, content);
            long w = content.length == 0 ? 0 : Libc.pwrite(fd, buf, content.length, 0);
            Libc.close(fd);
            if (w != content.length) throw new IOException("short write of " + Names.display(name));
        }
    }

    /** Writes {@code b} at {@code offset} of the existing {@code dir/name}. */
    static void overwrite(Path dir, byte[] name, long offset, byte b) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            int fd = check(Libc.openat(Linux.AT_FDCWD, path(a, dir, name), Linux.O_WRONLY | Linux.O_CLOEXEC, 0), dir, name);
            long w = Libc.pwrite(fd, a.allocateFrom(JAVA_BYTE, b), 1, offset);
            Libc.close(fd);
            if (w != 1) throw new IOException("cannot write " + Names.display(name));
        }
    }

    /** The content of {@code dir/name}. */
    static byte[] read(Path dir, byte[] name) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            int fd = check(Libc.openat(Linux.AT_FDCWD, path(a, dir, name), Linux.O_RDONLY | Linux.O_CLOEXEC, 0), dir, name);
            MemorySegment buf = a.allocate(1 << 20);
            long n = Libc.pread(fd, buf, buf.byteSize(), 0);
            Libc.close(fd);
            return buf.asSlice(0, n).toArray(JAVA_BYTE);
        }
    }

    static void mkdir(Path dir, byte[] name) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            check(Libc.mkdirat(Linux.AT_FDCWD, path(a, dir, name), 0755), dir, name);
        }
    }

    static void symlink(Path dir, byte[] name, byte[] target) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            CName t = new CName(a);
            check(Libc.symlinkat(t.of(target), Linux.AT_FDCWD, path(a, dir, name)), dir, name);
        }
    }

    static void chmod(Path p, int mode) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            int r = Libc.fchmodat(Linux.AT_FDCWD, a.allocateFrom(p.toString()), mode);
            if (r < 0) throw new IOException("chmod " + p + ": " + r);
        }
    }

    /** The mode bits (07777) of {@code dir/name}, not following a link. */
    static int mode(Path dir, byte[] name) {
        try (Arena a = Arena.ofConfined()) {
            Statx s = new Statx(a);
            int r = s.at(Linux.AT_FDCWD, path(a, dir, name), Linux.STATX_BASIC_STATS);
            if (r < 0) throw new IllegalStateException("statx " + Names.display(name) + ": " + r);
            return s.permissions();
        }
    }

    private static int check(int r, Path dir, byte[] name) throws IOException {
        if (r < 0) throw new IOException(dir + "/" + Names.display(name) + ": errno " + -r);
        return r;
    }
}
