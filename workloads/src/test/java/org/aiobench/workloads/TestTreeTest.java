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
        assertTrue(assertThrows(VerificationException.class, () -> Verifier.verify(dir, m)).getMessage().contains("not in the source"));
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
