package org.aiobench.workloads.randio;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.aiobench.workloads.Sizes;

/**
 * What one random-I/O job run measured, in total over its jobs, whether aiobench ran it ({@link RandomIoJob}) or fio
 * did ({@link FioJob}): the same numbers under the same names, so the two compare line by line. The metric names
 * and units ({@link #UNITS}) are those of the results (results/README.md).
 *
 * @param source           "aiobench" or fio's version ("fio-3.33")
 * @param target           the target's one-line description
 * @param ios              I/Os completed in the measured window, all jobs
 * @param windowSec        the measured window (the mean over the jobs)
 * @param iops             I/Os per second: the sum over the jobs of each job's I/Os / its window
 * @param iopsIntervalMean the mean over the window's whole 0.5 s intervals of the I/Os completed in them (all jobs)
 *                         per second, as the thesis took IOPS from fio; NaN when the window holds no whole interval
 * @param latency          submission to completion (fio's lat), in microseconds
 * @param completionLatency from the return of the submitting call to completion (fio's clat), where the job can tell
 *                         (NaN where every I/O was submitted with the wait in one call)
 * @param cpuUserSec       user CPU of the job threads in the window (fio: of its job processes, which includes
 *                         their io_uring kernel threads)
 * @param helperCpuSec     CPU of the helper threads in the window ({@link HelperCpu}); NaN where not measured
 *                         (fio, whose job processes' CPU includes them)
 * @param helpers          which helper threads there were
 * @param ctxSwitches      context switches of the job threads (voluntary + involuntary)
 * @param facts            what the engine or fio decided (ring sizes, flags, fio's command line ...)
 * @param jobs             one line per job (aiobench only; fio's group report has none)
 * @param fio              the same run in fio's terms and layout (per direction slat/clat/lat, percentiles, interval
 *                         statistics, depth distributions, disk utilisation); null where there is none (the
 *                         cross-thread experiments)
 * @param readsVerified    reads whose sector headers were checked (ramp, window and after)
 * @param readsVerifiedInWindow those of them in the measured window (0 unless verify)
 * @param thinkSpinsInWindow think-time spins in the window (one per I/O issued)
 */
