package org.aiobench.engines.nat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * What statx(2) says of a file: type, mode, size, device, and the O_DIRECT alignment (STATX_DIOALIGN, Linux
 * 6.1+; 0 when the kernel or filesystem does not report it, or when the file does not support O_DIRECT).
 */
public record FileStat(int mode, long size, long blocks, int blockSize, int devMajor, int devMinor,
                       int dioMemAlign, int dioOffsetAlign, boolean dioAlignReported) {

    public boolean isRegular() { return (mode & Linux.S_IFMT) == Linux.S_IFREG; }
    public boolean isDirectory() { return (mode & Linux.S_IFMT) == Linux.S_IFDIR; }
    public boolean isSymlink() { return (mode & Linux.S_IFMT) == Linux.S_IFLNK; }
    /** Permission bits (07777). */
    public int permissions() { return mode & 07777; }

    /** statx of a path; {@code follow=false} reports a symbolic link itself. */
    public static FileStat of(String path, boolean follow) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(Linux.STATX_SIZE, 8);
            int flags = follow ? 0 : Linux.AT_SYMLINK_NOFOLLOW;
            int r = Libc.statx(Linux.AT_FDCWD, a.allocateFrom(path), flags,
                    Linux.STATX_BASIC_STATS | Linux.STATX_DIOALIGN, buf);
            Libc.check(r, "statx", path);
            return read(buf);
        }
    }

    /** statx of an open descriptor (AT_EMPTY_PATH). */
    public static FileStat of(int fd, String pathForMessages) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(Linux.STATX_SIZE, 8);
            int r = Libc.statx(fd, a.allocateFrom(""), Linux.AT_EMPTY_PATH,
                    Linux.STATX_BASIC_STATS | Linux.STATX_DIOALIGN, buf);
            Libc.check(r, "statx", pathForMessages);
            return read(buf);
        }
    }

    private static FileStat read(MemorySegment b) {
        int mask = b.get(JAVA_INT, Linux.STX_MASK);
        boolean dio = (mask & Linux.STATX_DIOALIGN) != 0;
        return new FileStat(
                Short.toUnsignedInt(b.get(JAVA_SHORT, Linux.STX_MODE)),
                b.get(JAVA_LONG, Linux.STX_SIZE),
                b.get(JAVA_LONG, Linux.STX_BLOCKS),
                b.get(JAVA_INT, Linux.STX_BLKSIZE),
                b.get(JAVA_INT, Linux.STX_DEV_MAJOR),
                b.get(JAVA_INT, Linux.STX_DEV_MINOR),
                dio ? b.get(JAVA_INT, Linux.STX_DIO_MEM_ALIGN) : 0,
                dio ? b.get(JAVA_INT, Linux.STX_DIO_OFFSET_ALIGN) : 0,
                dio);
    }
}
