package org.aiobench.workloads.randio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.aiobench.engines.EngineOptions;
import org.aiobench.engines.RingFlag;
import org.aiobench.engines.UnsupportedConfigurationException;
import org.aiobench.workloads.Sizes;

/**
 * fio, the reference a storage engineer already trusts, running the job a {@link JobSpec} describes on the same
 * target: {@link #command} writes the equivalent fio command line, {@link #run} runs it and {@link #parse} reads its
 * JSON into a {@link RandomIoReport} with the same names and units as aiobench's own.
 *
 * <p>Equivalences: engines sync/posixaio/libaio/io_uring are fio's psync/posixaio/libaio/io_uring; offsets uniform
 * with replacement ({@code norandommap=1}); total latency percentiles ({@code lat_percentiles=1}); one group report
 * over all jobs ({@code group_reporting}); time_based with runtime and ramp_time, or number_ios. io_uring: sqpoll is
 * {@code sqthread_poll} (+{@code sqthread_poll_cpu}), async {@code force_async=1}, iopoll {@code hipri}, regfiles
 * {@code registerfiles}, regbuf {@code fixedbufs}. fio 3.33 and later set COOP_TASKRUN, SINGLE_ISSUER and
 * DEFER_TASKRUN on every io_uring ring themselves (each dropped if the kernel refuses it); there is no fio option
 * for them, so the equivalent aiobench job sets those three flags. Safety: a job that does not write runs with
 * {@code readonly}; fio never creates, lays out or deletes the target ({@code allow_file_create=0},
 * {@code fallocate=none}, {@code unlink=0}).
 *
 * <p>Not expressible in fio (the reference is then skipped with the reason): the posixaio busy-poll, io_uring flags
 * other than those above, thinkcycles before fio 3.37.
 */
public final class FioJob {
    private FioJob() {}

    /** fio's --name of the equivalent job, and the name aiobench's report gives its own job. */
    public static final String JOB_NAME = "aiobench-randio";
    /** How to get fio where it is missing (Debian and Ubuntu). */
    public static final String INSTALL_HINT = "apt-get install fio (Debian package fio)";
    private static final Set<RingFlag> FIO_SETS_ITSELF = Set.of(RingFlag.COOP_TASKRUN, RingFlag.SINGLE_ISSUER,
            RingFlag.DEFER_TASKRUN);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile String version;

