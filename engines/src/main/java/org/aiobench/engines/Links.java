package org.aiobench.engines;

import org.aiobench.engines.nat.Errno;

/**
 * What {@link IoEngine#LINK} means, in one place for the engines that order linked requests themselves (the
 * synchronous ones and the AIO engines, which emulate links); io_uring's kernel applies the same rule to
 * IOSQE_IO_LINK. A chain runs in queue order; a request releases its successor only when it completed in full:
 * every byte for READ and WRITE (a short read or write breaks the chain, as in the kernel), a result of 0 or more
 * for the others. A successor that is not released, and every request after it in the chain, completes with
 * {@link #CANCELED}.
 */
public final class Links {
    private Links() {}

    /** The result of a linked request whose predecessor failed or came up short. */
    public static final long CANCELED = -Errno.ECANCELED;

    /** Whether a request of {@code op} for {@code length} bytes that completed with {@code result} releases its successor. */
    public static boolean releasesSuccessor(Op op, long length, long result) {
        return switch (op) {
            case READ, WRITE -> result == length;
            default -> result >= 0;
        };
    }
}
