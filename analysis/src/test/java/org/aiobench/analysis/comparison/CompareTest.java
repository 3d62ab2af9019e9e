package org.aiobench.analysis.comparison;

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
import org.aiobench.analysis.Console;
import org.aiobench.analysis.Fixtures;
import org.aiobench.analysis.SyntheticRun;
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

    /**
     * sync at 1.0, io_uring at {@code uring}, posixaio at 0.85 of cp -r's time; each configuration with a run effect of
     * its own (SD 2%), as runs of one build differ.
     */
    private Path run(String name, double uring, long seed) throws Exception {
        return new SyntheticRun().engine("sync", 1.0).engine("io_uring", uring).engine("posixaio", 0.85).seed(seed)
                .runEffect(0.02).write(tmp.resolve(name));
    }

    /** {@code n} runs of one side, io_uring at {@code uring}: "--base" or "--new" then the directories. */
    private List<String> side(String flag, String name, int n, double uring, long seed) throws Exception {
        List<String> out = new ArrayList<>(List.of(flag));
        for (int i = 0; i < n; i++) out.add(run(name + i, uring, seed + i).toString());
        return out;
    }

    private Console compare(List<String> base, List<String> next, Path out, String... more) {
        List<String> args = new ArrayList<>(base);
        args.addAll(next);
        args.addAll(List.of("--out", out.toString()));
        args.addAll(List.of(more));
        return compare(args.toArray(String[]::new));
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

    /** Three runs a side, io_uring 15% slower on the new side: caught against cp -r and absolutely, exit 1. */
    @Test
    void aSlowdownOfOneEngineIsFlagged() throws Exception {
        Path out = tmp.resolve("out");
        Console o = compare(side("--base", "base", 3, 0.90, 1), side("--new", "new", 3, 1.035, 11), out);
        assertEquals(1, o.status(), o.out() + o.err());
        JsonNode j = json(out);
        JsonNode uring = config(j, "io_uring").path("vsCp");
        assertEquals("slower", uring.path("verdict").asText(), uring.toString());
        assertEquals(1.15, uring.path("ratio").asDouble(), 0.04);
        assertTrue(uring.path("low").asDouble() > 1.05, "decided by the interval: " + uring);
        assertTrue(uring.path("gatesExit").asBoolean(), uring.toString());
        for (String other : List.of("sync", "posixaio")) {
            for (String cell : List.of("vsCp", "absolute")) {
                String v = config(j, other).path(cell).path("verdict").asText();
                assertTrue(v.equals("same") || v.equals("unknown"), other + " " + cell + ": " + v);
            }
        }
        assertTrue(j.path("replicated").asBoolean());
        // the terminal marks the gating cell and lists it first
        assertTrue(o.out().contains("Slower, largest first (! sets the exit status):\n  ! basic io_uring"), o.out());
        assertTrue(o.out().contains("compare: exit status 1: "), o.out());
        // the three formats and a figure per group
        String md = Files.readString(out.resolve(CompareReport.MD));
        assertTrue(md.contains("## Regressions") && md.matches("(?s).*\\| basic \\| io_uring \\| vs cp -r \\| 1\\.1\\d\\d .*"),
                md);
        String html = Files.readString(out.resolve(CompareReport.HTML));
        assertTrue(html.contains("<td class=\"n slower\">1.1") && html.contains("data:image/png;base64,"));
        assertTrue(Files.size(out.resolve("figures/compare-basic.png")) > 10_000);
    }

    /**
     * The same runs, one a side: a run's level cannot be told from what differs between runs of one build, so every
     * cell is unknown, the exit status 0, and the output names the procedure that would decide.
     */
    @Test
    void oneRunASideIsUnknownAndNamesTheProcedure() throws Exception {
        Path out = tmp.resolve("out");
        Console o = compare(List.of(run("base", 0.90, 1).toString()), List.of(run("new", 1.035, 11).toString()), out);
        assertEquals(0, o.status(), o.out() + o.err());
        JsonNode j = json(out);
        for (JsonNode c : j.path("configurations")) {
            assertEquals("unknown", c.path("absolute").path("verdict").asText(), c.toString());
            if (!c.path("vsCp").isNull()) assertEquals("unknown", c.path("vsCp").path("verdict").asText(), c.toString());
        }
        assertTrue(o.out().contains("alternating (A B B A"), o.out());
        assertTrue(o.out().contains("compare --calibrate"), o.out());
    }

    /**
     * A calibration from identical runs gives one run a side a floor: a 40% slowdown is then caught from one run a
     * side (a 15% one is not: identical runs of this box land up to about 20% apart), and an identical pair is not.
     */
    @Test
    void aCalibratedBoxJudgesOneRunASide() throws Exception {
        List<String> identical = new ArrayList<>();
        for (int i = 0; i < 4; i++) identical.add(run("cal" + i, 0.90, 100 + i).toString());
        List<String> args = new ArrayList<>(List.of("--calibrate"));
        args.addAll(identical);
        Console cal = compare(args.toArray(String[]::new));
        assertEquals(0, cal.status(), cal.out() + cal.err());
        Path file = tmp.resolve(Calibration.FILE);
        assertTrue(Files.isRegularFile(file), cal.out());
        assertTrue(cal.out().contains("identical runs land apart by up to"), cal.out());

        Console slowed = compare(List.of(run("b", 0.90, 1).toString()), List.of(run("n", 1.26, 11).toString()),
                tmp.resolve("o1"));
        assertEquals(1, slowed.status(), slowed.out() + slowed.err());
        JsonNode uring = config(json(tmp.resolve("o1")), "io_uring");
        assertTrue(uring.path("vsCp").path("verdict").asText().equals("slower")
                || uring.path("vsAll").path("verdict").asText().equals("slower"), uring.toString());
        assertTrue(slowed.out().contains("this box's calibration"), slowed.out());
        Console same = compare(List.of(run("b2", 0.90, 2).toString()), List.of(run("n2", 0.90, 12).toString()),
                tmp.resolve("o2"));
        assertEquals(0, same.status(), same.out() + same.err());
        // --no-calibration: unknown again
        Console none = compare(List.of(tmp.resolve("b").toString()), List.of(tmp.resolve("n").toString()),
                tmp.resolve("o3"), "--no-calibration");
        assertEquals(0, none.status(), none.out());
    }

    /**
     * Real runs (fixtures aa: four identical runs of one build on one kernel, made one after another on the shared
     * VM): two a side compare with exit 0 and nothing slower; the same runs with one configuration's samples made 2x
     * slower on the new side are flagged on that configuration alone, with exit 1.
     */
    @ParameterizedTest
    @ValueSource(doubles = {1.0, 2.0})
    void realIdenticalRunsTwoASide(double factor) throws Exception {
        List<Path> runs = new ArrayList<>();
        for (int i = 1; i <= 4; i++) runs.add(Fixtures.copy("aa/r" + i, tmp.resolve("r" + i)));
        String slowedConfig = "sync", slowedSize = "1M";
        for (Path r : runs.subList(2, 4)) {
            StringBuilder out = new StringBuilder();
            for (String line : Files.readAllLines(r.resolve("samples.jsonl"))) {
                ObjectNode o = (ObjectNode) JSON.readTree(line);
                JsonNode p = o.path("params");
                if (o.path("group").asText().equals("basic") && p.path("engine").asText().equals(slowedConfig)
                        && p.path("fileSize").asText().equals(slowedSize)) {
                    o.put("value", o.path("value").asDouble() * factor);
                }
                out.append(JSON.writeValueAsString(o)).append('\n');
            }
            Files.writeString(r.resolve("samples.jsonl"), out);
        }
        Path out = tmp.resolve("out");
        Console o = compare(List.of("--base", runs.get(0).toString(), runs.get(1).toString()),
                List.of("--new", runs.get(2).toString(), runs.get(3).toString()), out);
        JsonNode j = json(out);
        List<String> slower = new ArrayList<>();
        for (JsonNode c : j.path("configurations")) {
            for (String cell : List.of("absolute", "vsAll", "vsCp")) {
                if (c.path(cell).path("verdict").asText().equals("slower")) {
                    slower.add(c.path("params").path("engine").asText() + " " + c.path("params").path("fileSize")
                            .asText() + " " + c.path("params").path("mode").asText() + " " + cell);
                }
            }
        }
        if (factor == 1.0) {
            assertEquals(0, o.status(), o.out());
            assertEquals(List.of(), slower, o.out());
        } else {
            assertEquals(1, o.status(), o.out());
            assertTrue(!slower.isEmpty() && slower.stream().allMatch(x -> x.startsWith("sync 1M single")),
                    slower + "\n" + o.out());
        }
    }

    @Test
    void onePercentIsNotCalledSlower() throws Exception {
        Path out = tmp.resolve("out");
        Console o = compare(side("--base", "base", 3, 0.90, 1), side("--new", "new", 3, 0.909, 11), out);
        assertEquals(0, o.status(), o.out() + o.err());
        String v = config(json(out), "io_uring").path("vsCp").path("verdict").asText();
        assertTrue(v.equals("same") || v.equals("unknown"), v);
        assertTrue(o.out().contains("Exit status 0: nothing is slower"), o.out());
    }

    /** The same build, the box 30% slower during one of the new runs: drift, not a regression. */
    @Test
    void aBoxThatDriftedBetweenRunsIsNoRegression() throws Exception {
        List<String> next = new ArrayList<>(List.of("--new", run("new0", 0.90, 11).toString()));
        next.add(new SyntheticRun().engine("sync", 1.0).engine("io_uring", 0.90).engine("posixaio", 0.85).seed(12)
                .runEffect(0.02).level(1.3).write(tmp.resolve("new1")).toString());
        Path out = tmp.resolve("out");
        Console o = compare(side("--base", "base", 2, 0.90, 1), next, out);
        assertEquals(0, o.status(), o.out() + o.err());
        JsonNode j = json(out);
        for (String engine : List.of("sync", "io_uring", "posixaio")) {
            JsonNode c = config(j, engine);
            assertEquals("unknown", c.path("absolute").path("verdict").asText(), engine + ": " + c);
            String v = c.path("vsCp").path("verdict").asText();
            assertTrue(v.equals("same") || v.equals("unknown"), engine + ": " + v);
        }
    }

    /** With three runs a side, absolute times are judged: a kernel 30% slower for every engine (and cp) is caught. */
    @Test
    void runsASideJudgeAbsoluteTimes() throws Exception {
        List<String> args = new ArrayList<>(List.of("--base"));
        for (int i = 0; i < 3; i++) {
            args.add(new SyntheticRun().engine("sync", 1.0).engine("io_uring", 0.9).seed(10 + i).level(1 + 0.01 * i)
                    .runEffect(0.01).kernel("6.1.9").write(tmp.resolve("base" + i)).toString());
        }
        args.add("--new");
        for (int i = 0; i < 3; i++) {
            args.add(new SyntheticRun().engine("sync", 1.0).engine("io_uring", 0.9).seed(20 + i)
                    .level(1.30 + 0.01 * i).runEffect(0.01).kernel("6.1.10").write(tmp.resolve("new" + i)).toString());
        }
        Path out = tmp.resolve("out");
        args.addAll(List.of("--out", out.toString()));
        Console o = compare(args.toArray(String[]::new));
        assertEquals(1, o.status(), o.out() + o.err());
        JsonNode j = json(out);
        for (String engine : List.of("sync", "io_uring")) {
            JsonNode c = config(j, engine);
            assertEquals("slower", c.path("absolute").path("verdict").asText(), engine + ": " + c);
            String v = c.path("vsCp").path("verdict").asText();
            assertTrue(v.equals("same") || v.equals("unknown"), engine + " vs cp -r: " + v);
        }
        JsonNode group = j.path("groups").get(0);
        assertEquals("basic", group.path("group").asText());
        assertEquals("slower", group.path("absolute").path("verdict").asText(), group.toString());
        // only the kernel differs in these environments
        assertTrue(o.out().contains("Environment: what differs (base -> new)\n  kernel release: 6.1.9 -> 6.1.10\n\n"),
                o.out());
    }

    /** --brief fits a mailing-list post: 72 columns, the sides, the verdict, the changes and the A/A controls. */
    @Test
    void briefFitsSeventyTwoColumns() throws Exception {
        Path out = tmp.resolve("out");
        Console o = compare(side("--base", "base", 3, 0.90, 1), side("--new", "new", 3, 1.035, 11), out, "--brief");
        assertEquals(1, o.status(), o.out());
        String brief = o.out().substring(0, o.out().indexOf("compare: wrote"));
        for (String line : brief.lines().toList()) assertTrue(line.length() <= 72, "too wide: '" + line + "'");
        assertTrue(brief.contains("Largest changes, new/base [95% interval]:\n  ! basic io_uring"), brief);
        assertTrue(brief.contains("A/A controls"), brief);
        // the default output fits the terminal it is told of
        Console wide = compare(side("--base", "b", 3, 0.90, 1), side("--new", "n", 3, 1.035, 11), tmp.resolve("o2"));
        for (String line : wide.out().lines().toList()) {
            if (!line.startsWith("compare: wrote")) assertTrue(line.length() <= CompareText.DEFAULT_WIDTH, line);
        }
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
        assertTrue(o.out().contains("\n  io_uring opcodes only one side has: IORING_OP_TEE -> –\n"), o.out());
        assertTrue(o.out().contains("\n  io_uring setup flags accepted only one side has: – -> IORING_SETUP_SQE_MIXED\n"),
                o.out());
        // runs made before rounds: their ratios to cp -r are ratios of means, not judged
        assertTrue(o.out().contains("1.000 unknown: not measured in rounds: ratio of means, no verdict"), o.out());
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
        assertTrue(o.out().matches("(?s).*\n  base +base .*6\\.99\\.0-synthetic\\)?:? +(A/A )?\\d\\.\\d{3} \\[[^]]*\\] same.*"),
                o.out());
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
