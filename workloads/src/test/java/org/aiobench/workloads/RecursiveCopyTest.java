package org.aiobench.workloads;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.aiobench.engines.Engines;
import org.aiobench.engines.UnsupportedConfigurationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every engine on this machine x every mode x buffered/O_DIRECT copies the odd tree exactly. */
class RecursiveCopyTest {
    @TempDir static Path work;
    static Path src;

    @BeforeAll
    static void tree() throws Exception {
        src = OddTree.create(work.resolve("src"), 7);
    }

    static Stream<Arguments> matrix() {
        List<Arguments> l = new ArrayList<>();
        for (String e : Engines.names())
            for (CopyMode m : CopyMode.values())
                for (boolean direct : new boolean[]{false, true})
                    l.add(Arguments.of(e, m, direct));
        return l.stream();
    }

    @ParameterizedTest(name = "{0} {1} direct={2}")
    @MethodSource("matrix")
    void copiesTheOddTreeExactly(String engine, CopyMode mode, boolean direct) {
        Path dst = work.resolve("dst-" + engine + "-" + mode + "-" + direct);
        // small qd and buffer so files share the loop and tails, multi-chunk files and slot reuse all happen
        CopyOptions o = CopyOptions.defaults(engine).withMode(mode).withDirect(direct).withQd(3).withOpsPerFile(3)
                .withBufferSize(64 * 1024);
        CopyResult r = RecursiveCopy.copy(src, dst, o);
        Verifier.compareTrees(src, dst);
        assertEquals(OddTree.SIZES.length + 4, r.files());
        assertEquals(1, r.symlinks());
        assertEquals(1, r.skippedSpecial().size());
        assertTrue(r.skippedSpecial().get(0).contains("fifo"), r.skippedSpecial().toString());
        long expected = 0;
        for (long s : OddTree.SIZES) expected += s;
        assertEquals(expected + 5000 + 5000 + 3 + 3, r.bytes());
        assertTrue(r.nanos() > 0);
        Scratch.deleteOwned(dst);
    }

    @Test
    void fallocateAndLargeQueueDepthStillCopyExactly() {
        for (String engine : Engines.names()) {
            Path dst = work.resolve("dst-falloc-" + engine);
            RecursiveCopy.copy(src, dst, CopyOptions.defaults(engine).withFallocate(true).withDirect(true)
                    .withMode(CopyMode.MULTI).withQd(256).withOpsPerFile(2));
            Verifier.compareTrees(src, dst);
            Scratch.deleteOwned(dst);
        }
    }

    @Test
    void generatedTreeCopiesVerifyAgainstTheManifest() {
        Manifest m = TestTree.generate(work.resolve("gen"), 9, 300_001, 5);
        Path dst = work.resolve("gen-copy");
        CopyResult r = RecursiveCopy.copy(work.resolve("gen"), dst, CopyOptions.defaults("sync"));
        assertEquals(9L * 300_001, r.bytes());
        Verifier.verify(dst, m);
        // an earlier copy of ours is replaced; anything else is refused
        RecursiveCopy.copy(work.resolve("gen"), dst, CopyOptions.defaults("copy_file_range").withDirect(true));
        Verifier.verify(dst, m);
    }

    @Test
    void unsupportedEngineOptionsAreRefusedBeforeWriting() {
        Path dst = work.resolve("never");
        assertThrows(UnsupportedConfigurationException.class,
                () -> RecursiveCopy.copy(src, dst, CopyOptions.defaults("sync").withRegbuf(true)));
        assertTrue(!Files.exists(dst), "nothing may be left behind");
    }
}
