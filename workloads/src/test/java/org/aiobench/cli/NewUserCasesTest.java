package org.aiobench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.aiobench.engines.probe.KernelProbe;
import org.aiobench.workloads.TestMount;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.aiobench.cli.CliTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a new user tripped over (issue 23), as the user ran it: each of these ended in a Java stack trace, wrote a
 * directory it should not have, or said something untrue. Now: one line, exit status 2, nothing written.
 */
class NewUserCasesTest {
    @TempDir Path work;
    private Path tree;

    @BeforeEach
    void generate() {
        tree = work.resolve("tree");
        CliTest.Run g = cli("gen-tree", "--files", "4", "--size", "16K", tree.toString());
        assertEquals(0, g.status(), g.err());
    }

    /** Exit 2, one line on stderr containing {@code expect}, no stack trace. */
    static CliTest.Run refused(String expect, String... args) {
        CliTest.Run r = cli(args);
        assertEquals(2, r.status(), List.of(args) + ": " + r.err() + r.out());
        assertTrue(r.err().contains(expect), "'" + r.err().strip() + "' should say " + expect);
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        return r;
    }

    /**
     * Replacing an earlier copy deletes only what that copy made (its record lists it): a file or directory the user
     * put there since makes the copy refuse, naming them, and leaves everything as it was.
     */
    @Test
    void replacingAnEarlierCopyNeverDeletesTheUsersFiles() throws IOException {
        Path dst = work.resolve("copy");
        assertEquals(0, cli("copy", tree.toString(), dst.toString()).status());
        Path notes = Files.writeString(dst.resolve("notes.txt"), "the user's");
        Path mine = Files.createDirectories(dst.resolve("0").resolve("mine"));
        CliTest.Run r = refused("holds what aiobench did not make there: notes.txt, 0/mine/", "copy", tree.toString(),
                dst.toString());
        assertTrue(r.err().contains("refusing to replace it"), r.err());
        assertEquals("the user's", Files.readString(notes));
        assertTrue(Files.isDirectory(mine));
        assertTrue(Files.exists(dst.resolve("0")), "the earlier copy was touched");
        // a peer's copy, and a generated tree, are recorded the same way
        refused("notes.txt", "copy", "--peer", "c=cp -r {src} {dst}", tree.toString(), dst.toString());
        Files.writeString(tree.resolve("mine.txt"), "x");
        refused("mine.txt", "gen-tree", "--files", "5", "--size", "16K", tree.toString());
        refused("mine.txt", "copy", work.resolve("copy").toString(), tree.toString());
        Files.delete(tree.resolve("mine.txt"));
        // once they are gone, the copy is replaced as before
        Files.delete(notes);
        Files.delete(mine);
        CliTest.Run again = cli("copy", tree.toString(), dst.toString());
        assertEquals(0, again.status(), again.err());
        assertTrue(again.out().contains("copy: replacing " + dst + ", an earlier copy made by aiobench (it holds only"
                + " what that copy made)"), again.out());
        // aiobench's own O_DIRECT probe, left by a copy killed while probing, is its own: the copy is replaced
        // (a killed run's --resume refused every fork of it before)
        Files.writeString(dst.resolve(org.aiobench.workloads.Scratch.PROBE), "");
        CliTest.Run probed = cli("copy", "--direct", tree.toString(), dst.toString());
        assertEquals(0, probed.status(), probed.err());
        assertFalse(Files.exists(dst.resolve(org.aiobench.workloads.Scratch.PROBE)), "the probe is gone");
        Path peerDst = work.resolve("peer-copy");
        assertEquals(0, cli("copy", "--peer", "c=cp -r {src} {dst}", tree.toString(), peerDst.toString()).status());
        Files.writeString(peerDst.resolve("later.txt"), "x");
        refused("later.txt", "copy", tree.toString(), peerDst.toString());
    }

