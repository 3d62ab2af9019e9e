package org.aiobench.workloads;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A peer's command: split once with the shell's quoting rules, checked before anything runs, run as an argument vector. */
class PeerCommandTest {
    @TempDir Path work;

    /** A script that writes each argument it gets on a line of {@code args.txt} beside it, then copies with cp. */
    static Path argumentRecorder(Path dir) throws IOException {
        Path s = dir.resolve("record-args.sh");
        Files.writeString(s, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > \"$(dirname \"$0\")/args.txt\"\n"
                + "cp -r \"$1\" \"$2\"\n");
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwxr-xr-x"));
        return s;
    }

    static String refusal(String spec) {
        CopyException e = assertThrows(CopyException.class, () -> PeerCommand.parse(spec), spec);
        assertTrue(e.badInput(), spec);
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().startsWith("--peer "), e.getMessage());
        return e.getMessage();
    }

    @Test
    void theCommandIsSplitWithTheShellsQuotingRules() {
        PeerCommand p = PeerCommand.parse("rs=rsync -r --exclude 'a b' \"c \\\"d\\\"\" x\\ y {src}/ {dst}");
        assertEquals(List.of("rsync", "-r", "--exclude", "a b", "c \"d\"", "x y", "{src}/", "{dst}"), p.argv());
        assertTrue(p.program().isAbsolute() && p.program().endsWith("rsync") || p.program().endsWith("rsync"));
        assertEquals(List.of(p.program().toString(), "-r", "--exclude", "a b", "c \"d\"", "x y", "/s p/", "/d"),
                p.argv(Path.of("/s p"), Path.of("/d")));
        // the spec it records splits back into the same words (how --resume gets it again)
        assertEquals(p.argv(), PeerCommand.parse(p.spec()).argv());
        assertTrue(PeerCommand.parse("cp=cp -r --reflink=never {src} {dst}").isBuiltIn());
        assertFalse(PeerCommand.parse("mycp=cp -r {src} {dst}").isBuiltIn());
    }

    @Test
    void badPeersAreRefusedWithOneLine() throws IOException {
        assertTrue(refusal("rsync -r {src}/ {dst}").contains("expected NAME='COMMAND {src} {dst}'"));
        assertTrue(refusal("r,s=rsync -r {src}/ {dst}").contains("a peer's name is"));
        assertTrue(refusal("=rsync -r {src}/ {dst}").contains("a peer's name is"));
        assertTrue(refusal("io_uring=cp -r {src} {dst}").contains("is an engine's name"));
        assertTrue(refusal("sync=cp -r {src} {dst}").contains("is an engine's name"));
        assertTrue(refusal("cp=cp -a {src} {dst}").contains("'cp' is the built-in peer"));
        assertTrue(refusal("r=").contains("no command"));
        assertTrue(refusal("r=rsync -r {src}/").contains("has no {dst}"));
        assertTrue(refusal("r=rsync -r {dst}").contains("has no {src}"));
        assertTrue(refusal("r=no-such-program-aiobench {src} {dst}").contains("is not on PATH"));
        assertTrue(refusal("r=" + work.resolve("missing.sh") + " {src} {dst}").contains("does not exist"));
        Path plain = Files.writeString(work.resolve("not-executable.sh"), "#!/bin/sh\n");
        assertTrue(refusal("r=" + plain + " {src} {dst}").contains("is not an executable file"));
        assertTrue(refusal("r=" + work + " {src} {dst}").contains("is not an executable file"));
        assertTrue(refusal("r=cp -r {src} {dst} && sync").contains("without a shell"));
        assertTrue(refusal("r=cp -r {src} {dst} > log").contains("without a shell"));
        assertTrue(refusal("r=cp -r $HOME/{src} {dst}").contains("without a shell"));
        assertTrue(refusal("r=cp -r {src}/* {dst}").contains("without a shell"));
        assertTrue(refusal("r=cp -r \"$(id)\" {src} {dst}").contains("nothing is expanded"));
        assertTrue(refusal("r=cp -r 'x {src} {dst}").contains("unterminated '"));
        assertTrue(refusal("r=cp -r \"x {src} {dst}").contains("unterminated \""));
        assertTrue(refusal("r={src} {dst}").contains("the program cannot be a placeholder"));
    }

    /** Quoted shell syntax reaches the program as plain words: nothing runs it through a shell. */
    @Test
    void thePeerRunsWithAnArgumentVectorNotAShell() throws Exception {
        Path recorder = argumentRecorder(work);
        Path src = work.resolve("src");
        TestTree.generate(src, 2, 3000, 1);
        Path marker = work.resolve("pwned");
        PeerCommand p = PeerCommand.parse("rec=" + recorder + " {src} {dst} '; touch " + marker + "' '$(touch "
                + marker + ")' 'two words' '*'");
        Path dst = work.resolve("dst");
        PeerProcess.Run r = PeerProcess.run(p, src, dst);
        assertTrue(r.nanos() > 0);
        assertEquals(List.of(src.toString(), dst.toString(), "; touch " + marker, "$(touch " + marker + ")",
                "two words", "*"), Files.readAllLines(work.resolve("args.txt")));
        assertFalse(Files.exists(marker), "a shell ran the command");
        Verifier.verify(dst, TestTree.manifestOf(src));
        if (PeerProcess.peakRssMeasured()) assertTrue(r.maxRssKiB() > 0 && r.maxRssKiB() < 256 << 10, "" + r.maxRssKiB());
        long start = PeerProcess.startCost(p, Files.createDirectory(work.resolve("empty")),
                Files.createDirectory(work.resolve("into")));
        assertTrue(start > 0);
        try (var s = Files.list(work.resolve("into"))) {
            assertEquals(0, s.count(), "the start cost's copies are deleted");
        }
    }

    @Test
    void aPeerThatFailsOrBreaksTheContractIsAnError() throws Exception {
        Path src = Files.createDirectory(work.resolve("src"));
        IOException e = assertThrows(IOException.class, () -> PeerProcess.run(PeerCommand.parse("f=false {src} {dst}"),
                src, work.resolve("d1")));
        assertTrue(e.getMessage().contains("exited with status 1"), e.getMessage());
        e = assertThrows(IOException.class, () -> PeerProcess.run(PeerCommand.parse("t=true {src} {dst}"), src,
                work.resolve("d2")));
        assertTrue(e.getMessage().contains("made no directory"), e.getMessage());
        Path existing = Files.createDirectory(work.resolve("d3"));
        e = assertThrows(IOException.class, () -> PeerProcess.run(PeerCommand.CP, src, existing));
        assertTrue(e.getMessage().contains("exists before the copy"), e.getMessage());
    }

    @Test
    void wrongDataIsReadBackFromTheErrorLine() {
        VerificationException v = new VerificationException("/s/copy/0/file-1.dat", 4100, "content differs from the manifest")
                .within(Path.of("/s/copy"));
        assertEquals("0/file-1.dat at offset 4100: content differs from the manifest", v.getMessage());
        VerificationException back = VerificationException.fromErrorLine(v.getClass().getName() + ": " + v.getMessage());
        assertEquals("0/file-1.dat", back.file());
        assertEquals(4100, back.offset());
        assertEquals("content differs from the manifest", back.what());
        VerificationException missing = VerificationException.fromErrorLine(v.getClass().getName()
                + ": 0/file-2.dat: missing (or not a regular file)");
        assertEquals(-1, missing.offset());
        assertEquals("0/file-2.dat", missing.file());
        assertEquals(null, VerificationException.fromErrorLine("java.io.IOException: peer x exited with status 1"));
    }

    @Test
    void oneShotWarmupsForSmallTreesOnly() {
        assertEquals(47, WarmupCopies.forOneShot(128, 128 * 32768L, 128 << 10, false, false));
        assertEquals(6, WarmupCopies.forOneShot(128, 128L << 20, 128 << 10, false, false));
        assertEquals(2, WarmupCopies.forOneShot(128, 128 * 32768L, 128 << 10, false, true));
        assertEquals(0, WarmupCopies.forOneShot(128, 128 * (100L << 20), 128 << 10, false, false), "6,400 pairs a copy");
        assertEquals(0, WarmupCopies.forOneShot(128, 128 * (100L << 20), 128 << 10, false, true));
        assertEquals(6, WarmupCopies.forOneShot(128, 128 * 32768L, 128 << 10, true, false), "O_DIRECT: 768 pairs");
        assertEquals(0, WarmupCopies.forOneShot(128, 128L << 20, 128 << 10, true, false), "O_DIRECT: 1,024 pairs");
    }
}
