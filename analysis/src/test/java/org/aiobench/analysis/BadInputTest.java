package org.aiobench.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.aiobench.analysis.report.PlotMain;
import org.aiobench.analysis.report.PlotOutputs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input ends with exit status 2 and one line that names the file; nothing of the user's is deleted or
 * overwritten (issue 10: plot on any directory with an env.json deleted every PNG and SVG under figures/).
 */
class BadInputTest {
    private static final String ENV = "{\"runId\": \"r\", \"kernel\": {\"release\": \"6.1\"}, "
            + "\"aiobench\": {\"version\": \"0.1.0-SNAPSHOT\"}}";

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
        Path dir = run(ENV);
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
        Path dir = run(ENV);
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
        // a file of a run, given instead of the run (issue 23: it was called "no such directory")
        Path file = Files.writeString(dir.resolve("samples.jsonl"), "");
        assertOneLineNaming(runMain(file.toString()), file, "not a directory (give the run directory");
    }

    @Test
    void noArgumentIsAUsageError() {
        assertEquals("2", runMain()[0]);
    }

    // ---- issue 10: nothing of the user's deleted or overwritten ----

    /** Every file under dir with its content, to compare before and after. */
    private static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                m.put(dir.relativize(p).toString(), Base64.getEncoder().encodeToString(Files.readAllBytes(p)));
            }
        }
        return m;
    }

    private Path userFiles(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("figures"));
        Files.writeString(dir.resolve("figures/holiday.png"), "a user's picture");
        Files.writeString(dir.resolve("figures/plan.svg"), "<svg>a user's drawing</svg>");
        Files.writeString(dir.resolve("report.html"), "<p>a user's report</p>");
        Files.writeString(dir.resolve("report.md"), "a user's notes");
        return dir;
    }

    private Path copyOf(String fixture, String as) throws IOException {
        return Fixtures.copy(fixture, tmp.resolve(as));
    }

    @Test
    void anEnvJsonAloneIsNotARunAndNothingIsTouched() throws Exception {
        Path dir = userFiles(Files.createDirectories(tmp.resolve("mine")));
        Files.writeString(dir.resolve("env.json"), "{}");
        Map<String, String> before = snapshot(dir);
        assertOneLineNaming(runMain(dir.toString()), dir.resolve("env.json"), "not an aiobench run directory");
        assertEquals(before, snapshot(dir), "nothing deleted, overwritten or added");
        // named as aiobench's, but without a single file of a run
        Files.writeString(dir.resolve("env.json"), ENV);
        before = snapshot(dir);
        assertOneLineNaming(runMain(dir.toString()), dir, "not an aiobench run directory");
        assertEquals(before, snapshot(dir));
    }

    @Test
    void aFileInTheWayThatPlotDidNotWriteIsRefused() throws Exception {
        Path dir = userFiles(copyOf("complete", "run-with-user-files"));
        Map<String, String> before = snapshot(dir);
        assertOneLineNaming(runMain(dir.toString()), dir.resolve("report.md"), "plot did not write it");
        assertEquals(before, snapshot(dir), "nothing written before the refusal");
        // a user's picture under the name of a figure plot would draw
        Files.delete(dir.resolve("report.md"));
        Files.delete(dir.resolve("report.html"));
        Files.writeString(dir.resolve("figures/basic-1M-buffered-warm.png"), "the user's own");
        before = snapshot(dir);
        assertOneLineNaming(runMain(dir.toString()), dir.resolve("figures/basic-1M-buffered-warm.png"),
                "plot did not write it");
        assertEquals(before, snapshot(dir));
    }

    @Test
    void aReportEditedSinceItWasWrittenIsNotOverwritten() throws Exception {
        Path dir = copyOf("incomplete", "edited");
        assertEquals("0", runMain(dir.toString())[0]);
        Files.writeString(dir.resolve("report.md"), "my annotations", StandardOpenOption.APPEND);
        Map<String, String> before = snapshot(dir);
        assertOneLineNaming(runMain(dir.toString()), dir.resolve("report.md"), "changed since plot wrote it");
        assertEquals(before, snapshot(dir));
    }

    /** Rendering again deletes the figures it drew before and no longer draws, and nothing else. */
    @Test
    void onlyItsOwnStaleFiguresAreDeleted() throws Exception {
        Path dir = copyOf("complete", "stale");
        assertEquals("0", runMain(dir.toString())[0]);
        assertTrue(Files.exists(dir.resolve("figures/qd-buffered-warm.png")));
        Files.writeString(dir.resolve("figures/holiday.png"), "a user's picture");
        Files.writeString(dir.resolve("figures/memory-buffered.png"), "changed by the user");
        Files.delete(dir.resolve("jmh/qd.json"));
        Files.delete(dir.resolve("jmh/memory.json"));
        assertEquals("0", runMain(dir.toString())[0]);
        try (Stream<Path> files = Files.list(dir.resolve("figures"))) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertTrue(names.stream().noneMatch(n -> n.startsWith("qd-")), "stale qd figures are deleted: " + names);
            assertTrue(names.contains("holiday.png"), "a user's file stays");
            assertTrue(names.contains("memory-buffered.png"), "a figure changed since it was written stays");
            assertFalse(names.contains("memory-buffered.svg"), "its unchanged SVG is plot's own and goes");
        }
        String record = Files.readString(dir.resolve(PlotOutputs.RECORD));
        assertFalse(record.contains("qd-buffered-warm"), record);
        assertTrue(record.contains("figures/basic-1M-buffered-warm.png"), record);
    }

    @Test
    void figuresAsAFileIsRefused() throws Exception {
        Path dir = copyOf("incomplete", "figures-file");
        Files.writeString(dir.resolve("figures"), "not a directory");
        assertOneLineNaming(runMain(dir.toString()), dir.resolve("figures"), "is not a directory");
        assertFalse(Files.exists(dir.resolve("report.md")));
    }

    @Test
    void aMalformedSamplesLineNamesTheFileAndLine() throws Exception {
        Path dir = copyOf("rounds", "bad-samples");
        Path samples = dir.resolve("samples.jsonl");
        List<String> lines = new ArrayList<>(Files.readAllLines(samples));
        lines.set(1, lines.get(1).substring(0, 40));
        Files.write(samples, lines);
        assertOneLineNaming(runMain(dir.toString()), samples, "line 2: malformed JSON");
        assertFalse(Files.exists(dir.resolve("report.md")));
    }

    /** A run killed while writing a sample leaves half a last line: it is left out, and the report says so. */
    @Test
    void aLastLineCutShortIsLeftOutAndSaid() throws Exception {
        Path dir = copyOf("rounds", "cut-short");
        Path samples = dir.resolve("samples.jsonl");
        String text = Files.readString(samples);
        Files.writeString(samples, text + text.lines().findFirst().orElseThrow().substring(0, 60));
        assertEquals("0", runMain(dir.toString())[0]);
        assertTrue(Files.readString(dir.resolve("report.md")).contains("samples.jsonl: the last line was cut short"));
    }
}
