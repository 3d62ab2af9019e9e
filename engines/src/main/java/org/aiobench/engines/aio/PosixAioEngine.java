package org.aiobench.engines.aio;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;

import org.aiobench.engines.Capabilities;
import org.aiobench.engines.CompletionHandler;
import org.aiobench.engines.EngineOptions;
import org.aiobench.engines.Op;
import org.aiobench.engines.UnsupportedConfigurationException;
import org.aiobench.engines.nat.Errno;
import org.aiobench.engines.nat.Libc;
import org.aiobench.engines.nat.NativeException;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.aiobench.engines.aio.AioAbi.*;

/**
 * glibc's POSIX AIO, the copy study's "aio": a user-space thread pool doing pread/pwrite. aio_read / aio_write /
 * aio_fsync per request, completion by aio_suspend (blocking) or, as the study did, by busy-polling aio_error;
 * aio_return exactly once per request. {@code submitAndReap} that waits for everything queued, with nothing else
 * in flight (batch mode), runs the study's batch: lio_listio(LIO_WAIT) of the issuable requests, then
 * lio_listio(LIO_WAIT) of the linked successors they released (two barriers per round).
 *
 * <p>glibc runs the requests of one descriptor one after the other ("it makes no sense to start another thread
 * since this new thread would fight with the running thread"), so each request of a file that is issued while
 * another of the same file is in flight gets its own dup'd descriptor, kept until {@link #fileClosing}. Only
 * descriptors announced with {@link #fileOpened} are dup'd; a request on another descriptor runs on it as is.
 * With {@link EngineOptions#aioFdPerFile()} every request runs on its file's own descriptor, as the copy study's
 * program did: glibc then queues a file's concurrent requests behind each other, which is what the study measured
 * in its multi and batch modes (in single mode a file never has two requests at once, so both ways are one copy).
 *
 * <p>aio_init takes effect once per process, before glibc's first request: the first engine sets threads =
 * maxInFlight + 1 and num = maxInFlight (the study's qd + 1 and qd); {@link #facts()} records what is in effect.
 */
public final class PosixAioEngine extends LinkEmulatingEngine {
    private final boolean polling;
    /** The descriptor each request runs on (dups of its file's, or the file's own with aioFdPerFile). */
    private final RequestDescriptors descriptors;
    private boolean initChecked;            // aio_init ran (or had already run) before this engine's first request
    private final Arena arena = Arena.ofShared();
    private final MemorySegment aiocbs;
    private final MemorySegment[] cb;       // each slot's aiocb, sliced once so a downcall allocates nothing
    private final MemorySegment waitList;   // const struct aiocb *[] for aio_suspend: the ones still in progress
    private final MemorySegment[] lioList;  // two struct aiocb *[] for lio_listio: this round and the next
    private final int[][] lioSlots;
    private int lioCur;
    private final int[] lioCount = new int[2];
    private boolean batching;
    private final boolean[] inProgress;
    private int nativeCount;

    private long aioCalls, lioRounds, lioRequests, suspendCalls, pollScans, returns, issueFailures;

    public PosixAioEngine(EngineOptions options) {
        super(options, "posixaio");
        if (GlibcAio.UNAVAILABLE != null) throw new UnsupportedConfigurationException(GlibcAio.UNAVAILABLE);
        polling = options.posixPolling();
        try {
            aiocbs = arena.allocate((long) capacity * AIOCB_SIZE, 16);
            waitList = arena.allocate((long) capacity * 8, 8);
            lioList = new MemorySegment[] {arena.allocate((long) capacity * 8, 8), arena.allocate((long) capacity * 8, 8)};
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
        cb = new MemorySegment[capacity];
        for (int i = 0; i < capacity; i++) cb[i] = aiocbs.asSlice((long) i * AIOCB_SIZE, AIOCB_SIZE);
        lioSlots = new int[][] {new int[capacity], new int[capacity]};
        inProgress = new boolean[capacity];
        descriptors = new RequestDescriptors(capacity, options.aioFdPerFile());
    }

    @Override public String name() { return "posixaio"; }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(false, false, false, true, false, false);
    }

    // ---- descriptors ---------------------------------------------------------------------------------------

    @Override
    public void fileOpened(int f) {
        if (closed) throw new IllegalStateException("posixaio engine is closed");
        if (f < 0) throw new IllegalArgumentException("fileOpened(" + f + ")");
        if (descriptors.announced(f)) fileClosing(f); // the same number again: the old file is gone
        descriptors.fileOpened(f);
    }

    @Override
    public void fileClosing(int f) {
        if (!descriptors.announced(f)) return;
        // the contract says nothing of this file is in flight; if something is (a workload cleaning up after a
        // failure), wait for it rather than close a descriptor a glibc thread is about to use
        while (descriptors.busy(f)) harvest(1);
        descriptors.fileClosed(f);
    }

