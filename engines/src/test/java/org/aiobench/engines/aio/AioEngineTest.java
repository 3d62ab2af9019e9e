package org.aiobench.engines.aio;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.aiobench.engines.EngineOptions;
import org.aiobench.engines.Engines;
import org.aiobench.engines.IoEngine;
import org.aiobench.engines.Op;
import org.aiobench.engines.UnsupportedConfigurationException;
import org.aiobench.engines.nat.Errno;
import org.aiobench.engines.nat.Libc;
import org.aiobench.engines.nat.Linux;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both AIO engines (posixaio also with polling) against real files: write and read back, bytes at random
 * offsets, linked read->write copies with a short read at EOF, O_DIRECT and buffered, errors with their errno.
 * /tmp is ext4 here (not tmpfs), so O_DIRECT works in @TempDir.
 */
class AioEngineTest {
    static final int BLOCK = 4096;

    @TempDir Path dir;

    /** "libaio", "posixaio", or "posixaio-poll" (aio_error busy loop). */
    static IoEngine engine(String kind, int maxInFlight) {
        EngineOptions o = EngineOptions.defaults(maxInFlight);
        return switch (kind) {
            case "posixaio-poll" -> Engines.create("posixaio", o.withPosixPolling(true));
            default -> Engines.create(kind, o);
        };
    }

