package org.aiobench.plot;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The random-I/O part of the report, rendered from a real quick run (fixtures/randio): the three figures per block
 * size, fio's curves beside the engines', and the Java/fio ratio table, every number checked against the raw
 * samples read here independently.
 */
class RandomIoReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Path dir;
    static String md;

    @BeforeAll
    static void render(@TempDir Path tmp) throws Exception {
        dir = ReportFixtureTest.renderCopy(tmp, "randio", "randio");
        md = Files.readString(dir.resolve("report.md"));
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
        assertTrue(iops.contains("Groups `randread` and `fio` (dashed), IOPS (primary metric)"), iops);
        assertTrue(md.contains("- IOPS over I/Os in flight (randwrite): left out, group `randwrite` was not run"), md);
    }

    /** The IOPS figure's table: mean and n of each configuration's samples, and its ratio to fio's mean. */
    @Test
    void iopsTableIsTheRawSamples() throws Exception {
        String iops = section("### IOPS over I/Os in flight (randread), bs 4K");
        int rows = 0;
        for (String line : iops.lines().toList()) {
            if (!line.startsWith("| ") || line.startsWith("| inflight")) continue;
            List<String> c = ReportFixtureTest.cells(line);
            boolean fio = c.get(1).startsWith("fio ");
            String engine = fio ? c.get(1).substring(4) : c.get(1);
            double[] raw = iops(fio ? "fio" : "randread", engine, c.get(2), c.get(3));
            double unit = md.contains("| mean (k) |") ? 1e3 : 1;
            ReportFixtureTest.assertClose(mean(raw) / unit, c.get(4), line);
            assertEquals(raw.length, Integer.parseInt(c.get(6)), line);
            if (fio) {
                assertEquals("–", c.get(7), line);
            } else {
                ReportFixtureTest.assertClose(mean(raw) / mean(iops("fio", engine, c.get(2), c.get(3))), c.get(7), line);
            }
            rows++;
        }
        assertEquals(24, rows, "12 Java configurations and 12 fio runs");
    }

    @Test
    void ratioTablePairsEveryConfigurationWithFio() throws Exception {
        String t = section("## Java / fio IOPS, randread");
        int rows = 0;
        for (String line : t.lines().toList()) {
            if (!line.startsWith("| 4K")) continue;
            List<String> c = ReportFixtureTest.cells(line);
            double[] j = iops("randread", c.get(1), c.get(2), c.get(3)), f = iops("fio", c.get(1), c.get(2), c.get(3));
            double ratio = mean(j) / mean(f);
            assertEquals(String.format(java.util.Locale.ROOT, "%.3f", ratio), c.get(8), line);
            String verdict = c.get(10);
            if (c.get(1).equals("io_uring") || c.get(1).equals("libaio")) {
                assertTrue(List.of("yes", "no", "within the range").contains(verdict), line);
                // one sample each: the range is the ratio itself, so the verdict is settled
                assertEquals(ratio >= FioRatioTable.TARGET ? "yes" : "no", verdict, line);
            } else {
                assertEquals("–", verdict, line);
            }
            rows++;
        }
        assertEquals(12, rows);
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.contains("<h2>Java / fio IOPS, randread</h2>"));
    }

    private static String section(String heading) {
        int at = md.indexOf(heading);
        assertTrue(at >= 0, "no " + heading);
        int end = md.indexOf("\n#", at + heading.length());
        return md.substring(at, end < 0 ? md.length() : end);
    }

    private static final Map<String, JsonNode> GROUPS = new HashMap<>();

    private static double[] iops(String group, String engine, String iodepth, String numjobs) throws Exception {
        JsonNode g = GROUPS.get(group);
        if (g == null) GROUPS.put(group, g = JSON.readTree(dir.resolve("jmh/" + group + ".json").toFile()));
        for (JsonNode r : g) {
            JsonNode p = r.get("params");
            if (p.get("engine").asText().equals(engine) && p.get("iodepth").asText().equals(iodepth)
                    && p.get("numjobs").asText().equals(numjobs) && p.get("rw").asText().equals("randread")) {
                assertEquals("ops/s", r.at("/primaryMetric/scoreUnit").asText());
                List<Double> v = new ArrayList<>();
                for (JsonNode fork : r.at("/primaryMetric/rawData")) for (JsonNode x : fork) v.add(x.asDouble());
                return v.stream().mapToDouble(Double::doubleValue).toArray();
            }
        }
        throw new AssertionError("no " + group + " result for " + engine + " " + iodepth + " " + numjobs);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }


}
