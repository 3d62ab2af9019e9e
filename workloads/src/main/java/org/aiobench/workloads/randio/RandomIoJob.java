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
        List<java.nio.file.Path> disks = rampOnly ? List.of() : DiskStats.disksOf(target.path());
        DiskStats.Snapshot disksBefore = null, disksAfter = null;
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
                disksBefore = DiskStats.take(disks);
                if (spec.timeBased()) {
                    sleepUntil(times[2], control);
                    after = HelperCpu.Snapshot.take();
                    disksAfter = DiskStats.take(disks);
                }
            }
            for (Thread t : threads) t.join();
            if (!spec.timeBased() && !rampOnly) {
                after = HelperCpu.Snapshot.take();
                disksAfter = DiskStats.take(disks);
            }
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
        return report(spec, target, workers, before, after, DiskStats.between(disksBefore, disksAfter), rampOnly);
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
                                         List<FioStats.Disk> disks, boolean rampOnly) {
        Histogram all = new Histogram(1, JobWorker.HIGHEST_LATENCY_NANOS, 3);
        Histogram allCompletion = new Histogram(1, JobWorker.HIGHEST_LATENCY_NANOS, 3);
        long ios = 0, reads = 0, writes = 0, ctxV = 0, ctxI = 0, verified = 0, readsVerified = 0, inWindow = 0,
                spins = 0, minf = 0, majf = 0;
        double iops = 0, window = 0, user = 0, sys = 0;
        int wholeIntervals = Integer.MAX_VALUE;
        long[] perInterval = new long[workers.get(0).intervals[0].length];
        List<RandomIoReport.JobLine> lines = new ArrayList<>();
        Set<Integer> tids = new HashSet<>();
        Set<String> comms = new HashSet<>();
        for (JobWorker w : workers) {
            tids.add(w.tid);
            String name = "randio-job-" + w.index;
            comms.add(name.substring(0, Math.min(15, name.length()))); // the kernel keeps 15 bytes of a name
            verified += w.writesVerified;
            readsVerified += w.readsVerified;
            if (rampOnly) continue;
            inWindow += w.readsVerifiedInWindow;
            spins += w.thinkSpinsInWindow;
            double sec = (w.windowEnd - w.windowStart) / 1e9;
            double rate = sec > 0 ? w.ios / sec : 0;
            ios += w.ios;
            reads += w.reads;
            writes += w.writes;
            iops += rate;
            window += sec;
            Histogram jobLat = new Histogram(1, JobWorker.HIGHEST_LATENCY_NANOS, 3);
            for (int d = JobWorker.READ; d <= JobWorker.WRITE; d++) {
                jobLat.add(w.latHistogram[d]);
                allCompletion.add(w.clatHistogram[d]);
            }
            all.add(jobLat);
            ResourceUsage u = w.usage;
            user += u.userMicros() / 1e6;
            sys += u.systemMicros() / 1e6;
            ctxV += u.voluntarySwitches();
            ctxI += u.involuntarySwitches();
            minf += u.minorFaults();
            majf += u.majorFaults();
            int whole = (int) ((w.windowEnd - w.windowStart) / JobWorker.INTERVAL_NANOS);
            wholeIntervals = Math.min(wholeIntervals, whole);
            for (int k = 0; k < perInterval.length; k++) perInterval[k] += w.intervals[0][k] + w.intervals[1][k];
            lines.add(new RandomIoReport.JobLine(w.index, w.tid, w.ios, sec, rate, latency(jobLat),
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
        facts.put("checks", !target.headers() ? "results checked for length only (the target's content is not known)"
                : (spec.verify() ? "every read's sector headers name its offset, in the window too (verify)"
                : "every read's sector headers name its offset during the ramp's first half (the second rehearses"
                  + " the window) and after the window, none in the window (fio without verify= checks none; --verify"
                  + " checks them too)")
                + "; writes carry their sector headers (as fio's default scramble_buffers writes offset and time"
                + " into every sector), and the last writes of each job are read back");
        if (spec.thinkcycles() > 0) {
            facts.put("think", "thinkcycles=" + spec.thinkcycles() + ": a loop of that many x86 PAUSE instructions"
                    + " (fio's cycles_spin), once per I/O issued, after its submission, as fio's do_io");
        }
        workers.get(0).engineFacts.forEach((k, v) -> facts.put("engine." + k, v));
        // io-wq workers alive at the end of the window (IOSQE_ASYNC, or requests the kernel punts: thesis exp 13-15)
        if (!rampOnly) facts.put(IO_WQ_WORKERS, Integer.toString(kinds.getOrDefault(HelperCpu.IO_WQ_WORKER, 0)));
        FioStats fio = rampOnly ? null : fioStats(spec, workers, window, user, sys, ctxV + ctxI, majf, minf, disks);
        return new RandomIoReport("aiobench", spec, target.describe(), ios, reads, writes,
                workers.isEmpty() || rampOnly ? 0 : window / workers.size(), iops, intervalMean, samples,
                latency(all), latency(allCompletion), user, sys, helper, HelperCpu.describe(kinds), ctxV, ctxI, ctxV + ctxI,
                verified, facts, lines, fio, readsVerified, inWindow, spins);
    }

    /** The job's numbers in fio's terms ({@link FioStats}): the jobs as one group, as fio's group_reporting. */
    private static FioStats fioStats(JobSpec spec, List<JobWorker> workers, double windowSec, double user, double sys,
                                     long ctx, long majf, long minf, List<FioStats.Disk> disks) {
        FioStats.Dir[] dirs = new FioStats.Dir[2];
        Histogram clatAll = new Histogram(1, JobWorker.HIGHEST_LATENCY_NANOS, 3);
        long[] depth = new long[7], submit = new long[7], complete = new long[7];
        long issued = 0;
        for (JobWorker w : workers) {
            for (int i = 0; i < 7; i++) {
                depth[i] += w.depthMap[i];
                submit[i] += w.submitMap[i];
                complete[i] += w.completeMap[i];
            }
            issued += w.ios;
        }
        for (int d = JobWorker.READ; d <= JobWorker.WRITE; d++) {
            long n = 0, runtimeMs = 0;
            List<FioStats.Summary> slat = new ArrayList<>(), clat = new ArrayList<>(), lat = new ArrayList<>();
            Histogram ch = new Histogram(1, JobWorker.HIGHEST_LATENCY_NANOS, 3);
            Histogram lh = new Histogram(1, JobWorker.HIGHEST_LATENCY_NANOS, 3);
            List<Double> iopsSamples = new ArrayList<>();
            for (JobWorker w : workers) {
                n += w.lat[d].count();
                runtimeMs = Math.max(runtimeMs, Math.round((w.windowEnd - w.windowStart) / 1e6));
                slat.add(w.slat[d].summary());
                clat.add(w.clat[d].summary());
                lat.add(w.lat[d].summary());
                ch.add(w.clatHistogram[d]);
                lh.add(w.latHistogram[d]);
                // fio samples each job's IOPS every 0.5 s; group_reporting pools the jobs' samples
                int whole = (int) Math.min(w.intervals[d].length, (w.windowEnd - w.windowStart) / FioStats.SAMPLE_NANOS);
                for (int k = 0; k < whole; k++) iopsSamples.add(w.intervals[d][k] * 1e9 / FioStats.SAMPLE_NANOS);
            }
            clatAll.add(ch);
            if (n == 0) continue;
            double[] iopsV = iopsSamples.stream().mapToDouble(Double::doubleValue).toArray();
            double[] bwV = iopsSamples.stream().mapToDouble(v -> v * spec.bs() / 1024.0).toArray();
            FioStats.Samples bw = FioStats.Samples.of(bwV);
            long ioBytes = n * spec.bs();
            double groupKiB = runtimeMs == 0 ? 0 : ioBytes * 1000.0 / runtimeMs / 1024;
            double agg = groupKiB > 1 ? Math.min(100, bw.mean() * 100 / groupKiB) : 100;
            dirs[d] = new FioStats.Dir(n, ioBytes, runtimeMs, LatencyStat.combine(slat), LatencyStat.combine(clat),
                    LatencyStat.combine(lat), percentiles(ch), percentiles(lh), bw, FioStats.Samples.of(iopsV), agg, 0, 0);
        }
        double runtimeSec = windowSec;
        return new FioStats(FioJob.JOB_NAME, workers.size(), spec.iodepth(), dirs[0], dirs[1],
                runtimeSec > 0 ? 100 * user / runtimeSec : 0, runtimeSec > 0 ? 100 * sys / runtimeSec : 0, ctx, majf,
                minf, Math.round(windowSec * 1000), distribution(depth, issued, 0.1),
                distribution(submit, sum(submit), 0.1), distribution(complete, sum(complete), 0.1),
                latencyBuckets(clatAll, 1, issued), latencyBuckets(clatAll, 1000, issued),
                latencyBuckets(clatAll, 1_000_000, issued), disks);
    }

    private static long sum(long[] v) {
        long s = 0;
        for (long x : v) s += x;
        return s;
    }

    /** Percent of the total in each bucket, a nonzero bucket shown as at least {@code floor} (as fio does). */
    private static double[] distribution(long[] map, long total, double floor) {
        double[] out = new double[map.length];
        for (int i = 0; i < map.length; i++) {
            out[i] = total == 0 ? 0 : 100.0 * map[i] / total;
            if (map[i] > 0 && out[i] < floor) out[i] = floor;
        }
        return out;
    }

    /** fio's latency_ns/us/ms: percent of I/Os whose clat falls in each of its buckets, in units of {@code unit} ns. */
    private static double[] latencyBuckets(Histogram clat, long unit, long total) {
        String[] keys = unit == 1_000_000 ? FioStats.LAT_MS_KEYS : FioStats.LAT_KEYS;
        long[] counts = new long[keys.length];
        long lo = unit == 1 ? 0 : unit; // below 1 us is the ns line's, below 1 ms the us line's
        for (int i = 0; i < keys.length; i++) {
            boolean last = keys[i].startsWith(">=");
            long hi = last ? Long.MAX_VALUE : Long.parseLong(keys[i]) * unit;
            long from = i == 0 ? lo : Long.parseLong(keys[i - 1]) * unit;
            if (last) from = 2000 * unit;
            long top = Math.min(hi, clat.getMaxValue() + 1);
            counts[i] = top <= from ? 0 : clat.getCountBetweenValues(from, top - 1);
        }
        return distribution(counts, total, 0.01);
    }

    /** fio's default percentile list, from a histogram (ns). */
    private static java.util.SortedMap<Double, Long> percentiles(Histogram h) {
        java.util.SortedMap<Double, Long> m = new java.util.TreeMap<>();
        if (h.getTotalCount() == 0) return m;
        for (double p : FioStats.DEFAULT_PERCENTILES) m.put(p, h.getValueAtPercentile(p));
        return m;
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
