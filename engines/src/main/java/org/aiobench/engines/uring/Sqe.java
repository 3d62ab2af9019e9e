package org.aiobench.engines.uring;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.aiobench.engines.uring.IoUringAbi.*;

/**
 * One tiny prep helper per opcode, after liburing's {@code io_uring_prep_*}. Each writes every field of the
 * 64-byte SQE (an SQE slot is reused, so nothing may be left from its previous request) and clears the SQE flags;
 * the caller sets flags with {@link #flags} afterwards, never before: the copy study's original code set
 * IOSQE_IO_LINK before prep, which cleared it, and its "linked" pairs ran unordered.
 *
 * <p>{@code sqes} is the mmapped SQE array, {@code at} the byte offset of the SQE in it.
 */
public final class Sqe {
    private Sqe() {}

    /** Every field of the SQE; the prep helpers below name which fields each opcode uses. */
    private static void fill(MemorySegment sqes, long at, byte opcode, int fd, long off, long addr, int len,
                             int opFlags, long userData, short bufIndex) {
        sqes.set(JAVA_BYTE, at + SQE_OPCODE, opcode);
        sqes.set(JAVA_BYTE, at + SQE_FLAGS, (byte) 0);
        sqes.set(JAVA_SHORT, at + SQE_IOPRIO, (short) 0);
        sqes.set(JAVA_INT, at + SQE_FD, fd);
        sqes.set(JAVA_LONG, at + SQE_OFF, off);
        sqes.set(JAVA_LONG, at + SQE_ADDR, addr);
        sqes.set(JAVA_INT, at + SQE_LEN, len);
        sqes.set(JAVA_INT, at + SQE_RW_FLAGS, opFlags);
        sqes.set(JAVA_LONG, at + SQE_USER_DATA, userData);
        sqes.set(JAVA_SHORT, at + SQE_BUF_INDEX, bufIndex);
        sqes.set(JAVA_SHORT, at + SQE_PERSONALITY, (short) 0);
        sqes.set(JAVA_INT, at + SQE_FILE_INDEX, 0);
        sqes.set(JAVA_LONG, at + SQE_ADDR3, 0L);
        sqes.set(JAVA_LONG, at + SQE_PAD2, 0L);
    }

    /** Sets the SQE flags (IOSQE_*): call after the prep helper. */
    public static void flags(MemorySegment sqes, long at, byte flags) {
        sqes.set(JAVA_BYTE, at + SQE_FLAGS, flags);
    }

    public static void nop(MemorySegment sqes, long at, long userData) {
        fill(sqes, at, OP_NOP, -1, 0, 0, 0, 0, userData, (short) 0);
    }

    /** READ: {@code len} bytes at file offset {@code off} into {@code buf}. */
    public static void read(MemorySegment sqes, long at, int fd, long buf, int len, long off, long userData) {
        fill(sqes, at, OP_READ, fd, off, buf, len, 0, userData, (short) 0);
    }

    public static void write(MemorySegment sqes, long at, int fd, long buf, int len, long off, long userData) {
        fill(sqes, at, OP_WRITE, fd, off, buf, len, 0, userData, (short) 0);
    }

    /** READ_FIXED: like READ, into registered buffer {@code bufIndex} (buf must lie inside it). */
    public static void readFixed(MemorySegment sqes, long at, int fd, long buf, int len, long off, int bufIndex,
                                 long userData) {
        fill(sqes, at, OP_READ_FIXED, fd, off, buf, len, 0, userData, (short) bufIndex);
    }

    public static void writeFixed(MemorySegment sqes, long at, int fd, long buf, int len, long off, int bufIndex,
                                  long userData) {
        fill(sqes, at, OP_WRITE_FIXED, fd, off, buf, len, 0, userData, (short) bufIndex);
    }

    /** READV: {@code nrVecs} iovecs at {@code iovecs}; addr = iovec array, len = its count. */
    public static void readv(MemorySegment sqes, long at, int fd, long iovecs, int nrVecs, long off, long userData) {
        fill(sqes, at, OP_READV, fd, off, iovecs, nrVecs, 0, userData, (short) 0);
    }

    public static void writev(MemorySegment sqes, long at, int fd, long iovecs, int nrVecs, long off, long userData) {
        fill(sqes, at, OP_WRITEV, fd, off, iovecs, nrVecs, 0, userData, (short) 0);
    }

    /** FSYNC; {@code fsyncFlags} 0 or FSYNC_DATASYNC. */
    public static void fsync(MemorySegment sqes, long at, int fd, int fsyncFlags, long userData) {
        fill(sqes, at, OP_FSYNC, fd, 0, 0, 0, fsyncFlags, userData, (short) 0);
    }

    /**
     * ASYNC_CANCEL: cancels the request whose user_data is {@code target}, or with {@code cancelFlags}
     * ASYNC_CANCEL_ANY every request of the ring (addr = the user_data to match, fd = -1, cancel_flags in the
     * rw_flags word).
     */
    public static void asyncCancel(MemorySegment sqes, long at, long target, int cancelFlags, long userData) {
        fill(sqes, at, OP_ASYNC_CANCEL, -1, 0, target, 0, cancelFlags, userData, (short) 0);
    }

    /** FALLOCATE: note the kernel's field use, len = mode, off = offset, addr = length. */
    public static void fallocate(MemorySegment sqes, long at, int fd, int mode, long offset, long length,
                                 long userData) {
        fill(sqes, at, OP_FALLOCATE, fd, offset, length, mode, 0, userData, (short) 0);
    }

    /**
     * OPENAT: openat(dfd, path, flags, mode); fd = dfd, addr = the NUL-terminated path, len = mode, open_flags in
     * the rw_flags word, file_index = {@link IoUringAbi#FILE_INDEX_ALLOC}, a slot + 1, or 0 for a descriptor.
     */
    public static void openat(MemorySegment sqes, long at, int dfd, long path, int flags, int mode, int fileIndex,
                              long userData) {
        fill(sqes, at, OP_OPENAT, dfd, 0, path, mode, flags, userData, (short) 0);
        sqes.set(JAVA_INT, at + SQE_FILE_INDEX, fileIndex);
    }

    /** STATX: fd = dfd, addr = the path, len = the mask, off = the statx buffer, statx_flags in the rw_flags word. */
    public static void statx(MemorySegment sqes, long at, int dfd, long path, int flags, int mask, long buf,
                             long userData) {
        fill(sqes, at, OP_STATX, dfd, buf, path, mask, flags, userData, (short) 0);
    }

    /** CLOSE of a descriptor ({@code fileIndex} 0), or of fixed-file slot {@code fileIndex - 1} (fd 0). */
    public static void close(MemorySegment sqes, long at, int fd, int fileIndex, long userData) {
        fill(sqes, at, OP_CLOSE, fd, 0, 0, 0, 0, userData, (short) 0);
        sqes.set(JAVA_INT, at + SQE_FILE_INDEX, fileIndex);
    }

    /** MKDIRAT: fd = dfd, addr = the path, len = the mode. */
    public static void mkdirat(MemorySegment sqes, long at, int dfd, long path, int mode, long userData) {
        fill(sqes, at, OP_MKDIRAT, dfd, 0, path, mode, 0, userData, (short) 0);
    }
}