    // ---- issuing -------------------------------------------------------------------------------------------

    private long aiocb(int s) {
        return aiocbs.address() + (long) s * AIOCB_SIZE;
    }

    @Override
    protected void issueNative(int s) {
        if (!initChecked) {
            // at the first request, not in the constructor: an engine built only to ask its capabilities must not
            // fix glibc's pool size for the whole process
            GlibcAio.init(capacity);
            initChecked = true;
        }
        int runFd = descriptors.acquire(s, fd[s]);
        long base = (long) s * AIOCB_SIZE;
        int lio = switch (op[s]) {
            case READ -> LIO_READ;
            case WRITE -> LIO_WRITE;
            case FSYNC -> LIO_NOP; // aio_fsync ignores the opcode
            default -> throw new IllegalStateException("not a native op: " + op[s]);
        };
        boolean rw = op[s] != Op.FSYNC;
        aiocbs.set(JAVA_INT, base + AIOCB_FILDES, runFd);
        aiocbs.set(JAVA_INT, base + AIOCB_LIO_OPCODE, lio);
        aiocbs.set(JAVA_INT, base + AIOCB_REQPRIO, 0);
        aiocbs.set(JAVA_LONG, base + AIOCB_BUF, rw ? buf[s] : 0);
        aiocbs.set(JAVA_LONG, base + AIOCB_NBYTES, rw ? len[s] : 0);
        aiocbs.set(JAVA_INT, base + AIOCB_SIGEV_NOTIFY, SIGEV_NONE);
        aiocbs.set(JAVA_LONG, base + AIOCB_OFFSET, rw ? off[s] : 0);
        // glibc sets EINPROGRESS when it accepts the request; one it cannot enqueue (no memory for its request
        // list) keeps this, so it reads as failed with EAGAIN instead of in progress forever
        aiocbs.set(JAVA_INT, base + AIOCB_ERROR_CODE, Errno.EAGAIN);
        aiocbs.set(JAVA_LONG, base + AIOCB_RETURN_VALUE, -1L);
        if (batching && rw) {
            int k = lioCount[lioCur]++;
            lioList[lioCur].set(JAVA_LONG, (long) k * 8, aiocb(s));
            lioSlots[lioCur][k] = s;
            markInProgress(s);
            return;
        }
        int r;
        try {
            r = switch (op[s]) {
                case READ -> (int) GlibcAio.AIO_READ.invokeExact(cb[s]);
                case WRITE -> (int) GlibcAio.AIO_WRITE.invokeExact(cb[s]);
                default -> (int) GlibcAio.AIO_FSYNC.invokeExact(O_SYNC, cb[s]);
            };
        } catch (Throwable t) {
            throw GlibcAio.rethrow(t);
        }
        aioCalls++;
        if (r < 0) {
            // refused: glibc wrote the reason into the aiocb, or left the EAGAIN set above (no memory)
            int e = aioError(s);
            issueFailures++;
            descriptors.release(s, fd[s]);
            completed(s, -(e > 0 && e != Errno.EINPROGRESS ? e : Errno.EAGAIN));
            return;
        }
        markInProgress(s);
    }

    private void markInProgress(int s) {
        inProgress[s] = true;
        nativeCount++;
    }

    /** Requests go to glibc as they are issued; only the batch path collects them for lio_listio. */
    @Override
    protected void flush() {}

    @Override
    protected int nativeInFlight() {
        return nativeCount;
    }

    /** Request {@code s} is no longer in progress: aio_return (once), then its completion. */
    private void finish(int s, int err) {
        long r;
        try {
            r = (long) GlibcAio.AIO_RETURN.invokeExact(cb[s]);
        } catch (Throwable t) {
            throw GlibcAio.rethrow(t);
        }
        returns++;
        inProgress[s] = false;
        nativeCount--;
        descriptors.release(s, fd[s]);
        completed(s, err == 0 ? r : -err);
    }

    private int aioError(int s) {
        try {
            return (int) GlibcAio.AIO_ERROR.invokeExact(cb[s]);
        } catch (Throwable t) {
            throw GlibcAio.rethrow(t);
        }
    }

    @Override
    protected void harvest(int minNr) {
        int got = 0;
        while (true) {
            for (int s = 0; s < capacity; s++) {
                if (!inProgress[s]) continue;
                int e = aioError(s);
                if (e == Errno.EINPROGRESS) continue;
                if (e < 0) throw new IllegalStateException("posixaio: aio_error refused the aiocb of slot " + s);
                finish(s, e);
                got++;
            }
            pollScans++;
            if (got >= minNr || nativeCount == 0) return;
            if (polling) {
                Thread.onSpinWait(); // the copy study's loop: walk the requests again
                continue;
            }
            // wait on everything in progress, successors the scan just issued included (if one of them is done
            // already, aio_suspend returns at once)
            int waiting = 0;
            for (int s = 0; s < capacity; s++) {
                if (inProgress[s]) waitList.set(JAVA_LONG, (long) waiting++ * 8, aiocb(s));
            }
            suspend(waiting);
        }
    }

