package org.aiobench.workloads.randio;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import org.HdrHistogram.Histogram;
import org.aiobench.engines.UnsupportedConfigurationException;
import org.aiobench.engines.nat.Affinity;
import org.aiobench.engines.nat.Errno;
import org.aiobench.engines.nat.Libc;
import org.aiobench.engines.nat.ResourceUsage;
import org.aiobench.engines.uring.ReadRing;
import org.aiobench.workloads.VerificationException;

/**
 * The thesis' completion on another thread (exp 11, sections 4.1.7 to 4.1.10; its program was not published, this
 * is rebuilt from the text): two threads pinned to two CPUs, each with a ring of its own.
 *
 * <ul>
 * <li>{@link #pingPong}: thread A submits reads on ring 1 ({@code iodepth} in flight); thread B waits on ring 1
 *     (io_uring_enter GETEVENTS, as liburing's io_uring_wait_cqe), takes each completion and submits a read on ring 2;
 *     thread A waits on ring 2 and, for each completion there, submits the next read on ring 1. A round trip is the
 *     time from A's submission of a read on ring 1 to A's taking the answering completion on ring 2 (two reads, two
 *     hand-overs). The completion of a read on ring 1 is task work of thread A (the submitter) even though B waits
 *     for it: how A is told to run it (an IPI by default, nothing with COOP_TASKRUN) is what the flags change.</li>
 * <li>{@link #stall}: the failure case of 4.1.10. A submits one read, then spins in user space without entering the
 *     kernel; B polls ring 1's CQ from user space and measures how long after A's submitting call returned the
 *     completion becomes visible. Bounded: after {@code timeout} B counts a timeout and A enters the kernel to post
 *     it (with defer_taskrun the completion is posted only then, so every trial times out).</li>
 * </ul>
 *
 * <p>Every read is checked: its sector headers must name its offset on the scratch target. Results come as a
 * {@link RandomIoReport}: {@code ios} round trips (or trials), {@code iops} round trips per second (or, for the
 * stall, 1 / the mean time to visibility), {@code latency} the round trip (or the time to visibility), with the
 * CPU time of both threads; facts {@code trials} and {@code timeouts}.
 */
public final class CrossThreadCompletion {
    private CrossThreadCompletion() {}

    /** How long a {@link #stall} trial waits for the completion before counting a timeout. */
    public static final long STALL_TIMEOUT_NANOS = 20_000_000L;
    /** Clocksources whose time the vDSO reads in user space (System.nanoTime enters no kernel with them). */
    static final List<String> USER_SPACE_CLOCKS = List.of("tsc", "kvm-clock", "hyperv_clocksource_tsc_page",
            "arch_sys_counter", "unknown");

    /** The kernel's current clocksource ("unknown" when it cannot be read: the stall then runs). */
    static String clocksource() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of(
                    "/sys/devices/system/clocksource/clocksource0/current_clocksource")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** user_data of the no-op that wakes A when B failed. */
    private static final long WAKE = Long.MAX_VALUE;
    /** How long a run may take beyond its ramp and runtime before it is declared hung. */
    private static final long HANG_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** What the two threads share. */
    private static final class Shared {
        final JobSpec spec;
        final Target target;
        final int bs;
        final Arena arena = Arena.ofShared();
        final MemorySegment bufA, bufB;
        final AtomicLongArray offA, offB;
        final CountDownLatch ringsReady = new CountDownLatch(2);
        /** B no longer touches ring 1: A may close it. */
        final CountDownLatch observerStopped = new CountDownLatch(1);
        /** A no longer touches ring 2: B may close it. */
        final CountDownLatch pingerStopped = new CountDownLatch(1);
        volatile ReadRing ring1, ring2;
        volatile RuntimeException failure;
        volatile boolean done;
        volatile long spinSink;
        final AtomicLong pingsIssued = new AtomicLong();
        final Histogram latency = new Histogram(1, JobWorker.HIGHEST_LATENCY_NANOS, 3);
        ResourceUsage usageA, usageB;

        Shared(JobSpec spec, Target target, int slots) {
            this.spec = spec;
            this.target = target;
            this.bs = spec.bs();
            bufA = arena.allocate((long) slots * bs, 4096);
            bufB = arena.allocate((long) slots * bs, 4096);
            offA = new AtomicLongArray(slots);
            offB = new AtomicLongArray(slots);
        }

        void fail(RuntimeException e) {
            if (failure == null) failure = e;
            done = true;
        }

