package org.aiobench.engines;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;

import org.aiobench.engines.nat.Errno;
import org.aiobench.engines.nat.Libc;
import org.aiobench.engines.nat.Linux;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The kernel copies: a linked read->write pair of the same length becomes copy_file_range(2) calls, and the
 * workload's buffer is not touched. A pair may be longer than its buffer (the workload gives a whole file when
 * {@link EngineOptions#cfrWholeFile()}): only a fallback reads and writes, through the buffer, a buffer at a time.
 *
 * <p>As GNU cp 9 does it ({@code cfrWholeFile}, the default; coreutils src/copy.c {@code copy_reg} and
 * {@code sparse_copy}): {@code posix_fadvise(POSIX_FADV_SEQUENTIAL)} on the source before its first bytes, then
 * copy_file_range for everything the request asks (cp asks for the whole file; the kernel copies up to its own limit
 * per call and the loop goes on), and where the kernel refuses before copying anything (ENOSYS, EOPNOTSUPP, EINVAL,
 * EBADF, EXDEV, ETXTBSY, EPERM, or 0 bytes from a file that has some) that request is copied with read and write
 * through the buffer, which cp sizes as 128K here too (io_blksize). cp decides that per file, so this engine decides
 * it per request and counts both. What cp does first and this engine does not: the FICLONE ioctl of
 * {@code --reflink=auto} (a clone is no copy; ext4 and xfs without reflink refuse it at once).
 *
 * <p>The copy study's way ({@code cfrWholeFile} false): one call per read/write pair of the buffer's size, no
 * fadvise, and after a refusal pread/pwrite for the rest of the engine's life.
 *
 * <p>A pair's two results are the bytes copied (read and written); one that stops early (the source ended, or an
 * error after some bytes) reports what it copied on both sides, so the workload continues with another pair from
 * there, never with a write of a buffer the kernel did not fill.
 */
public final class CopyFileRangeEngine extends SynchronousEngine {
    /** cp's refusals that mean "copy it another way" (coreutils sparse_copy); EPERM only before the first byte. */
    private static boolean isFallbackErrno(int e, boolean nothingYet) {
        return e == Errno.ENOSYS || e == Errno.EOPNOTSUPP || e == Errno.EINVAL || e == Errno.EBADF
                || e == Errno.EXDEV || e == Errno.ETXTBSY || e == Errno.EPERM && nothingYet;
    }

    private final Arena arena = Arena.ofShared();
    private final MemorySegment offIn = arena.allocate(JAVA_LONG);
    private final MemorySegment offOut = arena.allocate(JAVA_LONG);
    private final boolean asCp;
    /** The first refusal's reason; with the study's way it also switches the engine to pread/pwrite for good. */
    private String fallbackReason;
    private long kernelRequests, kernelCalls, kernelBytes;
    private long fallbackRequests, fallbackBytes, fallbackPairs;
    private long largestRequest;
    private long fadvised, fadviseFailures;
    /** Set by tests: the kernel "refuses" every request with this errno (EXDEV cannot be had on one filesystem). */
    int simulateRefusal;

    public CopyFileRangeEngine(EngineOptions options) {
        super(options);
        asCp = options.cfrWholeFile();
    }

    @Override public String name() { return "copy_file_range"; }

    @Override
    public Capabilities capabilities() {
        // as cp, every request tries the kernel first, so large requests stay worth giving
        return new Capabilities(false, false, false, false, true, asCp || fallbackReason == null);
    }