    /** fio's version line ("fio-3.33"), or null when fio is not on PATH. */
    public static String version() {
        String v = version;
        if (v != null) return v.isEmpty() ? null : v;
        try {
            Process p = new ProcessBuilder("fio", "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            v = p.waitFor() == 0 && out.startsWith("fio") ? out.lines().findFirst().orElse("") : "";
        } catch (IOException e) {
            v = "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            v = "";
        }
        version = v;
        return v.isEmpty() ? null : v;
    }

    /** Why fio cannot run the equivalent of {@code spec} here, or null. */
    public static String unsupported(JobSpec spec) {
        String v = version();
        if (v == null) return "fio is not installed (not on PATH); " + INSTALL_HINT;
        try {
            options(spec, v);
            return null;
        } catch (UnsupportedConfigurationException e) {
            return e.getMessage();
        }
    }

    /** fio's ioengine for an aiobench engine. */
    public static String engine(String engine) {
        return switch (engine) {
            case "sync" -> "psync";
            case "posixaio", "libaio", "io_uring" -> engine;
            default -> throw new UnsupportedConfigurationException("fio has no engine equivalent to " + engine);
        };
    }

    /** The job's options (without the target and the output), as fio's command line spells them. */
    static List<String> options(JobSpec spec, String fioVersion) {
        return options(spec, fioVersion, true);
    }

    /** {@code sameRing}: refuse an io_uring job whose ring flags differ from those fio sets on its own. */
    private static List<String> options(JobSpec spec, String fioVersion, boolean sameRing) {
        List<String> o = new ArrayList<>();
        o.add("--name=" + JOB_NAME);
        o.add("--ioengine=" + engine(spec.engine()));
        o.add("--rw=" + spec.rw().fioName());
        if (spec.rw() == Rw.RANDRW) o.add("--rwmixread=" + spec.rwmixread());
        o.add("--bs=" + spec.bs());
        o.add("--iodepth=" + spec.iodepth());
        o.add("--numjobs=" + spec.numjobs());
        o.add("--direct=" + (spec.direct() ? 1 : 0));
        if (spec.timeBased()) {
            o.add("--time_based");
            o.add("--runtime=" + msOrS(spec.runtimeNanos()));
        } else {
            o.add("--number_ios=" + spec.ios());
        }
        if (spec.rampNanos() > 0) o.add("--ramp_time=" + msOrS(spec.rampNanos()));
        if (spec.thinkcycles() > 0) {
            if (!atLeast(fioVersion, 3, 37)) {
                throw new UnsupportedConfigurationException("thinkcycles needs fio 3.37 or later; this is " + fioVersion);
            }
            o.add("--thinkcycles=" + spec.thinkcycles());
        }
        if (spec.batchSubmit() != 1) o.add("--iodepth_batch_submit=" + (spec.batchSubmit() == 0 ? spec.iodepth()
                : spec.batchSubmit()));
        if (!spec.cpus().isEmpty()) o.add("--cpus_allowed=" + spec.params().get("cpus"));
        if (spec.verify() && sameRing) {
            throw new UnsupportedConfigurationException("aiobench's verify checks its target's sector headers in the"
                    + " window; fio's verify= checks data fio wrote itself");
        }
        if (spec.aioPoll()) {
            throw new UnsupportedConfigurationException("fio's posixaio has no busy-poll option (aiobench's aioPoll)");
        }
        EngineOptions e = spec.engineOptions();
        if (!spec.engine().equals("io_uring") && (e.regbuf() || e.regfiles() || !e.ringFlags().isEmpty())) {
            throw new UnsupportedConfigurationException("io_uring options on engine " + spec.engine());
        }
        if (spec.engine().equals("io_uring")) {
            if (e.regbuf()) o.add("--fixedbufs=1");
            if (e.regfiles()) o.add("--registerfiles=1");
            for (RingFlag f : e.ringFlags()) {
                switch (f) {
                    case SQPOLL -> o.add("--sqthread_poll=1");
                    case ASYNC -> o.add("--force_async=1");
                    case IOPOLL -> o.add("--hipri=1");
                    default -> {
                        if (!FIO_SETS_ITSELF.contains(f)) {
                            throw new UnsupportedConfigurationException("fio has no option for the io_uring flag "
                                    + f.cliName());
                        }
                    }
                }
            }
            if (e.sqpollCpu() >= 0) o.add("--sqthread_poll_cpu=" + e.sqpollCpu());
            if (e.sqpollIdleMs() != EngineOptions.DEFAULT_SQPOLL_IDLE_MS) {
                throw new UnsupportedConfigurationException("fio has no option for the SQPOLL idle time (sqpoll_idle)");
            }
            if (sameRing && !e.ringFlags().contains(RingFlag.SQPOLL) && !e.ringFlags().containsAll(FIO_SETS_ITSELF)
                    && atLeast(fioVersion, 3, 33)) {
                throw new UnsupportedConfigurationException("fio " + fioVersion + " sets coop_taskrun,"
                        + "single_issuer,defer_taskrun on every io_uring ring and has no option to leave them out; the"
                        + " job has " + spec.ringFlags());
            }
        }
        o.add("--norandommap");
        o.add("--randseed=" + spec.seed());
        o.add("--group_reporting");
        // total-latency percentiles beside fio's default clat ones, at fio's default list
        o.add("--lat_percentiles=1");
        if (!spec.rw().writes()) o.add("--readonly");
        o.add("--allow_file_create=0");
        o.add("--fallocate=none");
        o.add("--unlink=0");
        return o;
    }

    /** The whole command line: the job on {@code target}, JSON to {@code jsonOut}. */
    public static List<String> command(JobSpec spec, Target target, Path jsonOut) {
        String v = version();
        List<String> c = new ArrayList<>();
        c.add("fio");
        c.addAll(options(spec, v == null ? "fio-3.33" : v));
        c.add("--filename=" + target.path());
        c.add("--size=" + target.size());
        c.add("--output-format=json");
        c.add("--output=" + jsonOut);
        return c;
    }

    /**
     * Runs fio (it must be installed: {@link #unsupported}), keeps its JSON in {@code jsonOut} and returns its
     * numbers. fio's own start (about 0.3 s here) is outside its measured window, as aiobench's setup is outside
     * its own.
     */
    public static RandomIoReport run(JobSpec spec, Target target, Path jsonOut) {
        String why = unsupported(spec);
        if (why != null) throw new UnsupportedConfigurationException(why);
        target.checkJob(spec);
        List<String> cmd = command(spec, target, jsonOut);
        try {
            Files.createDirectories(jsonOut.toAbsolutePath().getParent());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out;
            FioHelpers helpers = FioHelpers.start(p);
            try {
                out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                long limit = (spec.timeBased() ? spec.rampNanos() + spec.runtimeNanos() : 0) + TimeUnit.MINUTES.toNanos(5);
                if (!p.waitFor(limit, TimeUnit.NANOSECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("fio did not finish: " + String.join(" ", cmd));
                }
            } finally {
                helpers.close();
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("fio exited with " + p.exitValue() + ": " + firstLine(out)
                        + " (" + String.join(" ", cmd) + ")");
            }
            RandomIoReport r = parse(JSON.readTree(jsonOut.toFile()), spec, target, String.join(" ", cmd));
            String kinds = helpers.describe();
            return r.withHelperCpu(helpers.windowSeconds(r.windowSec()), kinds.equals("none") ? "none"
                    : kinds + ", sampled from outside fio every " + FioHelpers.PERIOD_MILLIS + " ms (fio's usr/sys leave"
                      + " them out)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run fio: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fio ran", e);
        }
    }

    /** fio's JSON ({@code --output-format=json} with {@code group_reporting}) as a report. */
    public static RandomIoReport parse(JsonNode root, JobSpec spec, Target target, String commandLine) {
        JsonNode jobs = root.path("jobs");
        if (!jobs.isArray() || jobs.isEmpty()) throw new IllegalStateException("fio's JSON has no jobs");
        JsonNode j = jobs.get(0);
        if (j.path("error").asInt(0) != 0) {
            throw new IllegalStateException("fio reported error " + j.path("error").asInt() + " for the job");
        }
        long ios = 0, reads = 0, writes = 0;
        double iops = 0, iopsMean = 0, runtimeMs = 0;
        int samples = 0;
        JsonNode lat = null, clat = null;
        for (String dir : List.of("read", "write")) {
            JsonNode d = j.path(dir);
            long n = d.path("total_ios").asLong(0);
            if (n == 0) continue;
            ios += n;
            if (dir.equals("read")) reads = n;
            else writes = n;
            iops += d.path("iops").asDouble();
            // fio's iops_mean pools the 0.5 s samples of all jobs, each job's own: times numjobs it is the mean total
            iopsMean += d.path("iops_mean").asDouble() * spec.numjobs();
            samples = Math.max(samples, d.path("iops_samples").asInt() / Math.max(1, spec.numjobs()));
            runtimeMs = Math.max(runtimeMs, d.path("runtime").asDouble());
            lat = lat == null ? d.path("lat_ns") : merge(lat, d.path("lat_ns"), reads, writes);
            clat = clat == null ? d.path("clat_ns") : merge(clat, d.path("clat_ns"), reads, writes);
        }
        if (lat == null) throw new IllegalStateException("fio's JSON reports no I/O");
        double jobRuntimeSec = j.path("job_runtime").asDouble() / 1e3; // summed over the jobs (group_reporting)
        double user = j.path("usr_cpu").asDouble() / 100 * jobRuntimeSec;
        double sys = j.path("sys_cpu").asDouble() / 100 * jobRuntimeSec;
        RandomIoReport.Latency l = latency(lat), c = latency(clat);
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("fio", commandLine);
        facts.put("fio.cpu", "usr/sys of fio's job threads (fio's getrusage is RUSAGE_THREAD): not the io_uring SQPOLL"
                + " thread, io-wq workers or glibc's POSIX AIO threads of the job");
        FioStats stats = FioStats.fromJson(j, root.path("disk_util"), spec.iodepth());
        stats = new FioStats(stats.jobname(), spec.numjobs(), stats.iodepth(), stats.read(), stats.write(), stats.usrCpu(),
                stats.sysCpu(), stats.ctx(), stats.majf(), stats.minf(), stats.jobRuntimeMs(), stats.iodepthLevel(),
                stats.iodepthSubmit(), stats.iodepthComplete(), stats.latencyNs(), stats.latencyUs(), stats.latencyMs(),
                stats.disks());
        return new RandomIoReport(root.path("fio version").asText("fio"), spec, target.describe(), ios, reads, writes,
                runtimeMs / 1e3, iops, samples > 0 ? iopsMean : Double.NaN, samples, l, c, user, sys, Double.NaN,
                "not counted by fio (its usr/sys are its job threads')", -1, -1, j.path("ctx").asLong(), 0, facts,
                List.of(), stats, 0, 0, 0);
    }

    /** One of fio's {@code *_ns} objects in microseconds (its percentiles, where fio printed them). */
    private static RandomIoReport.Latency latency(JsonNode ns) {
        JsonNode pct = ns.path("percentile");
        double mean = ns.path("N").asLong(1) == 0 ? Double.NaN : ns.path("mean").asDouble(Double.NaN) / 1e3;
        return new RandomIoReport.Latency(ns.path("min").asDouble(Double.NaN) / 1e3, mean, pct(pct, "50.000000"),
                pct(pct, "90.000000"), pct(pct, "99.000000"), pct(pct, "99.900000"), ns.path("max").asDouble(Double.NaN) / 1e3);
    }

    private static double pct(JsonNode pct, String key) {
        JsonNode v = pct.path(key);
        return v.isNumber() ? v.asDouble() / 1e3 : Double.NaN;
    }

    /** Reads and writes of randrw: the mean weighted by I/Os, the extremes of both; percentiles of the larger part. */
    private static JsonNode merge(JsonNode a, JsonNode b, long na, long nb) {
        var o = JSON.createObjectNode();
        o.put("min", Math.min(a.path("min").asDouble(), b.path("min").asDouble()));
        o.put("max", Math.max(a.path("max").asDouble(), b.path("max").asDouble()));
        o.put("mean", (a.path("mean").asDouble() * na + b.path("mean").asDouble() * nb) / Math.max(1, na + nb));
        o.set("percentile", na >= nb ? a.path("percentile") : b.path("percentile"));
        return o;
    }

    private static String firstLine(String s) {
        for (Iterator<String> it = s.lines().iterator(); it.hasNext(); ) {
            String l = it.next().trim();
            if (!l.isEmpty()) return l;
        }
        return "(no output)";
    }

    private static String msOrS(long nanos) {
        return nanos % 1_000_000_000L == 0 ? nanos / 1_000_000_000L + "s" : Math.max(1, nanos / 1_000_000L) + "ms";
    }

    /** Whether "fio-3.33" (or "fio-3.37-12-gabc") is at least major.minor. */
    static boolean atLeast(String fioVersion, int major, int minor) {
        Matcher m = Pattern.compile("fio-(\\d+)\\.(\\d+)").matcher(fioVersion.toLowerCase(Locale.ROOT));
        if (!m.find()) return false;
        int a = Integer.parseInt(m.group(1)), b = Integer.parseInt(m.group(2));
        return a > major || a == major && b >= minor;
    }

    /** fio's "job options" for the job: the equivalent fio command line's options, by name (or the job's own). */
    public static Map<String, String> jobOptions(JobSpec spec, Target target) {
        try {
            Map<String, String> m = FioStats.jobOptions(options(spec, version() == null ? "fio-3.33" : version(), false));
            m.put("filename", target.path().toString());
            m.put("size", Long.toString(target.size()));
            return m;
        } catch (UnsupportedConfigurationException e) {
            return spec.params();
        }
    }

    /**
     * For the summary: "fio --name=... --filename=... --size=1G" without the output options, with a note where the
     * ring is not quite the same (fio sets its own io_uring flags), or "none: why".
     */
    public static String equivalent(JobSpec spec, Target target) {
        String v = version() == null ? "fio-3.33" : version();
        try {
            List<String> c = new ArrayList<>(List.of("fio"));
            c.addAll(options(spec, v, false));
            c.add("--filename=" + target.path());
            c.add("--size=" + Sizes.format(target.size()));
            String cmd = String.join(" ", c);
            try {
                options(spec, v, true);
                return cmd;
            } catch (UnsupportedConfigurationException differs) {
                return cmd + "   (not quite the same job: " + differs.getMessage() + ")";
            }
        } catch (UnsupportedConfigurationException e) {
            return "none: " + e.getMessage();
        }
    }
}
