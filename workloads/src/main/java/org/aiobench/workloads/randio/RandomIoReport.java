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
 */
public record RandomIoReport(String source, JobSpec spec, String target, long ios, long reads, long writes,
                             double windowSec, double iops, double iopsIntervalMean, int intervalSamples,
                             Latency latency, Latency completionLatency, double cpuUserSec, double cpuSysSec, double helperCpuSec,
                             String helpers, long ctxVoluntary, long ctxInvoluntary,
                             long ctxSwitches, long writesVerified, Map<String, String> facts, List<JobLine> jobs) {

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
                CLAT_P999, CPU_PER_IO)) {
            m.put(k, "us");
        }
        for (String k : List.of(CPU_USER, CPU_SYS, HELPER_CPU, RUNTIME)) m.put(k, "s");
        for (String k : List.of(CTX_VOLUNTARY, CTX_INVOLUNTARY, CTX_SWITCHES, IOS)) m.put(k, "count");
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
        m.put(CPU_PER_IO, cpuPerIoUs());
        m.put(CTX_VOLUNTARY, ctxVoluntary < 0 ? Double.NaN : (double) ctxVoluntary);
        m.put(CTX_INVOLUNTARY, ctxInvoluntary < 0 ? Double.NaN : (double) ctxInvoluntary);
        m.put(CTX_SWITCHES, (double) ctxSwitches);
        m.put(IOS, (double) ios);
        m.put(RUNTIME, windowSec);
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

    /** A summary a fio user reads at once. */
    public String summary() {
        StringBuilder b = new StringBuilder();
        b.append("randio (").append(source).append("): ").append(spec.label()).append('\n');
        b.append("target: ").append(target).append('\n');
        String dir = spec.rw() == Rw.RANDRW ? "read+write" : spec.rw().reads() ? "read" : "write";
        double bytesPerSec = iops * spec.bs();
        b.append(String.format(Locale.ROOT, "  %s: IOPS=%s, BW=%s/s (%.1fMB/s), %d I/Os in %.2f s%n", dir, k(iops),
                Sizes.human((long) bytesPerSec), bytesPerSec / 1e6, ios, windowSec));
        if (spec.rw() == Rw.RANDRW) b.append(String.format(Locale.ROOT, "    reads %d, writes %d%n", reads, writes));
        b.append(String.format(Locale.ROOT, "    iops: mean of %d 0.5 s intervals=%s%n", intervalSamples,
                Double.isNaN(iopsIntervalMean) ? "n/a (window shorter than 0.5 s)" : k(iopsIntervalMean)));
        b.append(String.format(Locale.ROOT, "    lat (usec): min=%s, max=%s, avg=%s%n", us(latency.min()), us(latency.max()),
                us(latency.mean())));
        b.append(String.format(Locale.ROOT, "    lat percentiles (usec): 50.00th=[%s], 90.00th=[%s], 99.00th=[%s], 99.90th=[%s]%n",
                us(latency.p50()), us(latency.p90()), us(latency.p99()), us(latency.p999())));
        Latency c = completionLatency;
        b.append(Double.isNaN(c.mean()) ? "    clat: n/a (no submission returned before its I/O was waited for: one call"
                + " submitted and waited, or did the I/O itself)\n"
                : String.format(Locale.ROOT, "    clat (usec): avg=%s, 50.00th=[%s], 99.00th=[%s], 99.90th=[%s], max=%s%n",
                us(c.mean()), us(c.p50()), us(c.p99()), us(c.p999()), us(c.max())));
        double w = windowSec > 0 ? windowSec : Double.NaN;
        b.append(String.format(Locale.ROOT, "  cpu: job threads usr=%.1f%% sys=%.1f%%", 100 * cpuUserSec / w, 100 * cpuSysSec / w));
        if (!Double.isNaN(helperCpuSec)) {
            b.append(String.format(Locale.ROOT, ", helper threads %.1f%% (%s)", 100 * helperCpuSec / w, helpers));
        } else {
            b.append(" (").append(helpers).append(")");
        }
        b.append(String.format(Locale.ROOT, ", %s us CPU per I/O, ctx=%d", us(cpuPerIoUs()), ctxSwitches));
        if (ctxVoluntary >= 0) b.append(" (voluntary ").append(ctxVoluntary).append(", involuntary ").append(ctxInvoluntary).append(')');
        b.append('\n');
        if (jobs.size() > 1) {
            for (JobLine j : jobs) {
                b.append(String.format(Locale.ROOT, "  job %d (tid %d): IOPS=%s, lat avg=%s p99=%s us, usr=%.2f s sys=%.2f s%n",
                        j.job(), j.tid(), k(j.iops()), us(j.latency().mean()), us(j.latency().p99()), j.cpuUserSec(), j.cpuSysSec()));
            }
        }
        if (writesVerified > 0) {
            b.append("  verified: ").append(writesVerified).append(" of the last writes read back as written\n");
        }
        facts.forEach((key, v) -> {
            if (!SUMMARY_LEAVES_OUT.contains(key)) b.append("  ").append(key).append(": ").append(v).append('\n');
        });
        return b.toString();
    }

    /** The same as JSON (the CLI's --json). */
    public ObjectNode toJson(ObjectMapper json) {
        ObjectNode root = json.createObjectNode();
        root.put("source", source);
        ObjectNode job = root.putObject("job");
        spec.params().forEach(job::put);
        root.put("target", target);
        ObjectNode t = root.putObject("total");
        t.put("ios", ios);
        if (spec.rw() == Rw.RANDRW) {
            t.put("reads", reads);
            t.put("writes", writes);
        }
        t.put("runtimeSec", windowSec);
        t.put("iops", iops);
        putNumber(t, "iopsIntervalMean", iopsIntervalMean);
        t.put("intervalSamples", intervalSamples);
        t.put("bwBytesPerSec", iops * spec.bs());
        t.put("mbPerSec", mbPerSec());
        latencyJson(t.putObject("latencyUs"), latency);
        latencyJson(t.putObject("completionLatencyUs"), completionLatency);
        ObjectNode cpu = t.putObject("cpu");
        cpu.put("jobUserSec", cpuUserSec);
        cpu.put("jobSysSec", cpuSysSec);
        putNumber(cpu, "helperSec", helperCpuSec);
        cpu.put("helpers", helpers);
        putNumber(cpu, "perIoUs", cpuPerIoUs());
        ObjectNode ctx = t.putObject("ctx");
        ctx.put("switches", ctxSwitches);
        if (ctxVoluntary >= 0) {
            ctx.put("voluntary", ctxVoluntary);
            ctx.put("involuntary", ctxInvoluntary);
        }
        if (writesVerified > 0) t.put("writesVerified", writesVerified);
        var arr = root.putArray("jobs");
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
        ObjectNode f = root.putObject("facts");
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
