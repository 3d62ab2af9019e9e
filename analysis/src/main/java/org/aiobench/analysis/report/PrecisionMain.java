package org.aiobench.analysis.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.aiobench.analysis.run.BadInputException;
import org.aiobench.analysis.run.RunData;
import org.aiobench.analysis.run.RunFiles;
import org.aiobench.analysis.run.Sample;
import org.aiobench.analysis.stats.Threshold;

/**
 * For the runner's rounds until decided ({@code --precision}): after a round, {@code PrecisionMain RUN PERCENT} prints
 * one line of JSON saying how many of the run's judged comparisons (each configuration against cp -r and against its
 * figure's baseline, the A/A control) are neither decided (slower, faster or same) nor within ±PERCENT, the widest
 * half-width, and the undecided ones with the rounds that would decide each. It reads only the run directory, as the
 * analysis module always does. Exit status 0, or 2 for bad input.
 */
public final class PrecisionMain {
    private PrecisionMain() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        System.setProperty("java.awt.headless", "true");
        if (args.length != 2) {
            System.err.println("precision: expected RUN_DIR PERCENT");
            return 2;
        }
        double precision;
        try {
            precision = Threshold.parse(args[1]);
            RunData run = RunData.load(Path.of(args[0]));
            System.out.println(json(new Analysis(run).precision, run, precision));
            return 0;
        } catch (BadInputException | IllegalArgumentException e) {
            System.err.println("precision: " + e.getMessage());
            return 2;
        } catch (java.io.IOException e) {
            System.err.println("precision: " + e.getMessage());
            return 2;
        }
    }

    static String json(RunPrecision p, RunData run, double precision) throws java.io.IOException {
        ObjectNode o = RunFiles.JSON.createObjectNode();
        long rounds = run.samples.stream().mapToInt(Sample::round).distinct().count();
        o.put("rounds", rounds);
        o.put("precision", precision);
        o.put("judged", p.judged.size());
        List<RunPrecision.Judged> open = p.judged.stream().filter(j -> !j.decidedAt(precision)).toList();
        o.put("undecided", open.size());
        double widest = p.judged.stream().mapToDouble(RunPrecision.Judged::halfWidth).max().orElse(Double.NaN);
        if (Double.isFinite(widest)) o.put("widestHalfWidth", widest);
        double median = org.aiobench.analysis.stats.VarianceComponents.median(p.judged.stream()
                .mapToDouble(RunPrecision.Judged::halfWidth).toArray());
        if (Double.isFinite(median)) o.put("medianHalfWidth", median);
        if (p.control != null) {
            ObjectNode c = o.putObject("control");
            c.put("verdict", p.control.verdict().word(true));
            if (Double.isFinite(p.control.halfWidth())) c.put("halfWidth", p.control.halfWidth());
        }
        ArrayNode list = o.putArray("open");
        for (RunPrecision.Judged j : open) {
            ObjectNode x = list.addObject();
            x.put("what", j.what());
            if (Double.isFinite(j.halfWidth())) x.put("halfWidth", j.halfWidth());
            if (j.needed() > 0) x.put("roundsThatWouldDecide", j.needed());
        }
        return RunFiles.JSON.writeValueAsString(o);
    }
}
