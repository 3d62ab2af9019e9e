package org.aiobench.engines;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;

import org.aiobench.engines.nat.Errno;
import org.aiobench.engines.nat.Libc;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The kernel copies: a linked read->write pair of the same length becomes one copy_file_range(2), and the
 * workload's buffer is never touched. This is what {@code cp} does and what the copy study's baseline did.
 *
 * <p>A pair the kernel copied leaves the buffer untouched; after a short pair (read short, write cancelled)
 * the workload issues the pair again, as it must for every engine, rather than writing the buffer.
 *
 * <p>If the kernel refuses (EXDEV across filesystems, EOPNOTSUPP, EINVAL, ENOSYS) the engine falls back to
 * pread/pwrite through the buffer for the rest of its life and records the reason in {@link #facts()}.
 */
public final class CopyFileRangeEngine extends SynchronousEngine {
    private final Arena arena = Arena.ofShared();
    private final MemorySegment offIn = arena.allocate(JAVA_LONG);
    private final MemorySegment offOut = arena.allocate(JAVA_LONG);
    private String fallbackReason;
    private long kernelCopies;
    private long fallbackPairs;

    public CopyFileRangeEngine(EngineOptions options) {
        super(options);
    }

    @Override public String name() { return "copy_file_range"; }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(false, false, false, false, true, fallbackReason == null);
    }

    @Override
    protected int execute(int i, long[] results) {
        boolean pair = i + 1 < submitting() && ops[i] == Op.READ && (flags[i] & LINK) != 0
                && ops[i + 1] == Op.WRITE && lengths[i + 1] == lengths[i];
        if (!pair || fallbackReason != null) {
            if (pair) fallbackPairs++;
            results[i] = runOne(i);
            return 1;
        }
        long len = lengths[i];
        offIn.set(JAVA_LONG, 0, offsets[i]);
        offOut.set(JAVA_LONG, 0, offsets[i + 1]);
        long done = 0;
        while (done < len) {
            long r = Libc.copyFileRange(fds[i], offIn, fds[i + 1], offOut, len - done, 0);
            if (r == -Errno.EINTR) continue;
            if (r < 0) {
                if (done == 0 && isFallbackErrno((int) -r)) {
                    fallbackReason = "copy_file_range failed with " + Errno.describe((int) -r)
                            + "; fell back to pread/pwrite";
                    fallbackPairs++;
                    results[i] = runOne(i);
                    return 1; // the write runs next as a plain linked successor
                }
                results[i] = done > 0 ? done : r;
                results[i + 1] = Links.CANCELED;
                return 2;
            }
            if (r == 0) break; // end of the source file
            done += r;
        }
        kernelCopies++;
        results[i] = done;
        results[i + 1] = done == len ? len : Links.CANCELED;
        return 2;
    }

    private static boolean isFallbackErrno(int e) {
        return e == Errno.EXDEV || e == Errno.EOPNOTSUPP || e == Errno.EINVAL || e == Errno.ENOSYS;
    }

    @Override
    public Map<String, String> facts() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("io", "copy_file_range(2) for each linked read->write pair; pread/pwrite otherwise");
        m.put("kernelCopies", Long.toString(kernelCopies));
        m.put("fallbackPairs", Long.toString(fallbackPairs));
        if (fallbackReason != null) m.put("fallback", fallbackReason);
        return m;
    }

    @Override
    public void close() {
        super.close();
        if (arena.scope().isAlive()) arena.close();
    }
}
