package org.aiobench.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.aiobench.engines.probe.KernelProbe;
import org.aiobench.workloads.Manifest;
import org.aiobench.workloads.ScratchLock;
import org.aiobench.workloads.TestMount;
import org.aiobench.workloads.TestTree;
import org.aiobench.workloads.Verifier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.aiobench.cli.CliTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cases of issue 10 that copy and gen-tree met, as a user runs them: nothing of the user's is deleted or
 * overwritten, what cannot work is refused before anything is touched, with one line and exit status 2.
 */
class CliSafetyTest {
    @TempDir Path work;
    private Path tree;
    private String t;

    @BeforeEach
    void generate() {
        tree = work.resolve("tree");
        t = tree.toString();
        CliTest.Run g = cli("gen-tree", "--files", "6", "--size", "20K", t);
        assertEquals(0, g.status(), g.err());
    }

    private static CliTest.Run refused(String expect, String... args) {
        CliTest.Run r = cli(args);
        assertEquals(2, r.status(), List.of(args) + ": " + r.err() + r.out());
        assertTrue(r.err().contains(expect), "'" + r.err().strip() + "' should say " + expect);
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        return r;
    }

    private void intactCopy(Path dst) {
        Verifier.verify(dst, TestTree.manifestOf(tree));
    }

    @Test
    void copyReplacesOnlyAnEarlierCopyItCanProveItMade() throws Exception {
        Path c1 = work.resolve("c1");
        assertEquals(0, cli("copy", t, c1.toString()).status());
        CliTest.Run again = cli("copy", t, c1.toString());
        assertEquals(0, again.status(), again.err());
        assertEquals(1, again.out().lines().filter(l -> l.startsWith("copy: replacing " + c1 + ", an earlier copy made by aiobench")).count(),
                again.out());

        // a cp -a duplicate carries the mark; the user added a file to it
        Path c2 = work.resolve("c2");
        Process cp = new ProcessBuilder("cp", "-a", c1.toString(), c2.toString()).inheritIO().start();
        assertEquals(0, cp.waitFor());
        Path notes = Files.writeString(c2.resolve("notes.txt"), "the user's");
        refused("copy or a move of", "copy", t, c2.toString());
        assertEquals("the user's", Files.readString(notes));

        // a user's directory beside an empty sidecar
        Path users = Files.createDirectory(work.resolve("users"));
        Path keep = Files.writeString(users.resolve("keep"), "k");
        Files.createFile(work.resolve(".users.aiobench"));
        refused("was not created by aiobench", "copy", t, users.toString());
        refused("was not created by aiobench", "gen-tree", "--files", "1", "--size", "1K", users.toString());
        assertEquals("k", Files.readString(keep));
        assertEquals(List.of(keep), Files.list(users).toList());
    }

    @Test
    void aCopyOverAGeneratedTreeRemovesTheTreesManifest() {
        Path other = work.resolve("other");
        assertEquals(0, cli("gen-tree", "--files", "2", "--size", "1K", other.toString()).status());
        assertTrue(Files.exists(Manifest.pathFor(other)));
        CliTest.Run r = cli("copy", t, other.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("copy: replacing " + other + ", a tree aiobench generated (its manifest goes too)"), r.out());
        assertFalse(Files.exists(Manifest.pathFor(other)), "a stale manifest would make the copy look damaged");
        // a copy of it verifies byte for byte against it again, not against a manifest of other data
        CliTest.Run c = cli("copy", other.toString(), work.resolve("c").toString());
        assertEquals(0, c.status(), c.err());
        assertTrue(c.out().contains("identical to the source, byte for byte"), c.out());
    }

    @Test
    void everythingIsCheckedBeforeAnEarlierCopyIsDeleted() {
        Path c1 = work.resolve("c1");
        assertEquals(0, cli("copy", t, c1.toString()).status());
        refused("ring flags (sqpoll) are io_uring features; engine sync has none",
                "copy", "--engine", "sync", "--flags", "sqpoll", t, c1.toString());
        intactCopy(c1);
        refused("iopoll needs --direct", "copy", "--engine", "io_uring", "--flags", "iopoll", t, c1.toString());
        intactCopy(c1);
    }

    @Test
    void iopollIsRefusedBeforeCopyingWhereTheDeviceCannotPoll() throws Exception {
        Path sample = Files.write(work.resolve("sample"), new byte[8192]);
        String why = KernelProbe.iopollFailure(sample);
        Assumptions.assumeTrue(why != null, "IOPOLL works on this device: nothing to refuse");
        Path c = work.resolve("c");
        CliTest.Run r = refused("", "copy", "--engine", "io_uring", "--flags", "iopoll", "--direct", t, c.toString());
        assertTrue(r.err().contains("iopoll cannot work on the source's device") || r.err().contains("O_DIRECT refused")
                || r.err().contains("io_uring"), r.err());
        assertFalse(Files.exists(c), "no empty files copied first");
    }

