package org.aiobench.analysis.comparison;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.aiobench.analysis.comparison.KernelComparison.Side;
import org.aiobench.analysis.figures.Figure;
import org.aiobench.analysis.figures.FigureBuilder;
import org.aiobench.analysis.figures.FigureDef;
import org.aiobench.analysis.report.Analysis;
import org.aiobench.analysis.run.Comparison;
import org.aiobench.analysis.run.Result;
import org.aiobench.analysis.stats.Better;
import org.aiobench.vocabulary.ConfigLabel;

/**
 * The report's comparisons against a fixed baseline (flag on vs off, mode vs single, cold vs warm), gathered from
 * each run's figures so that compare can judge each one new against base, and how such a pair is named.
 */
final class WithinPairings {
    private WithinPairings() {}

    /** One within-run comparison on one side: per run, its per-round log ratios (empty where the run lacks it). */
    record Pairing(FigureDef def, Result x, Result y, Better better, boolean speed, List<double[]> logs) {}

    /** Every comparison against a fixed baseline that the side's reports make in rounds, by figure and pair. */
    static Map<String, Pairing> of(Side side) {
        Map<String, Pairing> out = new LinkedHashMap<>();
        int runs = side.analyses().size();
        for (int i = 0; i < runs; i++) {
            Analysis a = side.analyses().get(i);
            for (FigureBuilder.Section s : a.figures) {
                FigureDef.Baseline bl = s.def().baseline();
                if (bl == null || bl.value() == null) continue;
                for (Figure f : s.figures()) {
                    for (Figure.Point p : f.points()) {
                        Comparison c = p.vsBaseline();
                        if (c == null || !c.inRounds()) continue;
                        String k = s.def().key() + "|" + c.x().key() + "|" + c.y().key() + "|" + c.metric();
                        Pairing pr = out.computeIfAbsent(k, x -> new Pairing(s.def(), c.x(), c.y(),
                                Result.better(c.metric()), Result.isSpeed(c.metric()), emptyRuns(runs)));
                        pr.logs().set(i, c.paired().logRatios());
                    }
                }
            }
        }
        return out;
    }

    private static List<double[]> emptyRuns(int n) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(new double[0]);
        return out;
    }

    /** "fallocate off/on per engine: engine=io_uring direct=true, fallocate=true vs false" */
    static String label(FigureDef def, Result rx, Result ry, Map<String, Set<String>> varying) {
        Map<String, String> x = rx.params(), y = ry.params();
        Set<String> shown = varying.getOrDefault(rx.group(), Set.of());
        List<String> same = new ArrayList<>(), diff = new ArrayList<>();
        for (String k : ConfigLabel.ordered(x)) {
            String xv = x.get(k), yv = y.get(k);
            if (xv.equals(yv)) {
                if (shown.contains(k)) same.add(ConfigLabel.param(k, xv, x, shown));
            } else {
                diff.add(k + "=" + xv + " vs " + (yv == null ? "unset" : yv));
            }
        }
        same.removeIf(String::isEmpty);
        return def.what() + ": " + (same.isEmpty() ? "" : String.join(" ", same) + ", ") + String.join(", ", diff);
    }
}
