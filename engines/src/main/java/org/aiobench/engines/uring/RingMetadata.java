package org.aiobench.engines.uring;

import java.lang.foreign.MemorySegment;
import java.util.Map;

import org.aiobench.engines.MetadataOps;
import org.aiobench.engines.nat.Linux;

import static org.aiobench.engines.uring.IoUringAbi.*;

/**
 * metadata=ring: the walk's opens, statx, closes and mkdirat as SQEs of the engine's ring (IORING_OP_OPENAT, STATX,
 * CLOSE, MKDIRAT; the engine checked them in the probe). Opens go into fixed-file slots the kernel allocates
 * (IORING_FILE_INDEX_ALLOC, Linux 5.19) in a sparse table registered with the ring, or, where the kernel cannot
 * allocate slots, return descriptors. Each request takes an SQE through the engine, with the same checks as a read
 * or write, and is in flight like one; nothing is allocated per request.
 */
final class RingMetadata implements MetadataOps {
    private final IoUringEngine engine;
    private final MemorySegment sqes;
    /** Slots in the sparse table the kernel allocates from (0: opens return descriptors). */
    final int slots;
    /** With no slots: why (the kernel cannot allocate them). */
    final String slotsMissing;
    private long opens, statx, closes, mkdirs;

    RingMetadata(IoUringEngine engine, MemorySegment sqes, int slots, String slotsMissing) {
        this.engine = engine;
        this.sqes = sqes;
        this.slots = slots;
        this.slotsMissing = slotsMissing;
    }

    @Override
    public boolean fixedSlots() {
        return slots > 0;
    }

    @Override
    public void queueOpenat(long tag, int dirFd, MemorySegment name, int flags, int mode) {
        long at = engine.claimMeta();
        boolean slot = slots > 0;
        // a fixed file is no descriptor: the kernel refuses O_CLOEXEC with a file_index (EINVAL)
        Sqe.openat(sqes, at, dirFd, name.address(), slot ? flags & ~Linux.O_CLOEXEC : flags,
                mode, slot ? FILE_INDEX_ALLOC : 0, tag);
        engine.queuedMeta(at);
        opens++;
    }

    @Override
    public void queueStatx(long tag, int dirFd, MemorySegment name, int flags, int mask, MemorySegment buf) {
        long at = engine.claimMeta();
        Sqe.statx(sqes, at, dirFd, name.address(), flags, mask, buf.address(), tag);
        engine.queuedMeta(at);
        statx++;
    }

    @Override
    public void queueClose(long tag, int file) {
        long at = engine.claimMeta();
        if (slots > 0) Sqe.close(sqes, at, 0, file + 1, tag);
        else Sqe.close(sqes, at, file, 0, tag);
        engine.queuedMeta(at);
        closes++;
    }

    @Override
    public void queueMkdirat(long tag, int dirFd, MemorySegment name, int mode) {
        long at = engine.claimMeta();
        Sqe.mkdirat(sqes, at, dirFd, name.address(), mode, tag);
        engine.queuedMeta(at);
        mkdirs++;
    }

    /** The facts of metadata=ring: what went through the ring, and where the opened files are. */
    void facts(Map<String, String> m) {
        m.put("metadata", "the walk's opens, statx, closes and mkdirat through the ring (IORING_OP_OPENAT, STATX,"
                + " CLOSE, MKDIRAT): " + opens + " opens, " + statx + " statx, " + closes + " closes, "
                + mkdirs + " mkdirat");
        m.put("metadata.files", slots > 0 ? "fixed-file slots allocated by the kernel (IORING_FILE_INDEX_ALLOC)"
                + " in a sparse table of " + slots + ", reads and writes with IOSQE_FIXED_FILE"
                : "descriptors: " + slotsMissing);
    }
}