        /** Checks a completed read of {@code buf}'s slot {@code slot}, read from {@code off}. */
        void check(String who, MemorySegment buf, int slot, long off, int res) {
            if (res != bs) {
                throw res < 0 ? new IllegalStateException(who + ": read of " + bs + " bytes at " + off + " failed with "
                        + Errno.describe(-res)) : new VerificationException(target.path().toString(), off, who
                        + ": short read, " + res + " bytes");
            }
            if (!target.headers()) return;
            int bad = TargetData.firstBadSector(buf, (long) slot * bs, bs, off, target.key());
            if (bad >= 0) {
                throw new VerificationException(target.path().toString(), off + bad, who + ": the read at " + off
                        + " returned data whose sector header does not name that offset");
            }
        }
    }

    /**
     * The ping-pong: {@code spec.iodepth()} round trips in flight, its ramp then its runtime (or {@code spec.ios()}
     * round trips), thread A on {@code cpuA}, B on {@code cpuB}; ring flags from the spec.
     */
    public static RandomIoReport pingPong(JobSpec spec, Target target, int cpuA, int cpuB) {
        target.checkJob(spec);
        int depth = spec.iodepth();
        Shared s = new Shared(spec, target, depth);
        long[] window = new long[3]; // start, end, round trips
        Thread a = Thread.ofPlatform().name("pingpong-a").unstarted(() -> {
            try {
                pinger(s, cpuA, window);
            } catch (RuntimeException e) {
                s.fail(e);
            }
        });
        Thread b = Thread.ofPlatform().name("pingpong-b").unstarted(() -> {
            try {
                ponger(s, cpuB);
            } catch (RuntimeException e) {
                s.fail(e);
            }
        });
        runBoth(s, a, b);
        long trips = window[2];
        double sec = (window[1] - window[0]) / 1e9;
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("roundTrip", "A submits a read on ring 1, B waits on ring 1 (io_uring_enter GETEVENTS) and submits a"
                + " read on ring 2, A waits on ring 2: two reads per round trip, " + depth + " in flight");
        facts.put("cpus", "A on CPU " + cpuA + ", B on CPU " + cpuB);
        facts.put("trials", Long.toString(trips));
        facts.put("timeouts", "0");
        return report(s, trips, sec, sec > 0 ? trips / sec : 0, facts);
    }

    private static void pinger(Shared s, int cpu, long[] window) {
        Affinity.pinCurrentThread(cpu);
        JobSpec spec = s.spec;
        int depth = spec.iodepth();
        Offsets offsets = new Offsets(spec.seed(), 0, s.target.size(), s.bs, Rw.RANDREAD, 100);
        int fd = s.target.open(spec.direct(), false);
        try (ReadRing ring1 = ReadRing.create(depth, spec.engineOptions())) {
            s.ring1 = ring1;
            s.ringsReady.countDown();
            try {
                pingLoop(s, ring1, fd, offsets, window);
            } finally {
                s.done = true;
                s.pingerStopped.countDown();
                awaitQuietly(s.observerStopped); // B reads ring 1's CQ until it stops
            }
        } finally {
            s.done = true;
            Libc.close(fd);
        }
    }

    private static void pingLoop(Shared s, ReadRing ring1, int fd, Offsets offsets, long[] window) {
        await(s.ringsReady);
        Pinger p = new Pinger(s, ring1, s.ring2, fd, offsets, window);
        while (p.step()) {
            // each step takes one completion (or waits for one)
        }
    }

    /**
     * Thread A's side of the ping-pong, one completion per {@link #step}: a method called per round trip is compiled
     * by the JIT once it has been called often enough, where a loop running inside one call would wait for on-stack
     * replacement after tens of thousands of iterations and run interpreted until then (measured on randio's loop,
     * which did so for a whole run).
     */
    private static final class Pinger {
        final Shared s;
        final JobSpec spec;
        final ReadRing ring1, ring2;
        final int fd;
        final Offsets offsets;
        final long[] window, issuedAt;
        final long rampEnd, end;
        long reaped, trips;
        boolean measuring, stopping;
        ResourceUsage u0;

