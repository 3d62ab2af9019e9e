package org.aiobench.analysis.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.aiobench.analysis.Fixtures;
import org.aiobench.analysis.figures.ChartRenderer;
import org.aiobench.analysis.figures.FioRatioTable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The random-I/O part of the report, rendered from a real quick run in rounds (fixtures/randio): the three figures
 * per block size, fio's curves beside the engines', and the Java/fio ratio table, every number checked against the
 * samples of samples.jsonl read here independently (the Java/fio ratio: the geometric mean of the per-round ratios).
 */
class RandomIoReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PAIRED = Pattern.compile("^([0-9.]+) \\[([0-9.]+), ([0-9.]+)\\] ([a-z]+)"
            + "( \\(exploratory: \\d+ rounds\\)|: .+)?$");

    static Path dir;
    static String md;
    /** group/engine/iodepth/numjobs -> round -> IOPS (the A/A control's second label left out). */
    static final Map<String, Map<Integer, Double>> IOPS = new TreeMap<>();
    /** The same keys -> round -> CPU time per I/O (this fixture predates jobCpuPerIoUs: the table reads cpuPerIoUs). */
    static final Map<String, Map<Integer, Double>> CPU = new TreeMap<>();

    @BeforeAll
    static void render(@TempDir Path tmp) throws Exception {
        dir = Fixtures.copy("randio", tmp.resolve("randio"));
        PlotMain.render(dir);
        md = Files.readString(dir.resolve("report.md"));
        for (String line : Files.readAllLines(dir.resolve("samples.jsonl"))) {
            JsonNode s = JSON.readTree(line);
            if (s.has("aa")) continue;
            assertEquals("ops/s", s.get("unit").asText(), line);
            JsonNode p = s.get("params");
            String key = key(s.get("group").asText(), p.get("engine").asText(), p.get("iodepth").asText(),
                    p.get("numjobs").asText());
            IOPS.computeIfAbsent(key, k -> new TreeMap<>()).put(s.get("round").asInt(), s.get("value").asDouble());
            if (s.path("metrics").has("cpuPerIoUs")) {
                CPU.computeIfAbsent(key, k -> new TreeMap<>()).put(s.get("round").asInt(),
                        s.get("metrics").get("cpuPerIoUs").asDouble());
            }
        }
    }

    @Test
    void threeFiguresPerBlockSizeWithFioBeside() throws Exception {
        for (String kind : List.of("iops", "p99", "cpu")) {
            String id = "randio-randread-" + kind + "-bs-4K";
            assertTrue(md.contains("(figures/" + id + ".png)"), id + " missing from report.md");
            BufferedImage img = ImageIO.read(dir.resolve("figures/" + id + ".png").toFile());
            assertNotNull(img, id);
            assertEquals(ChartRenderer.WIDTH, img.getWidth());
            assertTrue(Files.readString(dir.resolve("figures/" + id + ".svg")).contains("<svg"));
        }
        // every engine and fio's run of it is a series of the IOPS figure
        String iops = section("### IOPS over I/Os in flight (randread), bs 4K");
        for (String e : List.of("sync", "posixaio", "libaio", "io_uring")) {
            assertTrue(iops.contains("| " + e + " |"), e);
            assertTrue(iops.contains("| fio " + e + " |"), "fio " + e);
        }
        assertTrue(iops.contains("Group `randread` and `fio` (dashed), IOPS (primary metric)"), iops);
        assertTrue(md.contains("- IOPS over I/Os in flight (randwrite): left out, group `randwrite` was not run"), md);
        // the random-I/O section tables its groups: they are not repeated among the groups no figure shows
        assertFalse(md.contains("### Group fio") || md.contains("### Group randread"), md);
        assertTrue(Files.readString(dir.resolve("report.html")).contains("Java / fio IOPS, randread"));
    }

    /** The IOPS figure's table: mean and n of each configuration's samples, and its ratio to fio, paired by round. */
    @Test
    void iopsTableIsTheSamples() {
        String iops = section("### IOPS over I/Os in flight (randread), bs 4K");
        int rows = 0;
        for (String line : iops.lines().toList()) {
            if (!line.startsWith("| ") || line.startsWith("| inflight")) continue;
            List<String> c = ReportFixtureTest.cells(line);
            boolean fio = c.get(1).startsWith("fio ");
            String engine = fio ? c.get(1).substring(4) : c.get(1);
            Map<Integer, Double> own = rounds(fio ? "fio" : "randread", engine, c.get(2), c.get(3));
            double unit = iops.contains("| mean (k) |") ? 1e3 : 1;
            ReportFixtureTest.assertClose(mean(own) / unit, c.get(4), line);
            assertEquals(own.size(), Integer.parseInt(c.get(6)), line);
            if (fio) assertEquals("–", c.get(7), line);
            else checkPaired(own, rounds("fio", engine, c.get(2), c.get(3)), c.get(7), line);
            rows++;
        }
        assertEquals(16, rows, "8 Java configurations and fio's 8 runs of them");
    }

    @Test
    void ratioTablePairsEveryConfigurationWithFio() {
        String t = section("### Java / fio IOPS, randread");
        int rows = 0;
        for (String line : t.lines().toList()) {
            if (!line.startsWith("| 4K")) continue;
            List<String> c = ReportFixtureTest.cells(line);
            Map<Integer, Double> j = rounds("randread", c.get(1), c.get(2), c.get(3));
            Map<Integer, Double> f = rounds("fio", c.get(1), c.get(2), c.get(3));
            ReportFixtureTest.assertClose(mean(j), c.get(4), line);
            ReportFixtureTest.assertClose(mean(f), c.get(5), line);
            assertEquals(j.size(), Integer.parseInt(c.get(6)), line);
            double[] interval = checkPaired(j, f, c.get(7), line);
            String reaches = c.get(8);
            if (c.get(1).equals("io_uring") || c.get(1).equals("libaio")) {
                String expected = interval[0] >= FioRatioTable.TARGET ? "yes"
                        : interval[1] < FioRatioTable.TARGET ? "no" : "undecided";
                boolean edge = Math.abs(interval[0] - FioRatioTable.TARGET) < 1e-3
                        || Math.abs(interval[1] - FioRatioTable.TARGET) < 1e-3;
                if (!edge) assertEquals(expected, reaches, line);
            } else {
                assertEquals("–", reaches, line);
            }
            rows++;
        }
        assertEquals(8, rows);
    }

    /**
     * The CPU table: Java / fio CPU time per I/O paired by round, and the verdict against 1/0.97 (at most that much
     * of fio's CPU per I/O) for io_uring and libaio.
     */
    @Test
    void cpuTablePairsEveryConfigurationWithFio() {
        String t = section("### Java / fio CPU time per I/O, randread");
        int rows = 0;
        for (String line : t.lines().toList()) {
            if (!line.startsWith("| 4K")) continue;
            List<String> c = ReportFixtureTest.cells(line);
            Map<Integer, Double> j = CPU.get(key("randread", c.get(1), c.get(2), c.get(3)));
            Map<Integer, Double> f = CPU.get(key("fio", c.get(1), c.get(2), c.get(3)));
            ReportFixtureTest.assertClose(mean(j), c.get(4), line);
            ReportFixtureTest.assertClose(mean(f), c.get(6), line);
            double[] interval = checkPaired(j, f, c.get(9), line);
            if (c.get(1).equals("io_uring") || c.get(1).equals("libaio")) {
                String expected = interval[1] <= FioRatioTable.CPU_TARGET ? "yes"
                        : interval[0] > FioRatioTable.CPU_TARGET ? "no" : "undecided";
                boolean edge = Math.abs(interval[0] - FioRatioTable.CPU_TARGET) < 1e-3
                        || Math.abs(interval[1] - FioRatioTable.CPU_TARGET) < 1e-3;
                if (!edge) assertEquals(expected, c.get(10), line);
            }
            rows++;
        }
        assertEquals(8, rows);
        assertTrue(t.contains("RUSAGE_THREAD"), t);
    }

    /** A "ratio [low, high] verdict" cell: the ratio is the geometric mean of the per-round ratios. */
    private static double[] checkPaired(Map<Integer, Double> x, Map<Integer, Double> y, String cell, String line) {
        Matcher m = PAIRED.matcher(cell);
        assertTrue(m.matches(), "a run in rounds shows 'ratio [low, high] verdict': " + cell + " in " + line);
        double logSum = 0;
        int n = 0;
        for (var e : x.entrySet()) {
            if (!y.containsKey(e.getKey())) continue;
            logSum += Math.log(e.getValue() / y.get(e.getKey()));
            n++;
        }
        double shown = Double.parseDouble(m.group(1)), low = Double.parseDouble(m.group(2));
        double high = Double.parseDouble(m.group(3));
        assertEquals(Math.exp(logSum / n), shown, 5e-4 + 1e-9, "geometric mean of the per-round ratios: " + line);
        assertTrue(low <= shown + 1e-3 && shown <= high + 1e-3, "the interval holds the ratio: " + line);
        return new double[] {low, high};
    }

    private static String key(String group, String engine, String iodepth, String numjobs) {
        return group + "/" + engine + "/" + iodepth + "/" + numjobs;
    }

    private static Map<Integer, Double> rounds(String group, String engine, String iodepth, String numjobs) {
        Map<Integer, Double> r = IOPS.get(key(group, engine, iodepth, numjobs));
        assertNotNull(r, "no samples of " + key(group, engine, iodepth, numjobs));
        return r;
    }

    private static String section(String heading) {
        int at = md.indexOf(heading);
        assertTrue(at >= 0, "no " + heading);
        int end = md.indexOf("\n#", at + heading.length());
        return md.substring(at, end < 0 ? md.length() : end);
    }

    private static double mean(Map<Integer, Double> v) {
        return v.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }
}
