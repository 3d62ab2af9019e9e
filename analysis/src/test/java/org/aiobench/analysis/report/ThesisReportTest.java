package org.aiobench.analysis.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.aiobench.analysis.Fixtures;
import org.aiobench.analysis.run.Comparison;
import org.aiobench.analysis.stats.Numbers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The thesis part of the report, rendered from a real quick run of --suite thesis (fixtures/thesis): the T1 to T7 table
 * with a verdict or its reason in every row, the figures of every group, the numbers of a table checked against
 * samples.jsonl read here independently, and the claims that need distinct interrupt CPUs said to be not testable
 * when env.json says the CPUs cannot be told apart.
 */
class ThesisReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> OUTCOMES = List.of("holds", "does not hold", "inconclusive", "not measured",
            "not testable here");

    static Path dir;
    static String md;

    @BeforeAll
    static void render(@TempDir Path tmp) throws Exception {
        dir = Fixtures.copy("thesis", tmp.resolve("thesis"));
        PlotMain.render(dir);
        md = Files.readString(dir.resolve("report.md"));
    }

    static String claimRow(String report, String id) {
        return report.lines().filter(l -> l.startsWith("| " + id + " |")).findFirst().orElse("");
    }

    static String verdict(String row) {
        String[] cells = row.split(" \\| ");
        return cells[cells.length - 1].replaceAll(" \\|$", "");
    }

    @Test
    void everyClaimHasAVerdictOrItsReason() {
        assertTrue(md.contains("### The thesis' claims (T1 to T7)"), md);
        for (int i = 1; i <= 7; i++) {
            String row = claimRow(md, "T" + i);
            assertFalse(row.isEmpty(), "T" + i + " missing");
            String v = verdict(row);
            assertTrue(OUTCOMES.stream().anyMatch(v::startsWith), "T" + i + ": " + v);
            if (!v.startsWith("holds")) assertTrue(v.contains(": "), "a verdict other than holds says why: " + v);
        }
    }

    @Test
    void everyGroupOfTheRunHasItsFigures() throws Exception {
        TreeSet<String> groups = new TreeSet<>();
        for (String line : Files.readAllLines(dir.resolve("samples.jsonl"))) groups.add(JSON.readTree(line).get("group").asText());
        groups.remove("thesisfio");
        assertFalse(groups.isEmpty());
        for (String g : groups) {
            assertTrue(md.contains("(figures/thesis-" + g), "no figure of group " + g);
        }
        List<String> pngs = new ArrayList<>();
        try (var s = Files.list(dir.resolve("figures"))) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("thesis-") && n.endsWith(".png")).forEach(pngs::add);
        }
        for (String png : pngs) {
            assertTrue(Files.exists(dir.resolve("figures/" + png.replace(".png", ".svg"))), png);
            assertTrue(md.contains("(figures/" + png + ")"), png);
        }
    }

    /** The stall figure's table: each flag's mean time to visibility is the mean of its samples' latMeanUs. */
    @Test
    void stallTableIsTheSamples() throws Exception {
        Map<String, List<Double>> byFlag = new TreeMap<>();
        for (String line : Files.readAllLines(dir.resolve("samples.jsonl"))) {
            JsonNode s = JSON.readTree(line);
            if (!s.get("group").asText().equals("stall") || s.has("aa")) continue;
            byFlag.computeIfAbsent(s.get("params").get("ringFlags").asText(), k -> new ArrayList<>())
                    .add(s.get("metrics").get("latMeanUs").asDouble());
        }
        assertFalse(byFlag.isEmpty(), "the fixture has stall samples");
        String section = md.substring(md.indexOf("### Submitter spinning in user space"));
        section = section.substring(0, section.indexOf("\n### ", 5) > 0 ? section.indexOf("\n### ", 5) : section.length());
        for (var e : byFlag.entrySet()) {
            double mean = e.getValue().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            String cell = "| " + e.getKey() + " | cross | 1 | " + Numbers.num(mean) + " |";
            assertTrue(section.contains(cell), cell + " not in\n" + section);
        }
    }

    /** T2's measured effect is the geometric mean over rounds of coop_taskrun's stall over the default's. */
    @Test
    void t2IsThePairedRatioOfTheStallSamples() throws Exception {
        Map<String, Map<Integer, Double>> byFlag = new TreeMap<>();
        for (String line : Files.readAllLines(dir.resolve("samples.jsonl"))) {
            JsonNode s = JSON.readTree(line);
            if (!s.get("group").asText().equals("stall") || s.has("aa")) continue;
            byFlag.computeIfAbsent(s.get("params").get("ringFlags").asText(), k -> new TreeMap<>())
                    .put(s.get("round").asInt(), s.get("metrics").get("latMeanUs").asDouble());
        }
        Map<Integer, Double> coop = byFlag.get("coop_taskrun"), none = byFlag.get("none");
        double logSum = 0;
        int n = 0;
        for (var e : coop.entrySet()) {
            if (!none.containsKey(e.getKey())) continue;
            logSum += Math.log(e.getValue() / none.get(e.getKey()));
            n++;
        }
        String expected = Comparison.ratioText(Math.exp(logSum / n)) + " [";
        String row = claimRow(md, "T2");
        assertTrue(row.contains(" | " + expected), expected + " not in " + row);
    }

    @Test
    void indistinctInterruptCpusMakeThePlacementClaimsNotTestable(@TempDir Path tmp) throws Exception {
        Path d = Fixtures.copy("thesis", tmp.resolve("indistinct"));
        ObjectNode env = (ObjectNode) JSON.readTree(d.resolve("env.json").toFile());
        ObjectNode irq = env.putObject("irqCpus");
        irq.put("device", "nvme0n1 via nvme0");
        irq.put("distinct", false);
        irq.put("reason", "every CPU this process may use [0, 1] takes interrupts of nvme0n1 via nvme0");
        JSON.writeValue(d.resolve("env.json").toFile(), env);
        PlotMain.render(d);
        String report = Files.readString(d.resolve("report.md"));
        for (String id : List.of("T1", "T2")) {
            String v = verdict(claimRow(report, id));
            assertTrue(v.startsWith("not testable here: this machine cannot create the condition: every CPU this"
                    + " process may use [0, 1] takes interrupts of nvme0n1"), id + ": " + v);
        }
        assertFalse(verdict(claimRow(report, "T3")).startsWith("not testable"), "T3 needs no interrupt CPU");
        assertTrue(report.contains("the interrupt CPUs cannot be told apart"), "the section says so");
        assertEquals(verdict(claimRow(md, "T3")), verdict(claimRow(report, "T3")));
    }
}