        Pinger(Shared s, ReadRing ring1, ReadRing ring2, int fd, Offsets offsets, long[] window) {
            this.s = s;
            this.spec = s.spec;
            this.ring1 = ring1;
            this.ring2 = ring2;
            this.fd = fd;
            this.offsets = offsets;
            this.window = window;
            int depth = spec.iodepth();
            issuedAt = new long[depth];
            long start = System.nanoTime();
            rampEnd = start + spec.rampNanos();
            end = spec.timeBased() ? rampEnd + spec.runtimeNanos() : Long.MAX_VALUE;
            for (int slot = 0; slot < depth; slot++) ping(s, ring1, fd, offsets, slot, issuedAt, start);
            submit(ring1, "ring 1");
        }

        /** Takes one answer on ring 2 (waiting for it) and pings again; false once the run is over. */
        boolean step() {
            if (s.failure != null || stopping && reaped == s.pingsIssued.get()) return false;
            long tag = ring2.poll();
            if (tag < 0) {
                int r = ring2.waitForCompletion();
                if (r < 0 && r != -Errno.EINTR) throw new IllegalStateException("waiting on ring 2: " + Errno.describe(-r));
                return true;
            }
            if (tag == WAKE) return false; // B failed: its failure is the run's
            long now = System.nanoTime();
            int slot = (int) tag;
            s.check("thread A (ring 2)", s.bufB, slot, s.offB.get(slot), ring2.lastResult());
            reaped++;
            if (!measuring && now >= rampEnd) {
                measuring = true;
                window[0] = now;
                u0 = ResourceUsage.thread();
                s.latency.reset();
            }
            if (measuring && !stopping) {
                trips++;
                s.latency.recordValue(Math.min(Math.max(1, now - issuedAt[slot]), JobWorker.HIGHEST_LATENCY_NANOS));
                if (now >= end || (!spec.timeBased() && trips >= spec.ios())) {
                    stopping = true;
                    window[1] = now;
                    window[2] = trips;
                    s.usageA = ResourceUsage.thread().minus(u0);
                }
            }
            if (!stopping) {
                ping(s, ring1, fd, offsets, slot, issuedAt, now);
                submit(ring1, "ring 1");
            }
            return true;
        }
    }

    private static void ping(Shared s, ReadRing ring1, int fd, Offsets offsets, int slot, long[] issuedAt, long now) {
        long off = offsets.next();
        s.offA.set(slot, off);
        issuedAt[slot] = now;
        s.pingsIssued.incrementAndGet(); // before the submission: B then knows a completion will come
        if (!ring1.queueRead(fd, s.bufA.asSlice((long) slot * s.bs, s.bs), s.bs, off, slot)) {
            throw new IllegalStateException("ring 1 has no free SQE for slot " + slot);
        }
    }

    private static void submit(ReadRing ring, String which) {
        int r = ring.submit();
        if (r < 0) throw new IllegalStateException("submitting on " + which + ": " + Errno.describe(-r));
    }

    private static void ponger(Shared s, int cpu) {
        Affinity.pinCurrentThread(cpu);
        JobSpec spec = s.spec;
        int depth = spec.iodepth();
        Offsets offsets = new Offsets(spec.seed(), 1, s.target.size(), s.bs, Rw.RANDREAD, 100);
        int fd = s.target.open(spec.direct(), false);
        ResourceUsage u0 = ResourceUsage.thread();
        try (ReadRing ring2 = ReadRing.create(depth, spec.engineOptions())) {
            s.ring2 = ring2;
            s.ringsReady.countDown();
            await(s.ringsReady);
            ReadRing ring1 = s.ring1;
            long seen = 0;
            while (s.failure == null) {
                long tag = ring1.poll();
                if (tag < 0) {
                    if (seen < s.pingsIssued.get()) {
                        int r = ring1.waitForCompletion();
                        if (r < 0 && r != -Errno.EINTR) throw new IllegalStateException("waiting on ring 1: " + Errno.describe(-r));
                    } else if (s.done) {
                        break;
                    } else {
                        Thread.onSpinWait();
                    }
                    continue;
                }
                int slot = (int) tag;
                try {
                    s.check("thread B (ring 1)", s.bufA, slot, s.offA.get(slot), ring1.lastResult());
                } catch (RuntimeException e) {
                    s.fail(e);
                    // A may be asleep on ring 2 waiting for an answer that will not come: wake it
                    if (ring2.queueNop(WAKE)) ring2.submit();
                    awaitQuietly(s.pingerStopped); // A reads ring 2's CQ until it stops
                    throw e;
                }
                seen++;
                long off = offsets.next();
                s.offB.set(slot, off);
                if (!ring2.queueRead(fd, s.bufB.asSlice((long) slot * s.bs, s.bs), s.bs, off, slot)) {
                    throw new IllegalStateException("ring 2 has no free SQE for slot " + slot);
                }
                submit(ring2, "ring 2");
            }
        } finally {
            s.observerStopped.countDown();
            s.usageB = ResourceUsage.thread().minus(u0);
            Libc.close(fd);
        }
    }

