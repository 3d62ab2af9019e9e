package org.aiobench.workloads.randio;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.aiobench.engines.nat.ResourceUsage;

/**
 * Runs a {@link JobSpec} against a {@link Target}: {@code numjobs} threads ({@code randio-job-N}), each a
 * {@link JobWorker} with its own engine. They all get ready (pinned, buffers, engine, first I/Os queued) before any
 * starts, then start together: the ramp, then the measured window, ending at the same instant (time-based) or after
 * {@code ios} I/Os each; then each drains what is still in flight, reads back its last writes and closes.
 *
 * <p>While the window runs, this thread takes two snapshots of the process's threads ({@link HelperCpu}) for the CPU
 * of the kernel's io_uring threads and glibc's POSIX AIO threads. Nothing of the setup is timed.
 */
public final class RandomIoJob {
    private RandomIoJob() {}

    /** The report's fact: io_uring io-wq worker threads of the job alive at the end of its window. */
    public static final String IO_WQ_WORKERS = "ioWqWorkers";

    /** What the jobs share: a flag that stops all of them when one fails. */
    static final class Control {
        private volatile boolean abort;

        boolean aborted() { return abort; }

        void abort() { abort = true; }
    }

    /** The job with its ramp, then the measured window. */
    public static RandomIoReport run(JobSpec spec, Target target) {
        return run(spec, target, false);
    }

    /**
     * @param rampOnly run the ramp alone and measure nothing (a warmup: the JIT compiles the loop, the device
     *                 settles); the report then has no I/Os
     */
    public static RandomIoReport run(JobSpec spec, Target target, boolean rampOnly) {
        spec.check();
        target.checkJob(spec);
        int n = spec.numjobs();
        Control control = new Control();
        long stamp = System.nanoTime() | 1; // nonzero: the layout's stamp is 0
        List<JobWorker> workers = new ArrayList<>();
        for (int i = 0; i < n; i++) workers.add(new JobWorker(i, spec, target, stamp, control));
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        long[] times = new long[3]; // start, ramp end, end (written before go opens)
        Throwable[] failures = new Throwable[n];
        List<Thread> threads = new ArrayList<>();
        for (JobWorker w : workers) {
            threads.add(Thread.ofPlatform().name("randio-job-" + w.index).start(() -> {
                boolean counted = false;
                try {
                    w.prepare();
                    ready.countDown();
                    counted = true;
                    go.await();
                    if (control.aborted()) return;
                    if (rampOnly) w.runRampOnly(times[1]);
                    else w.run(times[1], times[2]);
                } catch (Throwable t) {
                    failures[w.index] = t;
                    control.abort();
                } finally {
                    if (!counted) ready.countDown();
                    try {
                        w.close();
                    } catch (Throwable t) {
                        if (failures[w.index] == null) failures[w.index] = t;
                    }
                }
            }));
        }
        HelperCpu.Snapshot before = null, after = null;
        try {
            ready.await();
            long t0 = System.nanoTime();
            times[0] = t0;
            times[1] = t0 + spec.rampNanos();
            times[2] = rampOnly ? times[1] : spec.timeBased() ? times[1] + spec.runtimeNanos() : Long.MAX_VALUE;
            go.countDown();
            if (!rampOnly) {
                sleepUntil(times[1], control);
                before = HelperCpu.Snapshot.take();
                if (spec.timeBased()) {
                    sleepUntil(times[2], control);
                    after = HelperCpu.Snapshot.take();
                }
            }
            for (Thread t : threads) t.join();
            if (!spec.timeBased() && !rampOnly) after = HelperCpu.Snapshot.take();
        } catch (InterruptedException e) {
            control.abort();
            go.countDown();
            joinAll(threads);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the job ran", e);
        }
        for (Throwable t : failures) {
            if (t instanceof RuntimeException r) throw r;
            if (t instanceof Error e) throw e;
            if (t != null) throw new IllegalStateException(t);
        }
        return report(spec, target, workers, before, after, rampOnly);
    }

