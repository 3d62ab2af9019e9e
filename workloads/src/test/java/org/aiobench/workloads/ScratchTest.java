package org.aiobench.workloads;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ownership is proven by the mark and aiobench's record together; what only looks like aiobench's is left alone. */
class ScratchTest {
    @TempDir Path work;

    private static void sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        assertEquals(0, p.waitFor(), String.join(" ", cmd));
    }

    /** deleteOwned refuses with bad input naming the reason, and the user's file is still there. */
    private static void refusedKeeping(Path dir, Path usersFile, String reason) throws IOException {
        byte[] before = Files.readAllBytes(usersFile);
        CopyException e = assertThrows(CopyException.class, () -> Scratch.deleteOwned(dir));
        assertTrue(e.badInput());
        assertTrue(e.getMessage().contains("was not created by aiobench"), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(usersFile));
    }

    @Test
    void aCpDashADuplicateCarriesTheMarkButIsNotAiobenchs() throws Exception {
        Path mine = work.resolve("copy");
        Scratch.createOwned(mine);
        Files.write(mine.resolve("data"), new byte[]{1, 2, 3});
        assertNull(Scratch.whyNotOwned(mine));
        Path dup = work.resolve("duplicate");
        sh("cp", "-a", mine.toString(), dup.toString()); // keeps the xattr, and so the token
        Path users = Files.writeString(dup.resolve("users-notes.txt"), "mine");
        assertFalse(Scratch.isOwned(dup));
        refusedKeeping(dup, users, "copy or a move of " + mine.toRealPath());
        assertTrue(Scratch.isOwned(mine), "the original is still aiobench's");
        Scratch.deleteOwned(mine);
        assertFalse(Files.exists(mine));
        assertTrue(Files.exists(users));
    }

    /**
     * A run killed between createOwned's mkdir and its mark leaves an empty, unmarked directory inside aiobench's
     * scratch; the next run removes it (nothing is lost: it is empty) instead of refusing until the user does, and
     * anything that is not exactly that is still refused.
     */
    @Test
    void anEmptyUnmarkedDirectoryLeftByAKillInsideAiobenchsScratchIsRemoved() throws Exception {
        Path scratch = work.resolve("aiobench-scratch");
        Scratch.createOwned(scratch);
        Path orphan = Files.createDirectory(scratch.resolve("copy"));
        Scratch.deleteOwned(orphan);
        assertFalse(Files.exists(orphan));
        // not empty: refused, the file kept
        Path full = Files.createDirectory(scratch.resolve("copy2"));
        Path f = Files.writeString(full.resolve("users.txt"), "mine");
        refusedKeeping(full, f, "it carries no aiobench mark");
        // empty, but in a directory that is not aiobench's: refused
        Path outside = Files.createDirectory(work.resolve("empty"));
        CopyException e = assertThrows(CopyException.class, () -> Scratch.deleteOwned(outside));
        assertTrue(e.getMessage().contains("it carries no aiobench mark"), e.getMessage());
        assertTrue(Files.isDirectory(outside));
    }

    @Test
    void aMovedDirectoryIsNoLongerProvenEither() throws Exception {
        Path mine = work.resolve("a");
        Scratch.createOwned(mine);
        Path moved = work.resolve("b");
        Files.move(mine, moved);
        Path f = Files.writeString(moved.resolve("f"), "x");
        refusedKeeping(moved, f, "copy or a move of");
    }

    @Test
    void aDirectoryBesideAnEmptyOrCopiedSidecarIsNotAiobenchs() throws Exception {
        Path users = Files.createDirectory(work.resolve("users"));
        Path keep = Files.writeString(users.resolve("keep"), "precious");
        Files.createFile(work.resolve(".users.aiobench"));
        refusedKeeping(users, keep, "is empty");
        // a well-formed token that aiobench never recorded
        Files.writeString(work.resolve(".users.aiobench"), "aiobench-owner-v2:" + "0".repeat(32));
        refusedKeeping(users, keep, "not in aiobench's record");
    }

    @Test
    void anOlderVersionsMarkProvesNothing() throws Exception {
        Path old = Files.createDirectory(work.resolve("old"));
        Path keep = Files.writeString(old.resolve("keep"), "k");
        UserDefinedFileAttributeView v = Files.getFileAttributeView(old, UserDefinedFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        try {
            v.write("aiobench", ByteBuffer.wrap("created-by-aiobench".getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException | UnsupportedOperationException e) {
            Files.writeString(work.resolve(".old.aiobench"), "created-by-aiobench");
        }
        refusedKeeping(old, keep, "older aiobench's");
    }

    @Test
    void deletingATreeRemovesItsManifestButNotAFilePutInItsPlace() throws Exception {
        Path t = work.resolve("tree");
        TestTree.generate(t, 3, 1000, 1);
        Path mf = Manifest.pathFor(t);
        assertTrue(Scratch.ownsCompanion(t, mf));
        Scratch.deleteOwned(t);
        assertFalse(Files.exists(mf), "the manifest went with its tree");

        TestTree.generate(t, 3, 1000, 1);
        Path users = Files.writeString(work.resolve("users-manifest.json"), "{}");
        Files.move(users, mf, StandardCopyOption.REPLACE_EXISTING); // the user's file, another inode
        assertFalse(Scratch.ownsCompanion(t, mf));
        Scratch.deleteOwned(t);
        assertEquals("{}", Files.readString(mf), "a file aiobench did not write stays");
    }

    @Test
    void aManifestLeftByATreeDeletedByHandIsReplacedButAUsersFileIsNot() throws Exception {
        Path t = work.resolve("tree");
        TestTree.generate(t, 2, 100, 1);
        sh("rm", "-rf", t.toString()); // the user deletes the tree, not its manifest
        List<String> log = new ArrayList<>();
        TestTree.ensure(t, 2, 100, 1, Progress.NONE, log::add);
        assertTrue(log.toString().contains("the manifest of a tree that was deleted by hand"), log.toString());
        Verifier.verify(t, TestTree.manifestOf(t));

        Path other = work.resolve("other");
        Files.writeString(Manifest.pathFor(other), "the user's");
        CopyException e = assertThrows(CopyException.class, () -> TestTree.ensure(other, 2, 100, 1));
        assertTrue(e.badInput() && e.getMessage().contains("refusing to overwrite it"), e.getMessage());
        assertEquals("the user's", Files.readString(Manifest.pathFor(other)));
        assertFalse(Files.exists(other));
    }

    @Test
    void aFailedCreationNamesTheErrno() {
        CopyException e = assertThrows(CopyException.class, () -> Scratch.createOwned(Path.of("/proc/aiobench-test")));
        assertTrue(e.badInput());
        assertTrue(e.getMessage().contains("cannot create /proc/aiobench-test: ENOENT"), e.getMessage());
        assertTrue(e.getMessage().contains("proc"), e.getMessage());
    }

    @Test
    void onAFilesystemWithoutXattrsTheSidecarHoldsTheToken() throws Exception {
        try (TestMount ramfs = TestMount.ramfs(work.resolve("ramfs"))) { // ramfs has no user xattrs
            Path mnt = ramfs.dir();
            Path mine = mnt.resolve("mine");
            Scratch.createOwned(mine);
            assertTrue(Files.isRegularFile(mnt.resolve(".mine.aiobench")));
            assertTrue(Scratch.isOwned(mine));
            // a user's directory beside a copy of that sidecar
            Path users = Files.createDirectory(mnt.resolve("users"));
            Path keep = Files.writeString(users.resolve("keep"), "k");
            Files.copy(mnt.resolve(".mine.aiobench"), mnt.resolve(".users.aiobench"));
            refusedKeeping(users, keep, "copy or a move of");
            Scratch.deleteOwned(mine);
            assertFalse(Files.exists(mine));
            assertFalse(Files.exists(mnt.resolve(".mine.aiobench")), "the sidecar goes with it");
        }
    }
}
