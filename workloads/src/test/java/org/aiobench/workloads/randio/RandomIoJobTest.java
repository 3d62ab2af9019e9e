package org.aiobench.workloads.randio;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.aiobench.engines.Engines;
import org.aiobench.engines.UnsupportedConfigurationException;
import org.aiobench.workloads.Progress;
import org.aiobench.workloads.Scratch;
import org.aiobench.workloads.VerificationException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The random-I/O job with every engine on a small seeded target: it measures (I/Os, IOPS, latency, 0.5 s intervals,
 * CPU), checks every read against the data's sector headers, reads its writes back, keeps exactly the asked depth,
 * and refuses what it cannot run. Durations are a fraction of a second: the numbers are checked for consistency,
 * never for speed.
 */
class RandomIoJobTest {
    static final Path SCRATCH = Path.of("target", "randio-test").toAbsolutePath();
    static final long SIZE = 4L << 20;
    static Target readTarget, writeTarget;

    @BeforeAll
    static void targets() throws IOException {
        Files.createDirectories(SCRATCH);
        readTarget = Target.ensureScratch(SCRATCH, SIZE, false, Progress.NONE, s -> {});
        writeTarget = Target.ensureScratch(SCRATCH, SIZE, true, Progress.NONE, s -> {});
    }

    static JobSpec spec(String engine, String... kv) {
        Map<String, String> p = new HashMap<>(Map.of("engine", engine, "runtime", "300ms", "iodepth", "4"));
        for (int i = 0; i < kv.length; i += 2) p.put(kv[i], kv[i + 1]);
        return JobSpec.fromParams(p);
    }

    /** The engines that can run here (io_uring may be disabled by a sysctl or seccomp). */
    static boolean runnable(String engine) {
        try {
            Engines.create(engine, JobSpec.defaults(engine).engineOptions()).close();
            return true;
        } catch (UnsupportedConfigurationException e) {
            return false;
        }
    }

