package org.aiobench.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.aiobench.workloads.OddTree;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line as a user meets it: the happy path, and every bad input gets one line and exit status 2. */
class CliTest {
    @TempDir Path work;

    record Run(int status, String out, String err) {}

    /** Runs the CLI in this JVM with its output captured. */
    static synchronized Run cli(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int st = Main.run(args);
            return new Run(st, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** Deletes a tree the test made (nothing when it is not there). */
    static void deleteTree(Path p) {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(x);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void genTreeThenCopyWithEachEngineVerifies() {
        Path tree = work.resolve("tree");
        Run g = cli("gen-tree", "--files", "12", "--size", "200K", tree.toString());
        assertEquals(0, g.status(), g.err());
        assertTrue(g.out().contains("12 x 200K"), g.out());
        for (String engine : List.of("sync", "copy_file_range")) {
            for (String direct : List.of("", "--direct")) {
                List<String> args = new ArrayList<>(List.of("copy", "--engine", engine, "--mode", "multi", "--qd", "4"));
                if (!direct.isEmpty()) args.add(direct);
                args.add(tree.toString());
                args.add(work.resolve("copy").toString());
                Run c = cli(args.toArray(String[]::new));
                assertEquals(0, c.status(), c.err());
                assertTrue(c.out().contains("verified    OK: 12 files identical to the manifest"), c.out());
                assertTrue(c.out().matches("(?s).*throughput\\s+[0-9.]+ MB/s.*"), c.out());
                assertTrue(c.out().contains("bytes       2457600 "), c.out());
            }
        }
    }

    @Test
    void everySubcommandHasHelp() {
        for (String sub : List.of("gen-tree", "copy")) {
            Run r = cli(sub, "--help");
            assertEquals(0, r.status());
            assertTrue(r.out().startsWith("Usage: aiobench " + sub), r.out());
        }
    }

    private Path src() throws IOException {
        return OddTree.create(work.resolve("src"), 3);
    }

    /** Bad input: exit 2, one line on stderr naming the problem, nothing created at the destination. */
    private void refused(String expectInMessage, Path dst, String... args) {
        Run r = cli(args);
        assertEquals(2, r.status(), "exit status for " + List.of(args) + ": " + r.err() + r.out());
        assertTrue(r.err().contains(expectInMessage), "message '" + r.err().strip() + "' should say " + expectInMessage);
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        if (dst != null) assertFalse(Files.exists(dst), dst + " must not be written");
    }

    @Test
    void badInputsAreRefusedWithOneLineAndNothingWritten() throws Exception {
        Path src = src();
        String s = src.toString();
        Path dst = work.resolve("dst");
        String d = dst.toString();
        refused("does not exist", dst, "copy", work.resolve("missing").toString(), d);
        refused("is inside the source", src.resolve("sub-copy"), "copy", s, src.resolve("sub-copy").toString());
        refused("unknown engine 'fast'", dst, "copy", "--engine", "fast", s, d);
        refused("unknown mode 'turbo'", dst, "copy", "--mode", "turbo", s, d);
        refused("Unknown option: '--turbo'", dst, "copy", "--turbo", s, d);
        refused("--qd: 'many' is not a whole number", dst, "copy", "--qd", "many", s, d);
        refused("--qd must be at least 1", dst, "copy", "--qd", "0", s, d);
        refused("--buffer-size: size must be greater than zero", dst, "copy", "--buffer-size", "0", s, d);
        refused("--buffer-size: 'lots' is not a size", dst, "copy", "--buffer-size", "lots", s, d);
        refused("--ops-per-file must be at least 1", dst, "copy", "--ops-per-file", "0", s, d);
        refused("multiple of 4096", dst, "copy", "--direct", "--buffer-size", "5000", s, d);
        refused("unknown ring flag 'warp'", dst, "copy", "--flags", "warp", s, d);
        refused("regbuf", dst, "copy", "--regbuf", s, d);
        refused("--size: size must be greater than zero", work.resolve("g"), "gen-tree", "--size", "0", work.resolve("g").toString());
        refused("--size: 'big' is not a size", work.resolve("g"), "gen-tree", "--size", "big", work.resolve("g").toString());
        refused("--files must be at least 1", work.resolve("g"), "gen-tree", "--files", "0", work.resolve("g").toString());
        refused("Missing required parameter", null, "copy", s);
        // an existing destination aiobench did not make is left alone
        Path foreign = Files.createDirectory(work.resolve("foreign"));
        Files.write(foreign.resolve("keep"), new byte[]{42});
        refused("was not created by aiobench", null, "copy", s, foreign.toString());
        refused("was not created by aiobench", null, "gen-tree", "--files", "1", "--size", "1K", foreign.toString());
        assertEquals(List.of(foreign.resolve("keep")), list(foreign));
        assertEquals(42, Files.readAllBytes(foreign.resolve("keep"))[0]);
    }

    @Test
    void directIoOnAFilesystemWithoutItIsRefused() throws Exception {
        // ramfs has no O_DIRECT (tmpfs has it since Linux 6.6); mounting one needs root
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to mount ramfs");
        Path mnt = Files.createDirectory(work.resolve("ramfs"));
        Process p = new ProcessBuilder("mount", "-t", "ramfs", "ramfs", mnt.toString()).inheritIO().start();
        Assumptions.assumeTrue(p.waitFor() == 0, "could not mount ramfs");
        try {
            Files.write(mnt.resolve("f"), new byte[100]);
            Path dst = work.resolve("dst");
            refused("O_DIRECT refused on the source filesystem", dst, "copy", "--direct", mnt.toString(), dst.toString());
            Path src = src();
            Path dst2 = mnt.resolve("dst");
            refused("O_DIRECT refused on the destination filesystem", dst2, "copy", "--direct", src.toString(), dst2.toString());
        } finally {
            new ProcessBuilder("umount", mnt.toString()).inheritIO().start().waitFor();
        }
    }

    @Test
    void anUnreadableFileIsRefusedBeforeAnythingIsWritten() throws Exception {
        // root reads everything, so as root the CLI runs as 'nobody' (setpriv); otherwise chmod 000 is enough
        Path base = Files.createTempDirectory(Path.of("/tmp"), "aiobench-unreadable");
        try {
            Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path src = Files.createDirectories(base.resolve("src/sub"));
            Files.write(src.resolve("ok.bin"), new byte[10]);
            Path secret = Files.write(src.resolve("secret.bin"), new byte[10]);
            Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
            Path dst = base.resolve("dst");
            Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxrwxrwx"));
            if (!"root".equals(System.getProperty("user.name"))) {
                refused("cannot read " + secret + ": EACCES", dst, "copy", base.resolve("src").toString(), dst.toString());
                return;
            }
            Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "no setpriv to drop root");
            Path cp = Files.createDirectory(base.resolve("cp"));
            List<String> entries = new ArrayList<>();
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            int i = 0;
            for (String e : classpath.split(java.io.File.pathSeparator)) {
                Path from = Path.of(e);
                if (!Files.exists(from)) continue;
                Path to = cp.resolve((i++) + "-" + from.getFileName());
                copyTree(from, to);
                entries.add(to.toString());
            }
            makeWorldReadable(cp);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                    java, "--enable-native-access=ALL-UNNAMED", "-cp", String.join(":", entries),
                    "org.aiobench.cli.Main", "copy", base.resolve("src").toString(), dst.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(2, p.waitFor(), out);
            assertTrue(out.contains("cannot read " + secret + ": EACCES (Permission denied)"), out);
            assertFalse(Files.exists(dst), "nothing written");
        } finally {
            try (Stream<Path> w = Files.walk(base)) {
                for (Path x : w.sorted(Comparator.reverseOrder()).toList()) Files.delete(x);
            }
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void makeWorldReadable(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }
}
