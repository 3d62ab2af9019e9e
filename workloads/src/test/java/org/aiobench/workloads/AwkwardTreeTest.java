package org.aiobench.workloads;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.aiobench.engines.Engines;
import org.aiobench.engines.nat.Libc;
import org.aiobench.engines.nat.Linux;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10's copies that were not what the user asked for: names that are not UTF-8 (once a misleading ENOENT),
 * sticky and setgid directories (1777 became 777), setuid and setgid files, hard links and holes (copied as
 * independent, filled files, and counted). Every engine, buffered and O_DIRECT.
 */
class AwkwardTreeTest {
    @TempDir static Path work;
    static Path src;

    @BeforeAll
    static void tree() throws Exception {
        src = AwkwardTree.create(work.resolve("src"), 11);
    }

    static Stream<Arguments> engines() {
        List<Arguments> l = new ArrayList<>();
        for (String e : Engines.names()) for (boolean direct : new boolean[]{false, true}) l.add(Arguments.of(e, direct, ""));
        // the other ways some engines copy: the study's copy_file_range per pair, io_uring's metadata through the ring
        for (boolean direct : new boolean[]{false, true}) {
            l.add(Arguments.of("copy_file_range", direct, "cfrRequest=pair"));
            l.add(Arguments.of("io_uring", direct, "metadata=ring"));
        }
        return l.stream();
    }

    static CopyOptions variant(CopyOptions o, String variant) {
        return switch (variant) {
            case "" -> o;
            case "cfrRequest=pair" -> o.withCfrRequest(CopyOptions.CfrRequest.PAIR);
            case "metadata=ring" -> o.withMetadata(CopyOptions.Metadata.RING);
            default -> throw new IllegalArgumentException(variant);
        };
    }

    @ParameterizedTest(name = "{0} direct={1} {2}")
    @MethodSource("engines")
    void copiesEveryNameAndModeAndCountsLinksAndHoles(String engine, boolean direct, String how) throws Exception {
        Path dst = work.resolve("dst-" + engine + "-" + direct + "-" + how.replace('=', '-'));
        CopyResult r = RecursiveCopy.copy(src, dst, variant(CopyOptions.defaults(engine).withDirect(direct).withQd(4)
                .withBufferSize(64 * 1024), how));
        Verifier.compareTrees(src, dst); // names, kinds, whole modes of files and directories, bytes, link targets

        assertEquals(names(src), names(dst), "the root's names, byte for byte");
        assertArrayEquals(AwkwardTree.read(src, Names.join(AwkwardTree.BAD_DIR, AwkwardTree.BAD_INNER)),
                AwkwardTree.read(dst, Names.join(AwkwardTree.BAD_DIR, AwkwardTree.BAD_INNER)));
        assertEquals(01777, AwkwardTree.mode(dst, Names.bytes("sticky")));
        assertEquals(02755, AwkwardTree.mode(dst, Names.bytes("setgid-dir")));
        assertEquals(04755, AwkwardTree.mode(dst, Names.bytes("setuid")), "the copy has the source's owner here");
        assertEquals(02750, AwkwardTree.mode(dst, Names.bytes("setgid")));
        assertEquals(0640, AwkwardTree.mode(dst, Names.bytes("sparse")));

        assertEquals(2, r.linkedFiles(), "hard-a and hard-b");
        assertEquals(1, r.sparseFiles());
        assertEquals(0, r.setIdDropped());
        assertEquals(1, r.symlinks());
        assertEquals(10, r.files());
        assertTrue(Files.size(dst.resolve("sparse")) == AwkwardTree.SPARSE_SIZE);
        assertTrue(!Files.isSameFile(dst.resolve("hard-a"), dst.resolve("hard-b")), "links become separate files");
        Scratch.deleteOwned(dst); // and the copy of a name that is not text is deleted like any other
        assertTrue(!Files.exists(dst));
    }

