package org.aiobench.engines.uring;

import java.util.concurrent.atomic.AtomicLong;

import org.aiobench.engines.EngineOptions;
import org.aiobench.engines.UnsupportedConfigurationException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-driven ring under SQPOLL: once its SQ thread has gone to sleep (1 ms without work here), a submission must
 * wake it (IORING_ENTER_SQ_WAKEUP), or the SQE is never read and a waiter sleeps for ever.
 */
class ReadRingTest {

    private static ReadRing sqpollRing(int entries) {
        try {
            return ReadRing.create(entries, EngineOptions.defaults(entries).withRingFlagsSpec("sqpoll,sqpoll_idle=1"));
        } catch (UnsupportedConfigurationException e) {
            Assumptions.abort("SQPOLL not available here: " + e.getMessage());
            return null;
        }
    }

    /** The SQ thread sleeps after its idle time: let it. */
    private static void letTheSqThreadSleep() throws InterruptedException {
        Thread.sleep(100);
    }

    /** Polls the CQ from user space (no system call) for up to two seconds; the tag, or -1. */
    private static long pollFor(ReadRing ring, long tag) {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < deadline) {
            long t = ring.poll();
            if (t == tag) return t;
            if (t >= 0) throw new AssertionError("unexpected completion " + t);
            Thread.onSpinWait();
        }
        return -1;
    }

    @Test
    void aSubmissionWakesASleepingSqThread() throws InterruptedException {
        try (ReadRing ring = sqpollRing(4)) {
            assertTrue(ring.sqpoll());
            for (int i = 1; i <= 3; i++) {
                letTheSqThreadSleep();
                assertTrue(ring.queueNop(i));
                assertEquals(1, ring.submit());
                assertEquals(i, pollFor(ring, i), "the no-op " + i + " submitted after the SQ thread slept never completed");
                assertEquals(0, ring.lastResult());
            }
        }
    }

    @Test
    void aWaiterWakesASleepingSqThread() throws InterruptedException {
        try (ReadRing ring = sqpollRing(2)) {
            assertTrue(ring.queueNop(7));
            assertEquals(1, ring.submit());
            assertEquals(7, pollFor(ring, 7));
            letTheSqThreadSleep();
            assertTrue(ring.queueNop(8));
            assertEquals(1, ring.submit());
            // a daemon waits in the kernel: if nothing woke the SQ thread it would sleep for ever
            AtomicLong seen = new AtomicLong(-1);
            Thread waiter = Thread.ofPlatform().daemon().start(() -> {
                while (true) {
                    long t = ring.poll();
                    if (t >= 0) {
                        seen.set(t);
                        return;
                    }
                    int r = ring.waitForCompletion();
                    if (r < 0 && r != -4) return;
                }
            });
            waiter.join(2000);
            assertFalse(waiter.isAlive(), "the wait for a completion never returned");
            assertEquals(8, seen.get());
        }
    }

    @Test
    void aFullSqWaitsForTheSqThreadInsteadOfFailing() {
        try (ReadRing ring = sqpollRing(2)) {
            // twice the ring's entries: the SQ thread frees entries as it takes them
            for (int i = 0; i < 8; i++) {
                assertTrue(ring.queueNop(100 + i), "no SQE for no-op " + i);
                assertEquals(1, ring.submit());
                assertEquals(100 + i, pollFor(ring, 100 + i));
            }
        }
    }
}