    @Test
    void batchModeOnASynchronousEngineSaysWhatItDoes() {
        CliTest.Run r = cli("copy", "--mode", "batch", "--engine", "sync", t, work.resolve("c").toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("note        batch mode needs an asynchronous engine: sync completes every request"
                + " inside submit(), so it would repeat single mode; copying as asked"), r.out());
    }

    @Test
    void whatTheUserCanFixNamesTheErrnoWithExitStatus2() throws Exception {
        refused("cannot create /proc/aiobench-x: ENOENT (No such file or directory) (filesystem type proc)",
                "copy", t, "/proc/aiobench-x");
        refused("cannot create /proc/aiobench-x: ENOENT", "gen-tree", "--files", "1", "--size", "1K", "/proc/aiobench-x");
        Path file = Files.writeString(work.resolve("a-file"), "x");
        refused("exists and was not created by aiobench (it is not a directory)",
                "gen-tree", "--files", "1", "--size", "1K", file.toString());
        refused("cannot create " + file.resolve("sub") + ": ENOTDIR",
                "gen-tree", "--files", "1", "--size", "1K", file.resolve("sub").toString());
        assertEquals("x", Files.readString(file));
    }

    @Test
    void aReadOnlyFilesystemIsNamed() throws Exception {
        try (TestMount mount = TestMount.bind(work.resolve("m"))) {
            Path m = mount.dir();
            Path c = m.resolve("c");
            assertEquals(0, cli("copy", t, c.toString()).status());
            mount.makeReadOnly();
            refused("cannot create " + m.resolve("new") + ": EROFS (Read-only file system)", "copy", t, m.resolve("new").toString());
            refused("cannot create " + m.resolve("g") + ": EROFS", "gen-tree", "--files", "1", "--size", "1K", m.resolve("g").toString());
            refused("cannot replace " + c + ": " + m.toRealPath() + " is not writable: EROFS (Read-only file system)", "copy", t,
                    c.toString());
            intactCopy(c);
        }
    }

    @Test
    void genTreeChecksFreeSpaceFirst() {
        Path huge = work.resolve("huge");
        refused("1000 files of 1.0 TiB need 1000.0 TiB (+10.0 TiB for metadata) on the filesystem of", "gen-tree", "--files", "1000", "--size", "1T",
                huge.toString());
        assertFalse(Files.exists(huge));
        assertFalse(Files.exists(TestTree.incompletePath(huge)));
    }

    @Test
    void aSecondProcessInTheSameScratchDirectoryStops() throws Exception {
        Path scratch = Files.createDirectory(work.resolve("scratch"));
        try (ScratchLock held = ScratchLock.acquire(List.of(scratch), List.of())) {
            refused("scratch directory " + scratch.toRealPath() + " is in use by", "gen-tree", "--files", "1", "--size", "1K",
                    scratch.resolve("t").toString());
            refused("is in use by", "copy", t, scratch.resolve("c").toString());
        }
        assertFalse(Files.exists(scratch.resolve("t")));
        assertFalse(Files.exists(scratch.resolve("c")));
        assertEquals(0, cli("copy", t, scratch.resolve("c").toString()).status(), "free again once released");
    }

    @Test
    void aCopyBesideAnExperimentSaysItDisturbsIt() throws Exception {
        String before = System.getProperty(ScratchLock.EXPERIMENT_PROPERTY);
        System.setProperty(ScratchLock.EXPERIMENT_PROPERTY, work.resolve("experiment.lock").toString());
        try (ScratchLock experiment = ScratchLock.forExperiment(Files.createDirectory(work.resolve("run")))) {
            // beside the experiment's scratch directory, not in it
            CliTest.Run r = cli("copy", t, Files.createDirectory(work.resolve("out")).resolve("c").toString());
            assertEquals(0, r.status(), r.err());
            assertTrue(r.out().contains("note        an aiobench experiment is running on this machine (pid "
                    + ProcessHandle.current().pid() + "): this copy disturbs its measurement"), r.out());
        } finally {
            if (before == null) System.clearProperty(ScratchLock.EXPERIMENT_PROPERTY);
            else System.setProperty(ScratchLock.EXPERIMENT_PROPERTY, before);
        }
    }
}
