package org.aiobench.engines;

import java.nio.file.Files;
import java.nio.file.Path;

import org.aiobench.engines.nat.Errno;
import org.aiobench.engines.nat.FileStat;
import org.aiobench.engines.nat.Libc;
import org.aiobench.engines.nat.Linux;
import org.aiobench.engines.nat.NativeException;
import org.aiobench.engines.nat.ResourceUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LibcTest {
    @TempDir Path dir;

    @Test
    void failedOpenNamesCallErrnoAndPath() {
        String missing = dir.resolve("no-such-file").toString();
        NativeException e = assertThrows(NativeException.class, () -> Libc.open(missing, Linux.O_RDONLY, 0));
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("ENOENT", e.errnoName());
        assertEquals("openat(" + missing + "): ENOENT (No such file or directory)", e.getMessage());
    }

    @Test
    void variadicSyscallReturnsKernelErrno() {
        // io_uring_enter on a descriptor that is not open: the kernel says EBADF, we see -EBADF
        assertEquals(-Errno.EBADF, Libc.syscall(Linux.SYS_io_uring_enter, 9999, 0, 0, 0, 0, 0));
    }

    @Test
    void statxReportsSizeModeAndType() throws Exception {
        Path f = dir.resolve("f");
        Files.write(f, new byte[4097]);
        FileStat st = FileStat.of(f.toString(), false);
        assertTrue(st.isRegular());
        assertEquals(4097, st.size());
        assertEquals(Files.getPosixFilePermissions(f).size() > 0, st.permissions() != 0);
        assertTrue(FileStat.of(dir.toString(), true).isDirectory());
    }

    @Test
    void errnoNamesAndText() {
        assertEquals("EINVAL", Errno.name(22));
        assertEquals("EINVAL", Errno.name(-22));
        assertEquals("Invalid argument", Errno.text(22));
        assertEquals("errno 999", Errno.name(999));
    }

    @Test
    void rusageCountsCpuTime() {
        ResourceUsage a = ResourceUsage.self();
        long x = 0;
        for (int i = 0; i < 50_000_000; i++) x += i ^ (x >>> 3);
        ResourceUsage d = ResourceUsage.self().minus(a);
        assertTrue(d.userMicros() + d.systemMicros() > 0, "no CPU time counted " + x);
        assertTrue(ResourceUsage.self().maxRssKiB() > 1000);
    }
}