    private static void sleepUntil(long deadline, Control control) throws InterruptedException {
        long left;
        while ((left = deadline - System.nanoTime()) > 0 && !control.aborted()) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, 50_000_000L));
        }
    }

    private static void joinAll(List<Thread> threads) {
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException ignored) {
                // already stopping
            }
        }
    }

    private static RandomIoReport report(JobSpec spec, Target target, List<JobWorker> workers,
                                         HelperCpu.Snapshot before, HelperCpu.Snapshot after,
                                         boolean rampOnly) {
        Histogram all = new Histogram(1, JobWorker.HIGHEST_LATENCY_NANOS, 3);
        Histogram allCompletion = new Histogram(1, JobWorker.HIGHEST_LATENCY_NANOS, 3);
        long ios = 0, reads = 0, writes = 0, ctxV = 0, ctxI = 0, verified = 0;
        double iops = 0, window = 0, user = 0, sys = 0;
        int wholeIntervals = Integer.MAX_VALUE;
        long[] perInterval = new long[workers.get(0).intervals.length];
        List<RandomIoReport.JobLine> lines = new ArrayList<>();
        Set<Integer> tids = new HashSet<>();
        Set<String> comms = new HashSet<>();
        for (JobWorker w : workers) {
            tids.add(w.tid);
            String name = "randio-job-" + w.index;
            comms.add(name.substring(0, Math.min(15, name.length()))); // the kernel keeps 15 bytes of a name
            verified += w.writesVerified;
            if (rampOnly) continue;
            double sec = (w.windowEnd - w.windowStart) / 1e9;
            double rate = sec > 0 ? w.ios / sec : 0;
            ios += w.ios;
            reads += w.reads;
            writes += w.writes;
            iops += rate;
            window += sec;
            all.add(w.latency);
            allCompletion.add(w.completionLatency);
            ResourceUsage u = w.usage;
            user += u.userMicros() / 1e6;
            sys += u.systemMicros() / 1e6;
            ctxV += u.voluntarySwitches();
            ctxI += u.involuntarySwitches();
            wholeIntervals = Math.min(wholeIntervals, (int) ((w.windowEnd - w.windowStart) / JobWorker.INTERVAL_NANOS));
            for (int k = 0; k < perInterval.length; k++) perInterval[k] += w.intervals[k];
            lines.add(new RandomIoReport.JobLine(w.index, w.tid, w.ios, sec, rate, latency(w.latency),
                    u.userMicros() / 1e6, u.systemMicros() / 1e6, u.voluntarySwitches(), u.involuntarySwitches()));
        }
        int samples = rampOnly ? 0 : Math.min(wholeIntervals, perInterval.length);
        double intervalMean = Double.NaN;
        if (samples > 0) {
            long sum = 0;
            for (int k = 0; k < samples; k++) sum += perInterval[k];
            intervalMean = sum / (samples * (JobWorker.INTERVAL_NANOS / 1e9));
        }
        Map<String, Integer> kinds = new LinkedHashMap<>();
        double helper = rampOnly || before == null || after == null ? Double.NaN
                : HelperCpu.seconds(before, after, tids, comms, spec.engine().equals("posixaio"), kinds);
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("offsets", spec.rw().random() ? "uniform over the target's " + spec.bs() + "-byte blocks with"
                + " replacement (SplitMix64, seed " + spec.seed() + ", one stream per job; fio's norandommap=1)"
                : "sequential from offset 0, wrapping");
        facts.put("loop", "iodepth " + spec.iodepth() + " always queued or in flight per job; "
                + (spec.batchSubmit() == 0 ? "what is queued is submitted with the wait"
                : spec.batchSubmit() == 1 ? "a completed slot's next I/O is submitted at once while others are in"
                  + " flight (fio's iodepth_batch_submit=1)"
                : "completed slots' next I/Os are submitted once " + spec.batchSubmit() + " are queued while others"
                  + " are in flight, the rest with the wait") + ": submit and wait for at least one completion in one"
                + " call (" + callOf(spec.engine()) + ")");
        facts.put("checks", target.headers() ? "every read's sector headers name its offset; the last writes of"
                + " each job are read back" : "results checked for length only (the target's content is not known)");
        workers.get(0).engineFacts.forEach((k, v) -> facts.put("engine." + k, v));
        // io-wq workers alive at the end of the window (IOSQE_ASYNC, or requests the kernel punts: thesis exp 13-15)
        if (!rampOnly) facts.put(IO_WQ_WORKERS, Integer.toString(kinds.getOrDefault(HelperCpu.IO_WQ_WORKER, 0)));
        return new RandomIoReport("aiobench", spec, target.describe(), ios, reads, writes,
                workers.isEmpty() || rampOnly ? 0 : window / workers.size(), iops, intervalMean, samples,
                latency(all), latency(allCompletion), user, sys, helper, HelperCpu.describe(kinds), ctxV, ctxI, ctxV + ctxI,
                verified, facts, lines);
    }

    private static String callOf(String engine) {
        return switch (engine) {
            case "io_uring" -> "io_uring_enter(to_submit, min_complete=1, GETEVENTS)";
            case "libaio" -> "io_submit, then io_getevents(min_nr=1)";
            case "posixaio" -> "aio_read/aio_write, then aio_suspend";
            default -> "pread/pwrite, one at a time";
        };
    }

    static RandomIoReport.Latency latency(Histogram h) {
        if (h.getTotalCount() == 0) {
            return new RandomIoReport.Latency(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new RandomIoReport.Latency(h.getMinValue() / 1e3, h.getMean() / 1e3, h.getValueAtPercentile(50) / 1e3,
                h.getValueAtPercentile(90) / 1e3, h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3,
                h.getMaxValue() / 1e3);
    }
}
