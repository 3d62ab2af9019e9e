package org.aiobench.engines.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.aiobench.engines.nat.Errno;
import org.aiobench.engines.nat.Linux;
import org.aiobench.engines.nat.NativeException;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.aiobench.engines.uring.IoUringAbi.*;

/**
 * Whether this kernel puts an IORING_OP_OPENAT into a fixed-file slot it picks itself (IORING_FILE_INDEX_ALLOC,
 * Linux 5.19): asked once per process, with a ring and a one-slot table of its own, by opening "/" that way and
 * closing the slot again. Older kernels answer EINVAL (5.15 to 5.18 know file_index but not ALLOC; before 5.15 the
 * field is refused).
 */
final class FileIndexAlloc {
    private FileIndexAlloc() {}

    private static boolean asked;
    private static String failure;

    /**
     * System property that turns kernel-allocated slots off ({@code off}): opens then return descriptors, as on a
     * kernel before 5.19 (tests, and a comparison of the two on one kernel).
     */
    static final String PROPERTY = "aiobench.uring.fileIndexAlloc";

    /** Why opens cannot return kernel-allocated slots here, or null when they can. */
    static synchronized String failure() {
        if ("off".equals(System.getProperty(PROPERTY))) return "kernel-allocated slots turned off (-D" + PROPERTY + "=off)";
        if (!asked) {
            failure = ask();
            asked = true;
        }
        return failure;
    }

    private static String ask() {
        Ring ring;
        try {
            ring = Ring.create(Ring.Params.of(4, 0));
        } catch (NativeException e) {
            return "io_uring_setup failed with " + Errno.describe(e.errno());
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment table = a.allocate(JAVA_INT);
            table.set(JAVA_INT, 0, -1);
            int r = ring.register(REGISTER_FILES, table, 1);
            if (r < 0) return "IORING_REGISTER_FILES of a sparse table failed with " + Errno.describe(-r);
            MemorySegment root = a.allocateFrom("/");
            int res = submitOne(ring, at -> Sqe.openat(ring.sq.sqes, at, Linux.AT_FDCWD, root.address(),
                    Linux.O_RDONLY | Linux.O_DIRECTORY, 0, FILE_INDEX_ALLOC, 1));
            if (res < 0) {
                return "an IORING_OP_OPENAT with IORING_FILE_INDEX_ALLOC failed with " + Errno.describe(-res)
                        + (res == -Errno.EINVAL ? " (kernel-allocated slots came with Linux 5.19)" : "");
            }
            int closed = submitOne(ring, at -> Sqe.close(ring.sq.sqes, at, 0, res + 1, 2));
            if (closed < 0) return "closing a fixed-file slot (IORING_OP_CLOSE) failed with " + Errno.describe(-closed);
            return null;
        } finally {
            ring.close();
        }
    }

    /** One SQE written by {@code prep} at the offset it is given, submitted and waited for: its res or -errno. */
    private static int submitOne(Ring ring, java.util.function.LongConsumer prep) {
        long at = ring.sq.next();
        prep.accept(at);
        ring.sq.flush();
        int r;
        do {
            r = ring.enter(1, 1, ENTER_GETEVENTS);
        } while (r == -Errno.EINTR);
        if (r < 0) return r;
        CompletionQueue cq = ring.cq;
        int tail = cq.acquireTail();
        while (!cq.before(tail)) tail = cq.acquireTail();
        int res = cq.result();
        cq.advance();
        cq.releaseHead();
        return res;
    }
}
