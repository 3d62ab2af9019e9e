package org.aiobench.workloads;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The io_uring engine under the real recursive copy: every mode x direct x regbuf x regfiles, and each ring flag
 * this machine supports, copying the odd tree (sizes 0, 1, 4095, 4096, 4097, 128K+1, 1M ...) and comparing it
 * byte for byte with its source.
 */
class IoUringCopyTest {
    @TempDir static Path work;
    static Path src;
    static long expectedBytes;

    @BeforeAll
    static void tree() throws Exception {
        src = OddTree.create(work.resolve("src"), 11);
        for (long s : OddTree.SIZES) expectedBytes += s;
        expectedBytes += 5000 + 5000 + 3 + 3;
    }

    static CopyOptions base(CopyMode mode, boolean direct) {
        // small qd and buffer: files share the loop, multi-chunk files, short tails and slot reuse all happen
        return CopyOptions.defaults("io_uring").withMode(mode).withDirect(direct).withQd(3).withOpsPerFile(3)
                .withBufferSize(64 * 1024);
    }

    static CopyResult copyAndCompare(CopyOptions o, String name) {
        Path dst = work.resolve("dst-" + name);
        CopyResult r = RecursiveCopy.copy(src, dst, o);
        Verifier.compareTrees(src, dst);
        assertEquals(expectedBytes, r.bytes(), o.label());
        assertEquals(OddTree.SIZES.length + 4, r.files(), o.label());
        Scratch.deleteOwned(dst);
        return r;
    }

    static Stream<Arguments> matrix() {
        List<Arguments> l = new ArrayList<>();
        for (CopyMode m : CopyMode.values())
            for (boolean direct : new boolean[] {false, true})
                for (boolean regbuf : new boolean[] {false, true})
                    for (boolean regfiles : new boolean[] {false, true})
                        l.add(Arguments.of(m, direct, regbuf, regfiles));
        return l.stream();
    }

    @ParameterizedTest(name = "{0} direct={1} regbuf={2} regfiles={3}")
    @MethodSource("matrix")
    void everyModeDirectRegbufRegfiles(CopyMode mode, boolean direct, boolean regbuf, boolean regfiles) {
        CopyOptions o = base(mode, direct).withRegbuf(regbuf).withRegfiles(regfiles);
        CopyResult r = copyAndCompare(o, mode + "-" + direct + "-" + regbuf + "-" + regfiles);
        assertEquals(regbuf ? "IORING_OP_READ_FIXED" : "IORING_OP_READ", r.engineFacts().get("read_op"), r.engineFacts().toString());
        assertEquals(regfiles ? "IOSQE_FIXED_FILE" : "none", r.engineFacts().get("sqe_flags"), r.engineFacts().toString());
    }

    static Stream<Arguments> flags() {
        List<Arguments> l = new ArrayList<>();
        for (String f : new String[] {"coop_taskrun", "coop_taskrun,taskrun_flag", "single_issuer,defer_taskrun",
                "sqpoll", "async", "submit_all"})
            for (CopyMode m : CopyMode.values())
                for (boolean direct : new boolean[] {false, true})
                    l.add(Arguments.of(f, m, direct));
        return l.stream();
    }

    @ParameterizedTest(name = "{0} {1} direct={2}")
    @MethodSource("flags")
    void eachRingFlag(String flags, CopyMode mode, boolean direct) {
        // with regbuf and regfiles too, so the flags meet the fixed opcodes and fixed files
        CopyOptions o = base(mode, direct).withRingFlags(flags).withRegbuf(direct).withRegfiles(direct);
        CopyResult r = copyAndCompare(o, flags.replace(',', '+') + "-" + mode + "-" + direct);
        String setup = r.engineFacts().get("ring.setup_flags");
        for (String f : flags.split(",")) {
            if (f.equals("async")) assertTrue(r.engineFacts().get("sqe_flags").contains("IOSQE_ASYNC"), r.engineFacts().toString());
            else assertTrue(setup.contains("IORING_SETUP_" + f.toUpperCase()), setup);
        }
    }

