package org.aiobench.workloads;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.aiobench.engines.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** 200 copies (every engine, every mode, with and without O_DIRECT) leave no descriptor behind. */
class DescriptorLeakTest {
    @TempDir Path work;

    static long openFds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    @Test
    void twoHundredCopiesLeakNoDescriptors() throws Exception {
        Path src = OddTree.create(work.resolve("src"), 11);
        Path dst = work.resolve("dst");
        RecursiveCopy.copy(src, dst, CopyOptions.defaults("sync")); // class loading, arenas: before counting
        long before = openFds();
        String[] engines = Engines.names().toArray(String[]::new);
        CopyMode[] modes = CopyMode.values();
        for (int i = 0; i < 200; i++) {
            CopyOptions o = CopyOptions.defaults(engines[i % engines.length]).withMode(modes[(i / engines.length) % 3])
                    .withDirect(i % 2 == 0).withQd(1 + i % 5).withBufferSize(64 * 1024);
            RecursiveCopy.copy(src, dst, o); // replaces the previous copy of ours
        }
        Verifier.compareTrees(src, dst);
        assertEquals(before, openFds(), "descriptors open before and after 200 copies");
    }
}
