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
 * <p>Latency is from the loop's clock reading just before the call that submits an I/O to the clock reading
 * when the handler takes its completion: fio's total latency ({@code lat}, submission plus completion). By Little's
 * law the mean latency times IOPS is then iodepth per job, as fio's is; stamped once per batch of completions, the
 * later ones of a batch would leave out their wait behind the others (measured: 58 of 64 at depth 64). Where
 * the submission returns before the wait (libaio's io_submit; any I/O submitted from the handler), the completion
 * latency is recorded too, from the return of the submitting call (fio's {@code clat}); an I/O submitted with the
 * wait in one call (io_uring, posixaio) has no such instant.
 */
final class JobWorker implements CompletionHandler {
    static final long INTERVAL_NANOS = 500_000_000L;
    /** Latencies above an hour are recorded as an hour (the histogram's range). */
    static final long HIGHEST_LATENCY_NANOS = 3_600_000_000_000L;
    /** Interval counters kept for an ios-limited window (its length is not known in advance): an hour's worth. */
    private static final long MAX_WINDOW_NANOS = 3_600_000_000_000L;

    final int index;
    private final JobSpec spec;
    private final Target target;
    private final int bs;
    private final int iodepth;
    private final long key;
    private final long stamp;
    private final boolean checkReads;
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

    private long thinkSink;
    private boolean measuring;
    private boolean draining;
    private RuntimeException failure;

    // the measured window
    long windowStart;
    long windowEnd;
    long ios;
    long reads;
    long writes;
    final Histogram latency;
    final Histogram completionLatency;
    final long[] intervals;
    private ResourceUsage usageAtStart;
    ResourceUsage usage;

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
        latency = new Histogram(1, HIGHEST_LATENCY_NANOS, 3);
        completionLatency = new Histogram(1, HIGHEST_LATENCY_NANOS, 3);
        long window = spec.timeBased() ? spec.runtimeNanos() : MAX_WINDOW_NANOS;
        intervals = new long[(int) Math.min(Integer.MAX_VALUE - 8, window / INTERVAL_NANOS + 2)];
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

    /** The job: the ramp, then the measured window (until {@code end}, or {@code spec.ios()} I/Os), then drains. */
    void run(long rampEnd, long end) {
        loop(rampEnd, 0);
        if (failure == null && !control.aborted()) {
            beginWindow(lastNow);
            loop(end, spec.timeBased() ? 0 : spec.ios());
            endWindow();
        }
        drain();
        if (failure == null) verifyWrites();
        if (failure != null) throw failure;
    }

    /** A JMH warmup: the ramp alone, nothing measured. */
    void runRampOnly(long end) {
        loop(end, 0);
        drain();
        if (failure != null) throw failure;
    }

    private long lastNow;

    /**
     * The hot loop: time-stamps what was queued since the last call, then submits it and waits for at least one
     * completion; until {@code end} or until the window has {@code iosLimit} I/Os (0: no limit).
     */
    void loop(long end, long iosLimit) {
        IoEngine e = engine;
        while (true) {
            long now = System.nanoTime();
            lastNow = now;
            if (now >= end || (iosLimit > 0 && ios >= iosLimit) || failure != null || control.aborted()) {
                for (int i = 0; i < pendingCount; i++) issuedAt[pending[i]] = now;
                return;
            }
            if (separateWait) {
                if (pendingCount > 0) submitPending(now);
                e.reap(1, this);
            } else {
                for (int i = 0; i < pendingCount; i++) {
                    issuedAt[pending[i]] = now;
                    submittedAt[pending[i]] = 0;
                }
                pendingCount = 0;
                e.submitAndReap(1, this);
            }
            if (thinkcycles > 0) think();
        }
    }

    /** Submits what is queued alone (no wait), time-stamping its issue and the return of the submitting call. */
    private void submitPending(long now) {
        for (int i = 0; i < pendingCount; i++) issuedAt[pending[i]] = now;
        engine.submit();
        long back = System.nanoTime();
        for (int i = 0; i < pendingCount; i++) submittedAt[pending[i]] = back;
        pendingCount = 0;
    }

    void beginWindow(long now) {
        latency.reset();
        completionLatency.reset();
        Arrays.fill(intervals, 0);
        ios = reads = writes = 0;
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
        // read for each completion as the handler reaches it, as fio reaps one at a time: a completion that waits
        // behind the handling (and resubmission) of others of its batch waits within its latency
        long now = System.nanoTime();
        if (res != bs) {
            fail(slot, res);
            return;
        }
        boolean write = slotWrite[slot];
        if (!write && checkReads) {
            int bad = TargetData.firstBadSector(region, (long) slot * bs, bs, slotOffset[slot], key);
            if (bad >= 0) {
                if (failure == null) failure = new VerificationException(target.path().toString(), slotOffset[slot] + bad, "job " + index
                        + ": the " + bs + "-byte read at offset " + slotOffset[slot] + " returned data whose sector"
                        + " header does not name that offset (read from the wrong place, or not at all)");
                return;
            }
        }
        if (measuring) {
            latency.recordValue(Math.min(now - issuedAt[slot], HIGHEST_LATENCY_NANOS));
            long sub = submittedAt[slot];
            if (sub != 0) completionLatency.recordValue(Math.min(Math.max(1, now - sub), HIGHEST_LATENCY_NANOS));
            ios++;
            if (write) writes++;
            else reads++;
            long k = (now - windowStart) / INTERVAL_NANOS;
            if (k < intervals.length) intervals[(int) k]++;
        }
        if (write) lastWrites[(int) (writeCount++ % iodepth)] = slotOffset[slot];
        if (!draining && failure == null) {
            queueNext(slot);
            // hand it to the kernel now if others keep the device busy meanwhile (fio's iodepth_batch_submit);
            // otherwise it goes with the wait, in one call. A synchronous engine would run it right here.
            if (pendingCount >= batchSubmit && batchSubmit > 0 && !synchronous && engine.inFlight() > pendingCount) {
                submitPending(System.nanoTime());
            }
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
     * fio's thinkcycles: a busy loop of that many iterations. fio's iteration is a nop (about a cycle); a Java loop
     * must depend on its counter and on itself or the JIT folds it away, so each iteration here is JMH's
     * Blackhole.consumeCPU token (a dependent multiply, add and mask: a few cycles). Compare think times across
     * engines of this harness, not with fio's cycle for cycle.
     */
    private void think() {
        long t = thinkSink;
        for (long i = thinkcycles; i > 0; i--) t += (t * 0x5DEECE66DL + 0xBL + i) & 0xFFFFFFFFFFFFL;
        thinkSink = t;
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
