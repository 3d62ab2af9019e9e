package org.aiobench.workloads.randio;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.aiobench.workloads.Progress;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** fio as the reference: the equivalent job's options, its JSON read into the same report, and a real run. */
class FioJobTest {

    @Test
    void theEquivalentJobSpellsEveryOptionAsFioDoes() {
        JobSpec s = JobSpec.fromParams(JobSpecTest.m("engine", "io_uring", "bs", "512", "iodepth", "64", "numjobs", "2",
                "direct", "true", "runtime", "10s", "ramp", "2s", "ringFlags", "sqpoll_cpu=1,async", "regfiles", "true",
                "regbuf", "true", "cpus", "0"));
        List<String> o = FioJob.options(s, "fio-3.33");
        assertTrue(o.containsAll(List.of("--ioengine=io_uring", "--rw=randread", "--bs=512", "--iodepth=64",
                "--numjobs=2", "--direct=1", "--time_based", "--runtime=10s", "--ramp_time=2s", "--sqthread_poll=1",
                "--sqthread_poll_cpu=1", "--force_async=1", "--registerfiles=1", "--fixedbufs=1", "--cpus_allowed=0",
                "--norandommap", "--group_reporting", "--lat_percentiles=1", "--readonly", "--allow_file_create=0")), o.toString());
        assertEquals("psync", FioJob.engine("sync"));
        JobSpec w = JobSpec.fromParams(Map.of("engine", "libaio", "rw", "randwrite", "ios", "1000"));
        List<String> ow = FioJob.options(w, "fio-3.33");
        assertFalse(ow.contains("--readonly"), "a write job cannot be readonly");
        assertTrue(ow.contains("--number_ios=1000") && !ow.contains("--time_based"));
    }

    @Test
    void whatFioCannotExpressIsSaid() {
        // fio 3.33 sets these three itself; an io_uring job without them has no fio equivalent
        assertTrue(unsupported(Map.of("engine", "io_uring")).contains("coop_taskrun"));
        assertNull(unsupported(Map.of("engine", "io_uring", "ringFlags", "coop_taskrun,single_issuer,defer_taskrun")));
        assertTrue(unsupported(Map.of("engine", "io_uring", "ringFlags", "submit_all,coop_taskrun,single_issuer,defer_taskrun"))
                .contains("submit_all"));
        assertTrue(unsupported(Map.of("engine", "posixaio", "aioPoll", "true")).contains("busy-poll"));
        assertThrows(org.aiobench.engines.UnsupportedConfigurationException.class,
                () -> FioJob.options(JobSpec.fromParams(Map.of("engine", "sync", "thinkcycles", "8")), "fio-3.33"));
        FioJob.options(JobSpec.fromParams(Map.of("engine", "sync", "thinkcycles", "8")), "fio-3.37-4-g1234");
        assertTrue(FioJob.atLeast("fio-3.40", 3, 37) && !FioJob.atLeast("fio-3.33", 3, 37));
    }

    private static String unsupported(Map<String, String> p) {
        try {
            FioJob.options(JobSpec.fromParams(p), "fio-3.33");
            return null;
        } catch (org.aiobench.engines.UnsupportedConfigurationException e) {
            return e.getMessage();
        }
    }

