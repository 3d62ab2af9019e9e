package org.aiobench.engines.aio;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.aiobench.engines.IoEngine;
import org.aiobench.engines.Op;
import org.aiobench.engines.nat.Libc;
import org.aiobench.engines.nat.Linux;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 1,000 create/use/close cycles of each engine leave no descriptors, AIO contexts or threads behind. Each cycle
 * reads two chunks of one file at once (posixaio dups a descriptor for the second) and copies a chunk with a
 * linked pair.
 */
class AioLeakTest {
    static final int CYCLES = 1000;

    @TempDir Path dir;

    private static void cycle(String kind, Path src, Path dst, Arena a, MemorySegment region) {
        try (IoEngine e = AioEngineTest.engine(kind, 4)) {
            int in = Libc.open(src.toString(), Linux.O_RDONLY, 0);
            int out = Libc.open(dst.toString(), Linux.O_WRONLY | Linux.O_CREAT, 0644);
            e.fileOpened(in);
            e.fileOpened(out);
            try {
                e.queue(Op.READ, 1, in, region, 4096, 0, 0);
                e.queue(Op.READ, 2, in, region.asSlice(4096), 4096, 4096, 0);
                e.submit();
                long[] sum = {0};
                while (e.inFlight() > 0) e.reap(1, (t, r) -> sum[0] += r);
                assertEquals(8192, sum[0]);
                e.queue(Op.READ, 3, in, region, 4096, 8192, IoEngine.LINK);
                e.queue(Op.WRITE, 4, out, region, 4096, 0, 0);
                e.submit();
                e.reap(2, (t, r) -> assertEquals(4096, r, "tag " + t));
            } finally {
                e.fileClosing(in);
                e.fileClosing(out);
                Libc.closeChecked(in, src.toString());
                Libc.closeChecked(out, dst.toString());
            }
        }
    }

    static long count(String dirPath) throws IOException {
        try (var s = Files.list(Path.of(dirPath))) {
            return s.count();
        }
    }

