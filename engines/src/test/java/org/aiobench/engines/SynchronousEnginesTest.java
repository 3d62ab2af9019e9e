package org.aiobench.engines;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.aiobench.engines.nat.Errno;
import org.aiobench.engines.nat.Libc;
import org.aiobench.engines.nat.Linux;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SynchronousEnginesTest {
    @TempDir Path dir;

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sync", "copy_file_range"})
    void linkedPairsCopyAFileAndAShortReadCancelsItsWrite(String name) throws Exception {
        byte[] data = random(300_000, 1);
        Path src = Files.write(dir.resolve("src"), data);
        Path dst = dir.resolve("dst");
        int chunk = 128 * 1024;
        try (Arena a = Arena.ofConfined(); IoEngine e = Engines.create(name, EngineOptions.defaults(8))) {
            MemorySegment region = a.allocate(4L * chunk, 4096);
            e.useBuffers(region, chunk);
            int in = Libc.open(src.toString(), Linux.O_RDONLY, 0);
            int out = Libc.open(dst.toString(), Linux.O_WRONLY | Linux.O_CREAT, 0644);
            List<long[]> done = new ArrayList<>();
            // three pairs covering the file, the last one asking for more than is left: its read comes up short
            for (int i = 0; i < 3; i++) {
                MemorySegment buf = region.asSlice((long) i * chunk, chunk);
                e.queue(Op.READ, 2L * i, in, buf, chunk, (long) i * chunk, IoEngine.LINK);
                e.queue(Op.WRITE, 2L * i + 1, out, buf, chunk, (long) i * chunk, 0);
            }
            assertEquals(6, e.inFlight());
            e.submitAndReap(6, (t, r) -> done.add(new long[]{t, r}));
            assertEquals(0, e.inFlight());
            assertEquals(6, done.size());
            long[] res = new long[6];
            for (long[] d : done) res[(int) d[0]] = d[1];
            assertEquals(chunk, res[0]);
            assertEquals(chunk, res[1]);
            assertEquals(chunk, res[3]);
            assertEquals(300_000 - 2 * chunk, res[4], "the last read returns what is left");
            if (name.equals("sync")) assertEquals(-Errno.ECANCELED, res[5], "its linked write is cancelled");
            else assertEquals(res[4], res[5], "a kernel copy writes what it read: both sides say how far it got");
            // the workload's answer to a short pair: the pair again, for what is really there
            MemorySegment buf = region.asSlice(2L * chunk, chunk);
            e.queue(Op.READ, 8, in, buf, res[4], 2L * chunk, IoEngine.LINK);
            e.queue(Op.WRITE, 9, out, buf, res[4], 2L * chunk, 0);
            e.submitAndReap(2, (t, r) -> assertEquals(res[4], r));
            Libc.close(in);
            Libc.close(out);
        }
        assertArrayEquals(data, Files.readAllBytes(dst));
    }

    @Test
    void copyFileRangeCopiesInTheKernel() throws Exception {
        Path src = Files.write(dir.resolve("src"), random(200_000, 2));
        try (Arena a = Arena.ofConfined(); IoEngine e = Engines.create("copy_file_range", EngineOptions.defaults(2))) {
            MemorySegment buf = a.allocate(256 * 1024, 4096);
            e.useBuffers(buf, buf.byteSize());
            int in = Libc.open(src.toString(), Linux.O_RDONLY, 0);
            int out = Libc.open(dir.resolve("dst").toString(), Linux.O_WRONLY | Linux.O_CREAT, 0644);
            e.queue(Op.READ, 0, in, buf, 200_000, 0, IoEngine.LINK);
            e.queue(Op.WRITE, 1, out, buf, 200_000, 0, 0);
            e.submitAndReap(2, (t, r) -> assertEquals(200_000, r));
            // the kernel copied: the buffer was never filled
            for (long i = 0; i < 200_000; i++) assertEquals(0, buf.get(JAVA_BYTE, i));
            assertTrue(e.facts().get("requests").startsWith("kernel 1 in 1 copy_file_range calls (200000 bytes"),
                    e.facts().toString());
            assertEquals("POSIX_FADV_SEQUENTIAL on 1 sources", e.facts().get("fadvise"), "as cp, before the first byte");
            Libc.close(in);
            Libc.close(out);
        }
        assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(dir.resolve("dst")));
    }

    @Test
    void copyFileRangeFallsBackAcrossFilesystemsAndSaysWhy() throws Exception {
        Path shm = Path.of("/dev/shm");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm), "no /dev/shm");
        Path src = Files.write(Files.createTempFile(shm, "aiobench", ".src"), random(100_000, 3));
        try (Arena a = Arena.ofConfined(); IoEngine e = Engines.create("copy_file_range", EngineOptions.defaults(2))) {
            MemorySegment buf = a.allocate(128 * 1024, 4096);
            e.useBuffers(buf, buf.byteSize());
            int in = Libc.open(src.toString(), Linux.O_RDONLY, 0);
            int out = Libc.open(dir.resolve("dst").toString(), Linux.O_WRONLY | Linux.O_CREAT, 0644);
            e.queue(Op.READ, 0, in, buf, 100_000, 0, IoEngine.LINK);
            e.queue(Op.WRITE, 1, out, buf, 100_000, 0, 0);
            e.submitAndReap(2, (t, r) -> assertEquals(100_000, r));
            Libc.close(in);
            Libc.close(out);
            String fb = e.facts().getOrDefault("fallback", "");
            if (e.facts().get("requests").startsWith("kernel 0 ")) {
                assertTrue(fb.startsWith("copy_file_range failed with EXDEV") || fb.contains("EOPNOTSUPP") || fb.contains("EINVAL"), fb);
            }
            assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(dir.resolve("dst")));
        } finally {
            Files.deleteIfExists(src);
        }
    }

    /** As cp asks for it: one request for a whole file much longer than the buffer, the buffer never touched. */
    @Test
    void copyFileRangeCopiesAWholeFileLongerThanItsBuffer() throws Exception {
        int len = (1 << 20) + 17;
        Path src = Files.write(dir.resolve("src"), random(len, 4));
        try (Arena a = Arena.ofConfined(); IoEngine e = Engines.create("copy_file_range", EngineOptions.defaults(2))) {
            MemorySegment buf = a.allocate(64 * 1024, 4096);
            e.useBuffers(buf, buf.byteSize());
            assertTrue(e.capabilities().kernelCopy(), "the workload may give it whole files");
            int in = Libc.open(src.toString(), Linux.O_RDONLY, 0);
            int out = Libc.open(dir.resolve("dst").toString(), Linux.O_WRONLY | Linux.O_CREAT, 0644);
            e.queue(Op.READ, 0, in, buf, len, 0, IoEngine.LINK);
            e.queue(Op.WRITE, 1, out, buf, len, 0, 0);
            e.submitAndReap(2, (t, r) -> assertEquals(len, r));
            for (long i = 0; i < buf.byteSize(); i++) assertEquals(0, buf.get(JAVA_BYTE, i));
            assertTrue(e.facts().get("requests").contains("largest request " + len + " bytes"), e.facts().toString());
            Libc.close(in);
            Libc.close(out);
        }
        assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(dir.resolve("dst")));
    }

    /** cp's fallback: a refused request is copied with read and write through the buffer, a buffer at a time. */
    @Test
    void aRefusedRequestIsCopiedThroughTheBufferAsCpDoes() throws Exception {
        int len = 300_005;
        Path src = Files.write(dir.resolve("src"), random(len, 5));
        Path src2 = Files.write(dir.resolve("src2"), random(1000, 6));
        try (Arena a = Arena.ofConfined();
             CopyFileRangeEngine e = (CopyFileRangeEngine) Engines.create("copy_file_range", EngineOptions.defaults(2))) {
            e.simulateRefusal = Errno.EXDEV;
            MemorySegment buf = a.allocate(64 * 1024, 4096);
            e.useBuffers(buf, buf.byteSize());
            for (Path p : List.of(src, src2)) {
                int size = (int) Files.size(p);
                int in = Libc.open(p.toString(), Linux.O_RDONLY, 0);
                int out = Libc.open(p + ".copy", Linux.O_WRONLY | Linux.O_CREAT, 0644);
                e.queue(Op.READ, 0, in, buf, size, 0, IoEngine.LINK);
                e.queue(Op.WRITE, 1, out, buf, size, 0, 0);
                e.submitAndReap(2, (t, r) -> assertEquals(size, r));
                Libc.close(in);
                Libc.close(out);
                assertArrayEquals(Files.readAllBytes(p), Files.readAllBytes(Path.of(p + ".copy")));
            }
            assertTrue(e.capabilities().kernelCopy(), "as cp, every request tries the kernel first");
            assertTrue(e.facts().get("requests").endsWith("read/write fallback 2 (" + (len + 1000) + " bytes)"),
                    e.facts().toString());
            assertTrue(e.facts().get("fallback").startsWith("copy_file_range failed with EXDEV"), e.facts().toString());
        }
    }

    /** The copy study's way: one call per pair; after a refusal, pread/pwrite for the rest of the engine's life. */
    @Test
    void theStudysCopyFileRangeFallsBackForGood() throws Exception {
        Path src = Files.write(dir.resolve("src"), random(100_000, 7));
        try (Arena a = Arena.ofConfined();
             CopyFileRangeEngine e = (CopyFileRangeEngine) Engines.create("copy_file_range",
                     EngineOptions.defaults(2).withCfrWholeFile(false))) {
            e.simulateRefusal = Errno.EOPNOTSUPP;
            MemorySegment buf = a.allocate(128 * 1024, 4096);
            e.useBuffers(buf, buf.byteSize());
            int in = Libc.open(src.toString(), Linux.O_RDONLY, 0);
            int out = Libc.open(dir.resolve("dst").toString(), Linux.O_WRONLY | Linux.O_CREAT, 0644);
            for (int i = 0; i < 2; i++) {
                e.queue(Op.READ, 0, in, buf, 50_000, i * 50_000L, IoEngine.LINK);
                e.queue(Op.WRITE, 1, out, buf, 50_000, i * 50_000L, 0);
                e.submitAndReap(2, (t, r) -> assertEquals(50_000, r));
            }
            Libc.close(in);
            Libc.close(out);
            assertEquals("2", e.facts().get("fallbackPairs"));
            assertTrue(e.facts().get("fallback").contains("for the rest of the engine's life"), e.facts().toString());
            assertTrue(!e.capabilities().kernelCopy());
        }
        assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(dir.resolve("dst")));
    }

    @Test
    void moreThanMaxInFlightIsAWorkloadBug() {
        try (IoEngine e = Engines.create("sync", EngineOptions.defaults(2))) {
            e.queue(Op.NOP, 0, -1, null, 0, 0, 0);
            e.queue(Op.NOP, 1, -1, null, 0, 0, 0);
            assertThrows(IllegalStateException.class, () -> e.queue(Op.NOP, 2, -1, null, 0, 0, 0));
        }
    }

    @Test
    void failedRequestCompletesWithItsErrno() throws Exception {
        Path f = Files.write(dir.resolve("ro"), new byte[10]);
        try (Arena a = Arena.ofConfined(); IoEngine e = Engines.create("sync", EngineOptions.defaults(2))) {
            MemorySegment buf = a.allocate(4096, 4096);
            int fd = Libc.open(f.toString(), Linux.O_RDONLY, 0);
            e.queue(Op.WRITE, 7, fd, buf, 10, 0, 0);
            long[] got = new long[1];
            e.submitAndReap(1, (t, r) -> got[0] = r);
            assertEquals(-Errno.EBADF, got[0]);
            Libc.close(fd);
        }
    }

    @Test
    void ioUringOptionsOnASynchronousEngineAreRefusedWithAReason() {
        UnsupportedConfigurationException e = assertThrows(UnsupportedConfigurationException.class,
                () -> Engines.create("sync", EngineOptions.defaults(4).withRegbuf(true)));
        assertTrue(e.getMessage().contains("regbuf"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Engines.create("nope", EngineOptions.defaults(4)));
    }
}