    @ParameterizedTest
    @CsvSource({"sync,1,false", "sync,1,true", "posixaio,8,true", "libaio,8,true", "io_uring,8,true",
            "io_uring,8,false", "libaio,1,true"})
    void everyEngineMeasuresAConsistentJob(String engine, int iodepth, boolean direct) {
        Assumptions.assumeTrue(runnable(engine), engine + " cannot run here");
        RandomIoReport r = RandomIoJob.run(spec(engine, "iodepth", "" + iodepth, "direct", "" + direct,
                "runtime", "1200ms", "ramp", "100ms"), readTarget);
        assertTrue(r.ios() > 0, "no I/O");
        assertEquals(r.ios(), r.reads());
        assertEquals(1.2, r.windowSec(), 0.1, "the window is the runtime");
        assertEquals(r.ios() / r.windowSec(), r.iops(), r.iops() * 0.01);
        assertEquals(2, r.intervalSamples(), "1.2 s hold two whole 0.5 s intervals");
        assertFalse(Double.isNaN(r.iopsIntervalMean()));
        RandomIoReport.Latency l = r.latency();
        assertTrue(l.min() > 0 && l.min() <= l.p50() && l.p50() <= l.p90() && l.p90() <= l.p99()
                && l.p99() <= l.p999() && l.p999() <= l.max() * 1.001, l.toString());
        assertTrue(l.mean() >= l.min() && l.mean() <= l.max());
        // completion latency: never longer than the whole latency
        RandomIoReport.Latency c = r.completionLatency();
        assertTrue(c.mean() <= l.mean() * 1.0001 && c.p50() <= l.p50() * 1.01, c + " vs " + l);
        // submission latency where the submission returned before the wait (libaio; a replacement submitted while
        // others were in flight); an I/O submitted with its wait in one call is issued when the call starts, as
        // fio's synchronous engines take it: no slat, and clat is lat
        boolean separate = engine.equals("libaio") || iodepth > 1 && !engine.equals("sync");
        FioStats.Dir d = r.fio().read();
        assertEquals(separate, d.slat().n() > 0, engine + " iodepth " + iodepth + ": slat " + d.slat());
        if (!separate) assertEquals(d.lat().mean(), d.clat().mean(), 1e-6);
        // Little's law: iodepth in flight, each for the mean latency (plus the loop's own time between I/Os)
        assertTrue(r.iops() * l.mean() / 1e6 <= iodepth * 1.05, "more in flight than iodepth: " + r.iops() + " IOPS x "
                + l.mean() + " us");
        assertTrue(r.cpuUserSec() + r.cpuSysSec() > 0);
        assertTrue(r.metrics().keySet().containsAll(List.of(RandomIoReport.LAT_P99, RandomIoReport.CPU_PER_IO,
                RandomIoReport.MB_PER_SEC, RandomIoReport.IOPS_INTERVAL_MEAN)));
        assertTrue(r.facts().get("checks").startsWith("every read"), r.facts().toString());
        assertEquals(0, r.readsVerifiedInWindow(), "no read of the window is checked (fio's default: no verify)");
        assertTrue(r.readsVerified() > 0, "reads of the ramp and after the window are");
        if (engine.equals("io_uring")) assertTrue(r.facts().get("engine.ring.fd_registered").startsWith("yes"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sync", "posixaio", "libaio", "io_uring"})
    void writesAreReadBackAsWritten(String engine) {
        Assumptions.assumeTrue(runnable(engine), engine + " cannot run here");
        RandomIoReport r = RandomIoJob.run(spec(engine, "rw", "randwrite", "direct", "true",
                "iodepth", engine.equals("sync") ? "1" : "4"), writeTarget);
        assertTrue(r.writes() > 0 && r.reads() == 0);
        assertTrue(r.writesVerified() > 0, "the last writes were read back");
    }

    @Test
    void numjobsRunsThatManyThreadsEachWithItsOwnEngine() {
        RandomIoReport r = RandomIoJob.run(spec("sync", "numjobs", "3", "iodepth", "1", "direct", "true"), readTarget);
        assertEquals(3, r.jobs().size());
        assertEquals(3, r.jobs().stream().mapToInt(RandomIoReport.JobLine::tid).distinct().count());
        assertEquals(r.ios(), r.jobs().stream().mapToLong(RandomIoReport.JobLine::ios).sum());
        assertEquals(r.iops(), r.jobs().stream().mapToDouble(RandomIoReport.JobLine::iops).sum(), 1e-6);
    }

    @Test
    void mixedReadsAndWritesFollowRwmixread() {
        RandomIoReport r = RandomIoJob.run(spec("libaio", "rw", "randrw", "rwmixread", "75", "direct", "true",
                "ios", "4000"), writeTarget);
        assertEquals(r.ios(), r.reads() + r.writes());
        assertEquals(0.75, r.reads() / (double) r.ios(), 0.05);
    }

    @Test
    void anIosCountEndsTheWindow() {
        RandomIoReport r = RandomIoJob.run(spec("io_uring", "ios", "2000", "iodepth", "8", "direct", "true"), readTarget);
        // the window ends with the batch that reached the count: at most iodepth more
        assertTrue(r.ios() >= 2000 && r.ios() < 2000 + 8, "ios " + r.ios());
    }

    @Test
    void pinningPutsEveryJobThreadOnTheGivenCpu() {
        RandomIoReport r = RandomIoJob.run(spec("sync", "cpus", "0", "numjobs", "2", "iodepth", "1"), readTarget);
        assertTrue(r.ios() > 0);
        assertTrue(r.spec().label().contains("cpus=0"));
    }

    /**
     * 1000 I/Os with 20,000 PAUSEs after each: 2e7 PAUSEs, at least 4 ms of the job thread's user CPU even at one
     * PAUSE per cycle at 5 GHz (about 0.2 s here, where a PAUSE takes about 10 ns; 1000 synchronous I/Os alone take
     * about 1 ms of user time), and spun inside the window.
     */
    @Test
    void thinkcyclesSpinBetweenReapingAndResubmitting() {
        RandomIoReport slow = RandomIoJob.run(spec("sync", "ios", "1000", "thinkcycles", "20000"), readTarget);
        assertEquals(1000, slow.ios());
        assertTrue(slow.cpuUserSec() >= 0.004, "user CPU " + slow.cpuUserSec());
        assertTrue(slow.windowSec() >= slow.cpuUserSec() * 0.9, "window " + slow.windowSec() + " s");
        assertEquals(1000, slow.thinkSpinsInWindow());
    }

    /**
     * fio's do_io spins once per I/O it issues, whatever the depth: so does the job, also at depth 64 where one pass
     * of the loop reaps and resubmits many (the thesis' think-time experiment runs there). Before, the spin was once
     * per pass, which at depth 64 is a fraction of the I/Os.
     */
    @ParameterizedTest
    @CsvSource({"io_uring,64", "io_uring,8", "libaio,64", "sync,1"})
    void thinkTimeIsSpunOncePerIo(String engine, int iodepth) {
        Assumptions.assumeTrue(runnable(engine), engine + " cannot run here");
        String[] kv = {"iodepth", "" + iodepth, "direct", "true", "ios", "4000", "thinkcycles", "64", "ramp", "50ms"};
        JobSpec s = engine.equals("io_uring") ? spec(engine, append(kv, "ringFlags", "coop_taskrun,single_issuer,defer_taskrun"))
                : spec(engine, kv);
        RandomIoReport r = RandomIoJob.run(s, readTarget);
        assertTrue(r.ios() >= 4000);
        assertEquals(r.ios(), r.thinkSpinsInWindow(), "one spin per I/O at iodepth " + iodepth);
        assertTrue(r.summary().contains(r.thinkSpinsInWindow() + " spins of 64 PAUSE"), r.summary());
    }

    private static String[] append(String[] a, String... more) {
        String[] out = java.util.Arrays.copyOf(a, a.length + more.length);
        System.arraycopy(more, 0, out, a.length, more.length);
        return out;
    }

    /**
     * By default reads are checked during the ramp and after the window, none in it (fio without verify= checks
     * none); with verify every read in the window is checked too. Either way the count is reported.
     */
    @Test
    void readsAreVerifiedOutsideTheWindowUnlessVerify() {
        RandomIoReport outside = RandomIoJob.run(spec("libaio", "iodepth", "8", "direct", "true", "runtime", "300ms",
                "ramp", "100ms"), readTarget);
        assertEquals(0, outside.readsVerifiedInWindow());
        assertTrue(outside.readsVerified() >= JobWorker.VERIFY_TAIL_IOS || outside.readsVerified() >= 8,
                "the ramp, the tail and the drain: " + outside.readsVerified());
        assertTrue(outside.summary().contains("none in it"), outside.summary());
        RandomIoReport no = RandomIoJob.run(spec("libaio", "iodepth", "8", "direct", "true", "ios", "2000"), readTarget);
        assertTrue(no.readsVerified() >= Math.min(JobWorker.VERIFY_TAIL_IOS, 100),
                "without a ramp, a tail of checked reads after the window: " + no.readsVerified());
        RandomIoReport all = RandomIoJob.run(spec("libaio", "iodepth", "8", "direct", "true", "ios", "2000",
                "verify", "true"), readTarget);
        assertEquals(all.reads(), all.readsVerifiedInWindow(), "verify: every read of the window");
        assertEquals(all.readsVerified(), all.readsVerifiedInWindow() + 8, "and the 8 drained after it");
        assertEquals((double) all.readsVerified(), all.metrics().get(RandomIoReport.READS_VERIFIED));
    }

    /** An SQPOLL job's submission thread burns CPU of its own: counted in CPU per I/O, shown apart from the job's. */
    @Test
    void theSqpollThreadsCpuIsCountedApart() {
        Assumptions.assumeTrue(runnable("io_uring"));
        JobSpec s;
        try {
            s = spec("io_uring", "iodepth", "4", "direct", "true", "runtime", "600ms", "ringFlags", "sqpoll");
            org.aiobench.engines.Engines.create("io_uring", s.engineOptions()).close();
        } catch (UnsupportedConfigurationException e) {
            Assumptions.abort("SQPOLL not available: " + e.getMessage());
            return;
        }
        RandomIoReport r = RandomIoJob.run(s, readTarget);
        assertTrue(r.helpers().contains("SQPOLL"), r.helpers());
        assertTrue(r.helperCpuSec() > 0.05, "an SQ thread polling through a 0.6 s window: " + r.helperCpuSec());
        assertEquals(r.cpuPerIoUs(), r.jobCpuPerIoUs() + r.helperCpuSec() / r.ios() * 1e6, 1e-6);
        assertTrue(r.summary().contains("helper cpu   : ") && r.summary().contains("io_uring SQPOLL thread"), r.summary());
    }

    /** The job in fio's terms: the same I/Os in every statistic, fio's buckets and percentiles, its JSON names. */
    @Test
    void fioStatisticsAgreeWithTheJob() {
        Assumptions.assumeTrue(runnable("libaio"));
        RandomIoReport r = RandomIoJob.run(spec("libaio", "rw", "randrw", "rwmixread", "70", "iodepth", "8",
                "direct", "true", "runtime", "1200ms", "ramp", "100ms"), writeTarget);
        FioStats f = r.fio();
        assertEquals(r.reads(), f.read().totalIos());
        assertEquals(r.writes(), f.write().totalIos());
        for (FioStats.Dir d : List.of(f.read(), f.write())) {
            assertEquals(d.totalIos(), d.clat().n());
            assertEquals(d.totalIos(), d.lat().n());
            // libaio: io_submit returns before the wait, so every I/O has a submission latency
            assertEquals(d.totalIos(), d.slat().n());
            assertTrue(d.slat().mean() <= d.lat().mean() && d.clat().mean() <= d.lat().mean() * 1.0001, d.toString());
            assertTrue(d.lat().min() <= d.lat().mean() && d.lat().mean() <= d.lat().max() && d.lat().stdev() > 0);
            assertEquals(FioStats.DEFAULT_PERCENTILES.length, d.clatPercentiles().size());
            assertTrue(d.clatPercentiles().get(50.0) <= d.clatPercentiles().get(99.0));
            assertEquals(2, d.iops().n(), "two whole 0.5 s samples in 1.2 s");
            assertEquals(d.iops().mean() * 4, d.bw().mean(), 1e-6, "4K: KiB/s = 4 x IOPS");
            // up to the direction's last I/O: a job thread descheduled across the deadline on a loaded machine ends
            // its window early (1048 ms seen while a benchmark and two builds ran)
            assertTrue(d.runtimeMs() > 800 && d.runtimeMs() <= 1300, d.runtimeMs() + " ms");
            assertEquals(d.ioBytes(), d.totalIos() * 4096);
        }
        // every I/O was submitted with 8 in flight (libaio: one each, while the others were in flight)
        assertTrue(f.iodepthLevel()[3] > 90, java.util.Arrays.toString(f.iodepthLevel()));
        assertEquals(100, java.util.Arrays.stream(f.iodepthSubmit()).sum(), 0.5);
        double lat = java.util.Arrays.stream(f.latencyNs()).sum() + java.util.Arrays.stream(f.latencyUs()).sum()
                + java.util.Arrays.stream(f.latencyMs()).sum();
        assertEquals(100, lat, 1.0, "the latency distribution covers every I/O");
        assertEquals(100 * r.cpuUserSec() / (f.jobRuntimeMs() / 1000.0), f.usrCpu(), 0.5);
        assertEquals(r.ctxSwitches(), f.ctx());
        String text = r.summary();
        for (String line : List.of("aiobench-randio: (groupid=0, jobs=1): err= 0: pid=", "  read: IOPS=", "  write: IOPS=",
                "    slat (", "    clat (", "     lat (", "    clat percentiles (", "     |  1.00th=[", "99.99th=[",
                "   bw (  KiB/s): min=", "   iops        : min=", "  cpu          : usr=", "  IO depths    : 1=",
                "     submit    : 0=", "     complete  : 0=", "     issued rwts: total=" + r.reads() + "," + r.writes(),
                "Run status group 0 (all jobs):", "   READ: bw=", "  WRITE: bw=", "  helper cpu   :", "  cpu per I/O  :")) {
            assertTrue(text.contains(line), "missing '" + line + "' in\n" + text);
        }
    }

    /** A sector whose header does not name its offset fails the job with the offset: reads are checked. */
    @Test
    void aReadOfWrongDataFailsTheJobWithItsOffset() throws IOException {
        Path dir = SCRATCH.resolve("damaged");
        Scratch.deleteOwned(Target.scratchDir(dir));
        Files.createDirectories(dir);
        Target t = Target.ensureScratch(dir, 1L << 20, false, Progress.NONE, s -> {});
        try (RandomAccessFile f = new RandomAccessFile(t.path().toFile(), "rw")) {
            f.seek(8192);
            f.writeLong(0x1234); // the header of the sector at 8192
        }
        // every read of the window checked (verify), or every read of a ramp long enough to read every block
        VerificationException e = assertThrows(VerificationException.class,
                () -> RandomIoJob.run(spec("sync", "ios", "20000", "direct", "true", "verify", "true"), t));
        assertEquals(8192, e.offset(), e.getMessage());
        VerificationException inRamp = assertThrows(VerificationException.class,
                () -> RandomIoJob.run(spec("sync", "ios", "10", "direct", "true", "ramp", "500ms"), t));
        assertEquals(8192, inRamp.offset(), inRamp.getMessage());
        // reused, the damaged target is found and laid out again
        List<String> log = new java.util.ArrayList<>();
        Target again = Target.ensureScratch(dir, 1L << 20, false, Progress.NONE, log::add);
        assertTrue(log.get(0).contains("damaged"), log.toString());
        assertTrue(RandomIoJob.run(spec("sync", "ios", "2000"), again).ios() >= 2000);
    }

    @Test
    void whatATargetCannotRunIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> RandomIoJob.run(spec("sync", "rw", "randwrite"), readTarget),
                "the read target is not written");
        Target small = Target.given(readTarget.path(), 8192, false, false);
        assertEquals(Target.Kind.SCRATCH_READ, small.kind(), "aiobench's own target is recognised");
        assertThrows(IllegalArgumentException.class, () -> RandomIoJob.run(spec("sync", "bs", "16K"), small),
                "bs beyond the target");
    }

    /**
     * batchSubmit 1 (fio's default) hands each replacement to the kernel at once while others are in flight: about
     * one request per io_submit; batchSubmit 0 holds them for the wait, so each io_submit carries a batch.
     */
    @Test
    void batchSubmitDecidesWhenReplacementsReachTheKernel() {
        double each = requestsPerSubmit(RandomIoJob.run(spec("libaio", "iodepth", "16", "direct", "true",
                "ios", "3000"), readTarget));
        double held = requestsPerSubmit(RandomIoJob.run(spec("libaio", "iodepth", "16", "direct", "true",
                "ios", "3000", "batchSubmit", "0"), readTarget));
        assertTrue(each < 1.1, "batchSubmit 1: " + each + " requests per io_submit");
        assertTrue(held > 1.5, "batchSubmit 0: " + held + " requests per io_submit");
    }

    private static double requestsPerSubmit(RandomIoReport r) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) calls, (\\d+) requests")
                .matcher(r.facts().get("engine.io_submit"));
        assertTrue(m.find(), r.facts().get("engine.io_submit"));
        return Double.parseDouble(m.group(2)) / Double.parseDouble(m.group(1));
    }
}