    /** copy --repeat N: N timed copies after the warm-ups, each verified, with min, median, max and the spread. */
    @Test
    void repeatGivesADistributionLikeHyperfine() {
        Path dst = work.resolve("copy");
        CliTest.Run r = cli("copy", "--repeat", "5", "--warmup", "1", tree.toString(), dst.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().matches("(?s).*\\ntime        median [0-9.]+ (ms|s) of 5 timed copies \\(the copy: .*"), r.out());
        assertTrue(r.out().matches("(?s).*\\nrange       min [0-9.]+ (ms|s), max [0-9.]+ (ms|s); spread [0-9.]+% of the"
                + " median \\(max - min\\)\\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*\\ntimes       ([0-9.]+ (ms|s), ){4}[0-9.]+ (ms|s) \\(in the order run\\)\\n.*"),
                r.out());
        assertTrue(r.out().contains("warm-up     1 untimed copy before the timed ones"), r.out());
        assertTrue(r.out().contains("verified    OK: 4 files identical"), r.out());
        CliTest.Run p = cli("copy", "--repeat", "3", "--warmup", "0", "--peer", "c=cp -r {src} {dst}", tree.toString(),
                dst.toString());
        assertEquals(0, p.status(), p.err());
        assertTrue(p.out().contains(" of 3 timed copies (the peer's process"), p.out());
        assertTrue(p.out().contains("(of the median)"), p.out());
        CliTest.Run one = cli("copy", "--warmup", "0", tree.toString(), dst.toString());
        assertTrue(one.out().matches("(?s).*\\ntime        [0-9.]+ s \\(the copy: .*"), one.out());
        assertFalse(one.out().contains("range "), one.out());
        refused("--repeat must be at least 1", "copy", "--repeat", "0", tree.toString(), dst.toString());
    }

    /** The engine's way of preallocating is said only by a copy that preallocates. */
    @Test
    void fallocateIsSaidOnlyWithFallocate() {
        Path dst = work.resolve("copy");
        CliTest.Run plain = cli("copy", "--engine", "io_uring", "--warmup", "0", tree.toString(), dst.toString());
        Assumptions.assumeTrue(plain.status() == 0, "io_uring does not run here: " + plain.err());
        assertFalse(plain.out().contains("engine      fallocate"), plain.out());
        CliTest.Run with = cli("copy", "--engine", "io_uring", "--fallocate", "--warmup", "0", tree.toString(),
                dst.toString());
        assertEquals(0, with.status(), with.err());
        assertTrue(with.out().contains("engine      fallocate: IORING_OP_FALLOCATE"), with.out());
    }

