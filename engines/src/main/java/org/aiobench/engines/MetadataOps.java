package org.aiobench.engines;

import java.lang.foreign.MemorySegment;

/**
 * The walk's metadata as requests, for an engine that can queue them beside its reads and writes (io_uring:
 * IORING_OP_OPENAT, STATX, CLOSE, MKDIRAT; {@link EngineOptions#ringMetadata()}). Each is queued like a read, with a
 * tag, and completes through the same {@link IoEngine#reap}; results are as the system call's (or -errno). Names are
 * NUL-terminated bytes in memory that stays untouched until the completion.
 *
 * <p>Where {@link #fixedSlots()} holds, an open puts the file into a slot of the ring's fixed-file table that the
 * kernel picks (IORING_FILE_INDEX_ALLOC, Linux 5.19) and completes with the slot's index; reads and writes then name
 * the slot with {@link IoEngine#FIXED_FILE}, and {@link #queueClose} takes the slot back. Otherwise an open completes
 * with a descriptor, used as any other.
 */
public interface MetadataOps {

    /** Whether opens complete with a kernel-allocated fixed-file slot rather than a descriptor. */
    boolean fixedSlots();

    /**
     * openat(dirFd, name, flags, mode); completes with the slot ({@link #fixedSlots()}) or the descriptor. O_CLOEXEC
     * is dropped for a slot (a fixed file is no descriptor; the kernel refuses the flag there).
     */
    void queueOpenat(long tag, int dirFd, MemorySegment name, int flags, int mode);

    /** statx(dirFd, name, flags, mask, buf); completes with 0. */
    void queueStatx(long tag, int dirFd, MemorySegment name, int flags, int mask, MemorySegment buf);

    /** Closes what {@link #queueOpenat} gave: a slot ({@link #fixedSlots()}) or a descriptor; completes with 0. */
    void queueClose(long tag, int file);

    /** mkdirat(dirFd, name, mode); completes with 0. */
    void queueMkdirat(long tag, int dirFd, MemorySegment name, int mode);
}