    /**
     * aio_suspend until one of the first {@code n} entries of the wait list completes. It fails only with EINTR
     * (a signal) or EAGAIN (a timeout, and there is none): either way the caller looks again.
     */
    private void suspend(int n) {
        try {
            int unused = (int) GlibcAio.AIO_SUSPEND.invokeExact(waitList, n, MemorySegment.NULL);
        } catch (Throwable t) {
            throw GlibcAio.rethrow(t);
        }
        suspendCalls++;
    }

    // ---- batch: lio_listio(LIO_WAIT) rounds ----------------------------------------------------------------

    /**
     * When the caller waits for everything it has queued and nothing of earlier submits is running (batch mode:
     * "submit a batch, wait for all of it"): lio_listio(LIO_WAIT) of everything issuable, then of the successors
     * that round released, until no round is left; then the completions are handed over. Otherwise (single and
     * multi modes wait for one completion) aio_read/aio_write and reap, so a barrier never waits for more than
     * the caller asked.
     */
    @Override
    public int submitAndReap(int min, CompletionHandler handler) {
        // a "batch" of one request is one aio_read or aio_write: no barrier to speak of
        if (nativeCount > 0 || min < inFlight() || min < 2) return super.submitAndReap(min, handler);
        batching = true;
        try {
            issueQueued();
            while (lioCount[lioCur] > 0) {
                int round = lioCur;
                int n = lioCount[round];
                lioCount[round] = 0;
                lioCur = 1 - round; // successors released by this round go to the next list
                listio(round, n);
                for (int k = 0; k < n; k++) {
                    int s = lioSlots[round][k];
                    int e = aioError(s);
                    // LIO_WAIT returns when all are done; anything still in progress is left for reap
                    if (e != Errno.EINPROGRESS) finish(s, e);
                }
            }
        } finally {
            batching = false;
        }
        return reap(min, handler);
    }

    private void listio(int list, int n) {
        MemorySegment st = Libc.state();
        int r;
        try {
            r = (int) GlibcAio.LIO_LISTIO.invokeExact(st, LIO_WAIT, lioList[list], n, MemorySegment.NULL);
        } catch (Throwable t) {
            throw GlibcAio.rethrow(t);
        }
        lioRounds++;
        lioRequests += n;
        // -1 with EIO: some request failed (its aiocb says which); EAGAIN: some were not enqueued (their preset
        // EAGAIN says so); EINTR: the rest is still running and reap waits for it
        if (r < 0) {
            int e = Libc.errno(st);
            if (e != Errno.EIO && e != Errno.EAGAIN && e != Errno.EINTR) {
                throw new NativeException("lio_listio", e, null);
            }
        }
    }

    // ---- facts, close ---------------------------------------------------------------------------------------

    @Override
    public Map<String, String> facts() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("io", "glibc POSIX AIO (" + GlibcAio.LIBRARY + "): aio_read/aio_write/aio_fsync, lio_listio(LIO_WAIT) in batch rounds;"
                + " a user-space thread pool doing pread/pwrite");
        m.put("aio_init", GlibcAio.initFact(capacity));
        m.put("completion", (polling ? "busy-polling aio_error over the requests in flight (the copy study's loop): "
                + pollScans + " scans" : "aio_suspend over the requests in flight (blocking): " + suspendCalls
                + " calls, " + pollScans + " scans") + "; aio_return once per request: " + returns);
        m.put("batch", "lio_listio(LIO_WAIT) rounds (reads, then the writes they released): " + lioRounds + " rounds, "
                + lioRequests + " requests; aio_read/aio_write/aio_fsync calls: " + aioCalls
                + "; refused when issued: " + issueFailures);
        m.put("descriptors", descriptors.fact());
        sharedFacts(m);
        return m;
    }

    /**
     * Waits for every request still in flight (glibc's threads would otherwise keep reading and writing the
     * aiocbs and the workload's buffers), then closes the dup'd descriptors and frees the aiocbs. glibc's idle
     * threads exit on their own after {@link GlibcAio#IDLE_TIME_SECONDS}.
     */
    @Override
    public void close() {
        if (closed) return;
        beginClose();
        try {
            while (nativeCount > 0) harvest(1);
        } finally {
            closed = true;
            // if waiting failed, glibc may still write into the aiocbs and use the descriptors: leak them rather
            // than hand that memory back
            if (nativeCount == 0) {
                descriptors.closeAll();
                arena.close();
            }
        }
    }
}
