package org.aiobench.analysis.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aiobench.analysis.Fixtures;
import org.aiobench.analysis.SyntheticRun;
import org.aiobench.analysis.stats.Numbers;
import org.aiobench.vocabulary.Vocabulary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs with known effects (SyntheticRun) rendered end to end: the report must state the effects they were built with. */
class RoundsReportTest {
    private static final Pattern CELL = Pattern.compile("([0-9.]+) \\[([0-9.]+), ([0-9.]+)\\] (\\w+)");

    @TempDir
    Path tmp;

    private String render(SyntheticRun run, String name) throws Exception {
        Path dir = run.write(tmp.resolve(name));
        PlotMain.render(dir);
        return Files.readString(dir.resolve("report.md"));
    }

    /** The cells of the first table row starting with these cells. */
    private static List<String> row(String md, String... first) {
        String prefix = "| " + String.join(" | ", first) + " |";
        String line = md.lines().filter(l -> l.startsWith(prefix)).findFirst().orElse(null);
        assertNotNull(line, "no row " + prefix);
        return List.of(line.substring(2, line.length() - 2).split(" \\| "));
    }

    private static Matcher cell(String text) {
        Matcher m = CELL.matcher(text);
        assertTrue(m.find(), "not a 'ratio [low, high] verdict' cell: " + text);
        return m;
    }

    /** The report's "Regenerate with" and "--resume" commands name the run where it is, not results/NAME. */
    @Test
    void theReportNamesTheRunWhereItIs() throws Exception {
        Path elsewhere = tmp.resolve("not-results").resolve("my-run");
        Files.createDirectories(elsewhere.getParent());
        String md = render(new SyntheticRun().engine("sync", 1.0), "not-results/my-run");
        assertTrue(md.contains("Regenerate with `./run-experiments.sh plot " + elsewhere.toAbsolutePath() + "`"), md);
        assertFalse(md.contains("plot results/my-run"), md);
    }

    /** Peers beside cp -r: a faster one with its paired ratio (both less their start), a wrong one as wrong data. */
    @Test
    void peersAreShownWithTheirRatiosAndWrongDataAsWrongData() throws Exception {
        String md = render(new SyntheticRun().engine("sync", 1.0).peer("fastcp", 0.80).wrongPeer("broken"), "peers");
        assertTrue(md.contains("## Peers"), md);
        assertTrue(md.contains("`fastcp`: `/usr/bin/fastcp {src} {dst}`"), md);
        // program | fileSize | files | cache | mean | SD | n | start cost | less start cost | MB/s | vs cp -r | verified
        List<String> fast = row(md, "fastcp", "1M", "128", "warm");
        Matcher m = cell(fast.get(10));
        assertEquals("faster", m.group(4));
        double ratio = Double.parseDouble(m.group(1));
        assertTrue(ratio > 0.78 && ratio < 0.82, "0.80 of cp -r, both less their start costs: " + ratio);
        assertEquals("every copy", fast.get(11));
        List<String> broken = row(md, "broken", "1M", "128", "warm");
        assertEquals("wrong data", broken.get(4), "no time for a wrong copy: " + broken);
        assertEquals(Numbers.NONE, broken.get(10));
        assertTrue(broken.get(11).contains("**WRONG DATA** in 20 round(s) (first: round 1, 0/file-3.dat at offset 4100:"
                + " content differs from the manifest)"), broken.get(11));
        assertTrue(md.contains("**wrong data**: 0/file-3.dat at offset 4100"), "the failed configurations say it too");
        assertEquals(Vocabulary.CP_LABEL, row(md, Vocabulary.CP_LABEL, "1M", "128", "warm").get(0));
    }

