package org.aiobench.analysis.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.aiobench.analysis.Fixtures;
import org.aiobench.analysis.figures.ChartRenderer;
import org.aiobench.analysis.figures.DriftChart;
import org.aiobench.analysis.run.Result;
import org.aiobench.vocabulary.Vocabulary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders the checked-in run directories and checks the output against the raw samples, read and reduced here
 * independently of the analysis module's own code. Data-driven: a real run dropped into fixtures/complete/ needs no
 * change here.
 */
class ReportFixtureTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FIGURE_REF = Pattern.compile("\\(figures/([^)]+)\\.png\\)");

    @TempDir
    static Path tmp;

    /** Each fixture is rendered once for the tests that only read the output. */
    private static final Map<String, Path> RENDERED = new HashMap<>();

    private static synchronized Path render(String fixture) throws Exception {
        Path dir = RENDERED.get(fixture);
        if (dir == null) RENDERED.put(fixture, dir = renderCopy(fixture, fixture));
        return dir;
    }

    private static Path renderCopy(String fixture, String as) throws Exception {
        Path dir = Fixtures.copy(fixture, tmp.resolve(as));
        PlotMain.render(dir);
        return dir;
    }

    @ParameterizedTest
    @ValueSource(strings = {"complete", "handmade", "incomplete", "rounds"})
    void everyFigureIsANonBlankPngAndAnSvgOfTheExpectedSize(String fixture) throws Exception {
        Path dir = render(fixture);
        String md = Files.readString(dir.resolve("report.md"));
        List<String> ids = figureIds(md);
        assertFalse(ids.isEmpty(), "the report shows no figure");
        for (String id : ids) {
            BufferedImage img = ImageIO.read(dir.resolve("figures/" + id + ".png").toFile());
            assertNotNull(img, id + ".png is not a readable PNG");
            boolean drift = id.equals(DriftChart.ID);
            assertEquals(drift ? DriftChart.WIDTH : ChartRenderer.WIDTH, img.getWidth(), id);
            assertEquals(drift ? DriftChart.HEIGHT : ChartRenderer.HEIGHT, img.getHeight(), id);
            Set<Integer> colors = new HashSet<>();
            long ink = 0;
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    int rgb = img.getRGB(x, y) & 0xffffff;
                    colors.add(rgb);
                    if (rgb != 0xffffff) ink++;
                }
            }
            assertTrue(colors.size() > 20, id + ".png has only " + colors.size() + " colours");
            assertTrue(ink > img.getWidth() * img.getHeight() / 50, id + ".png is nearly blank");
            // text in the footer strip: the run id and kernel are drawn, so fonts work headless
            int footer = drift ? DriftChart.CHART_HEIGHT : ChartRenderer.CHART_HEIGHT;
            assertTrue(inkIn(img, footer + 2, img.getHeight()) > 2000, id + ": empty footer");
            String svg = Files.readString(dir.resolve("figures/" + id + ".svg"));
            assertTrue(svg.contains("<svg") && svg.trim().endsWith("</svg>"), id + ".svg is not an SVG document");
        }
        try (Stream<Path> files = Files.list(dir.resolve("figures"))) {
            assertEquals(ids.size() * 2L, files.count(), "figures/ holds exactly the report's figures, PNG and SVG");
        }
        String html = Files.readString(dir.resolve("report.html"));
        for (String id : ids) {
            if (!id.equals(DriftChart.ID)) assertTrue(html.contains("id=\"" + id + "\""), id + " missing from report.html");
        }
        assertEquals(dir.getFileName().toString().equals("rounds"), ids.contains(DriftChart.ID),
                "a drift figure exactly for a run in rounds");
        assertEquals(ids.size(), count(html, "src=\"data:image/png;base64,"), "every figure embedded in the HTML");
        assertFalse(Pattern.compile("(src|href)=\"(https?:)?//").matcher(html).find(), "the HTML needs no network");
    }

    private static long inkIn(BufferedImage img, int y0, int y1) {
        long ink = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = 0; x < img.getWidth(); x++) if ((img.getRGB(x, y) & 0xffffff) != 0xffffff) ink++;
        }
        return ink;
    }

    /** The figures the study expects from the data, computed from the fixture's JSON alone. */
    @ParameterizedTest
    @ValueSource(strings = {"complete", "handmade", "incomplete", "rounds"})
    void everyExpectedFigureIsThere(String fixture) throws Exception {
        Path dir = render(fixture);
        Set<String> ids = new TreeSet<>(figureIds(Files.readString(dir.resolve("report.md"))));
        Set<String> expected = new TreeSet<>();
        if (Files.exists(dir.resolve("samples.jsonl"))) expected.add(DriftChart.ID);
        for (JsonNode r : results(dir, "basic")) {
            expected.add("basic-" + p(r, "fileSize") + "-" + dio(r) + "-" + p(r, "cache"));
        }
        // warm versus cold: where both were measured in single mode
        Map<String, Set<String>> caches = new LinkedHashMap<>();
        for (JsonNode r : results(dir, "basic")) {
            if (p(r, "mode").equals("single")) {
                caches.computeIfAbsent("cache-" + p(r, "fileSize") + "-" + dio(r), k -> new HashSet<>()).add(p(r, "cache"));
            }
        }
        caches.forEach((id, c) -> { if (c.size() > 1) expected.add(id); });
        results(dir, "fallocate").forEach(r -> expected.add("fallocate-" + dio(r) + "-" + p(r, "cache")));
        results(dir, "regbuf").forEach(r -> expected.add("regbuf-" + p(r, "cache")));
        results(dir, "qd").forEach(r -> expected.add("qd-" + dio(r) + "-" + p(r, "cache")));
        results(dir, "memory").forEach(r -> expected.add("memory-" + dio(r)));
        results(dir, "ringflags").forEach(r -> expected.add("ringflags-" + p(r, "cache")));
        // random I/O: IOPS, p99 latency and CPU per I/O over the depth, per block size
        for (String rw : List.of("randread", "randwrite")) {
            for (JsonNode r : results(dir, rw)) {
                for (String fig : List.of("iops", "p99", "cpu")) expected.add("randio-" + rw + "-" + fig + "-bs-" + p(r, "bs"));
            }
        }
        assertEquals(expected, ids);
    }

    /** The baseline columns' headers and the parameter value each stands for. */
    private static final Map<String, List<String>> BASELINES = Map.of("vs mode single", List.of("mode", "single"),
            "vs fallocate off", List.of("fallocate", "false"), "vs plain buffers", List.of("regbuf", "false"),
            "vs warm cache", List.of("cache", "warm"), "vs ringFlags none", List.of("ringFlags", "none"));
    private static final Pattern PAIRED = Pattern.compile("^([0-9.]+) \\[([0-9.]+), ([0-9.]+)\\] (faster|slower|same"
            + "|unknown|less|more)( \\(exploratory: (\\d+) rounds\\)|: .+)?$");
    private static final Pattern MEANS = Pattern.compile("^([0-9.]+) \\(means; not measured in rounds\\)$");

    /**
     * Every number in every table equals the statistics of the raw samples of the configuration it names, and every
     * comparison cell is the ratio of the two configurations it names: of their means for a run before rounds, else
     * the geometric mean of the per-round ratios of medians, inside its interval, with the verdict the interval gives.
     */
    @ParameterizedTest
    @ValueSource(strings = {"complete", "handmade", "incomplete", "rounds"})
    void tableNumbersAreTheRawSamplesStatistics(String fixture) throws Exception {
        Path dir = render(fixture);
        List<String> lines = Files.readAllLines(dir.resolve("report.md"));
        Map<String, Set<String>> covered = new LinkedHashMap<>();
        int rows = 0, comparisons = 0;
        String group = null, metric = null;
        Map<String, String> fixed = null;
        List<String> header = null;
        int m = 0; // the index of the mean column
        for (String line : lines) {
            if (line.startsWith("### ") || line.startsWith("## ")) {
                group = null;
                header = null;
            }
            Matcher g = Pattern.compile("Group `([^`]+)`, (copy time \\(primary metric\\)|`([^`]+)` \\(secondary)")
                    .matcher(line);
            if (g.find()) {
                group = g.group(1);
                metric = g.group(3) == null ? "time" : g.group(3);
                fixed = new LinkedHashMap<>();
                Matcher kv = Pattern.compile("`([A-Za-z]+)=([^`]*)`").matcher(line);
                while (kv.find()) fixed.put(kv.group(1), kv.group(2));
                continue;
            }
            if (group == null || !line.startsWith("| ")) continue;
            List<String> cells = cells(line);
            if (header == null) {
                header = cells;
                // parameter columns, then the numbers
                m = 0;
                while (!header.get(m).startsWith("mean")) m++;
                assertTrue(m >= 2, line);
                assertEquals("n", header.get(m + 2), line);
                assertTrue(header.contains("vs " + Vocabulary.CP_LABEL), line);
                continue;
            }
            Map<String, String> params = rowParams(fixed, header, cells, m);
            boolean isCp = "cp".equals(params.get("engine"));
            JsonNode r = isCp ? cpFor(dir, params, metric) : only(dir, group, params);
            assertNotNull(r, "no measured configuration for table row " + line + " " + params);
            double unit = unit(header.get(m));
            double[] raw = raw(r, metric);
            double mean = mean(raw), sd = sd(raw);
            assertEquals(raw.length, Integer.parseInt(cells.get(m + 2)), "n of " + line);
            assertClose(mean / unit, cells.get(m), "mean of " + line);
            if (raw.length < 2) assertEquals("n/a", cells.get(m + 1), line);
            else assertClose(sd / unit, cells.get(m + 1), "SD of " + line);
            int mb = header.indexOf("MB/s");
            // MB/s is the bytes of a copy over the mean time beside it, not the mean of per-copy rates
            if (mb >= 0 && !cells.get(mb).equals("–")) {
                assertClose(bytesPerCopy(r) / 1e6 / mean(raw(r, "time")), cells.get(mb), "MB/s of " + line);
            }

            String vsCp = cells.get(header.indexOf("vs " + Vocabulary.CP_LABEL));
            JsonNode cp = isCp ? null : cpFor(dir, withParams(params, r), metric);
            if (cp == null) assertEquals("–", vsCp, "no cp -r to compare with: " + line);
            else {
                // the ratios to cp -r use cp's time less its start cost where it was measured (spawnSec)
                String cpMetric = metric.equals("time") && cp.path("rounds").has(Result.TIME_LESS_START)
                        ? Result.TIME_LESS_START : metric;
                comparisons += checkComparison(r, cp, metric, cpMetric, vsCp, line);
            }

            String baselineHeader = header.get(header.size() - 1);
            if (BASELINES.containsKey(baselineHeader)) {
                List<String> b = BASELINES.get(baselineHeader);
                String cell = cells.get(cells.size() - 1);
                Map<String, String> at = withParams(params, r);
                if (isCp && cell.equals("–")) {
                    // the cp -r reference line of a figure is no bar of it: nothing to compare with
                } else if (b.get(1).equals(at.get(b.get(0))) && !line.contains(" + ")) {
                    assertEquals("baseline", cell, line);
                } else if (!cell.equals("–")) {
                    at.put(b.get(0), b.get(1));
                    // a " + regfiles=true" variant is compared with the plain value
                    if (at.containsKey("regfiles")) at.put("regfiles", "false");
                    JsonNode base = isCp ? cpFor(dir, at, metric) : only(dir, group, at);
                    assertNotNull(base, "no baseline for " + line);
                    comparisons += checkComparison(r, base, metric, metric, cell, line);
                }
            }
            if (!isCp) covered.computeIfAbsent(group, k -> new HashSet<>()).add(r.get("params").toString());
            rows++;
        }
        assertTrue(rows > 0, "no table rows found");
        assertTrue(comparisons > 0, "no comparison checked");
        // nothing measured is missing from the tables (the cache figure repeats basic's single-mode rows)
        for (String grp : List.of("basic", "fallocate", "regbuf", "qd", "memory", "ringflags")) {
            for (JsonNode r : results(dir, grp)) {
                assertTrue(covered.getOrDefault(grp, Set.of()).contains(r.get("params").toString()),
                        grp + " result missing from the tables: " + r.get("params"));
            }
        }
    }

    private static Map<String, String> rowParams(Map<String, String> fixed, List<String> header, List<String> cells,
                                                 int m) {
        Map<String, String> params = new LinkedHashMap<>(fixed);
        for (int i = 0; i < m; i++) {
            if (cells.get(i).equals("–")) continue;
            // "none + regfiles=true": a variant of the value, with its parameter spelled out
            String[] parts = cells.get(i).split(" \\+ ");
            params.put(header.get(i), parts[0]);
            for (int j = 1; j < parts.length; j++) params.put(parts[j].split("=")[0], parts[j].split("=", 2)[1]);
        }
        return params;
    }

    /** One comparison cell, recomputed from the two configurations' samples; returns 1. */
    private static int checkComparison(JsonNode x, JsonNode y, String metric, String yMetric, String cell,
                                       String line) {
        if (!x.has("rounds")) {
            Matcher mm = MEANS.matcher(cell);
            assertTrue(mm.matches(), "a run before rounds shows the ratio of means: " + cell + " in " + line);
            assertEquals(mean(raw(x, metric)) / mean(raw(y, metric)), Double.parseDouble(mm.group(1)),
                    digits(Double.parseDouble(mm.group(1))), line);
            return 1;
        }
        if (cell.endsWith(" unknown: one round: no interval")) return 1; // one paired round: nothing to judge
        Matcher pm = PAIRED.matcher(cell);
        assertTrue(pm.matches(), "a run in rounds shows 'ratio [low, high] verdict': " + cell + " in " + line);
        JsonNode rx = x.get("rounds").get(metric), ry = y.get("rounds").get(yMetric);
        double logSum = 0;
        int n = 0;
        for (var e : rx.properties()) {
            if (!ry.has(e.getKey())) continue;
            logSum += Math.log(median(e.getValue()) / median(ry.get(e.getKey())));
            n++;
        }
        double ratio = Math.exp(logSum / n), shown = Double.parseDouble(pm.group(1));
        double low = Double.parseDouble(pm.group(2)), high = Double.parseDouble(pm.group(3));
        assertEquals(ratio, shown, digits(shown), "geometric mean of the per-round ratios: " + line);
        assertTrue(low <= shown + 1e-3 && shown <= high + 1e-3, "the interval holds the ratio: " + line);
        boolean lowerBetter = !metric.equals("mbPerSec");
        // decided by the interval, never the point: beyond ±3% slower or faster, within it same, else unknown
        String verdict = low >= 0.97 && high <= 1.03 ? "same"
                : low > 1.03 || high < 0.97 ? ((high < 1) == lowerBetter ? "faster" : "slower") : "unknown";
        String word = pm.group(4).replace("less", "faster").replace("more", "slower");
        if (!word.equals("unknown") && n < 6) {
            assertEquals(" (exploratory: " + n + " rounds)", pm.group(5), "fewer than 6 rounds: exploratory: " + line);
        }
        if (word.equals("unknown")) assertTrue(pm.group(5) != null && pm.group(5).startsWith(": "),
                "an unknown verdict says what would decide it: " + line);
        // at the rounding edges (a bound shown as 0.970) the shown digits cannot decide; elsewhere they must agree
        boolean edge = Math.abs(low - 0.97) < 1e-3 || Math.abs(high - 1.03) < 1e-3 || Math.abs(low - 1.03) < 1e-3
                || Math.abs(high - 0.97) < 1e-3;
        if (!edge) assertEquals(verdict, word, "the verdict the interval gives: " + line);
        return 1;
    }

    /** Half the last shown digit of a ratio: three decimals, one from 10 on. */
    private static double digits(double shown) {
        return (shown >= 10 ? 0.05 : 5e-4) + 1e-9;
    }

    /** A copy's bytes: the tree's size from the params, else a sample's rate times its time. */
    private static double bytesPerCopy(JsonNode r) {
        JsonNode p = r.path("params");
        if (p.has("fileSize") && p.has("files")) {
            return Vocabulary.bytes(p.get("fileSize").asText()) * Double.parseDouble(p.get("files").asText());
        }
        double[] rate = raw(r, "mbPerSec"), time = raw(r, "time");
        return rate[0] * 1e6 * time[0];
    }

    private static double median(JsonNode values) {
        double[] v = new double[values.size()];
        for (int i = 0; i < v.length; i++) v[i] = values.get(i).asDouble();
        java.util.Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    @Test
    void incompleteRunSaysWhatIsLeftOutAndDrawsNothingInvented() throws Exception {
        Path dir = render("incomplete");
        String md = Files.readString(dir.resolve("report.md"));
        for (String line : List.of(
                "- 4.4 Copy time over queue depth: left out, group `qd` was not run (no jmh/qd.json).",
                "- 4.5 Peak memory (RSS growth during the copy) per engine and file size: left out, group `memory`"
                        + " was not run (no jmh/memory.json).",
                "- 4.3.2 io_uring registered buffers off/on: left out, group `regbuf` was not run (no jmh/regbuf.json).",
                "- 4.2.1 Copy time by mode, 32K files: left out, not in this run.",
                "- 4.2.3 Copy time by mode, 100M files: left out, not in this run.",
                "- 4.3.1 fallocate off/on per engine, buffered: left out, not in this run.",
                "- libaio: skipped: io_setup: ENOSYS, kernel built without CONFIG_AIO.",
                "- posixaio: not in this run.",
                "- sync, mode batch: skipped: batch mode needs an asynchronous engine.")) {
            assertTrue(md.contains(line + "\n"), "report.md lacks: " + line);
        }
        assertTrue(md.contains("- io_uring ring flags on the copy: left out, group `ringflags` produced no results"
                + " (skipped: io_uring_setup: EPERM"), md);
        assertTrue(md.contains("- Warm versus cold cache (single mode): left out, the run measured only warm cache"),
                md);
        assertFalse(md.contains("| batch | sync |"), "a skipped bar has a table row");
        try (Stream<Path> files = Files.list(dir.resolve("figures"))) {
            assertTrue(files.map(f -> f.getFileName().toString())
                    .noneMatch(n -> n.matches("(qd|memory|regbuf|ringflags|cache)-.*")), "a figure without data");
        }
        // skipped combinations with their reasons
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.contains(">Skipped configurations</h2>"));
        assertTrue(html.contains("io_setup: ENOSYS, kernel built without CONFIG_AIO"));
    }

    @Test
    void renderingAgainRebuildsTheSameFiles() throws Exception {
        Path dir = renderCopy("complete", "complete-again");
        byte[] md = Files.readAllBytes(dir.resolve("report.md"));
        byte[] html = Files.readAllBytes(dir.resolve("report.html"));
        Path first = dir.resolve("figures/" + figureIds(new String(md, StandardCharsets.UTF_8)).get(0) + ".png");
        byte[] png = Files.readAllBytes(first);
        PlotMain.render(dir);
        assertArrayEquals(md, Files.readAllBytes(dir.resolve("report.md")));
        assertArrayEquals(html, Files.readAllBytes(dir.resolve("report.html")));
        assertArrayEquals(png, Files.readAllBytes(first));
    }

    // ---- reading the fixture independently ----

    private static List<String> figureIds(String md) {
        List<String> ids = new ArrayList<>();
        Matcher m = FIGURE_REF.matcher(md);
        while (m.find()) ids.add(m.group(1));
        return ids;
    }

    /**
     * A group's configurations in JMH's JSON shape: jmh/&lt;group&gt;.json, or for a run in rounds built here from
     * samples.jsonl (the A/A control's second label left out), with an extra "rounds" object: per metric, per
     * round, the samples.
     */
    private static List<JsonNode> results(Path dir, String group) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        Path samples = dir.resolve("samples.jsonl");
        if (!Files.exists(samples)) {
            Path f = dir.resolve("jmh/" + group + ".json");
            if (Files.exists(f)) JSON.readTree(f.toFile()).forEach(out::add);
            return out;
        }
        Map<String, ObjectNode> byConfig = new LinkedHashMap<>();
        for (String line : Files.readAllLines(samples)) {
            JsonNode s = JSON.readTree(line);
            if (!s.get("group").asText().equals(group) || s.has("aa")) continue;
            ObjectNode r = byConfig.computeIfAbsent(s.get("config").asText(), k -> {
                ObjectNode n = JSON.createObjectNode();
                n.set("params", s.get("params"));
                n.putObject("primaryMetric").put("scoreUnit", s.get("unit").asText()).putArray("rawData").addArray();
                n.putObject("secondaryMetrics");
                n.putObject("rounds");
                return n;
            });
            String round = s.get("round").asText();
            ((ArrayNode) r.get("primaryMetric").get("rawData").get(0)).add(s.get("value").asDouble());
            ((ObjectNode) r.get("rounds")).withObjectProperty("time").withArrayProperty(round).add(s.get("value").asDouble());
            if (s.get("metrics").has(Result.START_COST)) {
                ((ObjectNode) r.get("rounds")).withObjectProperty(Result.TIME_LESS_START).withArrayProperty(round)
                        .add(s.get("value").asDouble() - s.get("metrics").get(Result.START_COST).asDouble());
            }
            for (var m : s.get("metrics").properties()) {
                ObjectNode sec = (ObjectNode) r.get("secondaryMetrics");
                if (!sec.has(m.getKey())) sec.putObject(m.getKey()).putArray("rawData").addArray();
                ((ArrayNode) sec.get(m.getKey()).get("rawData").get(0)).add(m.getValue().asDouble());
                ((ObjectNode) r.get("rounds")).withObjectProperty(m.getKey()).withArrayProperty(round).add(m.getValue().asDouble());
            }
        }
        out.addAll(byConfig.values());
        return out;
    }

    private static String p(JsonNode r, String name) {
        return r.get("params").get(name).asText();
    }

    private static String dio(JsonNode r) {
        return p(r, "direct").equals("true") ? "direct" : "buffered";
    }

    private static JsonNode only(Path dir, String group, Map<String, String> params) throws IOException {
        JsonNode found = null;
        for (JsonNode r : results(dir, group)) {
            boolean all = true;
            for (var e : r.get("params").properties()) {
                if (!e.getValue().asText().equals(params.get(e.getKey()))) all = false;
            }
            if (all) {
                if (found != null) fail("two results in " + group + " for " + params);
                found = r;
            }
        }
        return found;
    }

    private static Map<String, String> withParams(Map<String, String> params, JsonNode r) {
        Map<String, String> m = new LinkedHashMap<>(params);
        r.get("params").properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }

    /** cp -r for the same file size, and the same cache state and file count where both name them. */
    private static JsonNode cpFor(Path dir, Map<String, String> params, String metric) throws IOException {
        for (JsonNode cp : results(dir, "cp")) {
            if (!p(cp, "fileSize").equals(params.get("fileSize"))) continue;
            if (!metric.equals("time") && !cp.path("secondaryMetrics").has(metric)) continue;
            boolean same = true;
            for (String k : List.of("cache", "files")) {
                if (params.containsKey(k) && cp.get("params").has(k) && !p(cp, k).equals(params.get(k))) same = false;
            }
            if (same) return cp;
        }
        return null;
    }

    private static double[] raw(JsonNode r, String metric) {
        JsonNode m = metric.equals("time") ? r.get("primaryMetric") : r.get("secondaryMetrics").get(metric);
        double scale = 1;
        if (metric.equals("time")) {
            scale = switch (m.get("scoreUnit").asText()) {
                case "s/op" -> 1;
                case "ms/op" -> 1e-3;
                case "us/op" -> 1e-6;
                default -> 1e-9;
            };
        }
        List<Double> v = new ArrayList<>();
        for (JsonNode fork : m.get("rawData")) for (JsonNode x : fork) v.add(x.asDouble() * scale);
        double[] out = new double[v.size()];
        for (int i = 0; i < out.length; i++) out[i] = v.get(i);
        return out;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    private static double sd(double[] v) {
        double m = mean(v), s = 0;
        for (double x : v) s += (x - m) * (x - m);
        return Math.sqrt(s / (v.length - 1));
    }

    private static double unit(String header) {
        String u = header.substring(header.indexOf('(') + 1, header.indexOf(')'));
        return switch (u) {
            case "s", "bytes" -> 1;
            case "ms" -> 1e-3;
            case "µs" -> 1e-6;
            case "KiB" -> 1024;
            case "MiB" -> 1024 * 1024;
            default -> throw new AssertionError("unknown unit in " + header);
        };
    }

    static void assertClose(double expected, String shown, String what) {
        double v = Double.parseDouble(shown);
        // the tables show 5 significant digits
        assertTrue(Math.abs(v - expected) <= 1e-4 * Math.abs(expected) + 1e-12,
                what + ": shown " + shown + ", raw samples give " + expected);
    }

    static List<String> cells(String line) {
        String s = line.trim();
        s = s.substring(1, s.length() - 1);
        List<String> out = new ArrayList<>();
        for (String c : s.split("(?<!\\\\)\\|")) out.add(c.trim());
        return out;
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) n++;
        return n;
    }
}