    /**
     * The failure case: trials of one read each, for the ramp then the runtime (or {@code spec.ios()} trials); A,
     * the submitter, on {@code cpuA}; B, the observer, on {@code cpuB}.
     */
    public static RandomIoReport stall(JobSpec spec, Target target, int cpuA, int cpuB, long timeoutNanos) {
        target.checkJob(spec);
        String clock = clocksource();
        if (!USER_SPACE_CLOCKS.contains(clock)) {
            throw new UnsupportedConfigurationException("the clocksource is " + clock + ": reading the time would"
                    + " enter the kernel, so the submitter could not spin in user space alone (vDSO clocks: "
                    + USER_SPACE_CLOCKS + ")");
        }
        Shared s = new Shared(spec, target, 1);
        AtomicLong trialStart = new AtomicLong(); // when A's submitting call of the current trial returned; 0: none
        AtomicLong seenAt = new AtomicLong();     // when B saw its completion; 0: not yet
        long[] counts = new long[4];              // trials measured, timeouts, window start, window end
        Thread a = Thread.ofPlatform().name("stall-submitter").unstarted(() -> {
            try {
                Affinity.pinCurrentThread(cpuA);
                Offsets offsets = new Offsets(spec.seed(), 0, target.size(), s.bs, Rw.RANDREAD, 100);
                int fd = target.open(spec.direct(), false);
                try (ReadRing ring1 = ReadRing.create(1, spec.engineOptions())) {
                    s.ring1 = ring1;
                    s.ringsReady.countDown();
                    await(s.ringsReady);
                    long start = System.nanoTime(), rampEnd = start + spec.rampNanos();
                    long end = spec.timeBased() ? rampEnd + spec.runtimeNanos() : Long.MAX_VALUE;
                    ResourceUsage u0 = null;
                    long spin = 0;
                    while (s.failure == null) {
                        long now = System.nanoTime();
                        boolean measuring = now >= rampEnd;
                        if (measuring && u0 == null) {
                            u0 = ResourceUsage.thread();
                            counts[2] = now;
                            s.latency.reset();
                            counts[0] = counts[1] = 0;
                        }
                        if (now >= end || (!spec.timeBased() && counts[0] >= spec.ios())) break;
                        long off = offsets.next();
                        s.offA.set(0, off);
                        seenAt.set(0);
                        ring1.queueRead(fd, s.bufA, s.bs, off, 0);
                        submit(ring1, "ring 1");
                        long t0 = System.nanoTime();
                        trialStart.set(t0);
                        // user space only from here: no system call until the completion is seen or the timeout
                        while (seenAt.get() == 0 && System.nanoTime() - t0 < timeoutNanos && s.failure == null) spin++;
                        // timed out: enter the kernel, running this thread's task work, until the observer has
                        // the completion (defer_taskrun posts it only here). No wait for a CQE: the observer may take
                        // it between our last look and the call, and a wait for one more would never return.
                        long deadline = System.nanoTime() + HANG_NANOS;
                        while (seenAt.get() == 0 && s.failure == null) {
                            int r = ring1.runTaskWork();
                            if (r < 0 && r != -Errno.EINTR) throw new IllegalStateException("entering ring 1: " + Errno.describe(-r));
                            if (System.nanoTime() > deadline) throw new IllegalStateException("the completion of a"
                                    + " read never became visible, even after io_uring_enter(GETEVENTS)");
                            Thread.onSpinWait();
                        }
                        long stall = seenAt.get() - t0;
                        if (measuring && s.failure == null) {
                            counts[0]++;
                            if (stall >= timeoutNanos) counts[1]++;
                            s.latency.recordValue(Math.min(Math.max(1, Math.min(stall, timeoutNanos)), JobWorker.HIGHEST_LATENCY_NANOS));
                        }
                        trialStart.set(0);
                    }
                    counts[3] = System.nanoTime();
                    if (u0 != null) s.usageA = ResourceUsage.thread().minus(u0);
                    s.spinSink = spin; // the spin loop's counter is used: the JIT keeps the loop as written
                    s.done = true;
                    awaitQuietly(s.observerStopped); // B polls ring 1's CQ until it stops
                } finally {
                    s.done = true;
                    Libc.close(fd);
                }
            } catch (RuntimeException e) {
                s.fail(e);
            }
        });
        Thread b = Thread.ofPlatform().name("stall-observer").unstarted(() -> {
            try {
                Affinity.pinCurrentThread(cpuB);
                ResourceUsage u0 = ResourceUsage.thread();
                s.ringsReady.countDown();
                await(s.ringsReady);
                ReadRing ring1 = s.ring1;
                while (!s.done && s.failure == null) {
                    long t0 = trialStart.get();
                    if (t0 == 0 || seenAt.get() != 0) {
                        Thread.onSpinWait();
                        continue;
                    }
                    long tag = ring1.poll();
                    if (tag < 0) continue;
                    long now = System.nanoTime();
                    s.check("observer (ring 1)", s.bufA, 0, s.offA.get(0), ring1.lastResult());
                    seenAt.set(now);
                }
                s.usageB = ResourceUsage.thread().minus(u0);
            } catch (RuntimeException e) {
                s.fail(e);
            } finally {
                s.observerStopped.countDown();
            }
        });
        runBoth(s, a, b);
        double sec = (counts[3] - counts[2]) / 1e9;
        long trials = counts[0];
        double meanStallSec = trials == 0 ? Double.NaN : s.latency.getMean() / 1e9;
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("stall", "A submits one read, then spins in user space (no system call); B polls ring 1's CQ and"
                + " takes the time from the return of A's submitting call to the completion's arrival; after "
                + timeoutNanos / 1_000_000 + " ms a timeout is counted (at the timeout) and A enters the kernel");
        facts.put("cpus", "submitter A on CPU " + cpuA + ", observer B on CPU " + cpuB);
        facts.put("clocksource", clock + " (read in user space: the spinning submitter makes no system call)");
        facts.put("trials", Long.toString(trials));
        facts.put("timeouts", Long.toString(counts[1]));
        return report(s, trials, sec, trials == 0 ? 0 : 1 / meanStallSec, facts);
    }

