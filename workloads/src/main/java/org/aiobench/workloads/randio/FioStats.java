package org.aiobench.workloads.randio;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What fio reports for one job (its group report: {@code group_reporting}), in fio's own terms, whether aiobench
 * measured it ({@link RandomIoJob}) or fio did ({@link FioJob#parse}): per direction the I/Os, bytes, IOPS and
 * bandwidth, submission, completion and total latency ({@code slat}, {@code clat}, {@code lat}: count, min, max,
 * mean, standard deviation), the completion- and total-latency percentiles at fio's default list, IOPS and
 * bandwidth over fio's 0.5 s sampling intervals (min, max, mean, standard deviation); the latency distribution,
 * usr/sys CPU in percent of the run time, context switches and page faults, the depth, submission and completion
 * distributions, and the disks' utilisation from /proc/diskstats.
 *
 * <p>{@link #json} writes it with fio's JSON field names ({@code --output-format=json}, one entry of {@code jobs}
 * and {@code disk_util}), so a script written for fio's JSON reads it; {@link #normal} prints it in fio's normal
 * layout and words. Both were checked against fio 3.33's own output of the same job.
 *
 * @param jobname     fio's --name
 * @param members     jobs in the group (numjobs)
 * @param iodepth     the job's iodepth (fio's latency line prints it)
 * @param read        reads, or null when the job read nothing
 * @param write       writes, or null when it wrote nothing
 * @param usrCpu      user CPU of the job threads, percent of their run time (fio's usr_cpu: RUSAGE_THREAD)
 * @param sysCpu      system CPU of the job threads, percent of their run time
 * @param jobRuntimeMs the jobs' run times, summed (fio's job_runtime)
 * @param iodepthLevel percent of I/Os submitted at each depth in flight (fio's iodepth_level: 1, 2, 4, 8, 16, 32,
 *                    &gt;=64, each holding the depths from it to the next)
 * @param iodepthSubmit percent of submitting calls by I/Os submitted (0, 4, 8, 16, 32, 64, &gt;=64)
 * @param iodepthComplete percent of reaping calls by I/Os completed
 * @param latencyNs   percent of I/Os by completion latency, buckets 2 to 1000 ns (fio's latency_ns)
 * @param latencyUs   the same, 2 to 1000 us
 * @param latencyMs   the same, 2 to &gt;=2000 ms
 * @param disks       the target's disk(s), over the measured window (fio: over the whole run)
 */
public record FioStats(String jobname, int members, int iodepth, Dir read, Dir write, double usrCpu, double sysCpu,
                       long ctx, long majf, long minf, long jobRuntimeMs, double[] iodepthLevel, double[] iodepthSubmit,
                       double[] iodepthComplete, double[] latencyNs, double[] latencyUs, double[] latencyMs,
                       List<Disk> disks) {

    /** fio's default percentile_list. */
    public static final double[] DEFAULT_PERCENTILES = {1, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 99, 99.5, 99.9,
            99.95, 99.99};
    /** fio's sampling interval of IOPS and bandwidth (iops_avg_time, bw_avg_time). */
    public static final long SAMPLE_NANOS = 500_000_000L;
    static final String[] DEPTH_KEYS = {"1", "2", "4", "8", "16", "32", ">=64"};
    static final String[] BATCH_KEYS = {"0", "4", "8", "16", "32", "64", ">=64"};
    static final String[] LAT_KEYS = {"2", "4", "10", "20", "50", "100", "250", "500", "750", "1000"};
    static final String[] LAT_MS_KEYS = {"2", "4", "10", "20", "50", "100", "250", "500", "750", "1000", "2000", ">=2000"};

    /** Count, min, max, mean and sample standard deviation of latencies in nanoseconds (fio's *_ns objects). */
    public record Summary(long n, long min, long max, double mean, double stdev) {
        public static final Summary NONE = new Summary(0, 0, 0, 0, 0);
    }

    /** min, max, mean and standard deviation of the sampling intervals' values, and how many there were. */
    public record Samples(long n, double min, double max, double mean, double stdev) {
        public static final Samples NONE = new Samples(0, 0, 0, 0, 0);

        /** Of these values (n - 1 in the deviation, as fio). */
        public static Samples of(double[] v) {
            if (v.length == 0) return NONE;
            double min = Double.MAX_VALUE, max = -Double.MAX_VALUE, sum = 0;
            for (double x : v) {
                min = Math.min(min, x);
                max = Math.max(max, x);
                sum += x;
            }
            double mean = sum / v.length, ss = 0;
            for (double x : v) ss += (x - mean) * (x - mean);
            return new Samples(v.length, min, max, mean, v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0);
        }
    }

    /**
     * One direction.
     *
     * @param clatPercentiles percentile -&gt; nanoseconds (fio's clat_ns.percentile), empty when not reported
     * @param latPercentiles  the same of the total latency (fio's lat_percentiles=1)
     * @param bw              bandwidth samples in KiB/s
     * @param iops            IOPS samples
     * @param bwAgg           percent of the group's bandwidth one job's mean is (fio's bw_agg; 100 for one job)
     */
    public record Dir(long totalIos, long ioBytes, long runtimeMs, Summary slat, Summary clat, Summary lat,
                      SortedMap<Double, Long> clatPercentiles, SortedMap<Double, Long> latPercentiles,
                      Samples bw, Samples iops, double bwAgg, long shortIos, long dropIos) {
        public double iopsValue() {
            return runtimeMs == 0 ? 0 : 1000.0 * totalIos / runtimeMs;
        }

        public long bwBytes() {
            return runtimeMs == 0 ? 0 : 1000 * ioBytes / runtimeMs;
        }
    }

    /** One disk's counters over the window (/proc/diskstats), as fio's disk_util entries. */
    public record Disk(String name, long readIos, long writeIos, long readMerges, long writeMerges, long readTicks,
                       long writeTicks, long inQueue, double util) {}

    // ---- fio's JSON -------------------------------------------------------------------------------------------

    /** The {@code jobs[]} entry as fio writes it (group_reporting: one entry for the group). */
    public ObjectNode jobJson(ObjectMapper m, Map<String, String> jobOptions) {
        ObjectNode j = m.createObjectNode();
        j.put("jobname", jobname);
        j.put("groupid", 0);
        j.put("error", 0);
        j.put("eta", 0);
        j.put("elapsed", Math.round(jobRuntimeMs / 1000.0 / Math.max(1, members)));
        ObjectNode opts = j.putObject("job options");
        jobOptions.forEach(opts::put);
        dirJson(j.putObject("read"), read);
        dirJson(j.putObject("write"), write);
        dirJson(j.putObject("trim"), null);
        ObjectNode sync = j.putObject("sync");
        sync.put("total_ios", 0);
        latJson(sync.putObject("lat_ns"), Summary.NONE, null);
        j.put("job_runtime", jobRuntimeMs);
        j.put("usr_cpu", round(usrCpu, 6));
        j.put("sys_cpu", round(sysCpu, 6));
        j.put("ctx", ctx);
        j.put("majf", majf);
        j.put("minf", minf);
        dist(j.putObject("iodepth_level"), DEPTH_KEYS, iodepthLevel);
        dist(j.putObject("iodepth_submit"), BATCH_KEYS, iodepthSubmit);
        dist(j.putObject("iodepth_complete"), BATCH_KEYS, iodepthComplete);
        dist(j.putObject("latency_ns"), LAT_KEYS, latencyNs);
        dist(j.putObject("latency_us"), LAT_KEYS, latencyUs);
        dist(j.putObject("latency_ms"), LAT_MS_KEYS, latencyMs);
        j.put("latency_depth", iodepth);
        j.put("latency_target", 0);
        j.put("latency_percentile", 100.0);
        j.put("latency_window", 0);
        return j;
    }

    /** fio's {@code disk_util} array. */
    public ArrayNode diskJson(ObjectMapper m) {
        ArrayNode a = m.createArrayNode();
        for (Disk d : disks) {
            ObjectNode o = a.addObject();
            o.put("name", d.name());
            o.put("read_ios", d.readIos());
            o.put("write_ios", d.writeIos());
            o.put("read_merges", d.readMerges());
            o.put("write_merges", d.writeMerges());
            o.put("read_ticks", d.readTicks());
            o.put("write_ticks", d.writeTicks());
            o.put("in_queue", d.inQueue());
            o.put("util", round(d.util(), 6));
        }
        return a;
    }

    private static void dirJson(ObjectNode o, Dir d) {
        Dir x = d != null ? d : new Dir(0, 0, 0, Summary.NONE, Summary.NONE, Summary.NONE, new TreeMap<>(),
                new TreeMap<>(), Samples.NONE, Samples.NONE, 0, 0, 0);
        o.put("io_bytes", x.ioBytes());
        o.put("io_kbytes", x.ioBytes() >> 10);
        o.put("bw_bytes", x.bwBytes());
        o.put("bw", x.bwBytes() / 1024);
        o.put("iops", round(x.iopsValue(), 6));
        o.put("runtime", x.runtimeMs());
        o.put("total_ios", x.totalIos());
        o.put("short_ios", x.shortIos());
        o.put("drop_ios", x.dropIos());
        latJson(o.putObject("slat_ns"), x.slat(), null);
        latJson(o.putObject("clat_ns"), x.clat(), x.clatPercentiles());
        latJson(o.putObject("lat_ns"), x.lat(), x.latPercentiles());
        o.put("bw_min", Math.round(x.bw().min()));
        o.put("bw_max", Math.round(x.bw().max()));
        o.put("bw_agg", round(x.bwAgg(), 6));
        o.put("bw_mean", round(x.bw().mean(), 6));
        o.put("bw_dev", round(x.bw().stdev(), 6));
        o.put("bw_samples", x.bw().n());
        o.put("iops_min", Math.round(x.iops().min()));
        o.put("iops_max", Math.round(x.iops().max()));
        o.put("iops_mean", round(x.iops().mean(), 6));
        o.put("iops_stddev", round(x.iops().stdev(), 6));
        o.put("iops_samples", x.iops().n());
    }

    private static void latJson(ObjectNode o, Summary s, SortedMap<Double, Long> pct) {
        o.put("min", s.min());
        o.put("max", s.max());
        o.put("mean", round(s.mean(), 6));
        o.put("stddev", round(s.stdev(), 6));
        o.put("N", s.n());
        if (pct != null && !pct.isEmpty() && s.n() > 0) {
            ObjectNode p = o.putObject("percentile");
            pct.forEach((k, v) -> p.put(percentileKey(k), v));
        }
    }

    /** "99.900000", as fio names a percentile. */
    static String percentileKey(double p) {
        return String.format(Locale.ROOT, "%f", p);
    }

    private static void dist(ObjectNode o, String[] keys, double[] v) {
        for (int i = 0; i < keys.length; i++) o.put(keys[i], round(v == null ? 0 : v[i], 6));
    }

    private static double round(double v, int digits) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return 0;
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    /** fio's {@code jobs[0]} entry and {@code disk_util} array (null: none) read back. */
    public static FioStats fromJson(JsonNode job, JsonNode diskUtil, int iodepth) {
        List<Disk> disks = new ArrayList<>();
        if (diskUtil != null && diskUtil.isArray()) {
            for (JsonNode d : diskUtil) {
                disks.add(new Disk(d.path("name").asText(), d.path("read_ios").asLong(), d.path("write_ios").asLong(),
                        d.path("read_merges").asLong(), d.path("write_merges").asLong(), d.path("read_ticks").asLong(),
                        d.path("write_ticks").asLong(), d.path("in_queue").asLong(), d.path("util").asDouble()));
            }
        }
        return new FioStats(job.path("jobname").asText("fio"), 1, iodepth, dirOf(job.path("read")),
                dirOf(job.path("write")), job.path("usr_cpu").asDouble(), job.path("sys_cpu").asDouble(),
                job.path("ctx").asLong(), job.path("majf").asLong(), job.path("minf").asLong(),
                job.path("job_runtime").asLong(), distOf(job.path("iodepth_level"), DEPTH_KEYS),
                distOf(job.path("iodepth_submit"), BATCH_KEYS), distOf(job.path("iodepth_complete"), BATCH_KEYS),
                distOf(job.path("latency_ns"), LAT_KEYS), distOf(job.path("latency_us"), LAT_KEYS),
                distOf(job.path("latency_ms"), LAT_MS_KEYS), disks);
    }

    private static Dir dirOf(JsonNode d) {
        if (d.path("total_ios").asLong(0) == 0) return null;
        return new Dir(d.path("total_ios").asLong(), d.path("io_bytes").asLong(), d.path("runtime").asLong(),
                summaryOf(d.path("slat_ns")), summaryOf(d.path("clat_ns")), summaryOf(d.path("lat_ns")),
                percentilesOf(d.path("clat_ns").path("percentile")), percentilesOf(d.path("lat_ns").path("percentile")),
                new Samples(d.path("bw_samples").asLong(), d.path("bw_min").asDouble(), d.path("bw_max").asDouble(),
                        d.path("bw_mean").asDouble(), d.path("bw_dev").asDouble()),
                new Samples(d.path("iops_samples").asLong(), d.path("iops_min").asDouble(), d.path("iops_max").asDouble(),
                        d.path("iops_mean").asDouble(), d.path("iops_stddev").asDouble()),
                d.path("bw_agg").asDouble(), d.path("short_ios").asLong(), d.path("drop_ios").asLong());
    }

    private static Summary summaryOf(JsonNode s) {
        if (s.path("N").asLong(0) == 0) return Summary.NONE;
        return new Summary(s.path("N").asLong(), s.path("min").asLong(), s.path("max").asLong(), s.path("mean").asDouble(),
                s.path("stddev").asDouble());
    }

    private static SortedMap<Double, Long> percentilesOf(JsonNode p) {
        SortedMap<Double, Long> m = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            try {
                m.put(Double.parseDouble(e.getKey()), e.getValue().asLong());
            } catch (NumberFormatException ignored) {
                // not a percentile
            }
        }
        return m;
    }

    private static double[] distOf(JsonNode o, String[] keys) {
        double[] v = new double[keys.length];
        for (int i = 0; i < keys.length; i++) v[i] = o.path(keys[i]).asDouble(0);
        return v;
    }

    // ---- fio's normal output ----------------------------------------------------------------------------------

    /**
     * The job in fio's normal layout: the group line, per direction IOPS and bandwidth, slat/clat/lat, the clat
     * and lat percentiles, bw and iops over the samples; the latency distribution, cpu, IO depths, the run status of
     * the group and the disk stats.
     */
    public String normal(int pid, ZonedDateTime when) {
        StringBuilder b = new StringBuilder();
        b.append(jobname).append(": (groupid=0, jobs=").append(members).append("): err= 0: pid=").append(pid)
                .append(": ").append(DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT).format(when))
                .append('\n');
        if (read != null) ddir(b, "read", read);
        if (write != null) ddir(b, "write", write);
        latencies(b);
        b.append(String.format(Locale.ROOT, "  cpu          : usr=%3.2f%%, sys=%3.2f%%, ctx=%d, majf=%d, minf=%d%n",
                usrCpu, sysCpu, ctx, majf, minf));
        b.append(dist("  IO depths    : ", DEPTH_KEYS, iodepthLevel));
        b.append(dist("     submit    : ", BATCH_KEYS, iodepthSubmit));
        b.append(dist("     complete  : ", BATCH_KEYS, iodepthComplete));
        long r = read == null ? 0 : read.totalIos(), w = write == null ? 0 : write.totalIos();
        long sr = read == null ? 0 : read.shortIos(), sw = write == null ? 0 : write.shortIos();
        long dr = read == null ? 0 : read.dropIos(), dw = write == null ? 0 : write.dropIos();
        b.append(String.format(Locale.ROOT, "     issued rwts: total=%d,%d,0,0 short=%d,%d,0,0 dropped=%d,%d,0,0%n",
                r, w, sr, sw, dr, dw));
        b.append(String.format(Locale.ROOT, "     latency   : target=0, window=0, percentile=100.00%%, depth=%d%n", iodepth));
        b.append("\nRun status group 0 (all jobs):\n");
        if (read != null) group(b, "   READ", read);
        if (write != null) group(b, "  WRITE", write);
        if (!disks.isEmpty()) {
            b.append("\nDisk stats (read/write):\n");
            for (Disk d : disks) {
                b.append(String.format(Locale.ROOT, "  %s: ios=%d/%d, merge=%d/%d, ticks=%d/%d, in_queue=%d, util=%3.2f%%%n",
                        d.name(), d.readIos(), d.writeIos(), d.readMerges(), d.writeMerges(), d.readTicks(),
                        d.writeTicks(), d.inQueue(), d.util()));
            }
        }
        return b.toString();
    }

    private void ddir(StringBuilder b, String name, Dir d) {
        long bw = d.bwBytes();
        b.append(String.format(Locale.ROOT, "  %s: IOPS=%s, BW=%s (%s)(%s/%dmsec)%n", name,
                num2str(Math.round(d.iopsValue()), 4, false, ""), num2str(bw, 4, true, "B/s"),
                num2str(bw, 4, false, "B/s"), num2str(d.ioBytes(), 4, true, "B"), d.runtimeMs()));
        lat(b, "slat", d.slat());
        lat(b, "clat", d.clat());
        lat(b, " lat", d.lat());
        percentiles(b, "clat", d.clatPercentiles(), d.clat().n());
        percentiles(b, "lat", d.latPercentiles(), d.lat().n());
        if (d.bw().n() > 0) {
            double min = d.bw().min(), max = d.bw().max(), mean = d.bw().mean(), dev = d.bw().stdev();
            String unit = "KiB";
            if (mean > 1024.0 * 1024) {
                min /= 1024;
                max /= 1024;
                mean /= 1024;
                dev /= 1024;
                unit = "MiB";
            }
            b.append(String.format(Locale.ROOT, "   bw (%5s/s): min=%5d, max=%5d, per=%3.2f%%, avg=%5.02f, stdev=%5.02f,"
                    + " samples=%d%n", unit, (long) min, (long) max, d.bwAgg(), mean, dev, d.bw().n()));
        }
        if (d.iops().n() > 0) {
            b.append(String.format(Locale.ROOT, "   iops        : min=%5d, max=%5d, avg=%5.02f, stdev=%5.02f, samples=%d%n",
                    (long) d.iops().min(), (long) d.iops().max(), d.iops().mean(), d.iops().stdev(), d.iops().n()));
        }
    }

    /** "    clat (usec): min=16, max=5690, avg=136.77, stdev=289.73", in the unit fio would choose. */
    private static void lat(StringBuilder b, String name, Summary s) {
        if (s.n() == 0) return;
        long min = s.min(), max = s.max();
        double mean = s.mean(), dev = s.stdev();
        String base = "(nsec)";
        if (min > 2_000_000 && max > 99_999_999L && dev > 1_000_000.0) {
            min /= 1_000_000;
            max /= 1_000_000;
            mean /= 1e6;
            dev /= 1e6;
            base = "(msec)";
        } else if (min > 2000 && max > 99_999 && dev > 1000.0) {
            min /= 1000;
            max /= 1000;
            mean /= 1e3;
            dev /= 1e3;
            base = "(usec)";
        }
        b.append(String.format(Locale.ROOT, "    %s %s: min=%s, max=%s, avg=%5.02f, stdev=%5.02f%n", name, base,
                num2str(min, 6, false, ""), num2str(max, 6, false, ""), mean, dev));
    }

    /** fio's percentile block: "    clat percentiles (usec):" then four per line. */
    private static void percentiles(StringBuilder b, String name, SortedMap<Double, Long> p, long n) {
        if (p == null || p.isEmpty() || n == 0) return;
        long minv = p.values().stream().mapToLong(Long::longValue).min().orElse(0);
        long maxv = p.values().stream().mapToLong(Long::longValue).max().orElse(0);
        int scale;
        String unit;
        if (minv > 2_000_000 && maxv > 99_999_999L) {
            scale = 2;
            unit = "msec";
        } else if (minv > 2000 && maxv > 99_999) {
            scale = 1;
            unit = "usec";
        } else {
            scale = 0;
            unit = "nsec";
        }
        long divisor = scale == 2 ? 1_000_000 : scale == 1 ? 1000 : 1;
        int width = Math.max(5, (int) (Math.log10(Math.max(1, maxv / divisor)) + 1));
        int perLine = (80 - 7) / (2 + 10 + width);
        b.append("    ").append(name).append(" percentiles (").append(unit).append("):\n     |");
        int j = 0;
        for (Iterator<Map.Entry<Double, Long>> it = p.entrySet().iterator(); it.hasNext(); j++) {
            Map.Entry<Double, Long> e = it.next();
            if (j != 0 && j % perLine == 0) b.append("     |");
            long v = e.getValue();
            for (int i = 0; i < scale; i++) v = (v + 999) / 1000;
            boolean last = !it.hasNext();
            b.append(String.format(Locale.ROOT, " %5.2fth=[%" + width + "d]%c", e.getKey(), v, last ? '\n' : ','));
            if (!last && j % perLine == perLine - 1) b.append('\n');
        }
    }

    private void latencies(StringBuilder b) {
        latLine(b, "nsec", LAT_KEYS, latencyNs);
        latLine(b, "usec", LAT_KEYS, latencyUs);
        latLine(b, "msec", LAT_MS_KEYS, latencyMs);
    }

    private static void latLine(StringBuilder b, String unit, String[] keys, double[] v) {
        if (v == null) return;
        int onLine = 0;
        for (int i = 0; i < keys.length; i++) {
            if (v[i] <= 0) continue;
            if (onLine == 0) b.append("  lat (").append(unit).append(")   : ");
            else b.append(", ");
            b.append(keys[i]).append('=').append(String.format(Locale.ROOT, "%3.2f%%", v[i]));
            if (++onLine == 5) {
                b.append('\n');
                onLine = 0;
            }
        }
        if (onLine > 0) b.append('\n');
    }

    private static String dist(String head, String[] keys, double[] v) {
        StringBuilder b = new StringBuilder(head);
        for (int i = 0; i < keys.length; i++) {
            if (i > 0) b.append(", ");
            b.append(keys[i]).append('=').append(String.format(Locale.ROOT, "%3.1f%%", v == null ? 0 : v[i]));
        }
        return b.append('\n').toString();
    }

    /** "   READ: bw=125MiB/s (131MB/s), 125MiB/s-125MiB/s (131MB/s-131MB/s), io=250MiB (263MB), run=2001-2001msec". */
    private static void group(StringBuilder b, String name, Dir d) {
        long bw = d.bwBytes();
        String bi = num2str(bw, 4, true, "B/s"), bd = num2str(bw, 4, false, "B/s");
        b.append(String.format(Locale.ROOT, "%s: bw=%s (%s), %s-%s (%s-%s), io=%s (%s), run=%d-%dmsec%n", name, bi, bd,
                bi, bi, bd, bd, num2str(d.ioBytes(), 4, true, "B"), num2str(d.ioBytes(), 4, false, "B"),
                d.runtimeMs(), d.runtimeMs()));
    }

    /**
     * A number as fio prints it: divided by 1000 (or 1024) until it has at most {@code maxlen} digits, with the
     * prefix (k, M ... or Ki, Mi ...) and as many decimals as the remaining width holds: 32012 -&gt; "32.0k",
     * 4540810 with 6 digits -&gt; "4540.8k", 131072000 bytes/s -&gt; "125MiB/s".
     */
    static String num2str(long num, int maxlen, boolean pow2, String unit) {
        String[] prefix = pow2 ? new String[]{"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"}
                : new String[]{"", "k", "M", "G", "T", "P", "E"};
        long thousand = pow2 ? 1024 : 1000;
        int post = 0;
        long modulo = -1;
        while (post < prefix.length && Long.toString(num).length() > maxlen) {
            modulo = num % thousand;
            num /= thousand;
            post++;
        }
        if (post >= prefix.length) post = 0;
        if (modulo < 0) return num + prefix[post] + unit;
        int decimals = maxlen - Long.toString(num).length() - 1;
        if (decimals <= 0) {
            if (modulo >= thousand / 2) num++;
            return num + prefix[post] + unit;
        }
        String frac = String.format(Locale.ROOT, "%." + decimals + "f", (double) modulo / thousand);
        if (frac.charAt(0) == '1') num++;
        return num + "." + frac.substring(2) + prefix[post] + unit;
    }

    /** The job options fio lists under "job options" (its command line's), by name. */
    public static Map<String, String> jobOptions(List<String> fioOptions) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String o : fioOptions) {
            if (!o.startsWith("--")) continue;
            int eq = o.indexOf('=');
            String k = eq < 0 ? o.substring(2) : o.substring(2, eq);
            if (k.equals("name")) continue;
            m.put(k, eq < 0 ? "" : o.substring(eq + 1));
        }
        return m;
    }
}
