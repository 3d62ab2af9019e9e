package org.aiobench.engines.probe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.aiobench.engines.nat.Linux;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class KernelProbeTest {
    Path dir;

    @BeforeEach
    void setUp() throws IOException {
        Path base = Path.of("target", "test-scratch").toAbsolutePath();
        Files.createDirectories(base);
        dir = Files.createTempDirectory(base, "probe");
    }

    @AfterEach
    void tearDown() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) { return (Map<String, Object>) o; }

    @Test
    void reportsWhatTheKernelOffersAndDeletesOnlyItsOwnFile() throws IOException {
        Path mine = Files.writeString(dir.resolve("keep-me"), "x");
        KernelProbe.Report r = KernelProbe.run(dir);
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(mine), s.toList(), "the probe leaves the directory as it found it");
        }
        Map<String, Object> t = r.tree();
        assertEquals(Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim(), map(t.get("kernel")).get("release"));

        Map<String, Object> u = map(t.get("io_uring"));
        assertEquals(Boolean.TRUE, u.get("available"), String.valueOf(u.get("error")));
        Map<String, Object> flags = map(u.get("setup_flags"));
        for (String f : List.of("COOP_TASKRUN", "TASKRUN_FLAG", "SINGLE_ISSUER", "DEFER_TASKRUN", "SQPOLL", "SQ_AFF",
                "IOPOLL", "CQSIZE", "SUBMIT_ALL", "R_DISABLED")) {
            Map<String, Object> e = map(flags.get("IORING_SETUP_" + f));
            assertNotNull(e, f);
            assertInstanceOf(Boolean.class, e.get("accepted"), f + " was probed");
            if (!(Boolean) e.get("accepted")) assertNotNull(e.get("errno"), f);
        }
        assertEquals("IORING_SETUP_SINGLE_ISSUER", map(flags.get("IORING_SETUP_DEFER_TASKRUN")).get("probed_with"));
        // a bit no kernel has must not be reported as accepted: the probe asks the kernel, not a table
        Map<String, Object> feats = map(u.get("features"));
        assertEquals(Boolean.TRUE, feats.get("IORING_FEAT_NODROP"));
        Map<String, Object> ops = map(u.get("opcodes"));
        for (String op : List.of("NOP", "READV", "WRITEV", "FSYNC", "READ_FIXED", "WRITE_FIXED", "FALLOCATE", "READ", "WRITE")) {
            assertEquals(Boolean.TRUE, ops.get("IORING_OP_" + op), op);
        }
        Map<String, Object> iopoll = map(u.get("iopoll_io"));
        assertInstanceOf(Boolean.class, iopoll.get("works"));
        assertNotNull(iopoll.get("result"));

        Map<String, Object> aio = map(t.get("linux_aio"));
        assertInstanceOf(Boolean.class, aio.get("works"));
        assertInstanceOf(Long.class, aio.get("aio_max_nr"));
        try (var in = new java.io.FileInputStream("/proc/sys/fs/aio-max-nr")) {
            assertEquals(Long.parseLong(new String(in.readAllBytes()).trim()), aio.get("aio_max_nr"));
        }

        Map<String, Object> d = map(t.get("o_direct"));
        assertEquals(Boolean.TRUE, d.get("works"), String.valueOf(d.get("error"))); // target/ is on a real disk here
        int off = (Integer) d.get("offset_align");
        assertTrue(off >= 512 && off <= Linux.BUFFER_ALIGN && Integer.bitCount(off) == 1, "offset align " + off);

        String table = r.toTable();
        System.out.println(table);
        assertTrue(table.contains("IORING_SETUP_DEFER_TASKRUN"), table);
        assertTrue(table.contains("real I/O: "), table);
        assertTrue(table.contains("RLIMIT_MEMLOCK"), table);
        assertTrue(table.contains("O_DIRECT"), table);
        assertOnlyJsonTypes(t);
    }

    @Test
    void oDirectFailureIsReportedNotThrown() {
        KernelProbe.Report r = KernelProbe.run(dir.resolve("does-not-exist"));
        Map<String, Object> d = map(r.tree().get("o_direct"));
        assertEquals(Boolean.FALSE, d.get("works"));
        assertNotNull(d.get("error"));
        assertTrue(r.toTable().contains("FAILS in"), r.toTable());
    }

    static void assertOnlyJsonTypes(Object o) {
        if (o instanceof Map<?, ?> m) {
            for (var e : m.entrySet()) {
                assertInstanceOf(String.class, e.getKey());
                assertOnlyJsonTypes(e.getValue());
            }
        } else if (o instanceof List<?> l) {
            l.forEach(KernelProbeTest::assertOnlyJsonTypes);
        } else if (o != null) {
            assertTrue(o instanceof String || o instanceof Number || o instanceof Boolean, o.getClass().toString());
        }
    }
}