    static byte[] randomBytes(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static int open(Path p, int flags) {
        return Libc.open(p.toString(), flags, 0644);
    }

    /** Collects completions by tag. */
    static final class Results {
        final Map<Long, Long> byTag = new HashMap<>();
        final List<Long> order = new ArrayList<>();

        void put(long tag, long res) {
            if (byTag.put(tag, res) != null) throw new AssertionError("tag " + tag + " completed twice");
            order.add(tag);
        }

        long get(long tag) {
            Long r = byTag.get(tag);
            if (r == null) throw new AssertionError("tag " + tag + " never completed");
            return r;
        }
    }

    static void reapAll(IoEngine e, Results res) {
        while (e.inFlight() > 0) e.reap(1, res::put);
    }

    @ParameterizedTest
    @ValueSource(strings = {"libaio", "posixaio", "posixaio-poll"})
    void writeThenReadBackBuffered(String kind) throws IOException {
        writeThenReadBack(kind, false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"libaio", "posixaio", "posixaio-poll"})
    void writeThenReadBackDirect(String kind) throws IOException {
        writeThenReadBack(kind, true);
    }

    private void writeThenReadBack(String kind, boolean direct) throws IOException {
        int chunks = 24, chunk = 16 * 1024;
        byte[] data = randomBytes(kind.hashCode() + (direct ? 1 : 0), chunks * chunk);
        Path f = dir.resolve("wr-" + kind + (direct ? "-direct" : ""));
        int extra = direct ? Linux.O_DIRECT : 0;
        try (Arena a = Arena.ofConfined(); IoEngine e = engine(kind, 8)) {
            MemorySegment region = a.allocate((long) data.length, BLOCK);
            MemorySegment.copy(data, 0, region, JAVA_BYTE, 0, data.length);
            int fd = open(f, Linux.O_RDWR | Linux.O_CREAT | Linux.O_TRUNC | extra);
            e.fileOpened(fd);
            try {
                Results res = new Results();
                int next = 0;
                // keep 8 in flight, refill as they complete
                while (next < chunks || e.inFlight() > 0) {
                    while (next < chunks && e.inFlight() < 8) {
                        e.queue(Op.WRITE, next, fd, region.asSlice((long) next * chunk, chunk), chunk, (long) next * chunk, 0);
                        next++;
                    }
                    e.submit();
                    e.reap(1, res::put);
                }
                for (long t = 0; t < chunks; t++) assertEquals(chunk, res.get(t), "write " + t);
                assertEquals(data.length, Files.size(f));

                MemorySegment back = a.allocate((long) data.length, BLOCK);
                Results rr = new Results();
                for (int i = 0; i < chunks; i += 8) {
                    for (int j = i; j < i + 8; j++) {
                        e.queue(Op.READ, j, fd, back.asSlice((long) j * chunk, chunk), chunk, (long) j * chunk, 0);
                    }
                    e.submit();
                    assertTrue(e.reap(8, rr::put) >= 8);
                }
                for (long t = 0; t < chunks; t++) assertEquals(chunk, rr.get(t), "read " + t);
                assertArrayEquals(data, back.toArray(JAVA_BYTE));
                if (direct) assertArrayEquals(data, Files.readAllBytes(f));
            } finally {
                e.fileClosing(fd);
                Libc.closeChecked(fd, f.toString());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"libaio", "posixaio", "posixaio-poll"})
    void bytesAtRandomOffsets(String kind) throws IOException {
        int size = 3 * 1024 * 1024 + 1234;
        byte[] data = randomBytes(42, size);
        Path f = dir.resolve("known");
        Files.write(f, data);
        Random rnd = new Random(7);
        for (boolean direct : new boolean[] {false, true}) {
            try (Arena a = Arena.ofConfined(); IoEngine e = engine(kind, 16)) {
                int slot = 64 * 1024;
                MemorySegment region = a.allocate(16L * slot, BLOCK);
                int fd = open(f, Linux.O_RDONLY | (direct ? Linux.O_DIRECT : 0));
                e.fileOpened(fd);
                try {
                    for (int round = 0; round < 20; round++) {
                        long[] offs = new long[16];
                        int[] lens = new int[16];
                        for (int i = 0; i < 16; i++) {
                            if (direct) {
                                offs[i] = (long) rnd.nextInt(size / BLOCK + 1) * BLOCK;
                                lens[i] = (1 + rnd.nextInt(slot / BLOCK)) * BLOCK;
                            } else {
                                offs[i] = rnd.nextInt(size + 10);
                                lens[i] = 1 + rnd.nextInt(slot);
                            }
                            e.queue(Op.READ, i, fd, region.asSlice((long) i * slot, slot), lens[i], offs[i], 0);
                        }
                        Results res = new Results();
                        if (round % 2 == 0) {
                            e.submitAndReap(16, res::put);
                        } else {
                            e.submit();
                            reapAll(e, res);
                        }
                        for (int i = 0; i < 16; i++) {
                            long expect = Math.max(0, Math.min(lens[i], size - offs[i]));
                            assertEquals(expect, res.get(i), "read of " + lens[i] + " at " + offs[i]);
                            byte[] got = region.asSlice((long) i * slot, expect).toArray(JAVA_BYTE);
                            assertArrayEquals(Arrays.copyOfRange(data, (int) offs[i], (int) (offs[i] + expect)), got,
                                    "bytes at " + offs[i]);
                        }
                    }
                } finally {
                    e.fileClosing(fd);
                    Libc.closeChecked(fd, f.toString());
                }
            }
        }
    }

    /**
     * Copies a file with linked READ->WRITE pairs of full chunks; the pair at EOF reads short, so its write is
     * cancelled and the copier writes the tail itself (padded to a block and truncated under O_DIRECT).
     */
    private void linkedCopy(String kind, boolean direct, boolean batch, int size) throws IOException {
        int chunk = 32 * 1024, pairs = 4;
        byte[] data = randomBytes(size, size);
        Path src = dir.resolve("src-" + size);
        Path dst = dir.resolve("dst-" + kind + direct + batch + size);
        Files.write(src, data);
        int extra = direct ? Linux.O_DIRECT : 0;
        try (Arena a = Arena.ofConfined(); IoEngine e = engine(kind, pairs * 2)) {
            MemorySegment region = a.allocate((long) pairs * chunk, BLOCK);
            int in = open(src, Linux.O_RDONLY | extra);
            int out = open(dst, Linux.O_WRONLY | Linux.O_CREAT | Linux.O_TRUNC | extra);
            e.fileOpened(in);
            e.fileOpened(out);
            try {
                Deque<Integer> freeBufs = new ArrayDeque<>();
                for (int i = 0; i < pairs; i++) freeBufs.push(i);
                Map<Long, Integer> bufOf = new HashMap<>();
                long nextOff = 0, tailOff = -1, tailLen = -1;
                int cancelled = 0;
                boolean tailToWrite = false, tailWritten = false;
                while (true) {
                    int queued = 0;
                    while (nextOff < size && !freeBufs.isEmpty()) {
                        int slot = freeBufs.pop();
                        bufOf.put(nextOff, slot);
                        MemorySegment b = region.asSlice((long) slot * chunk, chunk);
                        // tag: offset*2 for the read, +1 for its write
                        e.queue(Op.READ, nextOff * 2, in, b, chunk, nextOff, IoEngine.LINK);
                        e.queue(Op.WRITE, nextOff * 2 + 1, out, b, chunk, nextOff, 0);
                        nextOff += chunk;
                        queued += 2;
                    }
                    long wlen = direct ? (tailLen + BLOCK - 1) / BLOCK * BLOCK : tailLen;
                    if (tailToWrite) {
                        // the cancelled write's buffer still holds the tail: write it, padded under O_DIRECT
                        MemorySegment b = region.asSlice((long) bufOf.get(tailOff) * chunk, chunk);
                        e.queue(Op.WRITE, -1, out, b, wlen, tailOff, 0);
                        queued++;
                        tailToWrite = false;
                    }
                    if (queued == 0 && e.inFlight() == 0) break;
                    Results res = new Results();
                    if (batch) {
                        e.submitAndReap(queued, res::put);
                        assertEquals(0, e.inFlight(), "a batch completes all of itself");
                    } else {
                        e.submit();
                        e.reap(1, res::put);
                    }
                    for (long t : res.order) {
                        long r = res.byTag.get(t);
                        if (t == -1) {
                            assertEquals(wlen, r, "tail write");
                            freeBufs.push(bufOf.remove(tailOff));
                            tailWritten = true;
                            continue;
                        }
                        long o = t / 2;
                        if ((t & 1) == 0) {
                            long expect = Math.min(chunk, size - o);
                            assertEquals(expect, r, "read at " + o);
                            if (expect < chunk) { tailOff = o; tailLen = r; }
                        } else if (r == -Errno.ECANCELED) {
                            cancelled++;
                            assertEquals(tailOff, o, "only the pair at EOF is cancelled");
                            tailToWrite = true;
                        } else {
                            assertEquals(chunk, r, "write at " + o);
                            freeBufs.push(bufOf.remove(o));
                        }
                    }
                }
                boolean hasTail = size % chunk != 0;
                assertEquals(hasTail ? 1 : 0, cancelled);
                assertEquals(hasTail, tailWritten);
                if (direct && hasTail) Libc.check(Libc.ftruncate(out, size), "ftruncate", dst.toString());
            } finally {
                e.fileClosing(in);
                e.fileClosing(out);
                Libc.closeChecked(in, src.toString());
                Libc.closeChecked(out, dst.toString());
            }
        }
        assertArrayEquals(data, Files.readAllBytes(dst), "copy of " + size + " bytes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"libaio", "posixaio", "posixaio-poll"})
    void linkedPairsCopyAFile(String kind) throws IOException {
        for (boolean direct : new boolean[] {false, true}) {
            for (boolean batch : new boolean[] {false, true}) {
                for (int size : new int[] {5 * 32 * 1024, 5 * 32 * 1024 + 4097, 1000}) {
                    linkedCopy(kind, direct, batch, size);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"libaio", "posixaio", "posixaio-poll"})
    void failedRequestReportsItsErrnoAndCancelsItsSuccessor(String kind) throws IOException {
        Path f = dir.resolve("ro");
        Files.write(f, randomBytes(1, 8192));
        try (Arena a = Arena.ofConfined(); IoEngine e = engine(kind, 4)) {
            MemorySegment b = a.allocate(8192, BLOCK);
            int fd = open(f, Linux.O_RDONLY);
            e.fileOpened(fd);
            try {
                e.queue(Op.WRITE, 1, fd, b, 4096, 0, IoEngine.LINK);
                e.queue(Op.READ, 2, fd, b.asSlice(4096), 4096, 0, 0);
                e.queue(Op.READ, 3, fd, b, 4096, 4096, 0);
                e.submit();
                Results res = new Results();
                reapAll(e, res);
                assertEquals(-Errno.EBADF, res.get(1), "write to a read-only descriptor");
                assertEquals(-Errno.ECANCELED, res.get(2), "its linked successor");
                assertEquals(4096, res.get(3), "an unrelated request is unaffected");
            } finally {
                e.fileClosing(fd);
                Libc.closeChecked(fd, f.toString());
            }
            // a bad request between good ones: io_submit takes the first, refuses the second, then takes the rest
            fd = open(f, Linux.O_RDONLY);
            e.fileOpened(fd);
            try {
                e.queue(Op.READ, 5, fd, b, 4096, 0, 0);
                e.queue(Op.WRITE, 6, fd, b.asSlice(4096), 4096, 0, 0);
                e.queue(Op.READ, 7, fd, b.asSlice(4096), 4096, 4096, 0);
                e.submit();
                Results res = new Results();
                reapAll(e, res);
                assertEquals(4096, res.get(5));
                assertEquals(-Errno.EBADF, res.get(6));
                assertEquals(4096, res.get(7));
                if (kind.equals("libaio")) {
                    String s = e.facts().get("io_submit");
                    assertTrue(s.contains("partial submits resubmitted: 1;") && s.contains("(reported as their result): 2"), s);
                }
            } finally {
                e.fileClosing(fd);
                Libc.closeChecked(fd, f.toString());
            }
            // the same in a batch
            fd = open(f, Linux.O_RDONLY);
            e.fileOpened(fd);
            try {
                e.queue(Op.WRITE, 4, fd, b, 4096, 0, 0);
                Results res = new Results();
                e.submitAndReap(1, res::put);
                assertEquals(-Errno.EBADF, res.get(4));
                assertEquals(0, e.inFlight());
            } finally {
                e.fileClosing(fd);
                Libc.closeChecked(fd, f.toString());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"libaio", "posixaio"})
    void fsyncFallocateAndNop(String kind) throws IOException {
        Path f = dir.resolve("misc");
        try (Arena a = Arena.ofConfined(); IoEngine e = engine(kind, 8)) {
            MemorySegment b = a.allocate(4096, BLOCK);
            b.fill((byte) 7);
            int fd = open(f, Linux.O_RDWR | Linux.O_CREAT | Linux.O_TRUNC);
            e.fileOpened(fd);
            try {
                // fallocate -> write -> fsync, linked: each runs only after the previous one succeeded
                e.queue(Op.FALLOCATE, 1, fd, null, 1 << 20, 0, IoEngine.LINK);
                e.queue(Op.WRITE, 2, fd, b, 4096, 8192, IoEngine.LINK);
                e.queue(Op.FSYNC, 3, fd, null, 0, 0, 0);
                e.queue(Op.NOP, 4, -1, null, 0, 0, 0);
                e.submit();
                Results res = new Results();
                reapAll(e, res);
                assertEquals(0, res.get(1));
                assertEquals(4096, res.get(2));
                assertEquals(0, res.get(3));
                assertEquals(0, res.get(4));
                assertEquals(List.of(1L, 2L, 3L), res.order.stream().filter(t -> t != 4).toList(), "link order");
                assertEquals(1 << 20, Files.size(f), "fallocate extended the file");
                byte[] content = Files.readAllBytes(f);
                assertEquals(7, content[8192]);
                assertTrue(e.facts().get("fallocate").contains("synchronously"));

                // the same chain as one batch: posixaio puts the write in a lio_listio round and the fsync it
                // releases (no LIO opcode for it) goes to aio_fsync
                e.queue(Op.FALLOCATE, 5, fd, null, 2 << 20, 0, IoEngine.LINK);
                e.queue(Op.WRITE, 6, fd, b, 4096, 12288, IoEngine.LINK);
                e.queue(Op.FSYNC, 7, fd, null, 0, 0, 0);
                Results batch = new Results();
                e.submitAndReap(3, batch::put);
                assertEquals(List.of(5L, 6L, 7L), batch.order);
                assertEquals(List.of(0L, 4096L, 0L), List.of(batch.get(5), batch.get(6), batch.get(7)));
                assertEquals(2 << 20, Files.size(f));
            } finally {
                e.fileClosing(fd);
                Libc.closeChecked(fd, f.toString());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"libaio", "posixaio"})
    void configurationErrorsAndLimits(String kind) {
        assertThrows(UnsupportedConfigurationException.class,
                () -> Engines.create(kind, EngineOptions.defaults(4).withRegbuf(true)));
        assertThrows(UnsupportedConfigurationException.class,
                () -> Engines.create(kind, EngineOptions.defaults(4).withRegfiles(true)));
        assertThrows(UnsupportedConfigurationException.class,
                () -> Engines.create(kind, EngineOptions.defaults(4).withRingFlagsSpec("sqpoll")));
        try (IoEngine e = engine(kind, 2)) {
            assertEquals(kind, e.name());
            e.queue(Op.NOP, 1, -1, null, 0, 0, IoEngine.LINK);
            e.queue(Op.NOP, 2, -1, null, 0, 0, 0);
            // a linked pair holds two slots: a third request is over maxInFlight
            assertThrows(IllegalStateException.class, () -> e.queue(Op.NOP, 3, -1, null, 0, 0, 0));
            assertThrows(IllegalStateException.class, () -> e.reap(1, (t, r) -> {}), "nothing submitted yet");
            e.submit();
            assertEquals(2, e.inFlight());
            Results res = new Results();
            assertEquals(2, e.reap(2, res::put));
            assertEquals(0, e.inFlight());
            e.close();
            e.close(); // idempotent
            assertThrows(IllegalStateException.class, () -> e.queue(Op.NOP, 1, -1, null, 0, 0, 0));
        }
    }

    @Test
    void libaioContextLimitsGetAClearMessage() throws IOException {
        UnsupportedConfigurationException tooLarge = assertThrows(UnsupportedConfigurationException.class,
                () -> engine("libaio", 5_000_000));
        assertTrue(tooLarge.getMessage().contains("EINVAL") && tooLarge.getMessage().contains("lower qd"),
                tooLarge.getMessage());
        long max = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/fs/aio-max-nr")).get(0).trim());
        Assumptions.assumeTrue(max <= 1 << 20, "fs.aio-max-nr = " + max + " is too large to exhaust in a test");
        UnsupportedConfigurationException overMax = assertThrows(UnsupportedConfigurationException.class,
                () -> engine("libaio", (int) max + 1));
        assertTrue(overMax.getMessage().contains("larger than the system-wide limit fs.aio-max-nr = " + max),
                overMax.getMessage());
        // exhaust fs.aio-max-nr for real: io_setup itself fails with EAGAIN
        List<IoEngine> held = new ArrayList<>();
        try {
            UnsupportedConfigurationException full = null;
            for (int i = 0; i < 6 && full == null; i++) {
                try {
                    held.add(engine("libaio", (int) (max / 4)));
                } catch (UnsupportedConfigurationException x) {
                    full = x;
                }
            }
            assertTrue(full != null, "five contexts of a quarter of fs.aio-max-nr fit");
            assertTrue(full.getMessage().contains("EAGAIN") && full.getMessage().contains("fs.aio-nr = ")
                    && full.getMessage().contains("sysctl -w fs.aio-max-nr"), full.getMessage());
        } finally {
            held.forEach(IoEngine::close);
        }
    }

    /**
     * Buffered reads complete inside io_submit; O_DIRECT reads of a file not in the page cache are queued (on a
     * fast device a few may finish while io_submit still takes the rest, so only "not all" is asserted).
     */
    @Test
    void libaioTellsInlineBufferedFromQueuedDirectRequests() throws IOException {
        Path f = dir.resolve("inline");
        Files.write(f, randomBytes(3, 64 * 1024));
        try (Arena a = Arena.ofConfined(); IoEngine e = engine("libaio", 16)) {
            MemorySegment b = a.allocate(16 * 4096, BLOCK);
            int fd = open(f, Linux.O_RDONLY);
            int dfd = open(f, Linux.O_RDONLY | Linux.O_DIRECT);
            e.fileOpened(fd);
            e.fileOpened(dfd);
            try {
                for (int i = 0; i < 16; i++) e.queue(Op.READ, i, fd, b.asSlice(i * 4096L, 4096), 4096, i * 4096L, 0);
                e.submit();
                Results res = new Results();
                reapAll(e, res);
                Libc.fadvise(dfd, 0, 0, Linux.POSIX_FADV_DONTNEED);
                for (int i = 0; i < 16; i++) e.queue(Op.READ, i, dfd, b.asSlice(i * 4096L, 4096), 4096, i * 4096L, 0);
                e.submit();
                res = new Results();
                reapAll(e, res);
                String inline = e.facts().get("inline completion");
                assertTrue(inline.startsWith("buffered I/O: io_submit completes inline"), inline);
                assertTrue(inline.contains("buffered reads 16 of 16"), inline);
                Matcher m = Pattern.compile("O_DIRECT reads (\\d+) of 16").matcher(inline);
                assertTrue(m.find() && Integer.parseInt(m.group(1)) < 16, inline);
                assertTrue(e.facts().get("context").contains("io_setup(nr_events=16)"));
            } finally {
                e.fileClosing(fd);
                e.fileClosing(dfd);
                Libc.closeChecked(fd, f.toString());
                Libc.closeChecked(dfd, f.toString());
            }
        }
    }

    @Test
    void posixaioSpreadsOneFilesRequestsOverDescriptors() throws IOException {
        Path f = dir.resolve("spread");
        Files.write(f, randomBytes(4, 8 * 4096));
        long fdsBefore = openDescriptors();
        try (Arena a = Arena.ofConfined(); IoEngine e = engine("posixaio", 8)) {
            MemorySegment b = a.allocate(8 * 4096, BLOCK);
            int fd = open(f, Linux.O_RDONLY);
            e.fileOpened(fd);
            for (int i = 0; i < 8; i++) e.queue(Op.READ, i, fd, b.asSlice(i * 4096L, 4096), 4096, i * 4096L, 0);
            e.submit();
            assertEquals(fdsBefore + 8, openDescriptors(), "the workload's descriptor and 7 dups");
            Results res = new Results();
            reapAll(e, res);
            for (long t = 0; t < 8; t++) assertEquals(4096, res.get(t));
            assertTrue(e.facts().get("descriptors").contains("7 dups"), e.facts().get("descriptors"));
            e.fileClosing(fd);
            Libc.closeChecked(fd, f.toString());
            assertEquals(fdsBefore, openDescriptors(), "dups closed in fileClosing");
        }
    }

    static long openDescriptors() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }
}
