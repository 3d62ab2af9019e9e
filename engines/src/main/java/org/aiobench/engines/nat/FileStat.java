package org.aiobench.engines.nat;

import java.lang.foreign.Arena;

/**
 * What statx(2) says of a file: type, mode, size, device, and the O_DIRECT alignment (STATX_DIOALIGN, Linux
 * 6.1+; 0 when the kernel or filesystem does not report it, or when the file does not support O_DIRECT).
 */
public record FileStat(int mode, long size, long blocks, int blockSize, int devMajor, int devMinor,
                       int dioMemAlign, int dioOffsetAlign, boolean dioAlignReported) {

    public boolean isRegular() { return (mode & Linux.S_IFMT) == Linux.S_IFREG; }
    public boolean isDirectory() { return (mode & Linux.S_IFMT) == Linux.S_IFDIR; }
    /** Permission bits (07777). */
    public int permissions() { return mode & 07777; }

    private static final int MASK = Linux.STATX_BASIC_STATS | Linux.STATX_DIOALIGN;

    /** statx of a path; {@code follow=false} reports a symbolic link itself. */
    public static FileStat of(String path, boolean follow) {
        try (Arena a = Arena.ofConfined()) {
            Statx s = new Statx(a);
            int r = Libc.statx(Linux.AT_FDCWD, a.allocateFrom(path), follow ? 0 : Linux.AT_SYMLINK_NOFOLLOW, MASK,
                    s.buffer());
            Libc.check(r, "statx", path);
            return of(s);
        }
    }

    /** statx of an open descriptor (AT_EMPTY_PATH). */
    public static FileStat of(int fd, String pathForMessages) {
        try (Arena a = Arena.ofConfined()) {
            Statx s = new Statx(a);
            Libc.check(s.of(fd, MASK), "statx", pathForMessages);
            return of(s);
        }
    }

    /** A snapshot of what {@code s} holds. */
    public static FileStat of(Statx s) {
        boolean dio = (s.mask() & Linux.STATX_DIOALIGN) != 0;
        return new FileStat(s.mode(), s.size(), s.blocks(), s.blockSize(), s.devMajor(), s.devMinor(),
                dio ? s.dioMemAlign() : 0, dio ? s.dioOffsetAlign() : 0, dio);
    }
}