    /**
     * Issue 24: the large-file group against plain cp -r, cp -r --reflink=never and fio's bound, paired by round, and
     * the three answers with their intervals.
     */
    @Test
    void largeFilesAreAnsweredAgainstPlainCpAndTheBound() throws Exception {
        String md = render(new SyntheticRun().engine("sync", 1.0).peer("cp-plain", 0.80)
                .large("copy_file_range", "file", false, 0.80).large("copy_file_range", "pair", false, 0.90)
                .large("io_uring", "pair", false, 0.60).large("io_uring", "pair", true, 0.66)
                .bound(false, 0.55).bound(true, 0.62), "large");
        assertTrue(md.contains("## Large files against cp -r and the device"), md);
        // configuration | mean | MB/s | vs cp -r | vs cp -r --reflink=never | vs bound buffered | vs bound O_DIRECT
        List<String> cfr = row(md, "copy_file_range whole files (as cp)");
        Matcher vsPlain = cell(cfr.get(3));
        double r = Double.parseDouble(vsPlain.group(1));
        assertTrue(r > 0.97 && r < 1.03, "0.80 over 0.80, the peer less its start cost: " + r);
        assertEquals("faster", cell(row(md, "copy_file_range per 128K pair (the study's)").get(4)).group(4),
                "0.90 of cp -r --reflink=never");
        assertTrue(md.contains("copy_file_range as cp does it / plain cp -r: ") && md.contains("→ within 5%: yes."), md);
        assertTrue(md.contains("fastest engine, io_uring / plain cp -r: ") && md.contains("→ at or above cp -r's speed: yes."), md);
        // io_uring at 0.60 against bounds at 0.55 (1.09: not within 0.95 of it) and 0.62 (0.97: at or above it)
        assertTrue(md.contains("fastest engine, io_uring / fio bound, buffered (bs 128K, iodepth 64): ")
                && md.contains("→ at or above 0.95 of the bound: no."), md);
        assertTrue(md.contains("fastest engine, io_uring / fio bound, O_DIRECT (bs 128K, iodepth 64): ")
                && md.contains("→ at or above 0.95 of the bound: yes."), md);
        assertTrue(md.contains("(n = 20 rounds)"), md);
        // the bound by fio's own runtime: its row's mean is boundSec, not the process's wall time
        assertTrue(Double.parseDouble(row(md, "fio bound, buffered (bs 128K, iodepth 64)").get(1)) < 0.07, md);
        // the figure of the group, cp -r both kinds beside the engines
        assertTrue(md.contains("Large files: the engines against cp -r (both kinds)"), md);
        assertTrue(cfr.get(3).endsWith(", n = 20"), "the rounds a ratio pairs: " + cfr);
    }

    /** Issue 24: io_uring's metadata through the ring against the same copy by system calls, paired by round. */
    @Test
    void metadataThroughTheRingIsComparedWithSystemCallsAndBothCps() throws Exception {
        String md = render(new SyntheticRun().engine("sync", 1.0).peer("cp-plain", 0.80)
                .engine("io_uring", 0.70).engineWith("io_uring", Map.of("metadata", "ring"), 0.63), "meta");
        assertTrue(md.contains("## io_uring's metadata through the ring"), md);
        // tree | I/O | cache | vs metadata=syscalls | vs cp -r | vs cp -r --reflink=never
        List<String> r = row(md, "128 x 1M", "buffered", "warm cache");
        Matcher vsSyscalls = cell(r.get(3));
        assertEquals("faster", vsSyscalls.group(4), r.toString());
        double ratio = Double.parseDouble(vsSyscalls.group(1));
        assertTrue(ratio > 0.88 && ratio < 0.92, "0.63 over 0.70: " + ratio);
        assertEquals("faster", cell(r.get(4)).group(4), "0.63 of cp -r --reflink=never against plain cp at 0.80");
    }

