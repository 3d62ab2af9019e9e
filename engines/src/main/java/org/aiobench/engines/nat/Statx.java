package org.aiobench.engines.nat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * One reusable statx(2) buffer: a call fills it, the getters read the fields it holds (struct statx, offsets in
 * {@link Linux}). For loops over many files, which need no allocation per file; {@link FileStat} is the
 * snapshot for everything else.
 */
public final class Statx {
    /** "" for AT_EMPTY_PATH (statx of the descriptor itself). */
    private static final MemorySegment EMPTY = Arena.global().allocateFrom("");

    private final MemorySegment buf;

    public Statx(Arena arena) {
        buf = arena.allocate(Linux.STATX_SIZE, 8);
    }

    /** statx of an open descriptor: 0 or -errno. */
    public int of(int fd, int mask) {
        return Libc.statx(fd, EMPTY, Linux.AT_EMPTY_PATH, mask, buf);
    }

    /** statx of {@code cName} in the directory {@code dirFd}, not following a final link: 0 or -errno. */
    public int at(int dirFd, MemorySegment cName, int mask) {
        return Libc.statx(dirFd, cName, Linux.AT_SYMLINK_NOFOLLOW, mask, buf);
    }

    /** The buffer itself, for a statx made another way (by path, or an io_uring STATX that fills it later). */
    public MemorySegment buffer() { return buf; }

    public int mask() { return buf.get(JAVA_INT, Linux.STX_MASK); }
    public int mode() { return Short.toUnsignedInt(buf.get(JAVA_SHORT, Linux.STX_MODE)); }
    /** Permission bits with setuid, setgid and sticky (07777). */
    public int permissions() { return mode() & 07777; }
    public boolean isRegular() { return (mode() & Linux.S_IFMT) == Linux.S_IFREG; }
    public boolean isDirectory() { return (mode() & Linux.S_IFMT) == Linux.S_IFDIR; }
    public long size() { return buf.get(JAVA_LONG, Linux.STX_SIZE); }
    /** 512-byte units allocated. */
    public long blocks() { return buf.get(JAVA_LONG, Linux.STX_BLOCKS); }
    public int blockSize() { return buf.get(JAVA_INT, Linux.STX_BLKSIZE); }
    public int nlink() { return buf.get(JAVA_INT, Linux.STX_NLINK); }
    public int uid() { return buf.get(JAVA_INT, Linux.STX_UID); }
    public int gid() { return buf.get(JAVA_INT, Linux.STX_GID); }
    public long mtimeSeconds() { return buf.get(JAVA_LONG, Linux.STX_MTIME); }
    public int mtimeNanos() { return buf.get(JAVA_INT, Linux.STX_MTIME + Linux.STX_TS_NSEC); }
    public int devMajor() { return buf.get(JAVA_INT, Linux.STX_DEV_MAJOR); }
    public int devMinor() { return buf.get(JAVA_INT, Linux.STX_DEV_MINOR); }
    public int dioMemAlign() { return buf.get(JAVA_INT, Linux.STX_DIO_MEM_ALIGN); }
    public int dioOffsetAlign() { return buf.get(JAVA_INT, Linux.STX_DIO_OFFSET_ALIGN); }

    /** Fewer blocks than bytes: holes (or the filesystem's compression). */
    public boolean isSparse() {
        return blocks() * Linux.STAT_BLOCK_BYTES < size();
    }
}
