package org.aiobench.workloads.randio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.aiobench.workloads.Progress;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The thesis' completion on another thread on a small seeded target: the ping-pong completes exactly the asked round
 * trips with every read's data checked, and the stall measures each trial within its timeout (defer_taskrun, whose
 * completions are posted only when the submitter enters the kernel, times out every trial and still finishes).
 */
class CrossThreadCompletionTest {
    static final Path SCRATCH = Path.of("target", "crossthread-test").toAbsolutePath();
    static Target target;

    @BeforeAll
    static void prepare() throws IOException {
        Assumptions.assumeTrue(RandomIoJobTest.runnable("io_uring"), "io_uring is not available here");
        Files.createDirectories(SCRATCH);
        target = Target.ensureScratch(SCRATCH, 1L << 20, false, Progress.NONE, s -> {});
    }

    static JobSpec spec(String... kv) {
        Map<String, String> p = new HashMap<>(Map.of("engine", "io_uring", "bs", "4K", "direct", "true"));
        for (int i = 0; i < kv.length; i += 2) p.put(kv[i], kv[i + 1]);
        return JobSpec.fromParams(p);
    }

    static int cpus() {
        return org.aiobench.engines.nat.Affinity.currentThreadCpus().length;
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "coop_taskrun", "coop_taskrun+taskrun_flag", "sqpoll+sqpoll_idle=1"})
    void pingPongCompletesTheRoundTripsWithTheirData(String flags) {
        Assumptions.assumeTrue(ringOk(flags), flags + " not available here");
        int[] cpu = org.aiobench.engines.nat.Affinity.currentThreadCpus();
        int a = cpu[0], b = cpu[cpu.length - 1];
        RandomIoReport r = CrossThreadCompletion.pingPong(spec("ringFlags", flags, "iodepth", "4", "ios", "300"), target, a, b);
        assertEquals(300, r.ios(), "round trips measured");
        assertEquals("300", r.facts().get("trials"));
        assertTrue(r.iops() > 0 && r.windowSec() > 0, "a rate over a window: " + r.iops() + " / " + r.windowSec());
        assertTrue(r.latency().p50() > 0 && r.latency().max() >= r.latency().p50(), "round-trip latency: " + r.latency());
        // Little: round trips in flight = rate x mean round trip: about the depth, within a factor 4 (a short window
        // blurs its edges, and a loaded machine stalls a thread inside a round trip: 10.1 seen at depth 4)
        double inFlight = r.iops() * r.latency().mean() / 1e6;
        assertTrue(inFlight > 1 && inFlight < 16, "round trips in flight " + inFlight);
    }

    /** Whether this kernel accepts the ring flags. */
    static boolean ringOk(String flags) {
        try {
            org.aiobench.engines.uring.ReadRing.create(1, spec("ringFlags", flags).engineOptions()).close();
            return true;
        } catch (org.aiobench.engines.UnsupportedConfigurationException e) {
            return false;
        }
    }

    /**
     * SQPOLL with an SQ thread that sleeps after 1 ms idle: between the trials it goes to sleep, and each submission
     * must wake it (otherwise the read is never submitted and every trial times out, then hangs).
     */
    @Test
    void stallWithASleepingSqThreadSeesEveryCompletion() {
        Assumptions.assumeTrue(cpus() >= 2, "the stall needs two CPUs");
        Assumptions.assumeTrue(ringOk("sqpoll+sqpoll_idle=1"), "SQPOLL not available here");
        int[] cpu = org.aiobench.engines.nat.Affinity.currentThreadCpus();
        RandomIoReport r = CrossThreadCompletion.stall(spec("ringFlags", "sqpoll+sqpoll_idle=1", "iodepth", "1",
                "ios", "20"), target, cpu[0], cpu[1], 2_000_000_000L); // a sleeping SQ thread never woken never submits
        assertEquals(20, r.ios());
        assertEquals("0", r.facts().get("timeouts"), "the SQ thread submitted every read");
    }

    @Test
    void pingPongDetectsWrongData() throws IOException {
        // a target whose data is not what its manifest says: the first check must fail
        Path dir = SCRATCH.resolve("corrupt");
        Files.createDirectories(dir);
        Target t = Target.ensureScratch(dir, 1L << 20, false, Progress.NONE, s -> {});
        try (var ch = java.nio.channels.FileChannel.open(t.path(), java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.allocate((int) t.size()), 0); // zeros: no sector header names its offset
        }
        int[] cpu = org.aiobench.engines.nat.Affinity.currentThreadCpus();
        RuntimeException e = assertThrows(RuntimeException.class, () ->
                CrossThreadCompletion.pingPong(spec("iodepth", "2", "ios", "50"), t, cpu[0], cpu[cpu.length - 1]));
        assertTrue(e.getMessage().contains("sector header"), e.getMessage());
        Files.delete(t.path());
    }

    @Test
    void stallMeasuresEveryTrialWithinItsTimeout() {
        Assumptions.assumeTrue(cpus() >= 2, "the stall needs two CPUs (a spinning submitter and an observer)");
        int[] cpu = org.aiobench.engines.nat.Affinity.currentThreadCpus();
        long timeout = 5_000_000L;
        RandomIoReport r = CrossThreadCompletion.stall(spec("ringFlags", "none", "iodepth", "1", "ios", "40"), target,
                cpu[0], cpu[1], timeout);
        assertEquals(40, r.ios());
        assertTrue(r.latency().max() <= timeout / 1e3 * 1.01, "capped at the timeout: " + r.latency());
        // the score: completions seen per second of waiting, 1 / the mean time to visibility
        assertEquals(1e6 / r.latency().mean(), r.iops(), r.iops() * 1e-9);
    }

    /**
     * A timeout about as long as the completion takes: the observer often takes the completion just as the submitter
     * gives up and enters the kernel; the run must still end (a wait for one more completion would hang).
     */
    @Test
    void stallEndsWhenTheCompletionArrivesJustAtTheTimeout() {
        Assumptions.assumeTrue(cpus() >= 2, "the stall needs two CPUs");
        int[] cpu = org.aiobench.engines.nat.Affinity.currentThreadCpus();
        RandomIoReport r = CrossThreadCompletion.stall(spec("ringFlags", "none", "iodepth", "1", "ios", "300"), target,
                cpu[0], cpu[1], 30_000L);
        assertEquals(300, r.ios());
        long timeouts = Long.parseLong(r.facts().get("timeouts"));
        assertTrue(timeouts >= 0 && timeouts <= 300, "timeouts " + timeouts);
    }

    @Test
    void stallWithDeferredTaskRunTimesOutEveryTrialAndStillEnds() {
        Assumptions.assumeTrue(cpus() >= 2, "the stall needs two CPUs");
        int[] cpu = org.aiobench.engines.nat.Affinity.currentThreadCpus();
        JobSpec s;
        try {
            s = spec("ringFlags", "single_issuer+defer_taskrun", "iodepth", "1", "ios", "5");
            org.aiobench.engines.uring.ReadRing.create(1, s.engineOptions()).close();
        } catch (org.aiobench.engines.UnsupportedConfigurationException e) {
            Assumptions.abort("defer_taskrun not supported: " + e.getMessage());
            return;
        }
        RandomIoReport r = CrossThreadCompletion.stall(s, target, cpu[0], cpu[1], 2_000_000L);
        assertEquals(5, r.ios());
        assertEquals("5", r.facts().get("timeouts"), "posted only when the submitter enters the kernel");
    }
}
