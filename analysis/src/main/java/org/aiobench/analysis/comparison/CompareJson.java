package org.aiobench.analysis.comparison;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.aiobench.analysis.comparison.KernelComparison.Row;
import org.aiobench.analysis.run.RunData;
import org.aiobench.analysis.run.RunFiles;
import org.aiobench.analysis.stats.Judgement;
import org.aiobench.analysis.stats.RatioCell;
import org.aiobench.analysis.stats.RatioInterval;
import org.aiobench.analysis.stats.Verdict;

/** compare.json: the comparison's every number and verdict, for a program to read (results/README.md). */
final class CompareJson {
    private final KernelComparison c;
    private final EnvDifferences env;

    CompareJson(KernelComparison c, EnvDifferences env) {
        this.c = c;
        this.env = env;
    }

    String json() throws IOException {
        var m = RunFiles.JSON;
        ObjectNode root = m.createObjectNode();
        root.put("threshold", c.threshold);
        root.set("base", side(c.base));
        root.set("new", side(c.next));
        root.set("environment", m.valueToTree(env.json()));
        root.put("replicated", c.replicated());
        if (c.calibration != null) root.set("calibration", m.valueToTree(c.calibration.runs()));
        ObjectNode summary = root.putObject("summary");
        summary.set("vsCp", m.valueToTree(c.vsCpCounts()));
        summary.set("vsAll", m.valueToTree(c.vsAllCounts()));
        summary.set("absolute", m.valueToTree(c.absoluteCounts()));
        summary.set("groups", m.valueToTree(c.groupCounts()));
        summary.set("within", m.valueToTree(c.withinCounts()));
        summary.put("gatingFamily", c.decision.gatingFamily());
        summary.put("anySlower", c.anySlower());
        ArrayNode groups = root.putArray("groups");
        for (var g : c.groupRows) {
            ObjectNode o = groups.addObject();
            o.put("group", g.group());
            o.put("configurations", g.configs());
            o.set("absolute", cell(g.absolute()));
            o.set("vsCp", cell(g.vsCp()));
        }
        ArrayNode rows = root.putArray("configurations");
        for (Row r : c.rows()) {
            ObjectNode o = rows.addObject();
            o.put("group", r.group());
            o.put("config", r.example().config());
            o.set("params", m.valueToTree(r.example().params()));
            o.put("metric", r.metric());
            o.set("base", sideStats(r.base()));
            o.set("new", sideStats(r.next()));
            o.set("absolute", cell(r.absolute()));
            o.set("vsAll", cell(r.vsAll()));
            o.set("baseVsCp", interval(r.baseVsCp()));
            o.set("newVsCp", interval(r.nextVsCp()));
            o.set("vsCp", cell(r.vsCp()));
        }
        ArrayNode within = root.putArray("within");
        for (var w : c.within) {
            ObjectNode o = within.addObject();
            o.put("group", w.group());
            o.put("comparison", w.label());
            o.set("base", interval(w.base()));
            o.set("new", interval(w.next()));
            o.set("change", cell(w.change()));
        }
        root.set("onlyBase", m.valueToTree(c.onlyBase));
        root.set("onlyNew", m.valueToTree(c.onlyNew));
        return m.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n";
    }

    private ObjectNode side(KernelComparison.Side s) {
        ObjectNode o = RunFiles.JSON.createObjectNode();
        ArrayNode runs = o.putArray("runs");
        for (RunData r : s.runs()) {
            ObjectNode run = runs.addObject();
            run.put("runId", r.runId());
            run.put("dir", r.dir.toString());
            run.put("kernel", r.kernelRelease());
            run.put("createdAt", r.env.path("createdAt").asText(""));
        }
        return o;
    }

    private static ObjectNode sideStats(KernelComparison.SideStats s) {
        ObjectNode o = RunFiles.JSON.createObjectNode();
        number(o, "mean", s.stats().mean());
        number(o, "sd", s.stats().sd());
        o.put("n", s.stats().n());
        o.put("runs", s.runs());
        o.put("rounds", s.rounds());
        return o;
    }

    private static ObjectNode cell(RatioCell cell) {
        if (cell == null) return null;
        ObjectNode o = interval(cell.ratio());
        Judgement j = cell.judgement();
        o.put("verdict", j.word());
        o.put("exploratory", j.exploratory());
        o.put("gatesExit", cell.gates());
        o.put("units", j.estimate().units());
        o.put("unit", j.estimate().unit().many);
        if (j.verdict() == Verdict.UNKNOWN) {
            int needed = j.needed();
            if (needed > 0) o.put("needed", needed);
            o.put("more", j.more());
        }
        return o;
    }

    private static ObjectNode interval(RatioInterval r) {
        if (r == null) return null;
        ObjectNode o = RunFiles.JSON.createObjectNode();
        number(o, "ratio", r.ratio());
        number(o, "low", r.low());
        number(o, "high", r.high());
        return o;
    }

    /** NaN as null: JSON has no NaN. */
    private static void number(ObjectNode o, String k, double v) {
        if (Double.isFinite(v)) o.put(k, v);
        else o.putNull(k);
    }
}
