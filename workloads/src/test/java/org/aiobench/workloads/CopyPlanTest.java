package org.aiobench.workloads;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the timed section of a copy contains: the preflight walk, the destination root, the O_DIRECT probe and the
 * buffers happen when the plan is prepared; the run's clock starts before the engine is created and stops after
 * the tree is copied and the engine closed. The buffers serve every run of the plan.
 */
class CopyPlanTest {
    @TempDir static Path work;
    static Path src;
    static Manifest manifest;

    @BeforeAll
    static void tree() throws Exception {
        src = work.resolve("src");
        manifest = TestTree.generate(src, 5, 100_000, 9);
    }

    @Test
    void preparationIsOutsideTheTimedRun() {
        List<String> steps = new ArrayList<>();
        Path dst = work.resolve("traced");
        CopyOptions o = CopyOptions.defaults("io_uring").withDirect(true).withQd(4);
        try (CopyPlan p = CopyPlan.prepare(src, dst, o, Progress.NONE, steps::add)) {
            assertEquals(List.of("preflight walk: 5 files, 500000 bytes", "destination root",
                    "O_DIRECT alignment probe: " + p.alignment(), "buffers: 4 x 131072"), steps);
            assertTrue(Files.isDirectory(dst) && Scratch.isOwned(dst), "the destination root is made in preparation");
            steps.clear();
            CopyResult r = p.run(Progress.NONE);
            assertEquals(List.of("clock started", "engine created", "tree copied", "clock stopped"), steps,
                    "the run is the engine, the walk with the copy, and the engine's close; no preflight walk");
            assertEquals(500_000, r.bytes());
            Verifier.verify(dst, manifest);
        }
        Scratch.deleteOwned(dst);
    }

    @Test
    void onePlanServesManyRunsWithTheSameBuffers() {
        Path dst = work.resolve("again");
        try (CopyPlan p = CopyPlan.prepare(src, dst, CopyOptions.defaults("sync").withMode(CopyMode.SINGLE).withQd(3))) {
            assertEquals(3L * CopyOptions.DEFAULT_BUFFER_SIZE, p.bufferBytes());
            assertTrue(p.prepareNanos() > 0);
            for (int i = 0; i < 3; i++) {
                if (i > 0) p.resetDestination();
                CopyResult r = p.run(Progress.NONE);
                assertEquals(5, r.files());
                assertEquals(p.bufferBytes(), r.nativeBytes());
                Verifier.verify(dst, manifest);
            }
            assertThrows(IllegalStateException.class, () -> p.run(Progress.NONE),
                    "a second run into the last run's copy is refused");
        }
        Scratch.deleteOwned(dst);
    }

    @Test
    void everyModeKeepsQdPairsInFlight() {
        for (CopyMode m : CopyMode.values()) {
            CopyOptions o = CopyOptions.defaults("io_uring").withMode(m).withQd(64).withOpsPerFile(4);
            assertEquals(64, o.slots(), m.cliName());
            assertEquals(m == CopyMode.SINGLE ? 64 : 16, o.filesInFlight(), m.cliName());
        }
        CopyOptions odd = CopyOptions.defaults("io_uring").withMode(CopyMode.MULTI).withQd(6).withOpsPerFile(4);
        assertEquals(6, odd.slots());
        assertEquals(2, odd.filesInFlight());
        Path dst = work.resolve("multi");
        CopyResult r = RecursiveCopy.copy(src, dst, odd);
        assertEquals(6, r.slots());
        assertEquals(2, r.filesInFlight());
        Verifier.verify(dst, manifest);
        Scratch.deleteOwned(dst);
    }
}
