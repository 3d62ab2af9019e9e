package org.aiobench.workloads;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestTreeTest {
    @TempDir Path work;

    @Test
    void treesAreSeededRealDataSpreadOverNestedDirectories() throws Exception {
        Manifest a = TestTree.generate(work.resolve("a"), 20, 4097, 1);
        Manifest b = TestTree.generate(work.resolve("b"), 20, 4097, 1);
        Manifest c = TestTree.generate(work.resolve("c"), 20, 4097, 2);
        assertEquals(a.files(), a.files());
        for (int i = 0; i < 20; i++) {
            assertEquals(a.files().get(i).path(), b.files().get(i).path());
            assertEquals(a.files().get(i).crc32c(), b.files().get(i).crc32c());
            assertArrayEquals(Files.readAllBytes(work.resolve("a").resolve(a.files().get(i).path())),
                    Files.readAllBytes(work.resolve("b").resolve(b.files().get(i).path())));
        }
        assertNotEquals(a.files().get(0).crc32c(), c.files().get(0).crc32c(), "another seed, other data");
        // really written: no zero-filled files, and the blocks are allocated
        byte[] data = Files.readAllBytes(work.resolve("a").resolve(a.files().get(3).path()));
        int zeros = 0;
        for (byte x : data) if (x == 0) zeros++;
        assertTrue(zeros < 100, "data looks unwritten: " + zeros + " zero bytes of 4097");
        assertTrue(a.files().stream().anyMatch(e -> e.path().chars().filter(ch -> ch == '/').count() >= 2), "some files are nested");
        assertTrue(Files.isRegularFile(work.resolve("a.manifest.json")));
        assertTrue(Scratch.isOwned(work.resolve("a")));
    }

    @Test
    void damageIsFoundWithItsFileAndOffsetAndTheTreeIsRegenerated() throws Exception {
        Path dir = work.resolve("t");
        Manifest m = TestTree.generate(dir, 5, 3 * TestTree.BLOCK + 17, 9);
        Path victim = dir.resolve(m.files().get(2).path());
        long at = 2L * TestTree.BLOCK + 12345;
        try (RandomAccessFile f = new RandomAccessFile(victim.toFile(), "rw")) {
            f.seek(at);
            int old = f.read();
            f.seek(at);
            f.write(old ^ 0x5a);
        }
        VerificationException e = assertThrows(VerificationException.class, () -> Verifier.verify(dir, m));
        assertEquals(victim.toString(), e.file());
        assertEquals(at, e.offset());

        List<String> log = new ArrayList<>();
        Manifest again = TestTree.ensure(dir, 5, 3 * TestTree.BLOCK + 17, 9, Progress.NONE, log::add);
        assertEquals(1, log.size(), log.toString());
        assertTrue(log.get(0).contains("damaged"), log.get(0));
        Verifier.verify(dir, again);
        List<String> quiet = new ArrayList<>();
        TestTree.ensure(dir, 5, 3 * TestTree.BLOCK + 17, 9, Progress.NONE, quiet::add);
        assertTrue(quiet.isEmpty(), "an intact tree is reused: " + quiet);
    }

    @Test
    void extraAndMissingFilesAndWrongSizesAreFound() throws Exception {
        Path dir = work.resolve("t");
        Manifest m = TestTree.generate(dir, 3, 1000, 9);
        Files.write(dir.resolve("extra"), new byte[1]);
        assertTrue(assertThrows(VerificationException.class, () -> Verifier.verify(dir, m)).getMessage().contains("not in the manifest"));
        Files.delete(dir.resolve("extra"));
        Path f = dir.resolve(m.files().get(0).path());
        Files.write(f, new byte[999]);
        VerificationException e = assertThrows(VerificationException.class, () -> Verifier.verify(dir, m));
        assertEquals(999, e.offset());
        Files.delete(f);
        assertTrue(assertThrows(VerificationException.class, () -> Verifier.verify(dir, m)).getMessage().contains("missing"));
    }

    @Test
    void blockDataDependsOnlyOnSeedFileAndBlock() {
        ByteBuffer x = ByteBuffer.allocate(100);
        ByteBuffer y = ByteBuffer.allocate(100);
        TestTree.fillBlock(1, 2, 3, x, 100);
        TestTree.fillBlock(1, 2, 3, y, 100);
        assertEquals(x, y);
        TestTree.fillBlock(1, 2, 4, y, 100);
        assertNotEquals(x, y);
        assertSame(x, x);
    }

    @Test
    void generateRefusesAnExistingDirectory() throws Exception {
        Path d = Files.createDirectory(work.resolve("mine"));
        assertThrows(CopyException.class, () -> TestTree.generate(d, 1, 10, 1));
        assertThrows(CopyException.class, () -> TestTree.ensure(d, 1, 10, 1));
        assertTrue(Files.isDirectory(d));
    }

    @Test
    void scratchDeletesOnlyWhatItMarked() throws Exception {
        Path foreign = Files.createDirectory(work.resolve("foreign"));
        Files.write(foreign.resolve("precious"), new byte[]{1});
        CopyException e = assertThrows(CopyException.class, () -> Scratch.deleteOwned(foreign));
        assertTrue(e.badInput());
        assertTrue(Files.exists(foreign.resolve("precious")));
        Path mine = work.resolve("mine");
        Scratch.createOwned(mine);
        Files.write(mine.resolve("x"), new byte[]{1});
        Scratch.deleteOwned(mine);
        assertTrue(!Files.exists(mine));
    }

    /** Not an exception the generator handles: like a kill, nothing after it runs. */
    static final class Killed extends Error {
        private static final long serialVersionUID = 1L;
    }

    @Test
    void anInterruptedGenerationLeavesAnIncompleteTreeThatTheNextRunReplaces() throws Exception {
        Path dir = work.resolve("t");
        Progress killed = (done, total) -> {
            if (done > 2000) throw new Killed(); // stands for a kill: nothing after it runs
        };
        assertThrows(Killed.class, () -> TestTree.generate(dir, 4, 1000, 3, killed));
        assertFalse(Files.exists(dir), "never the tree's name before it is complete");
        assertFalse(Files.exists(Manifest.pathFor(dir)));
        assertTrue(Scratch.isOwned(TestTree.incompletePath(dir)), "marked incomplete by its name, and aiobench's");

        List<String> log = new ArrayList<>();
        Manifest m = TestTree.ensure(dir, 4, 1000, 3, Progress.NONE, log::add);
        assertTrue(log.toString().contains("removing " + TestTree.incompletePath(dir)), log.toString());
        assertFalse(Files.exists(TestTree.incompletePath(dir)));
        Verifier.verify(dir, m);
    }

    @Test
    void aFailedGenerationLeavesNothing() {
        Path dir = work.resolve("t");
        Progress failing = (done, total) -> {
            if (done > 2000) throw new java.io.UncheckedIOException(new java.io.IOException("No space left on device"));
        };
        assertThrows(java.io.UncheckedIOException.class, () -> TestTree.generate(dir, 4, 1000, 3, failing));
        assertFalse(Files.exists(dir));
        assertFalse(Files.exists(TestTree.incompletePath(dir)), "its space is freed");
        assertFalse(Files.exists(Manifest.pathFor(dir)));
    }

    @Test
    void aTreeLargerThanTheFreeSpaceIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path dir = work.resolve("huge");
        CopyException e = assertThrows(CopyException.class,
                () -> TestTree.ensure(dir, 1000, Sizes.parse("1T"), 1, Progress.NONE, s -> {}));
        assertTrue(e.badInput());
        assertTrue(e.getMessage().matches("1000 files of 1\\.0 TiB need 1000\\.0 TiB \\(\\+.* for metadata\\) on the filesystem of .*, which has .* free.*"),
                e.getMessage());
        assertFalse(Files.exists(dir));
        assertFalse(Files.exists(TestTree.incompletePath(dir)));
        // and an existing tree is not deleted to make room for one that cannot fit either
        Path small = work.resolve("small");
        TestTree.generate(small, 2, 100, 1);
        assertThrows(CopyException.class, () -> TestTree.ensure(small, 1000, Sizes.parse("1T"), 1, Progress.NONE, s -> {}));
        assertTrue(Files.isRegularFile(Manifest.pathFor(small)));
        Verifier.verify(small, TestTree.manifestOf(small));
    }

    @Test
    void replacingATreeMadeWithOtherParametersReplacesItsManifest() throws Exception {
        Path dir = work.resolve("t");
        TestTree.generate(dir, 3, 1000, 1);
        List<String> log = new ArrayList<>();
        Manifest m = TestTree.ensure(dir, 2, 500, 1, Progress.NONE, log::add);
        assertTrue(log.toString().contains("replacing tree " + dir + ", which aiobench made and which was made with other parameters"),
                log.toString());
        assertEquals(2, TestTree.manifestOf(dir).fileCount());
        Verifier.verify(dir, m);
    }

    @Test
    void sizesParseAndFormat() {
        assertEquals(32 * 1024, Sizes.parse("32K"));
        assertEquals(100L << 20, Sizes.parse("100M"));
        assertEquals(4097, Sizes.parse("4097"));
        assertEquals(128 * 1024, Sizes.parse("128KiB"));
        assertEquals("128K", Sizes.format(128 * 1024));
        assertEquals("4097", Sizes.format(4097));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("0"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("abc"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("-5K"));
    }
}