    @Test
    void theVerifierReadsNamesThatAreNotTextAndNamesThemInItsMessages() throws Exception {
        Path dst = work.resolve("dst-verify");
        RecursiveCopy.copy(src, dst, CopyOptions.defaults("sync"));
        byte[] inner = Names.join(AwkwardTree.BAD_DIR, AwkwardTree.BAD_INNER);
        byte[] changed = AwkwardTree.read(dst, inner);
        AwkwardTree.overwrite(dst, inner, 1234, (byte) (changed[1234] ^ 1));
        VerificationException e = assertThrows(VerificationException.class, () -> Verifier.compareTrees(src, dst));
        assertEquals(dst + "/dir\\xfe\\x80/in\\xc3(", e.file());
        assertEquals(1234, e.offset());

        AwkwardTree.file(dst, Names.bytes("extra\u00e9"), new byte[1]);
        Manifest m = TestTree.generate(work.resolve("gen"), 2, 1000, 1);
        Path genCopy = work.resolve("gen-copy");
        RecursiveCopy.copy(work.resolve("gen"), genCopy, CopyOptions.defaults("sync"));
        Verifier.verify(genCopy, m);
        AwkwardTree.file(genCopy, AwkwardTree.BAD_FILE, new byte[1]);
        VerificationException extra = assertThrows(VerificationException.class, () -> Verifier.verify(genCopy, m));
        assertEquals(genCopy + "/bad\\xff", extra.file());
        assertTrue(extra.getMessage().contains("not in the manifest"), extra.getMessage());
    }

    @Test
    void setuidIsLeftOffWhereTheCopyHasAnotherOwner() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to give a file away");
        Path other = Files.createDirectories(work.resolve("other"));
        Path f = Files.write(other.resolve("setuid-nobody"), new byte[]{1, 2, 3});
        Process p = new ProcessBuilder("chown", "65534:65534", f.toString()).inheritIO().start();
        Assumptions.assumeTrue(p.waitFor() == 0, "chown failed");
        AwkwardTree.chmod(f, 06755);
        Path dst = work.resolve("other-copy");
        CopyResult r = RecursiveCopy.copy(other, dst, CopyOptions.defaults("sync"));
        assertEquals(0755, AwkwardTree.mode(dst, Names.bytes("setuid-nobody")), "no setuid-root copy of nobody's file");
        assertEquals(1, r.setIdDropped());
        assertEquals(1, r.otherOwners());
        Verifier.compareTrees(other, dst); // the verifier expects what the copy may keep
    }

    @Test
    void direntsAreReadInBatchesWithDotsLeftOut() throws Exception {
        Path many = Files.createDirectories(work.resolve("many"));
        int n = 3000; // about 40 bytes a record: several getdents64 batches of 32 KiB
        for (int i = 0; i < n; i++) AwkwardTree.file(many, nameOf(i), new byte[0]);
        try (Arena a = Arena.ofConfined()) {
            DirectoryListing l = new DirectoryListing(a);
            int fd = Libc.openat(Linux.AT_FDCWD, a.allocateFrom(many.toString()), Linux.O_RDONLY | Linux.O_DIRECTORY, 0);
            assertEquals(0, l.read(fd));
            Libc.close(fd);
            assertEquals(n, l.files.size());
            assertTrue(l.directories.isEmpty(), "no . or ..");
            for (int i = 1; i < n; i++) assertTrue(Arrays.compareUnsigned(l.files.get(i - 1), l.files.get(i)) < 0);
        }
    }

    private static byte[] nameOf(int i) {
        byte[] b = Names.bytes("f" + i + "-");
        byte[] n = Arrays.copyOf(b, b.length + 1);
        n[b.length] = (byte) (0x80 + i % 64);
        return n;
    }

    private static List<String> names(Path dir) {
        try (Arena a = Arena.ofConfined()) {
            DirectoryListing l = new DirectoryListing(a);
            int fd = Libc.openat(Linux.AT_FDCWD, a.allocateFrom(dir.toString()), Linux.O_RDONLY | Linux.O_DIRECTORY, 0);
            l.read(fd);
            Libc.close(fd);
            List<String> all = new ArrayList<>();
            for (List<byte[]> kind : List.of(l.directories, l.files, l.symlinks)) for (byte[] n : kind) all.add(Names.key(n));
            return all;
        }
    }
}
