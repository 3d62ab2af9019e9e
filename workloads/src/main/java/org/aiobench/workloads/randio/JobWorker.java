package org.aiobench.workloads.randio;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

import org.HdrHistogram.Histogram;
import org.aiobench.engines.CompletionHandler;
import org.aiobench.engines.Engines;
import org.aiobench.engines.IoEngine;
import org.aiobench.engines.Op;
import org.aiobench.engines.nat.Affinity;
import org.aiobench.engines.nat.Errno;
import org.aiobench.engines.nat.Libc;
import org.aiobench.engines.nat.Linux;
import org.aiobench.engines.nat.ResourceUsage;
import org.aiobench.workloads.VerificationException;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One job of a {@link RandomIoJob}: one thread, one engine instance, {@code iodepth} buffer slots. The hot loop
 * ({@link #loop}) keeps every slot queued or in flight: it hands what is queued to the kernel and waits for at least
 * one completion in one call where the engine can ({@link IoEngine#submitAndReap}: io_uring_enter with to_submit
 * and min_complete 1; the AIO engines io_submit then io_getevents with min_nr 1), and the completion handler
 * ({@link #complete}) checks the result, records it and queues the slot's next I/O at once. That I/O is handed to
 * the kernel right away while others are in flight ({@code batchSubmit} 1, fio's default): held back for the wait,
 * a batch of replacements reaches a virtio disk as one burst and completes as one, and the device idles while the
 * job turns the burst around (measured here: 8-13% fewer IOPS at depth 8 and 64 than submitting at once). At depth
 * 1 nothing else is in flight, so submission and wait stay one call. Nothing in the loop
 * allocates, locks or boxes: slots are array indices, the latency histogram and the 0.5 s interval counters are
 * preallocated, and time is read once per call (issue) and once per completion handled.
 *
 * <p>Latencies as fio takes them. Each I/O's start is the loop's clock reading just before the call that submits it
 * (fio's {@code start_time}, read after the I/O is prepared); where that call returns before the I/O is waited for
 * (libaio's io_submit; any I/O submitted from the handler while others are in flight) its return is the I/O's issue
 * ({@code issue_time}), and {@code slat} is the call; an I/O submitted with the wait in one call (io_uring_enter
 * with min_complete, a synchronous engine's pread) is issued when that call starts, as fio's synchronous engines
 * take it, and has no slat. {@code clat} runs from the issue, {@code lat} from the start, to the clock reading when
 * the handler takes the completion (fio reads it once per batch of completions; read once per completion here, a
 * completion that waits behind the handling of others of its batch waits within its latency). By Little's law the
 * mean lat times IOPS is then iodepth per job, as fio's is. Count, min, max, mean and deviation are exact
 * ({@link LatencyStat}), percentiles come from an HdrHistogram per direction (3 significant digits), all
 * preallocated: recording allocates nothing.
 *
 * <p>Think time ({@code thinkcycles}) is spun once per I/O issued, after its submission, as fio's do_io spins after
 * each I/O it issues: a slot's next I/O is queued (and, while others are in flight, submitted), then the job spins
 * before it handles the next completion. One iteration of the spin is one x86 PAUSE, fio's ({@link #think}).
 *
 * <p>Verification: every read's sector headers are checked during the ramp's first half (its second rehearses the
 * window, {@link #rampWithRehearsal}), after the window (the drain, and a tail of up to {@link #VERIFY_TAIL_IOS}
 * I/Os where the ramp checked fewer) and not in the window, where fio without {@code verify=} checks nothing either;
 * {@code verify} checks every read in the window too. Writes carry their sector headers always: fio writes the
 * offset and time into every 512-byte sector of every write too (its default scramble_buffers=1), so that is the
 * same per-I/O work.
 */
final class JobWorker implements CompletionHandler {
    static final long INTERVAL_NANOS = 500_000_000L;
    /** Latencies above an hour are recorded as an hour (the histogram's range). */
    static final long HIGHEST_LATENCY_NANOS = 3_600_000_000_000L;
    /** Interval counters kept for an ios-limited window (its length is not known in advance): an hour's worth. */
    private static final long MAX_WINDOW_NANOS = 3_600_000_000_000L;
    /** Reads checked after the window when the ramp checked fewer (at most {@link #VERIFY_TAIL_NANOS} of them). */
    static final long VERIFY_TAIL_IOS = 1024;
    static final long VERIFY_TAIL_NANOS = 250_000_000L;
    static final int READ = 0, WRITE = 1;

    final int index;
    private final JobSpec spec;
    private final Target target;
    private final int bs;
    private final int iodepth;
    private final long key;
    private final long stamp;
    private final boolean checkReads;
    /** Check every read in the window too (fio's verify); otherwise only outside it. */
    private final boolean verifyInWindow;
    private final long thinkcycles;
    private final int batchSubmit;
    private boolean synchronous;
    /** Submit and wait are separate calls of the engine (libaio): time-stamp between them. */
    private boolean separateWait;
    private final Offsets offsets;
    private final RandomIoJob.Control control;

    // per slot, by slot index (the engine's tag)
    private final long[] issuedAt;
    private final long[] submittedAt;   // when the submitting call returned, 0 if it was also the wait
    private final long[] slotOffset;
    private final boolean[] slotWrite;
    private final int[] pending;        // slots queued since the last submit, to be time-stamped
    private int pendingCount;

    private Arena arena;
    private MemorySegment region;
    private MemorySegment[] slices;
    private MemorySegment readBack;
    private IoEngine engine;
    private int fd = -1;
    int tid;

    private boolean measuring;
    private boolean draining;
    private RuntimeException failure;

    // the measured window, per direction (READ, WRITE) where fio has one
    long windowStart;
    long windowEnd;
    long ios;
    long reads;
    long writes;
    final LatencyStat[] slat = {new LatencyStat(), new LatencyStat()};
    final LatencyStat[] clat = {new LatencyStat(), new LatencyStat()};
    final LatencyStat[] lat = {new LatencyStat(), new LatencyStat()};
    final Histogram[] clatHistogram = new Histogram[2];
    final Histogram[] latHistogram = new Histogram[2];
    /** I/Os completed in each 0.5 s interval of the window, per direction. */
    final long[][] intervals;
    /** fio's io_u_map, io_u_submit and io_u_complete: I/Os by depth at submission, calls by I/Os per call. */
    final long[] depthMap = new long[7];
    final long[] submitMap = new long[7];
    final long[] completeMap = new long[7];
    private ResourceUsage usageAtStart;
    ResourceUsage usage;

    // every phase
    /** Completions handled, ramp, window and after. */
    long completed;
    /** Reads whose sector headers were checked: all of them, and those in the window. */
    long readsVerified;
    long readsVerifiedInWindow;
    /** Think-time spins: all of them, and those in the window (one per I/O issued). */
    long thinkSpins;
    long thinkSpinsInWindow;
    private long stopAtCompleted = Long.MAX_VALUE;

    // the last completed writes, read back after the job
    private final long[] lastWrites;
    private long writeCount;
    long writesVerified;
    Map<String, String> engineFacts = Map.of();

    JobWorker(int index, JobSpec spec, Target target, long stamp, RandomIoJob.Control control) {
        this.index = index;
        this.spec = spec;
        this.target = target;
        this.bs = spec.bs();
        this.iodepth = spec.iodepth();
        this.key = target.key();
        this.stamp = stamp;
        this.checkReads = target.headers();
        this.verifyInWindow = spec.verify();
        this.thinkcycles = spec.thinkcycles();
        this.batchSubmit = spec.batchSubmit();
        this.control = control;
        this.offsets = new Offsets(spec.seed(), index, target.size(), bs, spec.rw(), spec.rwmixread());
        issuedAt = new long[iodepth];
        submittedAt = new long[iodepth];
        slotOffset = new long[iodepth];
        slotWrite = new boolean[iodepth];
        pending = new int[iodepth];
        lastWrites = new long[iodepth];
        for (int d = READ; d <= WRITE; d++) {
            clatHistogram[d] = new Histogram(1, HIGHEST_LATENCY_NANOS, 3);
            latHistogram[d] = new Histogram(1, HIGHEST_LATENCY_NANOS, 3);
        }
        long window = spec.timeBased() ? spec.runtimeNanos() : MAX_WINDOW_NANOS;
        intervals = new long[2][(int) Math.min(Integer.MAX_VALUE - 8, window / INTERVAL_NANOS + 2)];
    }

    /**
     * In the job's own thread: pins it, allocates the buffers, opens the target, builds the engine and queues the
     * first {@code iodepth} I/Os (submitted by the first call of the loop).
     */
    void prepare() {
        if (!spec.cpus().isEmpty()) Affinity.pinCurrentThread(spec.cpus().stream().mapToInt(Integer::intValue).toArray());
        tid = (int) Libc.syscall(Linux.SYS_gettid, 0, 0, 0, 0, 0, 0);
        arena = Arena.ofShared();
        region = arena.allocate((long) iodepth * bs, Linux.BUFFER_ALIGN);
        slices = new MemorySegment[iodepth];
        for (int s = 0; s < iodepth; s++) slices[s] = region.asSlice((long) s * bs, bs);
        readBack = arena.allocate(bs, Linux.BUFFER_ALIGN);
        if (spec.rw().writes()) {
            // what writes carry besides their sector headers: seeded bytes, filled once
            SplittableRandom r = new SplittableRandom(spec.seed() ^ (0xD1B54A32D192ED03L * (index + 1)));
            for (long at = 0; at < region.byteSize(); at += 8) region.set(JAVA_LONG, at, r.nextLong());
        }
        fd = target.open(spec.direct(), spec.rw().writes());
        engine = Engines.create(spec.engine(), spec.engineOptions());
        synchronous = engine.capabilities().synchronous();
        separateWait = !synchronous && !engine.capabilities().batchWait();
        engine.fileOpened(fd);
        engine.useBuffers(region, bs);
        for (int s = 0; s < iodepth; s++) queueNext(s);
    }

    /**
     * The job: the ramp (its second half a rehearsal of the window, {@link #rampWithRehearsal}), then the measured
     * window (until {@code end}, or {@code spec.ios()} I/Os), then, where the ramp checked few reads, a tail of
     * checked ones; then drains.
     */
    void run(long rampEnd, long end) {
        rampWithRehearsal(rampEnd);
        if (failure == null && !control.aborted()) {
            beginWindow(lastNow);
            loop(end, spec.timeBased() ? 0 : spec.ios());
            endWindow();
            verifyTail();
        }
        drain();
        if (failure == null) verifyWrites();
        if (failure != null) throw failure;
    }

    /** A JMH warmup: the ramp alone (with its rehearsal), nothing kept. */
    void runRampOnly(long end) {
        rampWithRehearsal(end);
        measuring = false;
        drain();
        if (failure != null) throw failure;
    }

    /**
     * The ramp: its first half as a ramp (every read checked), its second half run exactly as the window runs
     * (recorded, reads checked only with verify), the numbers then thrown away. The JIT compiles the handler and
     * the loop from what it has seen run: a path never taken during the ramp (the window's recording, its reads left
     * unchecked) is compiled as a trap, and the first I/O of the window would fall back to the interpreter and wait
     * for a recompilation (measured: complete and submitPending deoptimized at the window's start, tens of ms of
     * slower code in a 3 s window). Rehearsed, the window starts on code compiled for it.
     */
    private void rampWithRehearsal(long rampEnd) {
        long now = System.nanoTime();
        long half = now + (rampEnd - now) / 2;
        loop(half, 0);
        if (failure != null || control.aborted() || lastNow >= rampEnd) return;
        beginWindow(lastNow);
        loop(rampEnd, 0);
        measuring = false;
    }

    private long lastNow;

    /** Passes per call of {@link #passes}. */
    private static final int PASSES_PER_CALL = 16;

    /**
     * The hot loop: passes ({@link #pass}) until {@code end} or until the window has {@code iosLimit} I/Os (0: no
     * limit), {@link #PASSES_PER_CALL} to a call of {@link #passes}. The JIT compiles a method once it has been called
     * often enough, and a loop running inside one call only by on-stack replacement, after tens of thousands of back
     * edges: a job runs this loop in a handful of calls and, at depth 64, a few thousand passes a second, so written
     * as one loop it ran interpreted for the whole job (measured with -XX:+PrintCompilation: JobWorker.loop never
     * compiled in a 4 s job; perf: 4.4% of the job thread's time in the interpreter at libaio depth 1). What is left
     * interpreted here is one call per 16 passes.
     */
    void loop(long end, long iosLimit) {
        while (passes(end, iosLimit)) {
            // the passes are the work
        }
    }

    /** Up to {@link #PASSES_PER_CALL} passes; false once the loop is to stop. */
    private boolean passes(long end, long iosLimit) {
        for (int i = 0; i < PASSES_PER_CALL; i++) {
            if (!pass(end, iosLimit)) return false;
        }
        return true;
    }

    /**
     * One pass: time-stamps what was queued since the last call, then submits it and waits for at least one
     * completion (the handler runs for each); false, doing nothing, once the loop is to stop.
     */
    private boolean pass(long end, long iosLimit) {
        long now = System.nanoTime();
        lastNow = now;
        if (now >= end || (iosLimit > 0 && ios >= iosLimit) || completed >= stopAtCompleted || failure != null
                || control.aborted()) {
            for (int i = 0; i < pendingCount; i++) issuedAt[pending[i]] = now;
            return false;
        }
        long before = completed;
        if (separateWait) {
            if (pendingCount > 0) submitPending(now);
            engine.reap(1, this);
        } else {
            if (pendingCount > 0 && measuring) countSubmit(pendingCount);
            for (int i = 0; i < pendingCount; i++) {
                issuedAt[pending[i]] = now;
                submittedAt[pending[i]] = 0;
            }
            pendingCount = 0;
            engine.submitAndReap(1, this);
        }
        if (measuring) completeMap[batchBucket(completed - before)]++;
        return true;
    }

    /** Submits what is queued alone (no wait), time-stamping its start and the return of the submitting call. */
    private void submitPending(long now) {
        if (measuring) countSubmit(pendingCount);
        for (int i = 0; i < pendingCount; i++) issuedAt[pending[i]] = now;
        engine.submit();
        long back = System.nanoTime();
        for (int i = 0; i < pendingCount; i++) submittedAt[pending[i]] = back;
        pendingCount = 0;
    }

    /** fio's io_u_mark_depth and io_u_mark_submit: the depth in flight with these, and the call's batch. */
    private void countSubmit(int n) {
        depthMap[depthBucket(engine.inFlight())] += n;
        submitMap[batchBucket(n)]++;
    }

    /** fio's depth buckets: 1, 2-3, 4-7, 8-15, 16-31, 32-63, 64 and more. */
    static int depthBucket(int depth) {
        return depth >= 64 ? 6 : depth <= 1 ? 0 : 31 - Integer.numberOfLeadingZeros(depth);
    }

    /** fio's submit/complete buckets: 0, 1-4, 5-8, 9-16, 17-32, 33-64, more. */
    static int batchBucket(long n) {
        if (n <= 0) return 0;
        if (n <= 4) return 1;
        if (n > 64) return 6;
        return 64 - Long.numberOfLeadingZeros(n - 1) - 1; // 5-8: 2, 9-16: 3, 17-32: 4, 33-64: 5
    }

    /**
     * After the window, where the ramp checked fewer than {@link #VERIFY_TAIL_IOS} reads: more I/O, unmeasured, each
     * read checked, until that many reads were checked after the window or {@link #VERIFY_TAIL_NANOS} passed.
     */
    private void verifyTail() {
        if (!checkReads || verifyInWindow || !spec.rw().reads() || readsVerified >= VERIFY_TAIL_IOS) return;
        stopAtCompleted = completed + VERIFY_TAIL_IOS;
        loop(System.nanoTime() + VERIFY_TAIL_NANOS, 0);
        stopAtCompleted = Long.MAX_VALUE;
    }

    void beginWindow(long now) {
        for (int d = READ; d <= WRITE; d++) {
            slat[d].reset();
            clat[d].reset();
            lat[d].reset();
            clatHistogram[d].reset();
            latHistogram[d].reset();
            Arrays.fill(intervals[d], 0);
        }
        Arrays.fill(depthMap, 0);
        Arrays.fill(submitMap, 0);
        Arrays.fill(completeMap, 0);
        ios = reads = writes = 0;
        readsVerifiedInWindow = thinkSpinsInWindow = 0;
        usageAtStart = ResourceUsage.thread();
        windowStart = now;
        measuring = true;
    }

    void endWindow() {
        measuring = false;
        windowEnd = lastNow;
        usage = ResourceUsage.thread().minus(usageAtStart);
    }

    @Override
    public void complete(long tag, long res) {
        int slot = (int) tag;
        // read for each completion as the handler reaches it: a completion that waits behind the handling (and
        // resubmission) of others of its batch waits within its latency
        long now = System.nanoTime();
        completed++;
        if (res != bs) {
            fail(slot, res);
            return;
        }
        boolean write = slotWrite[slot];
        if (!write && checkReads && (verifyInWindow || !measuring)) {
            int bad = TargetData.firstBadSector(region, (long) slot * bs, bs, slotOffset[slot], key);
            if (bad >= 0) {
                if (failure == null) failure = new VerificationException(target.path().toString(), slotOffset[slot] + bad, "job " + index
                        + ": the " + bs + "-byte read at offset " + slotOffset[slot] + " returned data whose sector"
                        + " header does not name that offset (read from the wrong place, or not at all)");
                return;
            }
            readsVerified++;
            if (measuring) readsVerifiedInWindow++;
        }
        if (measuring) {
            int d = write ? WRITE : READ;
            long start = issuedAt[slot], sub = submittedAt[slot];
            long total = Math.min(Math.max(0, now - start), HIGHEST_LATENCY_NANOS);
            lat[d].record(total);
            latHistogram[d].recordValue(total);
            // issued when the submitting call returned, or (submitted with the wait) when that call started
            long c = sub == 0 ? total : Math.min(Math.max(0, now - sub), HIGHEST_LATENCY_NANOS);
            clat[d].record(c);
            clatHistogram[d].recordValue(c);
            if (sub != 0) slat[d].record(Math.max(0, sub - start));
            ios++;
            if (write) writes++;
            else reads++;
            long k = (now - windowStart) / INTERVAL_NANOS;
            if (k < intervals[d].length) intervals[d][(int) k]++;
        }
        if (write) lastWrites[(int) (writeCount++ % iodepth)] = slotOffset[slot];
        if (!draining && failure == null) {
            queueNext(slot);
            // hand it to the kernel now if others keep the device busy meanwhile (fio's iodepth_batch_submit);
            // otherwise it goes with the wait, in one call. A synchronous engine would run it right here.
            if (pendingCount >= batchSubmit && batchSubmit > 0 && !synchronous && engine.inFlight() > pendingCount) {
                submitPending(System.nanoTime());
            }
            // fio's do_io spins once per I/O it issues, after issuing it
            if (thinkcycles > 0) think();
        }
    }

    private void queueNext(int slot) {
        long off = offsets.next();
        boolean write = !offsets.nextIsRead();
        slotOffset[slot] = off;
        slotWrite[slot] = write;
        if (write) TargetData.stamp(region, (long) slot * bs, bs, off, key, stamp);
        engine.queue(write ? Op.WRITE : Op.READ, slot, fd, slices[slot], bs, off, 0);
        pending[pendingCount++] = slot;
    }

    private void fail(int slot, long res) {
        if (failure != null) return;
        String what = (slotWrite[slot] ? "write" : "read") + " of " + bs + " bytes at offset " + slotOffset[slot];
        failure = res < 0
                ? new IllegalStateException("job " + index + ": " + spec.engine() + " " + what + " failed with "
                  + Errno.describe((int) -res))
                : new VerificationException(target.path().toString(), slotOffset[slot], "job " + index + ": short "
                  + what + ": " + res + " bytes");
    }

    /**
     * PAUSEs per turn of the think loop (the calls in its body), a field rather than a constant: the JIT then cannot
     * count the loop's trips in advance, and neither unrolls it nor drops its per-turn safepoint poll ({@link #think}).
     */
    private long thinkPausesPerTurn = 3;

    /**
     * fio's thinkcycles, iteration for iteration, and matched to fio's time per iteration. fio's cycles_spin runs
     * {@code thinkcycles} iterations of {@code nop}, which fio defines on x86-64 as {@code rep;nop}, the PAUSE
     * instruction: each of its iterations is a PAUSE, then an add, a compare and a branch (objdump of fio 3.42).
     * {@link Thread#onSpinWait} compiles to that PAUSE (C1 and C2 intrinsify it; the JIT may not remove it), so one
     * iteration here is one PAUSE too. What surrounds the PAUSEs differs, and the loop was shaped by measurement:
     * the job thread's user CPU per I/O at thinkcycles 4096 less that at 0, randio and fio 3.42 on the same job
     * (io_uring, iodepth 64, 2 s), 8 runs each alternating, ns per iteration (median) and randio / fio paired by run:
     * C2's unrolled counted loop (16 PAUSEs per branch) 9.31, 0.895 of fio's 10.50; a loop that is not counted (a
     * subtraction, a safepoint poll and a branch per PAUSE) 12.9, 1.23; the same with 2 PAUSEs per turn 11.37, 1.10;
     * with 3 PAUSEs per turn 10.48, 1.004. On a CPU whose PAUSE is longer (Skylake and later server parts: about 140
     * cycles) what surrounds it weighs less still.
     */
    private void think() {
        long n = thinkcycles, perTurn = thinkPausesPerTurn;
        for (long r = n % perTurn; r > 0; r--) Thread.onSpinWait();
        for (long i = n - n % perTurn; i > 0; i -= perTurn) {
            Thread.onSpinWait();
            Thread.onSpinWait();
            Thread.onSpinWait();
        }
        thinkSpins++;
        if (measuring) thinkSpinsInWindow++;
    }

    /** Completes everything queued or in flight, counting and requeuing nothing. */
    void drain() {
        draining = true;
        measuring = false;
        if (engine == null) return;
        while (engine.inFlight() > 0) engine.submitAndReap(1, this);
    }

    /**
     * Reads back the last completed writes (up to iodepth per job): each sector must carry its offset and this run's
     * stamp, i.e. the write landed where it was sent, whole.
     */
    private void verifyWrites() {
        int n = (int) Math.min(writeCount, iodepth);
        for (int i = 0; i < n; i++) {
            long off = lastWrites[i];
            long r;
            do {
                r = Libc.pread(fd, readBack, bs, off);
            } while (r == -Errno.EINTR);
            if (r != bs) {
                throw new VerificationException(target.path().toString(), off, "job " + index + ": reading back a write: "
                        + (r < 0 ? Errno.describe((int) -r) : r + " bytes"));
            }
            for (int s = 0; s < bs; s += JobSpec.SECTOR) {
                if (readBack.get(JAVA_LONG, s) != ((off + s) ^ key) || readBack.get(JAVA_LONG, s + 8) != stamp) {
                    throw new VerificationException(target.path().toString(), off + s, "job " + index + ": a write of"
                            + " this run is not on the target as written (sector header or stamp differs)");
                }
            }
            writesVerified++;
        }
    }

    /**
     * Closes the engine, the descriptor and the buffers. If requests could still be in flight (a failure while
     * draining), the buffers are left allocated rather than handed back under the kernel's DMA.
     */
    void close() {
        boolean quiet = true;
        if (engine != null) {
            try {
                if (engine.inFlight() > 0) drain();
            } catch (RuntimeException e) {
                quiet = false;
            }
            engineFacts = engine.facts();
            if (quiet && fd >= 0) engine.fileClosing(fd);
            engine.close();
        }
        if (fd >= 0) Libc.close(fd);
        if (arena != null && quiet) arena.close();
    }

    /** Requests queued or in flight (iodepth while the job runs). */
    int inFlight() { return engine.inFlight(); }

    /** The first failure of this job, or null. */
    RuntimeException failure() { return failure; }
}
