package org.aiobench.workloads;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.aiobench.engines.Engines;
import org.aiobench.engines.nat.Errno;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A short read continues from where it ended: when the rest then reads fine the copy is exact, and when the rest
 * fails (an I/O error in the middle of the buffer) the copy stops with that errno, the file and the offset where
 * the error is, not with "came up short". The failure is injected where the engine hands results back
 * ({@link ShortReadEngine}): this kernel has no device-mapper for a real error target.
 */
class ShortReadTest {
    static final int BUFFER = 64 * 1024;

    @TempDir static Path work;
    static Path src;
    static Manifest manifest;

    @BeforeAll
    static void tree() throws Exception {
        src = work.resolve("src");
        manifest = TestTree.generate(src, 4, 3 * BUFFER, 5);
    }

    static List<String> engines() {
        List<String> l = new ArrayList<>(Engines.names());
        l.remove("copy_file_range"); // its pairs never pass through the buffer: nothing to cut short
        return l;
    }

    static CopyPlan plan(String engine, Path dst, long continuation, ShortReadEngine[] made) {
        CopyOptions o = CopyOptions.defaults(engine).withQd(2).withBufferSize(BUFFER);
        CopyPlan p = CopyPlan.prepare(src, dst, o);
        p.withEngineFactory(eo -> made[0] = new ShortReadEngine(Engines.create(engine, eo), BUFFER, continuation));
        return p;
    }

    @ParameterizedTest
    @MethodSource("engines")
    void aShortReadContinuesAndTheCopyIsExact(String engine) {
        Path dst = work.resolve("ok-" + engine);
        ShortReadEngine[] made = new ShortReadEngine[1];
        try (CopyPlan p = plan(engine, dst, 0, made)) {
            CopyResult r = p.run(Progress.NONE);
            assertEquals(1, made[0].shortReads);
            assertTrue(r.resumed() >= 1, "the short read was continued: " + r.resumed());
            Verifier.verify(dst, manifest);
        }
        Scratch.deleteOwned(dst);
    }

    @ParameterizedTest
    @MethodSource("engines")
    void anErrorInTheMiddleOfABufferStopsTheCopyWithItsErrno(String engine) {
        Path dst = work.resolve("eio-" + engine);
        ShortReadEngine[] made = new ShortReadEngine[1];
        try (CopyPlan p = plan(engine, dst, -Errno.EIO, made)) {
            CopyException e = assertThrows(CopyException.class, () -> p.run(Progress.NONE));
            assertFalse(e.badInput());
            assertEquals(1, made[0].failedContinuations, "the rest of the short read was issued");
            assertTrue(e.getMessage().matches("copy stopped: read of " + src + "/\\S+ at offset " + BUFFER / 2
                    + ": EIO.*"), e.getMessage());
            assertFalse(e.getMessage().contains("short"), e.getMessage());
        }
        Scratch.deleteOwned(dst);
    }
}