    private static void runBoth(Shared s, Thread a, Thread b) {
        a.start();
        b.start();
        long limit = s.spec.rampNanos() + (s.spec.timeBased() ? s.spec.runtimeNanos() : 0) + HANG_NANOS;
        try {
            a.join(TimeUnit.NANOSECONDS.toMillis(limit) + 1);
            b.join(TimeUnit.NANOSECONDS.toMillis(HANG_NANOS));
        } catch (InterruptedException e) {
            s.fail(new IllegalStateException("interrupted"));
            Thread.currentThread().interrupt();
        }
        if (a.isAlive() || b.isAlive()) {
            s.fail(new IllegalStateException("the cross-thread run did not finish within " + limit / 1_000_000_000L
                    + " s (a wait that never returned)"));
            throw s.failure;
        }
        s.arena.close();
        if (s.failure != null) throw s.failure;
    }

    private static void await(CountDownLatch l) {
        try {
            if (!l.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("the other thread did not start");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void awaitQuietly(CountDownLatch l) {
        try {
            l.await(HANG_NANOS, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static RandomIoReport report(Shared s, long n, double sec, double rate, Map<String, String> facts) {
        ResourceUsage a = s.usageA, b = s.usageB;
        double user = (a == null ? 0 : a.userMicros()) / 1e6 + (b == null ? 0 : b.userMicros()) / 1e6;
        double sys = (a == null ? 0 : a.systemMicros()) / 1e6 + (b == null ? 0 : b.systemMicros()) / 1e6;
        long v = (a == null ? 0 : a.voluntarySwitches()) + (b == null ? 0 : b.voluntarySwitches());
        long i = (a == null ? 0 : a.involuntarySwitches()) + (b == null ? 0 : b.involuntarySwitches());
        RandomIoReport.Latency lat = RandomIoJob.latency(s.latency);
        RandomIoReport.Latency none = RandomIoJob.latency(new Histogram(1, JobWorker.HIGHEST_LATENCY_NANOS, 3));
        facts.put("checks", "every read's sector headers name its offset");
        return new RandomIoReport("aiobench", s.spec, s.target.describe(), n, n, 0, sec, rate, Double.NaN, 0, lat, none,
                user, sys, Double.NaN, "none", v, i, v + i, 0, facts, List.of(), null, 0, 0, 0);
    }
}
