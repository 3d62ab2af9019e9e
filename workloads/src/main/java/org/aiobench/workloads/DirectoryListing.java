package org.aiobench.workloads;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.aiobench.engines.nat.CName;
import org.aiobench.engines.nat.Dirents;
import org.aiobench.engines.nat.Libc;
import org.aiobench.engines.nat.Linux;
import org.aiobench.engines.nat.Statx;

/**
 * One directory's entries by kind, names as bytes, each kind in name order (byte order, as C's strcmp: the same
 * in every locale). Read from an open directory with getdents64; an entry whose type the filesystem does not
 * report (DT_UNKNOWN) is asked with statx. Reused directory after directory, so a walk allocates only the names.
 * {@link #forEachFile} walks a whole tree with it (the untimed walks: preflight, cache control, verification).
 */
final class DirectoryListing {
    /** A regular file found by {@link #forEachFile}: its directory, its name (NUL-terminated, valid during the call) and path. */
    interface FileVisitor {
        void file(int dirFd, MemorySegment cName, byte[] path);
    }

    /** The exception for a directory that cannot be opened or listed. */
    interface Failure {
        RuntimeException of(String what, int errno);
    }

    private static final int DIRECTORY = Linux.O_RDONLY | Linux.O_DIRECTORY | Linux.O_NOFOLLOW | Linux.O_CLOEXEC;

    /** A fifo, socket or device: never copied, only reported. */
    record Special(byte[] name, String kind) {}

    final ArrayList<byte[]> directories = new ArrayList<>();
    final ArrayList<byte[]> files = new ArrayList<>();
    final ArrayList<byte[]> symlinks = new ArrayList<>();
    final ArrayList<Special> special = new ArrayList<>();
    private final Dirents dirents;
    private final Statx statx;

    DirectoryListing(Arena arena) {
        dirents = new Dirents(arena);
        statx = new Statx(arena);
    }

    /** Lists the directory open as {@code dirFd} (read from its current position): 0, or -errno. */
    int read(int dirFd) {
        directories.clear();
        files.clear();
        symlinks.clear();
        special.clear();
        int r;
        while ((r = dirents.fill(dirFd)) > 0) {
            while (dirents.next()) {
                int type = dirents.type();
                if (type == Dirents.DT_UNKNOWN) {
                    int s = statx.at(dirFd, dirents.nameInPlace(), Linux.STATX_TYPE);
                    if (s < 0) return s;
                    type = Dirents.typeOf(statx.mode());
                }
                switch (type) {
                    case Dirents.DT_DIR -> directories.add(dirents.name());
                    case Dirents.DT_REG -> files.add(dirents.name());
                    case Dirents.DT_LNK -> symlinks.add(dirents.name());
                    default -> special.add(new Special(dirents.name(), kind(type)));
                }
            }
        }
        if (r < 0) return r;
        directories.sort(Arrays::compareUnsigned);
        files.sort(Arrays::compareUnsigned);
        symlinks.sort(Arrays::compareUnsigned);
        return 0;
    }

    /**
     * Every regular file under {@code root}, depth-first in byte order, names as bytes and every open relative to its
     * directory: symbolic links are not followed, special files passed over.
     */
    static void forEachFile(Path root, FileVisitor visitor, Failure failure) {
        try (Arena arena = Arena.ofConfined()) {
            DirectoryListing listing = new DirectoryListing(arena);
            CName name = new CName(arena);
            byte[] rootPath = Names.bytes(root.toString());
            int fd = Libc.openat(Linux.AT_FDCWD, name.of(rootPath), DIRECTORY, 0);
            if (fd < 0) throw failure.of("cannot read directory " + root, -fd);
            try {
                listing.forEachFile(fd, rootPath, name, visitor, failure);
            } finally {
                Libc.close(fd);
            }
        }
    }

    private void forEachFile(int dirFd, byte[] path, CName name, FileVisitor visitor, Failure failure) {
        int r = read(dirFd);
        if (r < 0) throw failure.of("cannot read directory " + Names.display(path), -r);
        List<byte[]> subdirectories = List.copyOf(directories); // the listing is reused below
        for (byte[] f : files) visitor.file(dirFd, name.of(f), Names.join(path, f));
        for (byte[] sub : subdirectories) {
            int fd = Libc.openat(dirFd, name.of(sub), DIRECTORY, 0);
            if (fd < 0) throw failure.of("cannot read directory " + Names.display(Names.join(path, sub)), -fd);
            try {
                forEachFile(fd, Names.join(path, sub), name, visitor, failure);
            } finally {
                Libc.close(fd);
            }
        }
    }

    /**
     * Every entry under {@code root} (not {@code root} itself), depth-first, as its kind letter ('d' directory, 'f'
     * regular file, 'l' symbolic link, 's' anything else), a space and its path relative to {@code root}, as bytes;
     * links are not followed. With {@code special} false, fifos, sockets and devices are left out (a copy skips them).
     */
    static List<byte[]> entries(Path root, boolean special, Failure failure) {
        List<byte[]> out = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            DirectoryListing listing = new DirectoryListing(arena);
            CName name = new CName(arena);
            int fd = Libc.openat(Linux.AT_FDCWD, name.of(Names.bytes(root.toString())), DIRECTORY, 0);
            if (fd < 0) throw failure.of("cannot read directory " + root, -fd);
            try {
                listing.entries(fd, null, name, special, out, failure);
            } finally {
                Libc.close(fd);
            }
        }
        return out;
    }

    private void entries(int dirFd, byte[] path, CName name, boolean special, List<byte[]> out, Failure failure) {
        int r = read(dirFd);
        if (r < 0) throw failure.of("cannot read directory " + (path == null ? "." : Names.display(path)), -r);
        List<byte[]> subdirectories = List.copyOf(directories); // the listing is reused below
        for (byte[] f : files) out.add(entry('f', path, f));
        for (byte[] l : symlinks) out.add(entry('l', path, l));
        if (special) for (Special x : this.special) out.add(entry('s', path, x.name()));
        for (byte[] sub : subdirectories) {
            byte[] rel = path == null ? sub : Names.join(path, sub);
            out.add(entry('d', path, sub));
            int fd = Libc.openat(dirFd, name.of(sub), DIRECTORY, 0);
            if (fd < 0) throw failure.of("cannot read directory " + Names.display(rel), -fd);
            try {
                entries(fd, rel, name, special, out, failure);
            } finally {
                Libc.close(fd);
            }
        }
    }

    private static byte[] entry(char kind, byte[] dir, byte[] name) {
        byte[] rel = dir == null ? name : Names.join(dir, name);
        byte[] e = new byte[rel.length + 2];
        e[0] = (byte) kind;
        e[1] = ' ';
        System.arraycopy(rel, 0, e, 2, rel.length);
        return e;
    }

    static String kind(int type) {
        return switch (type) {
            case Dirents.DT_FIFO -> "fifo";
            case Dirents.DT_SOCK -> "socket";
            case Dirents.DT_CHR -> "character device";
            case Dirents.DT_BLK -> "block device";
            default -> "type " + type;
        };
    }
}
