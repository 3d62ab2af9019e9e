package org.aiobench.workloads;

import java.nio.file.Files;
import java.nio.file.Path;

import org.aiobench.engines.Engines;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A request that fails (the destination fills up) stops the copy: every request in flight is reaped, every
 * descriptor closed, and the error names the file, the offset and the errno.
 */
class FailedCopyTest {
    @TempDir static Path work;
    static Path small;
    static Path src;

    @BeforeAll
    static void smallFilesystem() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to mount a small tmpfs");
        small = Files.createDirectory(work.resolve("small"));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", small.toString()).inheritIO().start();
        Assumptions.assumeTrue(p.waitFor() == 0, "could not mount a tmpfs");
        src = work.resolve("src");
        TestTree.generate(src, 6, 512 * 1024, 3);
    }

    @AfterAll
    static void unmount() throws Exception {
        if (small != null) new ProcessBuilder("umount", small.toString()).inheritIO().start().waitFor();
    }

    static String[] engines() {
        return Engines.names().toArray(String[]::new);
    }

    @ParameterizedTest
    @MethodSource("engines")
    void aFullDestinationStopsTheCopyWithFileOffsetAndErrno(String engine) throws Exception {
        long fds = DescriptorLeakTest.openFds();
        Path dst = small.resolve("dst-" + engine);
        CopyException e;
        // prepared while it fits (copy checks free space first), then the filesystem fills up under it
        try (CopyPlan plan = CopyPlan.prepare(src, dst, CopyOptions.defaults(engine).withMode(CopyMode.MULTI)
                .withQd(2).withOpsPerFile(2))) {
            Path filler = TestMount.fill(small, 1 << 20);
            try {
                e = assertThrows(CopyException.class, () -> plan.run(Progress.NONE));
            } finally {
                Files.delete(filler);
            }
        }
        assertFalse(e.badInput());
        assertTrue(e.getMessage().contains("ENOSPC"), e.getMessage());
        assertTrue(e.getMessage().matches("(?s)copy stopped: (write of|fallocate of|close of) " + dst + "/.+"), e.getMessage());
        assertTrue(e.getMessage().contains("holds a partial copy"), e.getMessage());
        assertEquals(fds, DescriptorLeakTest.openFds(), "descriptors left open after a failed copy");
        Scratch.deleteOwned(dst);
    }
}
