package org.aiobench.workloads;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.aiobench.engines.aio.LibaioEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * libaio and posixaio in the recursive copy: every mode x O_DIRECT x fallocate copies trees with odd sizes (the
 * O_DIRECT tail included) exactly, each engine does what its facts say (lio_listio only in batch mode, a dup'd
 * descriptor per concurrent request of a file, libaio tells buffered from O_DIRECT requests), a failed request
 * stops the copy with file and errno, and 1,000 copies leave no descriptors, AIO contexts or threads behind.
 * /tmp is ext4 here; O_DIRECT needs a filesystem that has it.
 */
class AioCopyTest {
    static final String[] ENGINES = {"libaio", "posixaio"};

    @TempDir static Path work;
    static Path odd;
    static Path gen;
    static Manifest genManifest;

    @BeforeAll
    static void trees() throws Exception {
        odd = OddTree.create(work.resolve("odd"), 17);
        // files larger than the buffer and not a multiple of the alignment: multi-chunk files with a tail
        genManifest = TestTree.generate(work.resolve("gen"), 7, 3 * 65536 + 1234, 23);
        gen = work.resolve("gen");
    }

    static Stream<Arguments> matrix() {
        List<Arguments> l = new ArrayList<>();
        for (String e : ENGINES)
            for (CopyMode m : CopyMode.values())
                for (boolean direct : new boolean[]{false, true})
                    for (boolean falloc : new boolean[]{false, true})
                        l.add(Arguments.of(e, m, direct, falloc));
        return l.stream();
    }

    @ParameterizedTest(name = "{0} {1} direct={2} fallocate={3}")
    @MethodSource("matrix")
    void copiesOddTreesExactly(String engine, CopyMode mode, boolean direct, boolean falloc) {
        String tag = engine + "-" + mode + "-" + direct + "-" + falloc;
        CopyOptions o = CopyOptions.defaults(engine).withMode(mode).withDirect(direct).withFallocate(falloc)
                .withQd(3).withOpsPerFile(3).withBufferSize(64 * 1024);

        Path dst = work.resolve("odd-" + tag);
        CopyResult r = RecursiveCopy.copy(odd, dst, o);
        Verifier.compareTrees(odd, dst);
        long expected = 5000 + 5000 + 3 + 3;
        for (long s : OddTree.SIZES) expected += s;
        assertEquals(expected, r.bytes());
        checkFacts(engine, mode, direct, falloc, r.engineFacts());
        Scratch.deleteOwned(dst);

        Path dst2 = work.resolve("gen-" + tag);
        RecursiveCopy.copy(gen, dst2, o);
        Verifier.verify(dst2, genManifest);
        Scratch.deleteOwned(dst2);
    }

    /**
     * Issue 24: POSIX AIO as the copy study ran it, every request of a file on the file's one descriptor; glibc
     * serialises them, and the copy is the same bytes.
     */
    @ParameterizedTest(name = "aioFds=file {0} direct={1}")
    @MethodSource("studyWay")
    void posixAioWithOneDescriptorPerFileAsTheStudyRanIt(CopyMode mode, boolean direct) {
        CopyOptions o = CopyOptions.defaults("posixaio").withMode(mode).withDirect(direct).withQd(6).withOpsPerFile(3)
                .withBufferSize(64 * 1024).withAioFds(CopyOptions.AioFds.FILE);
        Path dst = work.resolve("gen-aiofds-" + mode + "-" + direct);
        CopyResult r = RecursiveCopy.copy(gen, dst, o);
        Verifier.verify(dst, genManifest);
        Scratch.deleteOwned(dst);
        String d = r.engineFacts().get("descriptors");
        assertTrue(d.startsWith("one descriptor per file, as the copy study's program"), d);
        // 3 pairs per file: up to 3 reads queued on one source descriptor, no dups made
        assertEquals(3, count(d, "at most (\\d+) requests were on one descriptor"), d);
        assertFalse(d.contains("dups"), d);
    }

    static Stream<Arguments> studyWay() {
        List<Arguments> l = new ArrayList<>();
        for (CopyMode m : new CopyMode[] {CopyMode.MULTI, CopyMode.BATCH})
            for (boolean direct : new boolean[]{false, true}) l.add(Arguments.of(m, direct));
        return l.stream();
    }

    private static void checkFacts(String engine, CopyMode mode, boolean direct, boolean falloc, Map<String, String> f) {
        if (falloc) assertTrue(count(f.get("fallocate"), "\\((\\d+) so far\\)") > 0, f.get("fallocate"));
        if (engine.equals("posixaio")) {
            long rounds = count(f.get("batch"), "(\\d+) rounds");
            if (mode == CopyMode.BATCH) assertTrue(rounds > 0, f.get("batch"));
            else assertEquals(0, rounds, "lio_listio only in batch mode: " + f.get("batch"));
            String d = f.get("descriptors");
            assertFalse(d.contains("never announced"), d);
            // a file's concurrent pairs run on dup'd descriptors (multi and batch have 3 per file here)
            if (mode != CopyMode.SINGLE) assertTrue(count(d, "(\\d+) dups") > 0, d);
        } else {
            String inline = f.get("inline completion");
            assertFalse(inline.contains("never announced"), inline);
            if (direct) {
                // counted as O_DIRECT (how many finished inside io_submit depends on the device: not asserted)
                assertTrue(count(inline, "O_DIRECT reads \\d+ of (\\d+)") > 0, inline);
                assertFalse(inline.contains("buffered reads"), inline);
            } else {
                assertTrue(inline.startsWith("buffered I/O: io_submit completes inline"), inline);
                assertFalse(inline.contains("O_DIRECT reads"), inline);
            }
        }
    }