    /** fio 3.33's JSON for 2 jobs, trimmed: the report has the same names and units as aiobench's own. */
    @Test
    void fioJsonIsReadIntoTheSameReport() throws Exception {
        String json = """
                {"fio version":"fio-3.33","jobs":[{"jobname":"aiobench-randio","error":0,"job_runtime":4000,
                 "usr_cpu":1.6,"sys_cpu":8.775,"ctx":5953,
                 "read":{"total_ios":47323,"iops":23649.675162,"iops_mean":13374.0,"iops_samples":8,"runtime":2001,
                  "lat_ns":{"min":31000,"max":87102236,"mean":675734.47,"percentile":{"50.000000":317440,
                  "90.000000":1269760,"99.000000":4358144,"99.900000":16318464}},
                  "clat_ns":{"N":47323,"min":20000,"max":87000000,"mean":650000.0,"percentile":{"50.000000":300000,
                  "90.000000":1200000,"99.000000":4300000,"99.900000":16000000}}},
                 "write":{"total_ios":0}}]}""";
        JobSpec s = JobSpec.fromParams(Map.of("engine", "io_uring", "numjobs", "2", "iodepth", "8",
                "ringFlags", "coop_taskrun,single_issuer,defer_taskrun"));
        Files.createDirectories(RandomIoJobTest.SCRATCH);
        Target t = Target.ensureScratch(RandomIoJobTest.SCRATCH, RandomIoJobTest.SIZE, false, Progress.NONE, x -> {});
        RandomIoReport r = FioJob.parse(new ObjectMapper().readTree(json), s, t, "fio ...");
        assertEquals(47323, r.ios());
        assertEquals(23649.675162, r.iops(), 1e-6);
        assertEquals(2 * 13374.0, r.iopsIntervalMean(), 1e-6, "fio's per-job sample mean times the jobs");
        assertEquals(317.44, r.latency().p50(), 1e-9);
        assertEquals(4358.144, r.latency().p99(), 1e-9);
        assertEquals(4300.0, r.completionLatency().p99(), 1e-9);
        assertEquals(650.0, r.completionLatency().mean(), 1e-9);
        assertEquals(0.064, r.cpuUserSec(), 1e-9, "usr_cpu percent of the summed job runtime");
        assertEquals(0.351, r.cpuSysSec(), 1e-9);
        assertEquals(5953, r.ctxSwitches());
        assertFalse(r.metrics().containsKey(RandomIoReport.HELPER_CPU), "fio does not count its helper threads");
        assertEquals(r.cpuPerIoUs(), r.jobCpuPerIoUs(), 1e-12, "fio's CPU per I/O is its job threads'");
        assertEquals(RandomIoReport.UNITS.keySet().containsAll(r.metrics().keySet()), true);
    }

    /**
     * fio's window, seen from outside: the runtime before the last sample in which the helpers' CPU grew (here: 1 s
     * of samples every 0.1 s, the helper at half a CPU, then idle), the CPU at its start interpolated.
     */
    @Test
    void fioHelpersCpuIsReadOffTheWindowBeforeTheyStopped() {
        List<long[]> samples = new java.util.ArrayList<>();
        long cpu = 0;
        for (int i = 0; i <= 30; i++) {
            samples.add(new long[]{i * 100_000_000L, cpu});
            if (i >= 5 && i < 25) cpu += 50_000_000L; // busy from 0.5 s to 2.5 s: 0.05 s of CPU per 0.1 s
        }
        // the last growth shows at the sample of 2.5 s; 1 s before it the helper had 1.0 s... of 1.0 s of work: 0.5 s
        assertEquals(0.5, FioHelpers.windowSeconds(samples, 1.0), 1e-9);
        assertEquals(0.0, FioHelpers.windowSeconds(List.of(new long[]{0, 5}, new long[]{1, 5}), 1.0), "no helper");
        assertEquals("io_uring SQPOLL thread (iou-sqp)", FioHelpers.kind("iou-sqp-4711"));
    }

    /** fio's SQPOLL thread burns CPU its usr/sys do not show: aiobench samples it from outside and shows it apart. */
    @Test
    void fiosSqpollThreadIsCountedApart() throws Exception {
        Assumptions.assumeTrue(FioJob.version() != null, "fio is not installed (" + FioJob.INSTALL_HINT + ")");
        Assumptions.assumeTrue(RandomIoJobTest.runnable("io_uring"), "io_uring cannot run here");
        Files.createDirectories(RandomIoJobTest.SCRATCH);
        Target t = Target.ensureScratch(RandomIoJobTest.SCRATCH, RandomIoJobTest.SIZE, false, Progress.NONE, x -> {});
        JobSpec s = JobSpec.fromParams(Map.of("engine", "io_uring", "iodepth", "4", "direct", "true", "runtime", "1s",
                "ringFlags", "sqpoll"));
        RandomIoReport r = FioJob.run(s, t, RandomIoJobTest.SCRATCH.resolve("fio-sqpoll.json"));
        assertTrue(r.helpers().contains("SQPOLL"), r.helpers());
        assertTrue(r.helperCpuSec() > 0.05, "an SQ thread busy for a 1 s window: " + r.helperCpuSec() + " s");
        assertTrue(r.cpuPerIoUs() > r.jobCpuPerIoUs(), "the helpers count in CPU per I/O, apart from fio's figures");
    }

