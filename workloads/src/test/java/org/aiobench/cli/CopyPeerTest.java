package org.aiobench.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.aiobench.workloads.Manifest;
import org.aiobench.workloads.Scratch;
import org.aiobench.workloads.TestTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code copy --peer}: one copy by an external program, timed with its start cost, verified like an engine's. */
class CopyPeerTest {
    @TempDir Path work;

    /**
     * A peer that copies with cp, then changes the byte at offset 5 of the first file (in sorted order); an empty
     * tree (its start cost) it copies as it is.
     */
    static Path damagingPeer(Path dir) throws Exception {
        Path s = dir.resolve("damage.sh");
        Files.writeString(s, """
                #!/bin/sh
                set -e
                cp -r "$1" "$2"
                f=$(find "$2" -type f | sort | head -n 1)
                [ -n "$f" ] || exit 0
                b=$(dd if="$f" bs=1 skip=5 count=1 2>/dev/null | od -An -tu1 | tr -d ' ')
                printf "$(printf '\\\\%03o' $(( (b + 1) % 256 )))" | dd of="$f" bs=1 seek=5 count=1 conv=notrunc 2>/dev/null
                """);
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwxr-xr-x"));
        return s;
    }

    @Test
    void aPeerCopiesOnceAfterItsWarmupsAndIsVerified() throws Exception {
        Path src = work.resolve("tree");
        TestTree.generate(src, 4, 10_000, 3);
        Path dst = work.resolve("copy");
        CliTest.Run r = CliTest.cli("copy", "--peer", "mine=cp -r {src} {dst}", src.toString(), dst.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("copy        peer mine: cp -r {src} {dst}"), r.out());
        assertTrue(r.out().contains("warm-up     2 untimed copies before the timed one"), r.out());
        assertTrue(r.out().contains("start cost  "), r.out());
        assertTrue(r.out().contains("verified    OK: 4 files identical to the manifest"), r.out());
        assertTrue(Scratch.isOwned(dst), "the peer's copy is marked as aiobench's, so the next copy replaces it");
        r = CliTest.cli("copy", "--warmup", "0", "--peer", "mine=cp -r {src} {dst}", src.toString(), dst.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("replacing " + dst), r.out());
        assertTrue(r.out().contains("warm-up     0 untimed copies"), r.out());
    }

    @Test
    void aPeerThatWritesWrongDataIsSaidWithTheFileAndOffset() throws Exception {
        Path src = work.resolve("tree");
        Manifest m = TestTree.generate(src, 3, 9000, 4);
        Path dst = work.resolve("copy");
        CliTest.Run r = CliTest.cli("copy", "--peer", "broken=" + damagingPeer(work) + " {src} {dst}", src.toString(),
                dst.toString());
        assertEquals(1, r.status(), r.out() + r.err());
        String first = m.files().stream().map(Manifest.Entry::path).sorted().findFirst().orElseThrow();
        assertTrue(r.out().contains("verified    WRONG DATA: " + first + " at offset 5: content differs from the"
                + " manifest (peer broken)"), r.out() + r.err());
    }

    @Test
    void badPeersAreRefusedBeforeAnythingRuns() throws Exception {
        Path src = work.resolve("tree");
        TestTree.generate(src, 2, 1000, 5);
        Path dst = work.resolve("copy");
        for (String[] bad : new String[][] {
                {"--peer", "io_uring=cp -r {src} {dst}"},
                {"--peer", "x=cp -r {src}"},
                {"--peer", "x=no-such-program-aiobench {src} {dst}"},
                {"--peer", "x=cp -r {src} {dst} ; rm -rf /"},
                {"--peer", "x=cp -r {src} {dst}", "--engine", "io_uring"},
                {"--peer", "x=cp -r {src} {dst}", "--warmup", "-1"}}) {
            String[] args = new String[bad.length + 3];
            args[0] = "copy";
            System.arraycopy(bad, 0, args, 1, bad.length);
            args[bad.length + 1] = src.toString();
            args[bad.length + 2] = dst.toString();
            CliTest.Run r = CliTest.cli(args);
            assertEquals(2, r.status(), String.join(" ", bad) + ": " + r.out() + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertFalse(Files.exists(dst), String.join(" ", bad) + " wrote " + dst);
        }
    }

    @Test
    void anEngineCopySaysHowManyWarmupsRan() throws Exception {
        Path src = work.resolve("tree");
        TestTree.generate(src, 2, 1000, 6);
        CliTest.Run r = CliTest.cli("copy", "--warmup", "3", src.toString(), work.resolve("copy").toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("warm-up     3 untimed copies before the timed one"), r.out());
        r = CliTest.cli("copy", src.toString(), work.resolve("copy2").toString());
        assertTrue(r.out().contains("warm-up     50 untimed copies"), "2 pairs a copy: the most: " + r.out());
    }
}