    /**
     * glibc's AIO helper threads inherit the name (comm) of the thread that starts them, which is this test's
     * thread; the JVM names its own threads, so counting tasks with our comm counts glibc's helpers (plus us and,
     * with the java launcher, its primordial thread).
     */
    static long tasksNamedLikeUs() throws IOException {
        String me = Files.readString(Path.of("/proc/thread-self/comm"));
        long n = 0;
        try (var s = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) s::iterator) {
                try {
                    if (Files.readString(t.resolve("comm")).equals(me)) n++;
                } catch (IOException gone) {
                    // the task exited while we looked
                }
            }
        }
        return n;
    }

    private Path file() throws IOException {
        Path src = dir.resolve("src");
        byte[] b = new byte[3 * 4096];
        new Random(5).nextBytes(b);
        Files.write(src, b);
        return src;
    }

    @Test
    void libaioLeavesNoDescriptorsOrContexts() throws IOException {
        Path src = file(), dst = dir.resolve("dst");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment region = a.allocate(8192, 4096);
            cycle("libaio", src, dst, a, region); // class loading and first-use allocations out of the count
            ContextReaper.SHARED.awaitIdle(); // the warm-up's context may still be on its way out
            long fds = count("/proc/self/fd"), contexts = LibaioEngine.liveContexts();
            try (IoEngine e = AioEngineTest.engine("libaio", 4)) {
                // the count measures what we think: one live context adds one ring mapping
                assertEquals(contexts + 1, LibaioEngine.liveContexts(), "a live context maps its ring");
            }
            for (int i = 0; i < CYCLES; i++) cycle("libaio", src, dst, a, region);
            assertEquals(fds, count("/proc/self/fd"), "descriptors after " + CYCLES + " cycles");
            // closed contexts unmap their rings when their (background) io_destroy runs
            ContextReaper.SHARED.awaitIdle();
            String f = ContextReaper.SHARED.fact();
            assertTrue(f.matches(".*this process: [1-9]\\d* background io_destroy calls, the last took .*"),
                    "closes with nothing in flight went to the background: " + f);
            assertEquals(contexts, LibaioEngine.liveContexts(), "AIO contexts of this process after " + CYCLES + " cycles");
        }
    }

    @Test
    void posixaioLeavesNoDescriptorsOrThreads() throws IOException, InterruptedException {
        Path src = file(), dst = dir.resolve("dst");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment region = a.allocate(8192, 4096);
            cycle("posixaio", src, dst, a, region);
            long fds = count("/proc/self/fd");
            long idle = settledTasks(); // the first cycle's helpers retire after the idle time
            int threads;
            try (IoEngine e = AioEngineTest.engine("posixaio", 4)) {
                Matcher m = Pattern.compile("threads=(\\d+)").matcher(e.facts().get("aio_init"));
                assertTrue(m.find());
                threads = Integer.parseInt(m.group(1));
            }
            long most = 0;
            for (int i = 0; i < CYCLES; i++) {
                cycle(i % 2 == 0 ? "posixaio" : "posixaio-poll", src, dst, a, region);
                if (i % 50 == 0) most = Math.max(most, tasksNamedLikeUs());
            }
            assertEquals(fds, count("/proc/self/fd"), "descriptors (incl. dups) after " + CYCLES + " cycles");
            assertTrue(most > idle, "the count sees glibc's helpers while they work (" + most + " vs " + idle + ")");
            assertTrue(most <= idle + threads, "glibc reuses its helpers: at most " + threads + " above " + idle
                    + " while cycling, saw " + most);
            long after = waitForTasks(idle);
            assertEquals(idle, after, "glibc's helper threads retire within the idle time once the engines are closed");
        }
    }

    /** The count of our tasks once it has not changed for longer than glibc's idle time (at most 3 idle times + 4 s). */
    private static long settledTasks() throws IOException, InterruptedException {
        long idleNs = GlibcAio.IDLE_TIME_SECONDS * 1_000_000_000L;
        long deadline = System.nanoTime() + 3 * idleNs + 4_000_000_000L;
        long n = tasksNamedLikeUs(), since = System.nanoTime();
        while (System.nanoTime() < deadline && System.nanoTime() - since < idleNs + 500_000_000L) {
            Thread.sleep(100);
            long m = tasksNamedLikeUs();
            if (m != n) { n = m; since = System.nanoTime(); }
        }
        return n;
    }

    /** Waits up to glibc's idle time + 4 s for our task count to drop to {@code target}; returns the last count. */
    private static long waitForTasks(long target) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + (GlibcAio.IDLE_TIME_SECONDS + 4) * 1_000_000_000L;
        long n = tasksNamedLikeUs();
        while (n > target && System.nanoTime() < deadline) {
            Thread.sleep(100);
            n = tasksNamedLikeUs();
        }
        return n;
    }

    @Test
    void closeWaitsForRequestsStillInFlight() throws IOException {
        Path src = file();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment region = a.allocate(8192, 4096);
            for (String kind : new String[] {"libaio", "posixaio"}) {
                long fds = count("/proc/self/fd");
                int in = Libc.open(src.toString(), Linux.O_RDONLY, 0);
                IoEngine e = AioEngineTest.engine(kind, 4);
                e.fileOpened(in);
                e.queue(Op.READ, 1, in, region, 4096, 0, IoEngine.LINK);
                e.queue(Op.READ, 2, in, region.asSlice(4096), 4096, 4096, 0);
                e.queue(Op.READ, 3, in, region.asSlice(4096), 4096, 8192, 0);
                e.submit();
                e.close(); // nothing reaped: close must wait, not leave glibc or the kernel writing into region
                Libc.closeChecked(in, src.toString());
                assertEquals(fds, count("/proc/self/fd"), kind);
            }
        }
    }
}