    /**
     * The same job run by fio and by aiobench: every field of fio's JSON job entry (and its read direction, its
     * latency objects, its distributions, disk_util) is in aiobench's JSON under the same name, so a script written
     * for fio's JSON reads aiobench's; and the two agree where the job decides the value (I/Os counted the same
     * way, the depth, the runtime).
     */
    @Test
    void aiobenchsJsonHasEveryFieldOfFiosForTheSameJob() throws Exception {
        Assumptions.assumeTrue(FioJob.version() != null, "fio is not installed (" + FioJob.INSTALL_HINT + ")");
        Files.createDirectories(RandomIoJobTest.SCRATCH);
        Target t = Target.ensureScratch(RandomIoJobTest.SCRATCH, RandomIoJobTest.SIZE, false, Progress.NONE, x -> {});
        JobSpec s = JobSpec.fromParams(Map.of("engine", "libaio", "iodepth", "8", "direct", "true", "runtime", "1s",
                "ramp", "200ms"));
        Path out = RandomIoJobTest.SCRATCH.resolve("fio-fields.json");
        FioJob.run(s, t, out);
        ObjectMapper m = new ObjectMapper();
        var fio = m.readTree(out.toFile());
        var ours = RandomIoJob.run(s, t).toJson(m, FioJob.jobOptions(s, t));
        List<String> missing = new java.util.ArrayList<>();
        missingFields("", fio, ours, missing);
        assertTrue(missing.isEmpty(), "fields of fio's JSON missing from aiobench's: " + missing);
        var fj = fio.at("/jobs/0"); var oj = ours.at("/jobs/0");
        assertEquals(100.0, fj.at("/iodepth_level/8").asDouble(), 0.5);
        assertEquals(fj.at("/iodepth_level/8").asDouble(), oj.at("/iodepth_level/8").asDouble(), 1.0);
        // about the 1 s runtime on both sides (a loaded machine stretches or shortens either by a scheduling delay)
        assertEquals(1000, fj.at("/read/runtime").asDouble(), 500);
        assertEquals(1000, oj.at("/read/runtime").asDouble(), 500);
        assertEquals(oj.at("/read/total_ios").asLong(), oj.at("/read/clat_ns/N").asLong());
        // fio's clat N may exceed its total_ios by the few I/Os that completed around the window's edges
        assertEquals(fj.at("/read/total_ios").asDouble(), fj.at("/read/clat_ns/N").asDouble(), 64);
        assertEquals(fj.at("/job options/iodepth").asText(), oj.at("/job options/iodepth").asText());
    }

    /** Paths in {@code fio} that {@code ours} lacks (percentile entries and array elements beyond the first aside). */
    private static void missingFields(String at, com.fasterxml.jackson.databind.JsonNode fio,
                                      com.fasterxml.jackson.databind.JsonNode ours, List<String> missing) {
        if (fio.isObject()) {
            for (var it = fio.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (at.endsWith("/percentile") || at.endsWith("/job options")) continue;
                if (!ours.has(k)) missing.add(at + "/" + k);
                else missingFields(at + "/" + k, fio.get(k), ours.get(k), missing);
            }
        } else if (fio.isArray() && !fio.isEmpty()) {
            if (ours.isArray() && !ours.isEmpty()) missingFields(at + "/0", fio.get(0), ours.get(0), missing);
            else missing.add(at + "/0");
        }
    }

    /** The real thing, on the same target as aiobench's job; skipped where fio is not installed. */
    @Test
    void fioRunsTheEquivalentJobOnTheSameTarget() throws Exception {
        Assumptions.assumeTrue(FioJob.version() != null, "fio is not installed (" + FioJob.INSTALL_HINT + ")");
        Files.createDirectories(RandomIoJobTest.SCRATCH);
        Target t = Target.ensureScratch(RandomIoJobTest.SCRATCH, RandomIoJobTest.SIZE, false, Progress.NONE, x -> {});
        JobSpec s = JobSpec.fromParams(Map.of("engine", "libaio", "iodepth", "4", "direct", "true", "runtime", "1s"));
        Path out = RandomIoJobTest.SCRATCH.resolve("fio.json");
        RandomIoReport r = FioJob.run(s, t, out);
        assertTrue(Files.size(out) > 0, "fio's own JSON is kept");
        assertTrue(r.source().startsWith("fio-"), r.source());
        assertTrue(r.ios() > 0 && r.iops() > 0);
        assertEquals(1.0, r.windowSec(), 0.2, "fio's window, as fio timed it (1.054 s seen on a loaded machine)");
        assertTrue(r.latency().p99() >= r.latency().p50());
        assertTrue(r.facts().get("fio").contains("--filename=" + t.path()));
    }

}