    @Test
    void knownEffectsGetTheirVerdicts() throws Exception {
        String md = render(new SyntheticRun().engine("sync", 1.10).engine("io_uring", 1.01)
                .engine("posixaio", 0.85), "effects");
        // header: mode | engine | mean | SD | n | MB/s | vs cp -r | vs mode single
        Matcher sync = cell(row(md, "single", "sync").get(6));
        assertEquals("slower", sync.group(4));
        // 1.10 of cp's time less its start cost: against cp as measured it would be about 1.06
        double ratio = Double.parseDouble(sync.group(1));
        assertTrue(ratio > 1.08 && ratio < 1.12, "sync / cp -r " + ratio);
        assertTrue(Double.parseDouble(sync.group(2)) <= 1.10 && Double.parseDouble(sync.group(3)) >= 1.09,
                "the interval holds the effect: " + sync.group());
        String uring = cell(row(md, "single", "io_uring").get(6)).group(4);
        assertTrue(uring.equals("same") || uring.equals("inconclusive"), "1% is not a verdict: " + uring);
        assertEquals("faster", cell(row(md, "single", "posixaio").get(6)).group(4));
        // the A/A control: same, and no warning
        assertEquals("same", cell(aaCell(md)).group(4));
        assertFalse(md.contains("too noisy"), "a quiet run is not called noisy");
        // drift: the figure and the header line, with steal and iowait per round
        assertTrue(md.contains("![Drift: cp -r --reflink=never time per round, relative to its median round](figures/drift.png)"));
        assertTrue(Pattern.compile("Drift 1\\.[0-9]{3} \\(max/min of the round means of cp -r --reflink=never 1M × 128, warm cache")
                .matcher(md).find(), md);
        assertTrue(md.contains("steal per round 0.1% to 2.0%, iowait per round 2.0% to 2.0%"), md);
        // cp -r shown as measured and less its start cost, and the ratios say which they use
        int tables = md.indexOf("### Group cp");
        assertTrue(tables > 0, "a cp -r table");
        String cpTable = md.substring(tables, md.indexOf("\n## ", tables));
        assertTrue(cpTable.contains("| start cost (ms) | less start cost (ms) |"), cpTable);
        assertTrue(cpTable.contains("\"less start cost\" is what the ratios to cp -r --reflink=never use"), cpTable);
        assertTrue(md.contains("Ratios to cp -r --reflink=never use cp's time less its start cost"));
        // the claims: C1 to C10, each with a verdict; this run has only 1M buffered files
        for (int i = 1; i <= 10; i++) assertTrue(md.contains("\n| C" + i + " | "), "claim C" + i);
        assertTrue(row(md, "C1").get(5).startsWith("not measured"), row(md, "C1").toString());
        String c5 = row(md, "C5").get(5);
        assertTrue(c5.startsWith("does not hold") || c5.startsWith("inconclusive"), "io_uring at 1.01: " + c5);
    }

    private static String aaCell(String md) {
        int at = md.indexOf("## A/A control");
        String line = md.substring(at).lines().filter(l -> l.startsWith("| basic ")).findFirst().orElseThrow();
        return line.split(" \\| ")[1];
    }

    @Test
    void aNoisyControlSaysTheVerdictsCannotBeTrusted() throws Exception {
        String md = render(new SyntheticRun().rounds(8).engine("sync", 1.0).engine("io_uring", 1.2).aa(1.0, 0.15)
                .seed(5), "noisy");
        String aa = cell(aaCell(md)).group(4);
        assertFalse(aa.equals("same"), aa);
        int alert = md.indexOf("> **The A/A control");
        assertTrue(alert > 0 && alert < md.indexOf("\n## "), "the warning comes before every section");
        assertTrue(md.contains("this run was too noisy for its verdicts to be trusted"));
    }

    @Test
    void failuresAndAnInterruptionAreShownFirst() throws Exception {
        SyntheticRun run = new SyntheticRun().rounds(6).engine("sync", 1.0).engine("io_uring", 0.9)
                .engine("libaio", 1.0).interrupted();
        run.failed("io_uring", 2, "wrong data: f17 differs from the manifest at offset 4096");
        for (int r = 1; r <= 6; r++) run.failed("libaio", r, "io_submit: EAGAIN");
        String md = render(run, "broken");
        int firstSection = md.indexOf("\n## ");
        int incomplete = md.indexOf("> **INCOMPLETE RUN: interrupted after 5 of 6 rounds");
        assertTrue(incomplete > 0 && incomplete < firstSection, md.substring(0, Math.max(0, firstSection)));
        assertTrue(md.indexOf("FAILED (wrong data or an error)") < firstSection);
        assertTrue(md.indexOf("## Failed configurations") < md.indexOf("## Figures"));
        List<String> f = row(md, "wrong data: f17 differs from the manifest at offset 4096");
        assertEquals(List.of("basic", "2"), List.of(f.get(1), f.get(3)));
        // io_uring failed in one round: its other rounds still count
        assertEquals("faster", cell(row(md, "single", "io_uring").get(6)).group(4));
        // libaio failed in every round: no bar, and the figure says why
        assertTrue(md.contains("- libaio: FAILED: io_submit: EAGAIN."), md);
    }

