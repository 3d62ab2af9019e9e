package org.aiobench.engines.nat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A directory's entries as getdents64(2) returns them, names as bytes (as cp's fts reads them through readdir): a
 * name that is not text in any charset is listed like any other. One buffer, read batch by batch:
 * {@link #fill} reads the next batch, {@link #next} steps through it ("." and ".." left out), and the accessors
 * read the current entry. No allocation but {@link #name()}'s copy.
 *
 * <pre>
 * struct linux_dirent64 {
 *     u64  d_ino;      //  0
 *     s64  d_off;      //  8
 *     u16  d_reclen;   // 16  the record's length, a multiple of 8
 *     u8   d_type;     // 18  DT_*, or DT_UNKNOWN where the filesystem does not say
 *     char d_name[];   // 19  NUL-terminated, padded to d_reclen
 * };
 * </pre>
 */
public final class Dirents {
    public static final long D_INO = 0, D_OFF = 8, D_RECLEN = 16, D_TYPE = 18, D_NAME = 19;
    /** d_type: a file's type as the top four bits of its mode ({@code S_IFxxx >> 12}). */
    public static final int DT_UNKNOWN = 0, DT_FIFO = 1, DT_CHR = 2, DT_DIR = 4, DT_BLK = 6, DT_REG = 8, DT_LNK = 10,
            DT_SOCK = 12;
    /** glibc's readdir buffer: most directories come in one call, and the next returns 0. */
    public static final int BUFFER_BYTES = 32 * 1024;

    private final MemorySegment buf;
    private int filled;
    private int at;
    private int nextAt;

    public Dirents(Arena arena) {
        buf = arena.allocate(BUFFER_BYTES, 8);
    }

    /** The DT_* type of a mode (statx's stx_mode), for entries whose d_type is DT_UNKNOWN. */
    public static int typeOf(int mode) {
        return (mode & Linux.S_IFMT) >>> 12;
    }

    /** Reads the next batch of {@code dirFd}'s entries: bytes read, 0 when there are no more, or -errno. */
    public int fill(int dirFd) {
        int r = Libc.getdents64(dirFd, buf);
        filled = Math.max(r, 0);
        nextAt = 0;
        return r;
    }

    /** Moves to the batch's next entry; false when the batch is done. */
    public boolean next() {
        while (nextAt < filled) {
            at = nextAt;
            nextAt += Short.toUnsignedInt(buf.get(JAVA_SHORT, at + D_RECLEN));
            if (!isDotOrDotDot()) return true;
        }
        return false;
    }

    private boolean isDotOrDotDot() {
        long n = at + D_NAME;
        if (buf.get(JAVA_BYTE, n) != '.') return false;
        byte second = buf.get(JAVA_BYTE, n + 1);
        return second == 0 || second == '.' && buf.get(JAVA_BYTE, n + 2) == 0;
    }

    /** The current entry's DT_* type. */
    public int type() {
        return Byte.toUnsignedInt(buf.get(JAVA_BYTE, at + D_TYPE));
    }

    /** The current entry's name, NUL-terminated, in place: valid until the next {@link #fill}. */
    public MemorySegment nameInPlace() {
        return buf.asSlice(at + D_NAME, nameLength() + 1);
    }

    /** A copy of the current entry's name bytes (without the NUL). */
    public byte[] name() {
        byte[] b = new byte[nameLength()];
        MemorySegment.copy(buf, JAVA_BYTE, at + D_NAME, b, 0, b.length);
        return b;
    }

    private int nameLength() {
        long start = at + D_NAME;
        long end = at + Short.toUnsignedInt(buf.get(JAVA_SHORT, at + D_RECLEN));
        long i = start;
        while (i < end && buf.get(JAVA_BYTE, i) != 0) i++;
        return (int) (i - start);
    }
}
