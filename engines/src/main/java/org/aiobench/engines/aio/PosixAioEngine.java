package org.aiobench.engines.aio;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;
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

import static java.lang.foreign.ValueLayout.ADDRESS;
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
    private static final String LIBRARY;
    private static final String UNAVAILABLE; // why POSIX AIO cannot be bound here, or null
    private static final MethodHandle AIO_INIT, AIO_READ, AIO_WRITE, AIO_FSYNC, AIO_ERROR, AIO_RETURN, AIO_SUSPEND,
            LIO_LISTIO;
    static {
        Linker linker = Libc.linker();
        Linker.Option errno = Libc.errnoOption();
        String lib = Libc.has("aio_read") ? "libc.so.6" : "librt.so.1"; // glibc 2.34 moved POSIX AIO into libc
        String why = null;
        MethodHandle[] h = new MethodHandle[8];
        try {
            SymbolLookup lookup = lib.equals("libc.so.6") ? linker.defaultLookup()
                    : SymbolLookup.libraryLookup(lib, Arena.global());
            // none is critical: aio_suspend and lio_listio block, and even aio_error takes glibc's request mutex.
            // Only lio_listio (once per batch round) captures errno: the linker's capture costs an allocation per
            // call unless the JIT removes it, and the per-request calls do not need it (a refused aio_read leaves
            // its error in the aiocb, and a failed aio_suspend only means "look again")
            h[0] = linker.downcallHandle(find(lookup, lib, "aio_init"), FunctionDescriptor.ofVoid(ADDRESS));
            h[1] = linker.downcallHandle(find(lookup, lib, "aio_read"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
            h[2] = linker.downcallHandle(find(lookup, lib, "aio_write"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
            h[3] = linker.downcallHandle(find(lookup, lib, "aio_fsync"),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
            h[4] = linker.downcallHandle(find(lookup, lib, "aio_error"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
            h[5] = linker.downcallHandle(find(lookup, lib, "aio_return"), FunctionDescriptor.of(JAVA_LONG, ADDRESS));
            h[6] = linker.downcallHandle(find(lookup, lib, "aio_suspend"),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
            h[7] = linker.downcallHandle(find(lookup, lib, "lio_listio"),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS), errno);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            why = "POSIX AIO is not available: libc.so.6 has no aio_read (glibc before 2.34) and " + lib
                    + " could not be bound: " + e.getMessage();
        }
        LIBRARY = lib;
        UNAVAILABLE = why;
        AIO_INIT = h[0];
        AIO_READ = h[1];
        AIO_WRITE = h[2];
        AIO_FSYNC = h[3];
        AIO_ERROR = h[4];
        AIO_RETURN = h[5];
        AIO_SUSPEND = h[6];
        LIO_LISTIO = h[7];
    }

    private static MemorySegment find(SymbolLookup lookup, String lib, String name) {
        return lookup.find(name).orElseThrow(() -> new UnsatisfiedLinkError(lib + " has no symbol " + name));
    }

    /** glibc's idle helper threads exit after this many seconds without work (the study's value, glibc's default). */
    static final int IDLE_TIME_SECONDS = 1;

    // aio_init is process-wide and applies once: what the first engine set
    private static boolean initDone;
    private static int initThreads, initNum, initRequestedBy;

    private static synchronized void aioInit(int maxInFlight) {
        if (initDone) return;
        int threads = maxInFlight == Integer.MAX_VALUE ? maxInFlight : maxInFlight + 1;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment init = a.allocate(AIOINIT_SIZE, 8); // zeroed: locks, usedba, debug, numusers unused
            init.set(JAVA_INT, AIOINIT_THREADS, threads);
            init.set(JAVA_INT, AIOINIT_NUM, maxInFlight);
            init.set(JAVA_INT, AIOINIT_IDLE_TIME, IDLE_TIME_SECONDS);
            AIO_INIT.invokeExact(init);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        initDone = true;
        initThreads = threads;
        // glibc rounds aio_num down to whole rows of request slots, at least one
        initNum = maxInFlight < GLIBC_ENTRIES_PER_ROW ? GLIBC_ENTRIES_PER_ROW : maxInFlight & ~(GLIBC_ENTRIES_PER_ROW - 1);
        initRequestedBy = maxInFlight;
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

    private final boolean polling;
    private final boolean fdPerFile;
    /** With fdPerFile: the most requests queued on one descriptor at once (glibc ran them one at a time). */
    private int maxQueuedOnOne;
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

    // per-slot: the descriptor the request runs on, and its index in its file's descriptor set (-1: not dup-managed)
    private final int[] runFd;
    private final int[] runIdx;
    private FileDescriptors[] files = new FileDescriptors[64];

    private long aioCalls, lioRounds, lioRequests, suspendCalls, pollScans, returns, dupsMade, dupFailures,
            unregisteredRequests, issueFailures;
    private int maxPerFile;

    /** The descriptors one file's requests run on: the workload's own first, then dups as concurrency needs them. */
    private static final class FileDescriptors {
        int[] fds;
        int[] busy;
        int count;

        FileDescriptors(int fd) {
            fds = new int[] {fd, -1, -1, -1};
            busy = new int[4];
            count = 1;
        }
    }

    public PosixAioEngine(EngineOptions options) {
        super(options, "posixaio");
        if (UNAVAILABLE != null) throw new UnsupportedConfigurationException(UNAVAILABLE);
        polling = options.posixPolling();
        fdPerFile = options.aioFdPerFile();
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
        runFd = new int[capacity];
        runIdx = new int[capacity];
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
        if (f >= files.length) files = Arrays.copyOf(files, Math.max(f + 1, files.length * 2));
        if (files[f] != null) fileClosing(f); // the same number again: the old file is gone
        files[f] = new FileDescriptors(f);
    }

    @Override
    public void fileClosing(int f) {
        if (f < 0 || f >= files.length || files[f] == null) return;
        FileDescriptors d = files[f];
        // the contract says nothing of this file is in flight; if something is (a workload cleaning up after a
        // failure), wait for it rather than close a descriptor a glibc thread is about to use
        while (busy(d)) harvest(1);
        closeDups(d);
        files[f] = null;
    }

    private static boolean busy(FileDescriptors d) {
        for (int i = 0; i < d.count; i++) if (d.busy[i] != 0) return true;
        return false;
    }

    private static void closeDups(FileDescriptors d) {
        for (int i = 1; i < d.count; i++) Libc.close(d.fds[i]);
        d.count = 1;
    }

    /** Picks the descriptor slot {@code s} runs on: one of its file's that has nothing in flight, dup'ing if needed. */
    private void acquireFd(int s) {
        int f = fd[s];
        FileDescriptors d = f >= 0 && f < files.length ? files[f] : null;
        if (d == null) {
            unregisteredRequests++;
            runFd[s] = f;
            runIdx[s] = -1;
            return;
        }
        int idx = -1;
        if (fdPerFile) {
            idx = 0; // the study's way: the file's one descriptor, whatever else of it is in flight
            if (d.busy[0] + 1 > maxQueuedOnOne) maxQueuedOnOne = d.busy[0] + 1;
        }
        for (int i = 0; i < d.count && idx < 0; i++) {
            if (d.busy[i] == 0) idx = i;
        }
        if (idx < 0) {
            int nf = Libc.dup(f);
            if (nf >= 0) {
                if (d.count == d.fds.length) {
                    d.fds = Arrays.copyOf(d.fds, d.count * 2);
                    d.busy = Arrays.copyOf(d.busy, d.count * 2);
                }
                idx = d.count++;
                d.fds[idx] = nf;
                d.busy[idx] = 0;
                dupsMade++;
                if (d.count > maxPerFile) maxPerFile = d.count;
            } else {
                // out of descriptors: share the least busy one (glibc queues behind it) rather than fail
                dupFailures++;
                idx = 0;
                for (int i = 1; i < d.count; i++) if (d.busy[i] < d.busy[idx]) idx = i;
            }
        }
        d.busy[idx]++;
        if (maxPerFile == 0) maxPerFile = 1;
        runFd[s] = d.fds[idx];
        runIdx[s] = idx;
    }

    private void releaseFd(int s) {
        int idx = runIdx[s];
        if (idx < 0) return;
        files[fd[s]].busy[idx]--;
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
            aioInit(capacity);
            initChecked = true;
        }
        acquireFd(s);
        long base = (long) s * AIOCB_SIZE;
        int lio = switch (op[s]) {
            case READ -> LIO_READ;
            case WRITE -> LIO_WRITE;
            case FSYNC -> LIO_NOP; // aio_fsync ignores the opcode
            default -> throw new IllegalStateException("not a native op: " + op[s]);
        };
        boolean rw = op[s] != Op.FSYNC;
        aiocbs.set(JAVA_INT, base + AIOCB_FILDES, runFd[s]);
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
                case READ -> (int) AIO_READ.invokeExact(cb[s]);
                case WRITE -> (int) AIO_WRITE.invokeExact(cb[s]);
                default -> (int) AIO_FSYNC.invokeExact(O_SYNC, cb[s]);
            };
        } catch (Throwable t) {
            throw rethrow(t);
        }
        aioCalls++;
        if (r < 0) {
            // refused: glibc wrote the reason into the aiocb, or left the EAGAIN set above (no memory)
            int e = aioError(s);
            issueFailures++;
            releaseFd(s);
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
            r = (long) AIO_RETURN.invokeExact(cb[s]);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        returns++;
        inProgress[s] = false;
        nativeCount--;
        releaseFd(s);
        completed(s, err == 0 ? r : -err);
    }

    private int aioError(int s) {
        try {
            return (int) AIO_ERROR.invokeExact(cb[s]);
        } catch (Throwable t) {
            throw rethrow(t);
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
            int unused = (int) AIO_SUSPEND.invokeExact(waitList, n, MemorySegment.NULL);
        } catch (Throwable t) {
            throw rethrow(t);
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
            r = (int) LIO_LISTIO.invokeExact(st, LIO_WAIT, lioList[list], n, MemorySegment.NULL);
        } catch (Throwable t) {
            throw rethrow(t);
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
        m.put("io", "glibc POSIX AIO (" + LIBRARY + "): aio_read/aio_write/aio_fsync, lio_listio(LIO_WAIT) in batch rounds;"
                + " a user-space thread pool doing pread/pwrite");
        m.put("aio_init", aioInitFact());
        m.put("completion", (polling ? "busy-polling aio_error over the requests in flight (the copy study's loop): "
                + pollScans + " scans" : "aio_suspend over the requests in flight (blocking): " + suspendCalls
                + " calls, " + pollScans + " scans") + "; aio_return once per request: " + returns);
        m.put("batch", "lio_listio(LIO_WAIT) rounds (reads, then the writes they released): " + lioRounds + " rounds, "
                + lioRequests + " requests; aio_read/aio_write/aio_fsync calls: " + aioCalls
                + "; refused when issued: " + issueFailures);
        String unannounced = unregisteredRequests > 0 ? "; " + unregisteredRequests + " requests on descriptors never"
                + " announced with fileOpened ran on them as is (serialized per descriptor)" : "";
        m.put("descriptors", fdPerFile
                ? "one descriptor per file, as the copy study's program: glibc serializes requests per descriptor, so"
                  + " a file's concurrent requests ran one after the other; at most " + maxQueuedOnOne
                  + " requests were on one descriptor at once" + unannounced
                : "glibc serializes requests per descriptor, so each request of a file issued while"
                  + " another of it is in flight ran on its own dup'd descriptor: " + dupsMade + " dups, at most "
                  + maxPerFile + " descriptors of one file" + (dupFailures > 0 ? "; dup failed " + dupFailures
                  + " times (those requests shared a descriptor)" : "") + unannounced);
        sharedFacts(m);
        return m;
    }

    /** What glibc's pool runs with, and who set it. */
    private String aioInitFact() {
        synchronized (PosixAioEngine.class) {
            if (!initDone) return "not called yet: it runs before this process's first POSIX AIO request";
            String s = "threads=" + initThreads + ", num=" + initNum + ", idle_time=" + IDLE_TIME_SECONDS
                    + "s, set by the first posixaio engine of this process to issue a request (maxInFlight="
                    + initRequestedBy + ": threads = maxInFlight + 1, num = maxInFlight rounded down to rows of "
                    + GLIBC_ENTRIES_PER_ROW + " as glibc does; the copy study used qd + 1 and qd). threads is a"
                    + " limit: glibc starts one only for a request that finds no idle one. aio_init takes effect"
                    + " only before glibc's first request, so later engines run with these values";
            if (capacity + 1 > initThreads) {
                s += "; this engine (maxInFlight=" + capacity + ") would have asked for " + (capacity + 1) + " threads";
            }
            return s;
        }
    }

    /**
     * Waits for every request still in flight (glibc's threads would otherwise keep reading and writing the
     * aiocbs and the workload's buffers), then closes the dup'd descriptors and frees the aiocbs. glibc's idle
     * threads exit on their own after {@link #IDLE_TIME_SECONDS}.
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
                for (FileDescriptors d : files) if (d != null) closeDups(d);
                Arrays.fill(files, null);
                arena.close();
            }
        }
    }
}
