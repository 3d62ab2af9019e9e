package org.aiobench.workloads;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cold evicts exactly the source's pages and warm reads them all, and mincore shows it: resident fraction 0 and
 * 1. A source whose pages cannot be evicted (tmpfs) fails cold instead of being measured warm under a cold label.
 */
class CacheControlTest {
    @TempDir static Path work;
    static Path src;

    @BeforeAll
    static void tree() throws Exception {
        src = work.resolve("src");
        TestTree.generate(src, 6, 200_000, 4);
    }

    @Test
    void coldEvictsTheSourceAndWarmReadsItAll() {
        Assumptions.assumeFalse(CacheControl.dropAllRequested(), "AIOBENCH_DROP_CACHES is set");
        CacheControl.State cold = CacheControl.reach(src, CacheMode.COLD);
        assertEquals(0.0, cold.residentFraction(), cold.toString());
        assertEquals(0.0, CacheControl.residentFraction(src), "mincore itself faults nothing in");
        assertTrue(cold.how().startsWith("cold: syncfs + posix_fadvise(DONTNEED) on 6 source files"), cold.how());

        CacheControl.State warm = CacheControl.reach(src, CacheMode.WARM);
        assertEquals(1.0, warm.residentFraction(), warm.toString());
        assertTrue(CacheControl.prepare(src, CacheMode.ASIS).endsWith("100.0% of the source resident (mincore)"));

        assertEquals(0.0, CacheControl.reach(src, CacheMode.COLD).residentFraction());
    }

    @Test
    void aTmpfsSourceCannotBeMadeCold() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to mount a tmpfs");
        Path mnt = Files.createDirectory(work.resolve("tmpfs"));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mnt.toString()).inheritIO().start();
        Assumptions.assumeTrue(p.waitFor() == 0, "could not mount a tmpfs");
        try {
            TestTree.generate(mnt.resolve("t"), 2, 50_000, 1);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> CacheControl.reach(mnt.resolve("t"), CacheMode.COLD));
            assertTrue(e.getMessage().startsWith("cold cache not reached for " + mnt.resolve("t") + ": 100.00%"),
                    e.getMessage());
        } finally {
            new ProcessBuilder("umount", mnt.toString()).inheritIO().start().waitFor();
        }
    }
}