    private static long count(String s, String regex) {
        Matcher m = Pattern.compile(regex).matcher(s);
        assertTrue(m.find(), "'" + regex + "' in " + s);
        return Long.parseLong(m.group(1));
    }

    // ---- a failed request --------------------------------------------------------------------------------

    static Path small;

    @BeforeAll
    static void smallFilesystem() throws Exception {
        if (!"root".equals(System.getProperty("user.name"))) return;
        small = Files.createDirectory(work.resolve("small"));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", small.toString())
                .inheritIO().start();
        if (p.waitFor() != 0) small = null;
    }

    @AfterAll
    static void unmount() throws Exception {
        if (small != null) new ProcessBuilder("umount", small.toString()).inheritIO().start().waitFor();
    }

    /**
     * The destination fills up: the failing request's errno and file end the copy; nothing stays open. With
     * fallocate the preallocation fails whole, with ENOSPC. Without it a write that reaches the limit part-way
     * returns a short count (the filesystem wrote what fit); RecursiveCopy writes the rest, and that write says
     * ENOSPC.
     */
    @ParameterizedTest(name = "{0} {1} direct={2} fallocate={3}")
    @MethodSource("matrix")
    void aFailedRequestStopsTheCopyWithFileAndErrno(String engine, CopyMode mode, boolean direct, boolean falloc)
            throws Exception {
        Assumptions.assumeTrue(small != null, "needs root to mount a small tmpfs");
        long fds = DescriptorLeakTest.openFds();
        Path dst = small.resolve("dst");
        CopyException e;
        // prepared while it fits (copy checks free space first), then the filesystem fills up under it
        try (CopyPlan plan = CopyPlan.prepare(gen, dst, CopyOptions.defaults(engine).withMode(mode).withDirect(direct)
                .withFallocate(falloc).withQd(2).withOpsPerFile(2).withBufferSize(64 * 1024))) {
            Path filler = TestMount.fill(small, 512 << 10);
            try {
                e = assertThrows(CopyException.class, () -> plan.run(Progress.NONE));
            } finally {
                Files.delete(filler);
            }
        }
        assertFalse(e.badInput());
        String m = e.getMessage();
        assertTrue(m.contains("ENOSPC") && m.matches("(?s)copy stopped: (write of|fallocate of|close of) " + dst + "/.+"), m);
        assertTrue(m.contains("holds a partial copy"), m);
        assertEquals(fds, DescriptorLeakTest.openFds(), "descriptors left open after a failed copy");
        Scratch.deleteOwned(dst);
    }

    // ---- 1,000 copies --------------------------------------------------------------------------------------

    @Test
    void aThousandCopiesLeaveNoDescriptorsContextsOrThreads() throws Exception {
        Path src = work.resolve("tiny");
        TestTree.generate(src, 3, 5000, 3);
        Path dst = work.resolve("tiny-copy");
        for (String e : ENGINES) RecursiveCopy.copy(src, dst, CopyOptions.defaults(e).withQd(2)); // warm up
        long fds = DescriptorLeakTest.openFds();
        Thread.sleep(500); // the warm-up's libaio context goes when its background io_destroy runs
        long contexts = LibaioEngine.liveContexts();
        long threads = settledThreads();
        CopyMode[] modes = CopyMode.values();
        for (int i = 0; i < 1000; i++) {
            CopyOptions o = CopyOptions.defaults(ENGINES[i % 2]).withMode(modes[(i / 2) % 3]).withDirect(i % 4 < 2)
                    .withQd(2).withOpsPerFile(2).withBufferSize(4096);
            RecursiveCopy.copy(src, dst, o); // replaces the previous copy of ours
        }
        Verifier.compareTrees(src, dst);
        assertEquals(fds, DescriptorLeakTest.openFds(), "descriptors before and after 1,000 copies");
        // a closed libaio context goes when its io_destroy runs, on a background thread: allow 5 s
        for (int i = 0; i < 50 && LibaioEngine.liveContexts() > contexts; i++) Thread.sleep(100);
        assertTrue(LibaioEngine.liveContexts() <= contexts,
                "AIO contexts: " + contexts + " before, " + LibaioEngine.liveContexts() + " after: a context leaked");
        // glibc's helper threads retire after their idle time (1 s); wait for that, then count again
        long after = threads;
        for (int i = 0; i < 60 && (after = threadCount()) > threads; i++) Thread.sleep(100);
        assertTrue(after <= threads, "threads: " + threads + " before, " + after + " after");
    }

    /**
     * Threads named like this one: glibc's AIO helpers inherit the name (comm) of the thread that starts them,
     * while the JVM names its own (compiler and GC threads come and go on their own schedule).
     */
    static long threadCount() throws IOException {
        String me = Files.readString(Path.of("/proc/thread-self/comm"));
        long n = 0;
        try (Stream<Path> s = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) s::iterator) {
                try {
                    if (Files.readString(t.resolve("comm")).equals(me)) n++;
                } catch (IOException gone) {
                    // the thread exited while we looked
                }
            }
        }
        return n;
    }

    /** {@link #threadCount()} once it has not changed for 1.5 s (glibc's idle helpers have retired), at most 8 s. */
    static long settledThreads() throws Exception {
        long n = threadCount(), since = System.nanoTime(), end = since + 8_000_000_000L;
        while (System.nanoTime() < end && System.nanoTime() - since < 1_500_000_000L) {
            Thread.sleep(100);
            long m = threadCount();
            if (m != n) { n = m; since = System.nanoTime(); }
        }
        return n;
    }
}