    @Test
    void aWarmUpThatIsTooShortIsReported() throws Exception {
        String md = render(new SyntheticRun().rounds(6).iterations(5).engine("sync", 1.0)
                .engine("copy_file_range", 1.0, 5), "trend");
        int at = md.indexOf("## Warm-up trends");
        String section = md.substring(at, md.indexOf("\n## ", at + 1));
        assertTrue(section.contains("3 configuration(s) could be tested; 1 trend."), section);
        assertTrue(section.contains("engine=copy_file_range") && section.contains("warm-up may be too short"), section);
    }

    /** A --suite cp run of the time before rounds: no figure applies, its numbers are in a table, MB/s included. */
    @Test
    void aCpOnlyRunShowsItsNumbers() throws Exception {
        Path src = Fixtures.DIR.resolve("complete");
        Path dir = Files.createDirectories(tmp.resolve("cp-only/jmh"));
        Files.copy(src.resolve("env.json"), dir.resolveSibling("env.json"));
        Files.copy(src.resolve("jmh/cp.json"), dir.resolve("cp.json"));
        PlotMain.render(dir.getParent());
        String md = Files.readString(dir.resolveSibling("report.md"));
        assertTrue(md.contains("### Group cp"), md);
        var results = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("cp.json").toFile());
        for (var r : results) {
            var p = r.get("params");
            List<String> cells = row(md, p.get("cache").asText(), p.get("fileSize").asText(), p.get("files").asText());
            double mean = 0;
            var raw = r.get("primaryMetric").get("rawData").get(0);
            for (var v : raw) mean += v.asDouble() / raw.size();
            assertEquals(mean * 1000, Double.parseDouble(cells.get(3)), mean * 1000 * 1e-4, cells.toString());
            // MB/s: the tree's bytes over the mean time beside it
            double mbps = Vocabulary.bytes(p.get("fileSize").asText()) * p.get("files").asDouble() / 1e6 / mean;
            assertEquals(mbps, Double.parseDouble(cells.get(7)), mbps * 1e-3, cells.toString());
        }
    }

    /** A run made before rounds: figures as before, every comparison marked as not measured in rounds. */
    @Test
    void aRunBeforeRoundsSaysItsRatiosHaveNoVerdict() throws Exception {
        Path dir = Fixtures.copy("complete", tmp.resolve("legacy"));
        // as the runner before rounds recorded a failure and an interruption
        Files.writeString(dir.resolve("run.log"), "02:40:01 == basic (BasicCopy): 76 configuration(s)\n"
                + "02:41:13 FAILED basic engine=libaio mode=batch fileSize=32K: java.io.IOException: io_submit: EAGAIN\n");
        Files.writeString(dir.resolve("progress.json"), "{\"groups\": {\"basic\": \"done\", \"qd\": \"running\"}}");
        PlotMain.render(dir);
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.indexOf("> **INCOMPLETE RUN: groups not finished: qd (running).") < md.indexOf("\n## "), md);
        List<String> failed = row(md, "java.io.IOException: io_submit: EAGAIN");
        assertEquals(List.of("basic", "engine=libaio mode=batch fileSize=32K", "–"), failed.subList(1, 4));
        assertTrue(md.contains("Made before rounds (no samples.jsonl)"));
        assertTrue(row(md, "single", "sync").get(6).endsWith("(means; not measured in rounds)"));
        for (int i = 1; i <= 10; i++) {
            String v = row(md, "C" + i).get(5);
            assertTrue(v.startsWith("not measured"), "C" + i + ": " + v);
        }
        assertTrue(md.contains("No A/A control: this run was made before rounds."));
        assertFalse(Files.exists(dir.resolve("figures/drift.png")));
    }
}