public record RandomIoReport(String source, JobSpec spec, String target, long ios, long reads, long writes,
                             double windowSec, double iops, double iopsIntervalMean, int intervalSamples,
                             Latency latency, Latency completionLatency, double cpuUserSec, double cpuSysSec, double helperCpuSec,
                             String helpers, long ctxVoluntary, long ctxInvoluntary,
                             long ctxSwitches, long writesVerified, Map<String, String> facts, List<JobLine> jobs,
                             FioStats fio, long readsVerified, long readsVerifiedInWindow, long thinkSpinsInWindow) {

    /** Latency in microseconds. */
    public record Latency(double min, double mean, double p50, double p90, double p99, double p999, double max) {}

    /** One job's share. */
    public record JobLine(int job, int tid, long ios, double windowSec, double iops, Latency latency,
                          double cpuUserSec, double cpuSysSec, long ctxVoluntary, long ctxInvoluntary) {}

    public static final String IOPS = "iops";
    public static final String IOPS_INTERVAL_MEAN = "iopsIntervalMean";
    public static final String MB_PER_SEC = "mbPerSec";
    public static final String LAT_MEAN = "latMeanUs";
    public static final String LAT_P50 = "latP50Us";
    public static final String LAT_P90 = "latP90Us";
    public static final String LAT_P99 = "latP99Us";
    public static final String LAT_P999 = "latP999Us";
    public static final String LAT_MAX = "latMaxUs";
    public static final String CLAT_MEAN = "clatMeanUs";
    public static final String CLAT_P50 = "clatP50Us";
    public static final String CLAT_P99 = "clatP99Us";
    public static final String CLAT_P999 = "clatP999Us";
    public static final String CPU_USER = "cpuUserSec";
    public static final String CPU_SYS = "cpuSysSec";
    public static final String HELPER_CPU = "helperCpuSec";
    public static final String CPU_PER_IO = "cpuPerIoUs";
    /** CPU of the job threads alone per I/O: what fio's usr_cpu and sys_cpu count (RUSAGE_THREAD). */
    public static final String JOB_CPU_PER_IO = "jobCpuPerIoUs";
    public static final String SLAT_MEAN = "slatMeanUs";
    public static final String READS_VERIFIED = "readsVerified";
    public static final String CTX_VOLUNTARY = "ctxVoluntary";
    public static final String CTX_INVOLUNTARY = "ctxInvoluntary";
    public static final String CTX_SWITCHES = "ctxSwitches";
    public static final String IOS = "ios";
    public static final String RUNTIME = "runtimeSec";

    /** The unit of each metric, as JMH reports it. */
    public static final Map<String, String> UNITS = units();

    private static Map<String, String> units() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(IOPS_INTERVAL_MEAN, "ops/s");
        m.put(MB_PER_SEC, "MB/s");
        for (String k : List.of(LAT_MEAN, LAT_P50, LAT_P90, LAT_P99, LAT_P999, LAT_MAX, CLAT_MEAN, CLAT_P50, CLAT_P99,
                CLAT_P999, SLAT_MEAN, CPU_PER_IO, JOB_CPU_PER_IO)) {
            m.put(k, "us");
        }
        for (String k : List.of(CPU_USER, CPU_SYS, HELPER_CPU, RUNTIME)) m.put(k, "s");
        for (String k : List.of(CTX_VOLUNTARY, CTX_INVOLUNTARY, CTX_SWITCHES, IOS, READS_VERIFIED)) m.put(k, "count");
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Bytes per second / 10^6. */
    public double mbPerSec() {
        return iops * spec.bs() / 1e6;
    }

    /** CPU time (job threads and helpers) per I/O, in microseconds. */
    public double cpuPerIoUs() {
        double helpers = Double.isNaN(helperCpuSec) ? 0 : helperCpuSec;
        return ios == 0 ? Double.NaN : (cpuUserSec + cpuSysSec + helpers) / ios * 1e6;
    }

    /** This report with the helper threads' CPU measured from outside (fio's, {@link FioHelpers}). */
    public RandomIoReport withHelperCpu(double seconds, String what) {
        return new RandomIoReport(source, spec, target, ios, reads, writes, windowSec, iops, iopsIntervalMean,
                intervalSamples, latency, completionLatency, cpuUserSec, cpuSysSec, seconds, what, ctxVoluntary,
                ctxInvoluntary, ctxSwitches, writesVerified, facts, jobs, fio, readsVerified, readsVerifiedInWindow,
                thinkSpinsInWindow);
    }

    /** CPU time of the job threads alone per I/O, in microseconds: what fio's figures count. */
    public double jobCpuPerIoUs() {
        return ios == 0 ? Double.NaN : (cpuUserSec + cpuSysSec) / ios * 1e6;
    }

    /** Mean submission latency over both directions (fio's slat), microseconds; NaN where no I/O had one. */
    public double slatMeanUs() {
        if (fio == null) return Double.NaN;
        FioStats.Summary s = LatencyStat.combine(java.util.stream.Stream.of(fio.read(), fio.write())
                .filter(java.util.Objects::nonNull).map(FioStats.Dir::slat).toList());
        return s.n() == 0 ? Double.NaN : s.mean() / 1e3;
    }

    /** The secondary metrics by their results names (NaN ones left out). */
    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(IOPS_INTERVAL_MEAN, iopsIntervalMean);
        m.put(MB_PER_SEC, mbPerSec());
        m.put(LAT_MEAN, latency.mean());
        m.put(LAT_P50, latency.p50());
        m.put(LAT_P90, latency.p90());
        m.put(LAT_P99, latency.p99());
        m.put(LAT_P999, latency.p999());
        m.put(LAT_MAX, latency.max());
        m.put(CLAT_MEAN, completionLatency.mean());
        m.put(CLAT_P50, completionLatency.p50());
        m.put(CLAT_P99, completionLatency.p99());
        m.put(CLAT_P999, completionLatency.p999());
        m.put(CPU_USER, cpuUserSec);
        m.put(CPU_SYS, cpuSysSec);
        m.put(HELPER_CPU, helperCpuSec);
        m.put(SLAT_MEAN, slatMeanUs());
        m.put(CPU_PER_IO, cpuPerIoUs());
        m.put(JOB_CPU_PER_IO, jobCpuPerIoUs());
        m.put(CTX_VOLUNTARY, ctxVoluntary < 0 ? Double.NaN : (double) ctxVoluntary);
        m.put(CTX_INVOLUNTARY, ctxInvoluntary < 0 ? Double.NaN : (double) ctxInvoluntary);
        m.put(CTX_SWITCHES, (double) ctxSwitches);
        m.put(IOS, (double) ios);
        m.put(RUNTIME, windowSec);
        if (fio != null && source.equals("aiobench")) m.put(READS_VERIFIED, (double) readsVerified);
        m.values().removeIf(v -> v == null || Double.isNaN(v));
        return m;
    }

    // ---- output -----------------------------------------------------------------------------------------------

    private static String k(double v) {
        if (v >= 1e6) return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        if (v >= 1e4) return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        return String.format(Locale.ROOT, "%.0f", v);
    }

    private static String us(double v) {
        return Double.isNaN(v) ? "n/a" : v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    /** Engine facts the summary leaves to --json (the same for every job of an engine). */
    private static final java.util.Set<String> SUMMARY_LEAVES_OUT = java.util.Set.of("engine.ring.features",
            "engine.ring.mmap", "engine.links", "engine.fsync", "engine.fallocate", "engine.nop", "engine.kernel");

    /**
     * What fio prints for the job, in its layout and words ({@link FioStats#normal}), then what aiobench measures
     * besides: the helper threads' CPU beside the job threads' (which fio's usr/sys count alone), CPU per I/O, the
     * thesis' interval IOPS, the verification, the think time, the jobs one by one and what the engine decided.
     */
    public String summary() {
        if (fio == null) return plainSummary();
        StringBuilder b = new StringBuilder();
        b.append(FioJob.JOB_NAME).append(": (g=0): rw=").append(spec.rw().fioName()).append(", bs=(R) ")
                .append(spec.bs()).append("B-").append(spec.bs()).append("B, (W) ").append(spec.bs()).append("B-")
                .append(spec.bs()).append("B, (T) ").append(spec.bs()).append("B-").append(spec.bs())
                .append("B, ioengine=").append(engineName()).append(", iodepth=").append(spec.iodepth()).append('\n');
        b.append(source.equals("aiobench") ? "aiobench randio (" + spec.label() + ")" : source).append('\n');
        b.append("Starting ").append(spec.numjobs()).append(spec.numjobs() == 1 ? " thread" : " threads")
                .append(" on ").append(target).append("\n\n");
        b.append(fio.normal((int) ProcessHandle.current().pid(), java.time.ZonedDateTime.now()));
        b.append("\naiobench, beyond fio's report (the window only; fio's usr/sys count the job threads alone):\n");
        double w = windowSec > 0 ? windowSec : Double.NaN;
        if (!Double.isNaN(helperCpuSec)) {
            b.append(String.format(Locale.ROOT, "  helper cpu   : %.2f%% of the window (%s), not in fio's usr/sys%n",
                    100 * helperCpuSec / w, helpers));
        } else {
            b.append("  helper cpu   : ").append(helpers).append('\n');
        }
        b.append(String.format(Locale.ROOT, "  cpu per I/O  : %s us: job threads %s us (what fio's usr+sys count)", us(cpuPerIoUs()),
                us(jobCpuPerIoUs())));
        if (!Double.isNaN(helperCpuSec) && ios > 0) b.append(String.format(Locale.ROOT, " + helper threads %s us", us(helperCpuSec / ios * 1e6)));
        b.append(String.format(Locale.ROOT, "; ctx voluntary %d, involuntary %d%n", ctxVoluntary, ctxInvoluntary));
        b.append(String.format(Locale.ROOT, "  iops (all)   : %s over the window, mean of %d whole 0.5 s intervals %s%n",
                k(iops), intervalSamples, Double.isNaN(iopsIntervalMean) ? "n/a (window shorter than 0.5 s)" : k(iopsIntervalMean)));
        b.append("  verified     : ").append(verification()).append('\n');
        if (spec.thinkcycles() > 0) {
            b.append(String.format(Locale.ROOT, "  think        : %d spins of %d PAUSE in the window for %d I/Os (one per I/O"
                    + " issued, as fio's thinkcycles)%n", thinkSpinsInWindow, spec.thinkcycles(), ios));
        }
        if (jobs.size() > 1) {
            for (JobLine j : jobs) {
                b.append(String.format(Locale.ROOT, "  job %-8d : tid %d, IOPS=%s, lat avg=%s p99=%s us, usr=%.2f s sys=%.2f s%n",
                        j.job(), j.tid(), k(j.iops()), us(j.latency().mean()), us(j.latency().p99()), j.cpuUserSec(), j.cpuSysSec()));
            }
        }
        facts.forEach((key, v) -> {
            if (!SUMMARY_LEAVES_OUT.contains(key) && !key.equals("checks")) b.append("  ").append(key).append(": ").append(v).append('\n');
        });
        return b.toString();
    }

    private String engineName() {
        try {
            return FioJob.engine(spec.engine());
        } catch (RuntimeException e) {
            return spec.engine();
        }
    }

    /** "123456 reads' sector headers (none in the window ...), 64 writes read back". */
    String verification() {
        StringBuilder b = new StringBuilder();
        b.append(readsVerified).append(" reads' sector headers checked");
        if (spec.verify()) b.append(" (").append(readsVerifiedInWindow).append(" of them in the window: --verify)");
        else b.append(" during the ramp's first half and after the window, none in it (fio without verify= checks none; --verify checks them too)");
        if (writesVerified > 0) b.append(", ").append(writesVerified).append(" of the last writes read back as written");
        return b.toString();
    }

    /** The summary of a report without fio's numbers (the cross-thread experiments). */
    private String plainSummary() {
        StringBuilder b = new StringBuilder();
        b.append("randio (").append(source).append("): ").append(spec.label()).append('\n');
        b.append("target: ").append(target).append('\n');
        b.append(String.format(Locale.ROOT, "  IOPS=%s, %d in %.2f s%n", k(iops), ios, windowSec));
        b.append(String.format(Locale.ROOT, "    lat (usec): min=%s, max=%s, avg=%s, 50.00th=[%s], 99.00th=[%s]%n",
                us(latency.min()), us(latency.max()), us(latency.mean()), us(latency.p50()), us(latency.p99())));
        double w = windowSec > 0 ? windowSec : Double.NaN;
        b.append(String.format(Locale.ROOT, "  cpu: usr=%.1f%% sys=%.1f%%, %s us CPU per I/O, ctx=%d%n", 100 * cpuUserSec / w,
                100 * cpuSysSec / w, us(cpuPerIoUs()), ctxSwitches));
        facts.forEach((key, v) -> b.append("  ").append(key).append(": ").append(v).append('\n'));
        return b.toString();
    }

    /**
     * fio's JSON ({@code --output-format=json}) for the job: {@code jobs} (one entry, the group) and
     * {@code disk_util} with fio's field names, so a script written for fio's JSON reads it; what fio has no field
     * for is under {@code aiobench}.
     */
    public ObjectNode toJson(ObjectMapper json, Map<String, String> jobOptions) {
        ObjectNode root = json.createObjectNode();
        // where fio writes its version: who wrote this one
        root.put("fio version", source.equals("aiobench") ? "aiobench-randio (fio's JSON layout; not fio)" : source);
        long now = System.currentTimeMillis();
        root.put("timestamp", now / 1000);
        root.put("timestamp_ms", now);
        root.put("time", java.time.format.DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT)
                .format(java.time.ZonedDateTime.now()));
        if (fio != null) {
            root.putArray("jobs").add(fio.jobJson(json, jobOptions));
            root.set("disk_util", fio.diskJson(json));
        }
        ObjectNode a = root.putObject("aiobench");
        a.put("source", source);
        ObjectNode job = a.putObject("job");
        spec.params().forEach(job::put);
        a.put("target", target);
        a.put("ios", ios);
        a.put("runtimeSec", windowSec);
        a.put("iops", iops);
        putNumber(a, "iopsIntervalMean", iopsIntervalMean);
        a.put("intervalSamples", intervalSamples);
        ObjectNode cpu = a.putObject("cpu");
        cpu.put("jobUserSec", cpuUserSec);
        cpu.put("jobSysSec", cpuSysSec);
        putNumber(cpu, "helperSec", helperCpuSec);
        cpu.put("helpers", helpers);
        putNumber(cpu, "perIoUs", cpuPerIoUs());
        putNumber(cpu, "jobPerIoUs", jobCpuPerIoUs());
        ObjectNode ctx = a.putObject("ctx");
        ctx.put("voluntary", ctxVoluntary);
        ctx.put("involuntary", ctxInvoluntary);
        ObjectNode v = a.putObject("verified");
        v.put("reads", readsVerified);
        v.put("readsInWindow", readsVerifiedInWindow);
        v.put("writesReadBack", writesVerified);
        if (spec.thinkcycles() > 0) a.put("thinkSpinsInWindow", thinkSpinsInWindow);
        var arr = a.putArray("jobs");
        for (JobLine j : jobs) {
            ObjectNode o = arr.addObject();
            o.put("job", j.job());
            o.put("tid", j.tid());
            o.put("ios", j.ios());
            o.put("runtimeSec", j.windowSec());
            o.put("iops", j.iops());
            latencyJson(o.putObject("latencyUs"), j.latency());
            o.put("cpuUserSec", j.cpuUserSec());
            o.put("cpuSysSec", j.cpuSysSec());
            o.put("ctxVoluntary", j.ctxVoluntary());
            o.put("ctxInvoluntary", j.ctxInvoluntary());
        }
        ObjectNode f = a.putObject("facts");
        facts.forEach(f::put);
        return root;
    }

    private static void latencyJson(ObjectNode o, Latency l) {
        putNumber(o, "min", l.min());
        putNumber(o, "mean", l.mean());
        putNumber(o, "p50", l.p50());
        putNumber(o, "p90", l.p90());
        putNumber(o, "p99", l.p99());
        putNumber(o, "p99.9", l.p999());
        putNumber(o, "max", l.max());
    }

    private static void putNumber(ObjectNode o, String k, double v) {
        if (Double.isNaN(v)) o.putNull(k);
        else o.put(k, v);
    }
}