    @Test
    void randioSaysASlotIsSubmittedAtOnceNotOnceOneIsQueued() throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "randio-cli").toAbsolutePath());
        CliTest.Run r = cli("randio", "--size", "4M", "--runtime", "100ms", "--dir", dir.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("submitted at once while others are in flight"), r.out());
        assertFalse(r.out().contains("once 1 are queued"), r.out());
    }

    @Test
    void aSourceThatIsASymlinkToADirectoryIsRefusedAndNothingIsWritten() throws IOException {
        Path link = Files.createSymbolicLink(work.resolve("link"), tree);
        Path dst = work.resolve("dst");
        refused("is a symbolic link to " + tree, "copy", link.toString(), dst.toString());
        assertFalse(Files.exists(dst), "the refused copy left " + dst);
        refused("is a symbolic link to " + tree, "copy", "--peer", "c=cp -r {src} {dst}", link.toString(), dst.toString());
        assertFalse(Files.exists(dst), "the refused peer copy left " + dst);
    }

    @Test
    void aSymlinkLoopIsCalledALoopNotMissing() throws IOException {
        Path a = work.resolve("a"), b = work.resolve("b");
        Files.createSymbolicLink(a, b);
        Files.createSymbolicLink(b, a);
        refused("loop of symbolic links", "copy", a.toString(), work.resolve("dst").toString());
        refused("loop of symbolic links", "copy", a.resolve("x").toString(), work.resolve("dst").toString());
        refused("does not exist", "copy", work.resolve("nothing").toString(), work.resolve("dst").toString());
    }

    @Test
    void aNumberTooLargeIsSaidToBeTooLargeNotNotANumber() {
        refused("--qd: 99999999999 is too large (at most 2147483647)", "copy", "--qd", "99999999999", tree.toString(),
                work.resolve("dst").toString());
        refused("--iodepth: 99999999999 is too large", "randio", "--iodepth", "99999999999", "--dir", work.toString());
        refused("'8x' is not a whole number", "copy", "--qd", "8x", tree.toString(), work.resolve("dst").toString());
    }

    @Test
    void coldCacheFromATmpfsIsRefusedBeforeTheCopy() throws Exception {
        Path shm = Path.of("/dev/shm");
        Path src;
        TestMount mount = null;
        if (Files.isDirectory(shm) && "tmpfs".equals(Files.getFileStore(shm).type()) && Files.isWritable(shm)) {
            src = Files.createTempDirectory(shm, "aiobench-test-");
        } else {
            mount = TestMount.tmpfs(work.resolve("tmpfs"), "4m");
            src = mount.dir();
        }
        try {
            Path t = src.resolve("tree");
            assertEquals(0, cli("gen-tree", "--files", "2", "--size", "8K", t.toString()).status());
            Path dst = work.resolve("dst");
            refused("is on a tmpfs", "copy", "--cache", "cold", t.toString(), dst.toString());
            assertFalse(Files.exists(dst), "the refused copy left " + dst);
            refused("is on a tmpfs", "copy", "--cache", "cold", "--peer", "c=cp -r {src} {dst}", t.toString(),
                    dst.toString());
            assertFalse(Files.exists(dst), "the refused peer copy left " + dst);
        } finally {
            if (mount != null) mount.close();
            else CliTest.deleteTree(src);
        }
    }

    @Test
    void aMistypedScratchDirectoryIsRefusedNotCreated() {
        Path typo = work.resolve("scartch");
        refused("--dir " + typo + ": it does not exist", "randio", "--size", "4M", "--runtime", "100ms", "--dir",
                typo.toString());
        assertFalse(Files.exists(typo), "randio created the mistyped " + typo);
        refused("nor does", "randio", "--size", "4M", "--runtime", "100ms", "--dir", typo.resolve("x").toString());
    }

    @Test
    void iopollWithoutDirectOrWithoutPollingIsRefusedBeforeTheTargetIsLaidOut() throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "randio-iopoll").toAbsolutePath());
        CliTest.deleteTree(dir.resolve("aiobench-scratch"));
        refused("iopoll needs --direct", "randio", "--engine", "io_uring", "--flags", "iopoll", "--size", "4M",
                "--runtime", "100ms", "--dir", dir.toString());
        String why = KernelProbe.iopollFailureIn(dir);
        Assumptions.assumeTrue(why != null, "this device polls: nothing to refuse");
        refused("--flags iopoll cannot work here", "randio", "--engine", "io_uring", "--flags", "iopoll", "--direct",
                "--size", "4M", "--runtime", "100ms", "--dir", dir.toString());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.toList(), "the refused job wrote into the scratch directory");
        }
    }

    /**
     * A tiny sparse source whose holes the copy writes as zeros needs its full size: refused before anything is
     * written on a filesystem without it (it used to fill the disk and stop with exit 1 and a partial copy).
     */
    @Test
    void aCopyThatDoesNotFitIsRefusedBeforeWriting() throws Exception {
        Path src = Files.createDirectories(work.resolve("sparse"));
        try (var f = new java.io.RandomAccessFile(src.resolve("holes.dat").toFile(), "rw")) {
            f.setLength(64L << 20); // 64 MiB of holes, no block written
        }
        try (TestMount small = TestMount.tmpfs(work.resolve("small"), "8m")) {
            Path dst = small.dir().resolve("copy");
            refused("the copy needs 64.0 MiB", "copy", src.toString(), dst.toString());
            refused("the copy needs 64.0 MiB", "copy", "--peer", "c=cp -r {src} {dst}", src.toString(), dst.toString());
            try (Stream<Path> s = Files.list(small.dir())) {
                assertEquals(List.of(), s.toList(), "the refused copy wrote");
            }
            // and a read-only filesystem is called read-only, not full
            small.remountReadOnly();
            refused("EROFS", "copy", src.toString(), dst.toString());
            refused("EROFS", "gen-tree", "--files", "1", "--size", "1K", small.dir().resolve("t").toString());
        }
    }

    /** A randio refused for want of space (after the checks that need no scratch) leaves no directory behind. */
    @Test
    void aRandioRefusedForSpaceLeavesNothing() throws Exception {
        try (TestMount small = TestMount.tmpfs(work.resolve("small"), "16m")) {
            refused("not enough space for the target", "randio", "--size", "64M", "--runtime", "100ms", "--dir",
                    small.dir().toString());
            try (Stream<Path> s = Files.list(small.dir())) {
                assertEquals(List.of(), s.toList(), "the refused job left directories");
            }
        }
    }
}
