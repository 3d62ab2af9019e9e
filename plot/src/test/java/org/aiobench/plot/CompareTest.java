package org.aiobench.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * compare on runs with known differences (SyntheticRun: invented numbers, known effects) and on the real fixture:
 * an injected 10% slowdown is flagged and sets exit status 1, 1% is not, a box that drifted between two runs is not
 * called a regression, absolute times are judged only from two runs a side, and bad input exits 2 with one line.
 */
class CompareTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static Console compare(String... args) {
        return Console.capture(() -> CompareMain.run(args));
    }

    /** sync at 1.0, io_uring at {@code uring}, posixaio at 0.85 of cp -r's time. */
    private Path run(String name, double uring, long seed) throws Exception {
        return new SyntheticRun().engine("sync", 1.0).engine("io_uring", uring).engine("posixaio", 0.85).seed(seed)
                .write(tmp.resolve(name));
    }

    private JsonNode json(Path out) throws Exception {
        return JSON.readTree(out.resolve(CompareReport.JSON).toFile());
    }

    /** The compare.json entry of a configuration by its engine (basic group). */
    private static JsonNode config(JsonNode json, String engine) {
        for (JsonNode c : json.path("configurations")) {
            if (c.path("group").asText().equals("basic") && c.path("params").path("engine").asText().equals(engine)) {
                return c;
            }
        }
        throw new AssertionError("no basic " + engine + " in " + json);
    }

    @Test
    void aTenPercentSlowdownOfOneEngineIsFlagged() throws Exception {
        Path base = run("base", 0.90, 1), next = run("new", 0.99, 2);
        Path out = tmp.resolve("out");
        Console o = compare(base.toString(), next.toString(), "--out", out.toString());
        assertEquals(1, o.status(), o.out() + o.err());
        JsonNode j = json(out);
        JsonNode uring = config(j, "io_uring").path("vsCp");
        assertEquals("slower", uring.path("verdict").asText(), uring.toString());
        assertEquals(1.10, uring.path("ratio").asDouble(), 0.02);
        assertTrue(uring.path("low").asDouble() > 1.05 && uring.path("high").asDouble() < 1.15, uring.toString());
        for (String other : List.of("sync", "posixaio")) {
            String v = config(j, other).path("vsCp").path("verdict").asText();
            assertTrue(v.equals("same") || v.equals("inconclusive"), other + ": " + v);
        }
        // one run a side: absolute times shown, never judged
        assertTrue(config(j, "io_uring").path("absolute").path("verdict").isNull());
        assertFalse(j.path("absoluteJudged").asBoolean());
        assertTrue(o.out().contains("cannot be told from the box's drift"), o.out());
        // the terminal marks the significant cell and lists it as the regression
        String line = o.out().lines().filter(l -> l.startsWith("  io_uring ")).findFirst().orElseThrow();
        assertTrue(line.matches(".*  \\* 1\\.\\d{3} \\[1\\.\\d{3}, 1\\.\\d{3}\\] slower"), line);
        assertTrue(o.out().contains("Regressions, largest first:"), o.out());
        assertTrue(o.out().contains("exit status 1: 1 significantly slower result(s)"), o.out());
        // the three formats and a figure per group
        String md = Files.readString(out.resolve(CompareReport.MD));
        assertTrue(md.contains("## Regressions") && md.contains("| basic | io_uring | vs cp -r | 1.09"), md);
        String html = Files.readString(out.resolve(CompareReport.HTML));
        assertTrue(html.contains("<td class=\"n slower\">1.09") && html.contains("data:image/png;base64,"));
        assertTrue(Files.size(out.resolve("figures/compare-basic.png")) > 10_000);
    }

    /**
     * The real fixture in rounds (rounds: a real --quick run of 3 rounds on a busy 2-CPU VM) against itself with every
     * io_uring copy of the basic group slowed by a factor: exactly those move by it against cp -r, nothing else moves
     * or is called slower, none is called faster; 10% is within this run's noise (its A/A control is not "same"), so
     * the exit status follows whatever was flagged; doubled, the quietest of them is flagged and the exit status is 1.
     */
    @ParameterizedTest
    @ValueSource(doubles = {1.10, 2.0})
    void theRealFixtureWithOneEngineSlowed(double factor) throws Exception {
        Path base = Fixtures.copy("rounds", tmp.resolve("base"));
        Path next = Fixtures.copy("rounds", tmp.resolve("new"));
        StringBuilder slowed = new StringBuilder();
        for (String line : Files.readAllLines(next.resolve("samples.jsonl"))) {
            ObjectNode o = (ObjectNode) JSON.readTree(line);
            if (o.path("group").asText().equals("basic") && o.path("params").path("engine").asText().equals("io_uring")) {
                o.put("value", o.path("value").asDouble() * factor);
            }
            slowed.append(JSON.writeValueAsString(o)).append('\n');
        }
        Files.writeString(next.resolve("samples.jsonl"), slowed);
        Path out = tmp.resolve("out");
        Console o = compare(base.toString(), next.toString(), "--out", out.toString());
        int uring = 0, flagged = 0, expectedUring = 0;
        for (String line : Files.readAllLines(base.resolve("samples.jsonl"))) {
            JsonNode s = JSON.readTree(line);
            if (s.path("group").asText().equals("basic") && s.path("params").path("engine").asText().equals("io_uring")
                    && s.path("round").asInt() == 1 && s.path("iteration").asInt() == 1) expectedUring++;
        }
        for (JsonNode c : json(out).path("configurations")) {
            JsonNode vs = c.path("vsCp");
            if (vs.isMissingNode() || vs.isNull()) continue;
            boolean slowedHere = c.path("group").asText().equals("basic")
                    && c.path("params").path("engine").asText().equals("io_uring");
            assertEquals(slowedHere ? factor : 1.0, vs.path("ratio").asDouble(), 1e-9, c.toString());
            assertFalse(vs.path("verdict").asText().equals("faster"), c.toString());
            if (slowedHere) {
                uring++;
                if (vs.path("verdict").asText().equals("slower")) flagged++;
            } else {
                assertFalse(vs.path("verdict").asText().equals("slower"), c.toString());
            }
        }
        assertEquals(expectedUring, uring, "every basic io_uring configuration with a cp -r");
        assertEquals(flagged > 0 ? 1 : 0, o.status(), o.out() + o.err());
        if (factor >= 2) {
            assertTrue(flagged > 0, o.out());
            assertTrue(o.out().contains("Regressions, largest first:\n  basic  io_uring "), o.out());
        }
    }

    @Test
    void onePercentIsNotCalledSlower() throws Exception {
        Path base = run("base", 0.90, 1), next = run("new", 0.909, 2);
        Path out = tmp.resolve("out");
        Console o = compare(base.toString(), next.toString(), "--out", out.toString());
        assertEquals(0, o.status(), o.out() + o.err());
        String v = config(json(out), "io_uring").path("vsCp").path("verdict").asText();
        assertTrue(v.equals("same") || v.equals("inconclusive"), v);
        assertTrue(o.out().contains("No configuration is significantly slower."));
    }

    /** The same build twice, the box 30% slower during the second run: drift, not a regression. */
    @Test
    void aBoxThatDriftedBetweenTwoRunsIsNoRegression() throws Exception {
        Path base = run("base", 0.90, 1);
        Path next = new SyntheticRun().engine("sync", 1.0).engine("io_uring", 0.90).engine("posixaio", 0.85).seed(2)
                .level(1.3).write(tmp.resolve("new"));
        Path out = tmp.resolve("out");
        Console o = compare(base.toString(), next.toString(), "--out", out.toString());
        assertEquals(0, o.status(), o.out() + o.err());
        JsonNode j = json(out);
        for (String engine : List.of("sync", "io_uring", "posixaio")) {
            JsonNode c = config(j, engine);
            assertEquals(1.3, c.path("absolute").path("ratio").asDouble(), 0.03, engine);
            assertTrue(c.path("absolute").path("verdict").isNull(), engine);
            String v = c.path("vsCp").path("verdict").asText();
            assertTrue(v.equals("same") || v.equals("inconclusive"), engine + ": " + v);
        }
    }

    /** With two runs a side, absolute times are judged: a kernel 10% slower for every engine (and cp) is caught. */
    @Test
    void twoRunsASideJudgeAbsoluteTimes() throws Exception {
        List<String> args = new ArrayList<>(List.of("--base"));
        for (int i = 0; i < 2; i++) {
            args.add(new SyntheticRun().engine("sync", 1.0).engine("io_uring", 0.9).seed(10 + i).level(1 + 0.01 * i)
                    .kernel("6.1.9").write(tmp.resolve("base" + i)).toString());
        }
        args.add("--new");
        for (int i = 0; i < 2; i++) {
            args.add(new SyntheticRun().engine("sync", 1.0).engine("io_uring", 0.9).seed(20 + i)
                    .level(1.10 + 0.01 * i).kernel("6.1.10").write(tmp.resolve("new" + i)).toString());
        }
        Path out = tmp.resolve("out");
        args.addAll(List.of("--out", out.toString()));
        Console o = compare(args.toArray(String[]::new));
        assertEquals(1, o.status(), o.out() + o.err());
        JsonNode j = json(out);
        assertTrue(j.path("absoluteJudged").asBoolean());
        for (String engine : List.of("sync", "io_uring")) {
            JsonNode c = config(j, engine);
            assertEquals("slower", c.path("absolute").path("verdict").asText(), engine + ": " + c);
            String v = c.path("vsCp").path("verdict").asText();
            assertTrue(v.equals("same") || v.equals("inconclusive"), engine + " vs cp -r: " + v);
        }
        JsonNode group = j.path("groups").get(0);
        assertEquals("basic", group.path("group").asText());
        assertEquals("slower", group.path("absolute").path("verdict").asText(), group.toString());
        // only the kernel differs in these environments
        assertTrue(o.out().matches("(?s).*Environment: what differs \\(base \\| new\\)\n  kernel release +6\\.1\\.9 +\\| +"
                + "6\\.1\\.10\n\n.*"), o.out());
    }

    @Test
    void theEnvironmentSectionListsOnlyWhatDiffers() throws Exception {
        Path base = Fixtures.copy("complete", tmp.resolve("base"));
        Path next = Fixtures.copy("complete", tmp.resolve("new"));
        Path out = tmp.resolve("same");
        Console same = compare(base.toString(), next.toString(), "--out", out.toString());
        assertEquals(0, same.status(), same.out() + same.err());
        assertTrue(same.out().contains("Environment: nothing differs."), same.out());
        assertTrue(Files.readString(out.resolve(CompareReport.MD)).contains("Nothing: kernel, command line"));

        // the same objects written in another key order (as two JVMs' Map.of did) are the same values
        ObjectNode reordered = (ObjectNode) JSON.readTree(next.resolve("env.json").toFile());
        ObjectNode matrix = reordered.putObject("matrix");
        matrix.putArray("copiesPerFork").addObject().put("warmups", 6).put("iterations", 2).putArray("trees").add("128x1M");
        ObjectNode baseEnv = (ObjectNode) JSON.readTree(base.resolve("env.json").toFile());
        baseEnv.putObject("matrix").putArray("copiesPerFork").addObject().put("iterations", 2).put("warmups", 6)
                .putArray("trees").add("128x1M");
        Files.writeString(next.resolve("env.json"), JSON.writeValueAsString(reordered));
        Files.writeString(base.resolve("env.json"), JSON.writeValueAsString(baseEnv));
        Console reorderedOut = compare(base.toString(), next.toString(), "--out", tmp.resolve("reordered").toString());
        assertTrue(reorderedOut.out().contains("Environment: nothing differs."), reorderedOut.out());

        ObjectNode env = (ObjectNode) JSON.readTree(next.resolve("env.json").toFile());
        env.put("runId", "another"); // differs by nature: not a difference
        env.put("createdAt", "2026-12-01T00:00:00Z");
        ((ObjectNode) env.path("scratch")).put("freeBytes", 1);
        ((ObjectNode) env.path("kernel")).put("release", "6.19.0");
        ((ObjectNode) env.path("kernel")).put("cmdline", "console=ttyS0 mitigations=off");
        ((ObjectNode) env.path("scratch")).put("scheduler", "none");
        ObjectNode uring = (ObjectNode) env.path("probe").path("io_uring");
        ((ObjectNode) uring.path("opcodes")).put("IORING_OP_TEE", false);
        ((ObjectNode) uring.path("setup_flags").path("IORING_SETUP_SQE_MIXED")).put("accepted", true);
        Files.writeString(next.resolve("env.json"), JSON.writeValueAsString(env));
        out = tmp.resolve("differs");
        Console o = compare(base.toString(), next.toString(), "--out", out.toString());
        assertEquals(0, o.status(), o.out() + o.err());
        List<String> whats = new ArrayList<>();
        json(out).path("environment").path("differences").forEach(d -> whats.add(d.path("what").asText()));
        assertEquals(List.of("kernel release", "kernel command line", "I/O scheduler",
                "io_uring opcodes only one side has", "io_uring setup flags accepted only one side has"), whats);
        assertTrue(o.out().matches("(?s).*\n  io_uring opcodes only one side has +IORING_OP_TEE +\\| +–\n.*"), o.out());
        assertTrue(o.out().matches("(?s).*\n  io_uring setup flags accepted only one side has +– +\\| +"
                + "IORING_SETUP_SQE_MIXED\n.*"), o.out());
        // runs made before rounds: their ratios to cp -r are ratios of means, not judged
        assertTrue(o.out().contains("1.000 (not measured in rounds)"), o.out());
    }

    @Test
    void differentMatricesAreComparedWithAWarningAndOneSidedConfigurationsListed() throws Exception {
        Path base = run("base", 0.9, 1);
        Path next = new SyntheticRun().engine("sync", 1.0).engine("io_uring", 0.9).engine("libaio", 0.95).seed(2)
                .write(tmp.resolve("new"));
        ObjectNode env = (ObjectNode) JSON.readTree(next.resolve("env.json").toFile());
        env.putObject("matrix").put("name", "quick");
        env.putObject("cpu").put("model", "Another CPU");
        Files.writeString(next.resolve("env.json"), JSON.writeValueAsString(env));
        Path out = tmp.resolve("out");
        Console o = compare(base.toString(), next.toString(), "--out", out.toString());
        assertEquals(0, o.status(), o.out() + o.err());
        assertTrue(o.out().contains("WARNING: The two sides look like different machines (CPU model differ)"), o.out());
        assertTrue(o.out().contains("WARNING: The two sides ran different matrices (matrix.name)"), o.out());
        assertTrue(o.out().contains("Only base: basic posixaio\n") && o.out().contains("Only new: basic libaio\n"),
                o.out());
    }

    @Test
    void aRunWhoseAaControlIsNotSameIsCalledOut() throws Exception {
        Path base = run("base", 0.9, 1);
        Path next = new SyntheticRun().rounds(8).engine("sync", 1.0).engine("io_uring", 0.9).engine("posixaio", 0.85)
                .aa(1.0, 0.15).seed(5).write(tmp.resolve("noisy"));
        Console o = compare(base.toString(), next.toString(), "--out", tmp.resolve("out").toString());
        assertTrue(o.out().contains("WARNING: new run noisy: its A/A control came out"), o.out());
        assertTrue(o.out().contains("too noisy for verdicts that rest on it to be trusted"), o.out());
        assertTrue(o.out().matches("(?s).*\n  base +base +6\\.99\\.0-synthetic +\\d\\.\\d{3} \\[[^]]*\\] same .*"), o.out());
    }

    // ---- bad input: exit status 2, one line, nothing written ----

    private void assertBadInput(Console o, String what) {
        assertEquals(2, o.status(), o.out() + o.err());
        assertEquals(1, o.err().lines().count(), o.err());
        assertTrue(o.err().startsWith("compare: ") && o.err().contains(what), o.err());
        assertEquals("", o.out());
    }

    @Test
    void aRunWithoutSamplesIsBadInput() throws Exception {
        Path base = run("base", 0.9, 1);
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Files.copy(base.resolve("env.json"), empty.resolve("env.json"));
        Files.writeString(empty.resolve("progress.json"), "{\"state\": \"running\", \"rounds\": 3, \"roundsDone\": 0}");
        Console o = compare(base.toString(), empty.toString(), "--out", tmp.resolve("out").toString());
        assertBadInput(o, "no samples");
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void twoRunsWithNothingInCommonAreBadInput() throws Exception {
        Path base = run("base", 0.9, 1);
        Path regbuf = Files.createDirectories(tmp.resolve("regbuf/jmh"));
        Files.copy(Fixtures.DIR.resolve("complete/env.json"), regbuf.resolveSibling("env.json"));
        Files.copy(Fixtures.DIR.resolve("complete/jmh/regbuf.json"), regbuf.resolve("regbuf.json"));
        assertBadInput(compare(base.toString(), regbuf.getParent().toString()), "no configuration in common");
    }

    @Test
    void aTruncatedJsonIsBadInput() throws Exception {
        Path base = Fixtures.copy("complete", tmp.resolve("base"));
        Path next = Fixtures.copy("complete", tmp.resolve("new"));
        Path basic = next.resolve("jmh/basic.json");
        String text = Files.readString(basic);
        Files.writeString(basic, text.substring(0, text.length() / 2));
        assertBadInput(compare(base.toString(), next.toString()), basic + ": malformed JSON");
        Path env = base.resolve("env.json");
        Files.writeString(env, Files.readString(env).substring(0, 100));
        assertBadInput(compare(base.toString(), next.toString()), env + ": malformed JSON");
    }

    @Test
    void aDirectoryThatIsNotARunIsBadInput() throws Exception {
        Path base = run("base", 0.9, 1);
        Path notRun = Files.createDirectories(tmp.resolve("photos"));
        Files.writeString(notRun.resolve("a.txt"), "mine");
        assertBadInput(compare(base.toString(), notRun.toString()), "not a run directory");
        assertBadInput(compare(base.toString(), tmp.resolve("missing").toString()), "no such directory");
        assertBadInput(compare(base.toString(), base.toString()), "given twice");
        assertBadInput(compare(base.toString()), "expected two run directories");
        assertBadInput(compare(base.toString(), base.toString(), "--threshold", "0"), "--threshold");
    }

    @Test
    void theOutputNeverReplacesAUsersFile() throws Exception {
        Path base = run("base", 0.9, 1), next = run("new", 0.9, 2);
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(out.resolve(CompareReport.MD), "my notes");
        Console o = compare(base.toString(), next.toString(), "--out", out.toString());
        assertBadInput(o, "compare or history did not write it");
        assertEquals("my notes", Files.readString(out.resolve(CompareReport.MD)));
        assertFalse(Files.exists(out.resolve(CompareReport.HTML)));
        // its own files it replaces; without --out each comparison gets a new directory
        Files.delete(out.resolve(CompareReport.MD));
        assertEquals(0, compare(base.toString(), next.toString(), "--out", out.toString()).status());
        assertEquals(0, compare(base.toString(), next.toString(), "--out", out.toString()).status());
        assertEquals(0, compare(base.toString(), next.toString()).status());
        assertEquals(0, compare(base.toString(), next.toString()).status());
        assertNotNull(Files.readString(tmp.resolve("compare-base-vs-new/" + CompareReport.JSON)));
        assertTrue(Files.isRegularFile(tmp.resolve("compare-base-vs-new-2/" + CompareReport.JSON)));
    }
}