    @Override
    protected int execute(int i, long[] results) {
        boolean pair = i + 1 < submitting() && ops[i] == Op.READ && (flags[i] & LINK) != 0
                && ops[i + 1] == Op.WRITE && lengths[i + 1] == lengths[i];
        if (!pair) {
            results[i] = runOne(i); // a lone read or write (an O_DIRECT tail, a continuation): within its buffer
            return 1;
        }
        if (!asCp && fallbackReason != null) {
            fallbackPairs++;
            results[i] = runOne(i);
            return 1; // the write runs next as a plain linked successor
        }
        if (asCp && offsets[i] == 0) {
            // cp: fdadvise (source_desc, 0, 0, FADVISE_SEQUENTIAL) before the data; doubles the readahead window
            int r = Libc.fadvise(fds[i], 0, 0, Linux.POSIX_FADV_SEQUENTIAL);
            if (r == 0) fadvised++; else fadviseFailures++;
        }
        long len = lengths[i];
        largestRequest = Math.max(largestRequest, len);
        long done = 0;
        long error = 0;
        long calls = 0;
        while (done < len) {
            offIn.set(JAVA_LONG, 0, offsets[i] + done);
            offOut.set(JAVA_LONG, 0, offsets[i + 1] + done);
            long r = simulateRefusal != 0 ? -simulateRefusal
                    : Libc.copyFileRange(fds[i], offIn, fds[i + 1], offOut, len - done, 0);
            calls++;
            if (r == -Errno.EINTR) continue;
            if (r < 0) {
                if (done == 0 && isFallbackErrno((int) -r, true)) {
                    noteRefusal("copy_file_range failed with " + Errno.describe((int) -r));
                    return fallback(i, results);
                }
                error = r;
                break;
            }
            if (r == 0) {
                if (done == 0 && asCp) {
                    // cp: "copy_file_range incorrectly returns 0 when reading from the proc file system", so a file
                    // that seems empty is read instead
                    noteRefusal("copy_file_range copied 0 bytes of a file that has some");
                    return fallback(i, results);
                }
                break; // the source ended early: the workload sees a short pair
            }
            done += r;
        }
        kernelCalls += calls;
        if (done > 0) kernelRequests++;
        kernelBytes += done;
        results[i] = done > 0 || error == 0 ? done : error;
        results[i + 1] = done > 0 || error == 0 ? done : Links.CANCELED;
        return 2;
    }

    private void noteRefusal(String why) {
        if (fallbackReason == null) {
            fallbackReason = why + (asCp ? "; that request was copied with read and write through the buffer, as cp does"
                    : "; fell back to pread/pwrite for the rest of the engine's life");
        }
    }

    /** The refused pair: as cp, read and write through the buffer; the study's way, pread/pwrite from now on. */
    private int fallback(int i, long[] results) {
        if (!asCp) {
            fallbackPairs++;
            results[i] = runOne(i);
            return 1;
        }
        fallbackRequests++;
        MemorySegment buf = buffers[i + 1];
        long len = lengths[i];
        long chunk = Math.min(buf.byteSize(), len);
        long done = 0;
        long error = 0;
        copying:
        while (done < len) {
            long want = Math.min(chunk, len - done);
            long got = 0;
            while (got < want) {
                long r = Libc.pread(fds[i], got == 0 ? buf : buf.asSlice(got), want - got, offsets[i] + done + got);
                if (r == -Errno.EINTR) continue;
                if (r < 0) { error = r; break; }
                if (r == 0) break; // end of file
                got += r;
            }
            long put = 0;
            while (put < got) {
                long w = Libc.pwrite(fds[i + 1], put == 0 ? buf : buf.asSlice(put), got - put, offsets[i + 1] + done + put);
                if (w == -Errno.EINTR) continue;
                if (w <= 0) {
                    done += put;
                    results[i] = done > 0 ? done : got;
                    results[i + 1] = done > 0 ? done : w < 0 ? w : 0;
                    fallbackBytes += done;
                    return 2;
                }
                put += w;
            }
            done += got;
            if (error != 0 || got < want) break copying;
        }
        fallbackBytes += done;
        results[i] = done > 0 || error == 0 ? done : error;
        results[i + 1] = done > 0 || error == 0 ? done : Links.CANCELED;
        return 2;
    }

    @Override
    public Map<String, String> facts() {
        Map<String, String> m = new LinkedHashMap<>();
        if (asCp) {
            m.put("io", "as GNU cp 9: posix_fadvise(SEQUENTIAL) on each source, then copy_file_range(2) for each request"
                    + " (the workload gives whole files), read/write through the buffer where the kernel refuses");
            m.put("requests", "kernel " + kernelRequests + " in " + kernelCalls + " copy_file_range calls ("
                    + kernelBytes + " bytes, largest request " + largestRequest + " bytes); read/write fallback "
                    + fallbackRequests + " (" + fallbackBytes + " bytes)");
            m.put("fadvise", "POSIX_FADV_SEQUENTIAL on " + fadvised + " sources" + (fadviseFailures > 0 ? ", refused on "
                    + fadviseFailures : ""));
            m.put("reflink", "no FICLONE first (cp -r tries it; ext4 refuses it, a clone is no copy)");
        } else {
            m.put("io", "copy_file_range(2) for each linked read->write pair (the copy study's); pread/pwrite otherwise");
            m.put("kernelCopies", Long.toString(kernelRequests));
            m.put("fallbackPairs", Long.toString(fallbackPairs));
        }
        if (fallbackReason != null) m.put("fallback", fallbackReason);
        return m;
    }

    @Override
    public void close() {
        super.close();
        if (arena.scope().isAlive()) arena.close();
    }
}
