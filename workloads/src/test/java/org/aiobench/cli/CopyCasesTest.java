package org.aiobench.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.aiobench.workloads.AwkwardTree;
import org.aiobench.workloads.Manifest;
import org.aiobench.workloads.Scratch;
import org.aiobench.workloads.TestTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Issue 10's copies that were not what the user asked for, as `copy` shows them. */
class CopyCasesTest {
    @TempDir Path work;

    @Test
    void theSummarySaysHardLinksAndHolesAndTheCopyVerifies() throws Exception {
        Path src = AwkwardTree.create(work.resolve("src"), 5);
        for (String engine : List.of("sync", "io_uring")) {
            CliTest.Run r = CliTest.cli("copy", "--engine", engine, src.toString(), work.resolve("copy").toString());
            assertEquals(0, r.status(), r.err());
            assertTrue(r.out().contains("hard links  2 files have more than one name (st_nlink > 1): each name is"
                    + " copied as a separate file"), r.out());
            assertTrue(r.out().contains("holes       1 file has fewer blocks than bytes"), r.out());
            assertTrue(r.out().contains("verified    OK: identical to the source, byte for byte"), r.out());
        }
    }

    @Test
    void aSourceChangedAfterItsManifestIsSaidToBeTheSources() throws Exception {
        Path tree = work.resolve("tree");
        Manifest m = TestTree.generate(tree, 3, 5000, 2);
        Path grown = tree.resolve(m.files().get(1).path());
        Files.write(grown, new byte[7], StandardOpenOption.APPEND);
        CliTest.Run r = CliTest.cli("copy", tree.toString(), work.resolve("copy").toString());
        assertEquals(1, r.status(), r.out());
        assertTrue(r.err().contains("VERIFICATION FAILED: " + work.resolve("copy").resolve(m.files().get(1).path())
                + " at offset 5000: size 5007 differs from the manifest's 5000; the source's " + grown + " has 5007"
                + " bytes: the source changed after its manifest was written"), r.err());
    }

    private static void signal(String name, Process p) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + name, Long.toString(p.pid())).start().waitFor());
    }

    /** A real SIGINT to a `copy` process in the middle of a larger tree (cold, O_DIRECT, 4K at a time: seconds). */
    @Test
    void ctrlCSaysWhereThePartialCopyIsAndTheNextCopyReplacesIt() throws Exception {
        Path tree = work.resolve("big");
        TestTree.generate(tree, 32, 4 << 20, 3);
        Path dst = work.resolve("copy");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // as from a terminal: a JVM started with SIGINT ignored (a background job, as under some build tools) keeps
        // ignoring it, so the disposition is reset first
        Process p = new ProcessBuilder("env", "--default-signal=INT", java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "-Daiobench.state=" + Scratch.recordDir(),
                Main.class.getName(), "copy", "--engine", "sync", "--qd", "1", "--buffer-size", "4K", "--direct",
                "--cache", "cold", tree.toString(), dst.toString()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            // the first progress line comes a second into the copy, which has seconds to go
            while ((line = out.readLine()) != null && !line.matches("copy: .* of .*elapsed.*")) { }
            // stopped, so that the signal lands in the copy however slowly this line was read on a busy machine
            signal("STOP", p);
            if (line == null || !p.isAlive()) {
                fail("the copy ended before it could be interrupted; exit " + p.waitFor() + ": "
                        + new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            signal("INT", p);
            signal("CONT", p);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the copy did not stop on SIGINT");
            // less the JVM's own "Picked up JAVA_TOOL_OPTIONS: ..." notice, printed when that variable is set
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("Picked up ")).collect(Collectors.joining("\n"));
            assertEquals(130, p.exitValue(), "exit status; stderr: " + err);
            assertEquals("copy: interrupted: " + dst + " holds a partial copy; it is marked as aiobench's, and the next"
                    + " copy to it replaces it (or delete it: rm -r " + dst + ")", err.strip());
        } finally {
            p.destroyForcibly();
        }
        assertTrue(Scratch.isOwned(dst), "the partial copy is aiobench's: " + Scratch.whyNotOwned(dst));
        long copied;
        try (Stream<Path> s = Files.walk(dst)) {
            copied = s.filter(Files::isRegularFile).count();
        }
        assertTrue(copied < 32, "a partial copy: " + copied + " files");
        CliTest.Run again = CliTest.cli("copy", tree.toString(), dst.toString());
        assertEquals(0, again.status(), again.err());
        assertTrue(again.out().contains("copy: replacing " + dst + ", an earlier copy made by aiobench"), again.out());
        assertTrue(again.out().contains("verified    OK: 32 files identical to the manifest"), again.out());
    }
}
