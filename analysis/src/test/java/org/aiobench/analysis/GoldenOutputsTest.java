package org.aiobench.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.GraphicsEnvironment;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.aiobench.analysis.comparison.CompareMain;
import org.aiobench.analysis.history.HistoryMain;
import org.aiobench.analysis.report.PlotMain;
import org.aiobench.analysis.report.PlotOutputs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outputs of {@code plot}, {@code compare} and {@code history} on the test fixtures, byte for byte as recorded in
 * src/test/resources/golden/ (a refactor keeps them: issue 25). Every file each command writes is compared, and what
 * it prints (with its exit status). What legitimately differs from one rendering to the next is replaced first, in
 * both: the temporary directory the fixtures are copied to (the report names its run by absolute path, compare.json
 * its runs' directories) and the calibration's creation time; plot-files.json and compare-files.json are compared by
 * the files they list (their hashes are of files compared here).
 *
 * <p>The figures depend on the JDK's rasterizer and the fonts installed: their PNG and SVG files are compared by
 * SHA-256 (figures.sha256), and the HTML's embedded PNGs are replaced by a mark, wherever the rendering is the one they
 * were recorded under (golden/rendering.txt: the JDK, the font families and a rendered sample); elsewhere the figures'
 * test is skipped, saying why, and the text is still compared.
 *
 * <p>To record them from the code as it is (only when the outputs change on purpose, from main's code):
 * {@code mvn -pl analysis -am -Dtest=GoldenOutputsTest -Dsurefire.failIfNoSpecifiedTests=false -Dgolden.record=true test}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GoldenOutputsTest {
    static final Path GOLDEN = Path.of("src/test/resources/golden");
    static final boolean RECORD = Boolean.getBoolean("golden.record");
    private static final String FIGURES = "figures.sha256";
    private static final String RENDERING = "rendering.txt";
    private static final String PRINTED = "printed.txt";

    private Path tmp;
    private Path runs;

    /** One command on the fixtures: what it wrote (relative name to bytes) and what it printed. */
    private record Outputs(Map<String, byte[]> files, String printed) {}

    private interface Case {
        Outputs run(String name) throws Exception;
    }

    private final Map<String, Case> cases = new LinkedHashMap<>();
    private final Map<String, Outputs> done = new LinkedHashMap<>();
    /** Replaced in every output: the temporary directory, the calibration's creation time. */
    private final Map<String, String> volatileText = new LinkedHashMap<>();

    @BeforeAll
    void cases(@TempDir Path dir) throws IOException {
        tmp = dir;
        runs = Files.createDirectories(tmp.resolve("runs"));
        for (String f : List.of("complete", "handmade", "incomplete", "rounds", "randio", "thesis")) {
            cases.put("plot-" + f, n -> plot(f));
        }
        cases.put("plot-aa-r1", n -> plot("aa/r1"));
        // compare: two runs a side of the real A/A fixtures, its brief form, one run a side with and without the
        // box's calibration, two runs made before rounds, and two runs of different matrices and kernels
        cases.put("compare-aa", n -> compare(n, "--base", run("aa/r1"), run("aa/r2"), "--new", run("aa/r3"),
                run("aa/r4")));
        cases.put("compare-aa-brief", n -> compare(n, "--brief", "--base", run("aa/r1"), run("aa/r2"), "--new",
                run("aa/r3"), run("aa/r4")));
        cases.put("compare-one-a-side", n -> compare(n, run("aa/r1"), run("aa/r4"), "--no-calibration"));
        cases.put("compare-calibrate", n -> compare(n, "--calibrate", run("aa/r1"), run("aa/r2"), run("aa/r3")));
        cases.put("compare-calibrated", n -> {
            outputs("compare-calibrate");
            return compare(n, run("aa/r1"), run("aa/r4"), "--calibration",
                    tmp.resolve("out/compare-calibrate/calibration.json").toString());
        });
        cases.put("compare-before-rounds", n -> compare(n, run("complete"), run("handmade")));
        cases.put("compare-matrices", n -> compare(n, run("rounds"), run("aa/r2")));
        // history: every fixture in one directory (three kernels, one of them run four times), drawn as it chooses
        // and with --all; and synthetic runs of three kernels with a known step
        cases.put("history-fixtures", n -> history(n, resultsOfFixtures().toString()));
        cases.put("history-fixtures-all", n -> history(n, resultsOfFixtures().toString(), "--all"));
        cases.put("history-synthetic", n -> history(n, synthetic().toString(), "--fail-on-regression"));
        volatileText.put(tmp.toAbsolutePath().toString(), "$TMP");
        volatileText.put(tmp.toRealPath().toString(), "$TMP");
    }

    @TestFactory
    Stream<DynamicTest> outputs() {
        return cases.keySet().stream().flatMap(name -> Stream.of(
                DynamicTest.dynamicTest(name + ": text", () -> text(name)),
                DynamicTest.dynamicTest(name + ": figures", () -> figures(name))));
    }

    private Outputs outputs(String name) {
        Outputs o = done.get(name);
        if (o == null) done.put(name, o = uncheck(name, cases.get(name)));
        return o;
    }

    private static Outputs uncheck(String name, Case c) {
        try {
            return c.run(name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void text(String name) throws IOException {
        Outputs o = outputs(name);
        Map<String, String> texts = new TreeMap<>();
        for (var e : o.files().entrySet()) {
            if (!isFigure(e.getKey())) texts.put(e.getKey(), normalize(e.getKey(), e.getValue()));
        }
        texts.put(PRINTED, normalize(PRINTED, o.printed().getBytes(StandardCharsets.UTF_8)));
        Path golden = GOLDEN.resolve(name);
        if (RECORD) {
            for (var e : texts.entrySet()) write(golden.resolve(e.getKey()), e.getValue());
            return;
        }
        assertTrue(Files.isDirectory(golden), golden + " missing: record it (see the class comment)");
        Map<String, String> expected = new TreeMap<>();
        try (Stream<Path> s = Files.walk(golden)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String rel = golden.relativize(p).toString();
                if (!rel.equals(FIGURES)) expected.put(rel, Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        assertEquals(expected.keySet(), texts.keySet(), name + ": the files written");
        for (String f : expected.keySet()) {
            // compare fits its terminal text to $COLUMNS where that is exported; recorded without it
            if (f.equals(PRINTED) && name.startsWith("compare") && System.getenv("COLUMNS") != null) continue;
            assertEquals(expected.get(f), texts.get(f), name + ": " + f);
        }
    }

    private void figures(String name) throws IOException {
        Outputs o = outputs(name);
        StringBuilder sums = new StringBuilder();
        for (var e : new TreeMap<>(o.files()).entrySet()) {
            if (isFigure(e.getKey())) sums.append(sha256(e.getValue())).append("  ").append(e.getKey()).append('\n');
        }
        Path golden = GOLDEN.resolve(name).resolve(FIGURES);
        if (RECORD) {
            write(golden, sums.toString());
            write(GOLDEN.resolve(RENDERING), rendering());
            return;
        }
        String recorded = Files.readString(GOLDEN.resolve(RENDERING), StandardCharsets.UTF_8);
        assumeTrue(recorded.equals(rendering()), "the figures were recorded under another rendering (JDK, fonts): "
                + "not compared here\nrecorded:\n" + recorded + "here:\n" + rendering());
        assertEquals(Files.readString(golden, StandardCharsets.UTF_8), sums.toString(), name + ": the figures");
    }

    private static boolean isFigure(String rel) {
        return rel.endsWith(".png") || rel.endsWith(".svg");
    }

    private static final Pattern EMBEDDED = Pattern.compile("data:image/png;base64,[A-Za-z0-9+/=]+");
    private static final Pattern RECORD_FILE = Pattern.compile("\"([^\"]+)\" : \"[0-9a-f]*\"");

    private String normalize(String rel, byte[] bytes) {
        String s = new String(bytes, StandardCharsets.UTF_8);
        for (var e : volatileText.entrySet()) s = s.replace(e.getKey(), e.getValue());
        if (rel.endsWith(".html")) s = EMBEDDED.matcher(s).replaceAll("data:image/png;base64,(embedded)");
        if (rel.equals(PlotOutputs.RECORD) || rel.equals(PlotOutputs.COMPARE_RECORD)) {
            // the files it lists; their hashes are of files compared on their own
            Matcher m = RECORD_FILE.matcher(s);
            StringBuilder listed = new StringBuilder();
            while (m.find()) listed.append(m.group(1)).append('\n');
            return listed.toString();
        }
        return s;
    }

    // ---- the commands ----

    /** A fixture copied once under runs/ (its name's slashes as dashes), its path. */
    private String run(String fixture) throws IOException {
        Path dir = runs.resolve(fixture.replace('/', '-'));
        if (!Files.exists(dir)) Fixtures.copy(fixture, dir);
        return dir.toString();
    }

    private Outputs plot(String fixture) throws IOException {
        Path dir = Fixtures.copy(fixture, tmp.resolve("plot").resolve(fixture.replace('/', '-')));
        Set<String> inputs = files(dir).keySet();
        Console c = Console.capture(() -> PlotMain.run(new String[] {dir.toString()}));
        Map<String, byte[]> out = files(dir);
        out.keySet().removeAll(inputs);
        return new Outputs(out, printed(c));
    }

    private Outputs compare(String name, String... args) throws IOException {
        Path out = tmp.resolve("out").resolve(name);
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--out", out.toString()));
        return command(out, () -> CompareMain.run(all.toArray(String[]::new)));
    }

    private Outputs history(String name, String... args) throws IOException {
        Path out = tmp.resolve("out").resolve(name);
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--out", out.toString()));
        return command(out, () -> HistoryMain.run(all.toArray(String[]::new)));
    }

    private Outputs command(Path out, IntSupplier main) throws IOException {
        Console c = Console.capture(main);
        Map<String, byte[]> files = Files.isDirectory(out) ? files(out) : Map.of();
        byte[] cal = files.get("calibration.json");
        if (cal != null) {
            Matcher m = Pattern.compile("\"createdAt\" : \"([^\"]+)\"").matcher(new String(cal, StandardCharsets.UTF_8));
            if (m.find()) volatileText.put(m.group(1), "$CREATED_AT");
        }
        return new Outputs(files, printed(c));
    }

    private static String printed(Console c) {
        return "exit " + c.status() + "\n--- out\n" + c.out() + "--- err\n" + c.err();
    }

    /** A directory of runs: every fixture run in rounds or before them, of three kernels. */
    private Path resultsOfFixtures() throws IOException {
        Path dir = tmp.resolve("results");
        if (Files.exists(dir)) return dir;
        for (String f : List.of("aa/r1", "aa/r2", "aa/r3", "aa/r4", "rounds", "randio", "thesis", "complete",
                "handmade")) {
            Fixtures.copy(f, dir.resolve(f.replace('/', '-')));
        }
        return dir;
    }

    /** Three kernels, the first measured twice; io_uring 40% slower against cp -r from 6.1.10 on (HistoryTest's). */
    private Path synthetic() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("synthetic"));
        SyntheticRun.threeKernels(dir);
        return dir;
    }

    // ---- files ----

    private static Map<String, byte[]> files(Path dir) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }

    private static void write(Path p, String content) {
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the figures' bytes depend on besides the code: the JDK, the fonts, how a sample of text rasterizes. */
    private static String rendering() {
        BufferedImage img = new BufferedImage(240, 40, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString("aiobench 0.912 [0.871, 0.951] µs ×", 4, 24);
        g.dispose();
        int[] px = img.getRGB(0, 0, 240, 40, null, 0, 240);
        byte[] bytes = new byte[px.length * 4];
        for (int i = 0; i < px.length; i++) {
            for (int j = 0; j < 4; j++) bytes[4 * i + j] = (byte) (px[i] >>> (8 * j));
        }
        String fonts = String.join(",", GraphicsEnvironment.getLocalGraphicsEnvironment()
                .getAvailableFontFamilyNames(java.util.Locale.ROOT));
        return "jdk " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")\n"
                + "fonts " + sha256(fonts.getBytes(StandardCharsets.UTF_8)) + "\n"
                + "sample " + sha256(bytes) + "\n";
    }
}
