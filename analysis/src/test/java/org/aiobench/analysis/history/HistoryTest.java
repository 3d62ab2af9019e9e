package org.aiobench.analysis.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.aiobench.analysis.Console;
import org.aiobench.analysis.SyntheticRun;
import org.aiobench.analysis.run.KernelOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** history over synthetic runs of several kernels (invented numbers, known steps): order, steps, figures, CSV. */
class HistoryTest {
    @TempDir
    Path tmp;

    private static Console history(String... args) {
        return Console.capture(() -> HistoryMain.run(args));
    }

    @Test
    void kernelsInNaturalOrder() {
        List<String> releases = new ArrayList<>(List.of("6.10", "6.1.10", "6.1.9", "6.2", "6.2-rc3",
                "5.15.0-101-generic", "5.15.0-91-generic", "6.1", "custom"));
        releases.sort(KernelOrder.INSTANCE);
        assertEquals(List.of("5.15.0-91-generic", "5.15.0-101-generic", "6.1", "6.1.9", "6.1.10", "6.2-rc3", "6.2",
                "6.10", "custom"), releases);
    }

    /**
     * Three kernels, given out of order, the first measured twice (so the box is calibrated by identical runs); io_uring
     * 40% slower from 6.1.10 on.
     */
    private Path runs() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("results"));
        SyntheticRun.threeKernels(dir);
        return dir;
    }

    @Test
    void threeKernelsInOrderWithTheirStepMarked() throws Exception {
        Path dir = runs();
        Path out = tmp.resolve("out");
        Console o = history(dir.resolve("c").toString(), dir.resolve("a").toString(), dir.resolve("b").toString(),
                dir.resolve("a2").toString(), "--out", out.toString());
        assertEquals(0, o.status(), o.out() + o.err());
        assertTrue(o.out().contains("aiobench history: 4 runs of 3 kernels (6.1.9 to 6.10.2)"), o.out());
        assertTrue(o.out().matches("(?s).*\\n   1  6\\.1\\.9 .*\\n   2  6\\.1\\.9 .*\\n   3  6\\.1\\.10 .*\\n   4  "
                + "6\\.10\\.2 .*"), o.out());
        assertTrue(o.out().contains("The box's noise floor comes from identical runs (2 runs: a, a2)"), o.out());
        assertTrue(o.out().matches("(?s).*\n  basic io_uring  6\\.1\\.9 → 6\\.1\\.10  vs cp -r  \\* 1\\.\\d{3} "
                + "\\[1\\.\\d{3}, 1\\.\\d{3}\\] slower.*"), o.out());

        List<Map<String, String>> csv = readCsv(out.resolve(HistoryReport.CSV));
        assertEquals(4 * 3, csv.size(), "4 runs x (2 engines + cp -r)");
        assertEquals(List.of("6.1.9", "6.1.10", "6.10.2"), csv.stream().map(r -> r.get("kernel")).distinct().toList());
        Map<String, String> step = csv.stream().filter(r -> r.get("kernel").equals("6.1.10")
                && r.get("label").equals("basic io_uring")).findFirst().orElseThrow();
        assertEquals("slower", step.get("stepVsCpVerdict"), step.toString());
        assertEquals(1.40, Double.parseDouble(step.get("stepVsCp")), 0.03);
        Map<String, String> first = csv.stream().filter(r -> r.get("kernel").equals("6.1.9")).findFirst().orElseThrow();
        assertEquals("", first.get("stepVsCp"));
        // drawn: the configuration with the step, and cp -r; not sync
        String md = Files.readString(out.resolve(HistoryReport.MD));
        assertTrue(md.contains("### basic io_uring") && md.contains("### cp -r") && !md.contains("cp cp -r"), md);
        assertTrue(!md.contains("### basic sync"), md);
        assertTrue(Files.size(out.resolve("figures/history-001.png")) > 10_000);
        assertTrue(Files.readString(out.resolve(HistoryReport.HTML)).contains("data:image/png;base64,"));
        // --all draws every configuration
        Console all = history(dir.toString(), "--all", "--out", tmp.resolve("all").toString());
        assertTrue(all.out().contains("history: 3 trend figure(s)"), all.out());
    }

    /**
     * Five kernels, two runs each: io_uring 40% slower against cp -r from the fourth on is the newest change point, and
     * --fail-on-regression exits 1 on it; the same series getting faster exits 0.
     */
    @Test
    void failOnRegressionExitsOneWhenTheNewestChangeIsASlowdown() throws Exception {
        for (double after : new double[] {1.26, 0.64}) {
            Path dir = Files.createDirectories(tmp.resolve("series-" + after));
            String[] kernels = {"6.1.1", "6.1.2", "6.1.3", "6.1.4", "6.1.5"};
            for (int k = 0; k < kernels.length; k++) {
                for (int i = 0; i < 2; i++) {
                    new SyntheticRun().engine("sync", 1.0).engine("io_uring", k >= 3 ? after : 0.90)
                            .seed(100 * k + i).runEffect(0.01).kernel(kernels[k])
                            .createdAt("2026-11-0" + (k + 1) + "T1" + i + ":00:00Z").write(dir.resolve("r" + k + i));
                }
            }
            Console o = history(dir.toString(), "--fail-on-regression", "--out", tmp.resolve("out-" + after).toString());
            assertTrue(o.out().contains("change points: 1") || o.out().contains("change points: 2"), o.out());
            assertTrue(o.out().matches("(?s).*\n  basic io_uring  6\\.1\\.3 → 6\\.1\\.4  vs cp -r  .*"), o.out());
            if (after > 1) {
                assertEquals(1, o.status(), o.out());
                assertTrue(o.out().contains("history: exit status 1: the newest change point is a slowdown"), o.out());
            } else {
                assertEquals(0, o.status(), o.out());
            }
        }
    }

    @Test
    void aDirectoryOfRunsSkipsWhatIsNotARun() throws Exception {
        Path dir = runs();
        Files.createDirectories(dir.resolve("compare-a-vs-b"));
        Path empty = Files.createDirectories(dir.resolve("just-started"));
        Files.copy(dir.resolve("a/env.json"), empty.resolve("env.json"));
        Files.writeString(empty.resolve("progress.json"), "{\"state\": \"running\", \"rounds\": 9, \"roundsDone\": 0}");
        Console o = history(dir.toString());
        assertEquals(0, o.status(), o.out() + o.err());
        assertTrue(o.out().contains("4 runs of 3 kernels"), o.out());
        assertTrue(o.out().contains("history: left out " + empty + ": no samples yet"), o.out());
        assertTrue(Files.isRegularFile(dir.resolve("history-6.1.9-to-6.10.2/" + HistoryReport.CSV)));
    }

    @Test
    void badInputExitsTwo() throws Exception {
        Path dir = runs();
        Console one = history(dir.resolve("a").toString());
        assertEquals(2, one.status());
        assertTrue(one.err().startsWith("history: ") && one.err().contains("history needs two or more"), one.err());
        Path nothing = Files.createDirectories(tmp.resolve("nothing"));
        Console none = history(nothing.toString());
        assertEquals(2, none.status());
        assertEquals(1, none.err().lines().count(), none.err());
        assertTrue(none.err().contains("neither a run directory nor a directory of runs"), none.err());
    }

    private static List<Map<String, String>> readCsv(Path f) throws Exception {
        CsvMapper m = new CsvMapper();
        try (MappingIterator<Map<String, String>> it = m.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(f.toFile())) {
            return it.readAll();
        }
    }
}
