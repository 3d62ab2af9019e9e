package org.aiobench.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input ends with exit status 2 and one line that names the file. */
class BadInputTest {
    @TempDir
    Path tmp;

    private String[] runMain(String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int rc = PlotMain.run(args);
            return new String[] {Integer.toString(rc), buf.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(err);
        }
    }

    private Path run(String env) throws Exception {
        Files.createDirectories(tmp.resolve("run/jmh"));
        Files.writeString(tmp.resolve("run/env.json"), env);
        return tmp.resolve("run");
    }

    private static void assertOneLineNaming(String[] out, Path file, String what) {
        assertEquals("2", out[0], out[1]);
        assertEquals(1, out[1].lines().count(), out[1]);
        assertTrue(out[1].startsWith("plot: " + file), out[1]);
        assertTrue(out[1].contains(what), out[1]);
    }

    @Test
    void malformedJmhJsonNamesTheFile() throws Exception {
        Path dir = run("{\"runId\": \"r\", \"kernel\": {\"release\": \"6.1\"}}");
        Path bad = dir.resolve("jmh/basic.json");
        Files.writeString(bad, "[{\"benchmark\": \"org.aiobench.benchmarks.BasicCopy.copy\", \"params\": {");
        assertOneLineNaming(runMain(dir.toString()), bad, "malformed JSON at line 1");
    }

    @Test
    void malformedEnvJsonNamesTheFile() throws Exception {
        Path dir = run("{\"runId\": ");
        assertOneLineNaming(runMain(dir.toString()), dir.resolve("env.json"), "malformed JSON");
    }

    @Test
    void jmhResultWithoutRawDataNamesTheFile() throws Exception {
        Path dir = run("{\"runId\": \"r\"}");
        Path bad = dir.resolve("jmh/qd.json");
        Files.writeString(bad, "[{\"benchmark\": \"b\", \"params\": {}, \"primaryMetric\": {\"scoreUnit\": \"s/op\"}}]");
        assertOneLineNaming(runMain(dir.toString()), bad, "no rawData");
    }

    @Test
    void aDirectoryThatIsNotARunIsRefused() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("not-a-run"));
        assertOneLineNaming(runMain(dir.toString()), dir.resolve("env.json"), "not a run directory");
        Path missing = tmp.resolve("nowhere");
        assertOneLineNaming(runMain(missing.toString()), missing, "no such directory");
    }

    @Test
    void noArgumentIsAUsageError() {
        assertEquals("2", runMain()[0]);
    }
}
