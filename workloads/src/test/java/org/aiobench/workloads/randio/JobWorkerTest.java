package org.aiobench.workloads.randio;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.aiobench.workloads.Progress;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hot loop itself, driven step by step in this thread: it keeps exactly iodepth I/Os queued or in flight, and
 * once compiled it allocates nothing per I/O (the JVM's per-thread allocation counter over thousands of I/Os).
 */
class JobWorkerTest {

    /** fio's buckets: depth 1, 2-3, 4-7 ... 64 and more; calls by I/Os: 0, 1-4, 5-8 ... more than 64. */
    @org.junit.jupiter.api.Test
    void depthAndBatchBucketsAreFios() {
        int[][] depth = {{1, 0}, {2, 1}, {3, 1}, {4, 2}, {7, 2}, {8, 3}, {15, 3}, {16, 4}, {31, 4}, {32, 5}, {63, 5},
                {64, 6}, {1000, 6}};
        for (int[] d : depth) assertEquals(d[1], JobWorker.depthBucket(d[0]), "depth " + d[0]);
        long[][] batch = {{0, 0}, {1, 1}, {4, 1}, {5, 2}, {8, 2}, {9, 3}, {16, 3}, {17, 4}, {32, 4}, {33, 5}, {64, 5},
                {65, 6}};
        for (long[] b : batch) assertEquals(b[1], JobWorker.batchBucket(b[0]), "batch " + b[0]);
    }

    @ParameterizedTest
    @CsvSource({"sync,1,randread", "posixaio,8,randread", "libaio,8,randread", "io_uring,8,randread",
            "io_uring,16,randwrite", "libaio,4,randrw", "io_uring,8,read"})
    void theLoopKeepsIodepthInFlightAndAllocatesNothingPerIo(String engine, int iodepth, String rw) throws Exception {
        Assumptions.assumeTrue(RandomIoJobTest.runnable(engine), engine + " cannot run here");
        Path scratch = RandomIoJobTest.SCRATCH;
        Files.createDirectories(scratch);
        JobSpec spec = RandomIoJobTest.spec(engine, "iodepth", "" + iodepth, "rw", rw, "direct", "true");
        Target t = Target.ensureScratch(scratch, RandomIoJobTest.SIZE, spec.rw().writes(), Progress.NONE, s -> {});
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long me = Thread.currentThread().threadId();
        JobWorker w = new JobWorker(0, spec, t, 7, new RandomIoJob.Control());
        try {
            w.prepare();
            w.beginWindow(System.nanoTime());
            // step by step: after every call of the loop, iodepth are queued or in flight
            for (int i = 0; i < 200; i++) {
                w.loop(Long.MAX_VALUE, w.ios + 1);
                assertEquals(iodepth, w.inFlight(), "after " + w.ios + " I/Os");
            }
            int perRound = 4000;
            double best = Double.MAX_VALUE;
            // the first rounds run interpreted and compile; the steady state is what the loop costs
            for (int round = 0; round < 10 && best > 0; round++) {
                long before = mx.getThreadAllocatedBytes(me);
                long target = w.ios + perRound;
                w.loop(Long.MAX_VALUE, target);
                best = Math.min(best, (mx.getThreadAllocatedBytes(me) - before) / (double) perRound);
            }
            System.out.printf("%s %s iodepth %d: %.3f bytes allocated per I/O in the best round%n", engine, rw, iodepth, best);
            assertEquals(0.0, best, engine + ": bytes allocated per I/O in the best round of " + perRound);
            assertEquals(iodepth, w.inFlight());
            w.endWindow();
            assertTrue(w.latHistogram[0].getTotalCount() + w.latHistogram[1].getTotalCount() == w.ios && w.ios > 0);
            assertEquals(w.ios, w.clat[0].count() + w.clat[1].count());
            w.drain();
            assertEquals(0, w.inFlight());
            assertTrue(w.failure() == null, String.valueOf(w.failure()));
        } finally {
            w.close();
        }
        Map<String, String> facts = w.engineFacts;
        assertTrue(!facts.isEmpty());
    }
}