    @Test
    void fallocateAndLargeQueueDepth() {
        CopyOptions o = CopyOptions.defaults("io_uring").withMode(CopyMode.MULTI).withDirect(true).withFallocate(true)
                .withRegbuf(true).withRegfiles(true).withRingFlags("coop_taskrun").withQd(16).withOpsPerFile(2);
        CopyResult r = copyAndCompare(o, "falloc");
        assertEquals("IORING_OP_FALLOCATE (mode 0, in the ring)", r.engineFacts().get("fallocate"));
    }

    static Stream<Arguments> metadataMatrix() {
        List<Arguments> l = new ArrayList<>();
        for (CopyMode m : CopyMode.values())
            for (boolean direct : new boolean[] {false, true})
                for (String flags : new String[] {"none", "single_issuer,defer_taskrun", "sqpoll"})
                    l.add(Arguments.of(m, direct, flags));
        return l.stream();
    }

    /** Issue 24: the walk's opens, statx, closes and mkdirat through the ring, files in kernel-allocated slots. */
    @ParameterizedTest(name = "metadata=ring {0} direct={1} flags={2}")
    @MethodSource("metadataMatrix")
    void metadataThroughTheRing(CopyMode mode, boolean direct, String flags) {
        CopyOptions o = base(mode, direct).withRingFlags(flags).withFallocate(direct)
                .withMetadata(CopyOptions.Metadata.RING);
        CopyResult r = copyAndCompare(o, "meta-" + mode + "-" + direct + "-" + flags.replace(',', '+'));
        String facts = r.engineFacts().toString();
        int files = OddTree.SIZES.length + 4;
        assertTrue(r.engineFacts().get("metadata").contains(2 * files + " opens, " + 2 * files + " statx, " + 2 * files
                + " closes, " + (r.directories() - 1) + " mkdirat"), facts);
        assertTrue(r.engineFacts().get("metadata.files").startsWith("fixed-file slots allocated by the kernel"), facts);
    }

    @Test
    void metadataThroughTheRingWithDescriptorsWhereTheKernelAllocatesNoSlots() {
        String was = System.getProperty("aiobench.uring.fileIndexAlloc");
        System.setProperty("aiobench.uring.fileIndexAlloc", "off");
        try {
            CopyResult r = copyAndCompare(base(CopyMode.MULTI, false).withMetadata(CopyOptions.Metadata.RING), "meta-fds");
            assertTrue(r.engineFacts().get("metadata.files").startsWith("descriptors: kernel-allocated slots turned off"),
                    r.engineFacts().toString());
        } finally {
            if (was == null) System.clearProperty("aiobench.uring.fileIndexAlloc");
            else System.setProperty("aiobench.uring.fileIndexAlloc", was);
        }
    }

    @Test
    void metadataThroughTheRingIsIoUringsAlone() {
        CopyOptions o = CopyOptions.defaults("sync").withMetadata(CopyOptions.Metadata.RING);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                o::validate);
        assertTrue(e.getMessage().contains("metadata=ring"), e.getMessage());
        org.aiobench.engines.UnsupportedConfigurationException both = org.junit.jupiter.api.Assertions.assertThrows(
                org.aiobench.engines.UnsupportedConfigurationException.class,
                () -> CopyOptions.defaults("io_uring").withMetadata(CopyOptions.Metadata.RING).withRegfiles(true).validate());
        assertTrue(both.getMessage().contains("regfiles"), both.getMessage());
    }

    @Test
    void metadataThroughTheRingWithMoreSubdirectoriesThanMkdiratsInFlight() throws Exception {
        Path wide = work.resolve("wide");
        int dirs = 3 * CopyOptions.MKDIRS_IN_FLIGHT + 1;
        for (int i = 0; i < dirs; i++) {
            Path d = java.nio.file.Files.createDirectories(wide.resolve("dir-" + i).resolve("inner"));
            java.nio.file.Files.write(d.resolve("f"), new byte[] {(byte) i, 1, 2});
        }
        Path dst = work.resolve("dst-wide");
        CopyResult r = RecursiveCopy.copy(wide, dst, CopyOptions.defaults("io_uring").withQd(4)
                .withMetadata(CopyOptions.Metadata.RING));
        Verifier.compareTrees(wide, dst);
        assertEquals(2 * dirs + 1, r.directories());
        assertTrue(r.engineFacts().get("metadata").contains(2 * dirs + " mkdirat"), r.engineFacts().toString());
        Scratch.deleteOwned(dst);
    }
}
