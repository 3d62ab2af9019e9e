package org.aiobench.analysis.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.aiobench.analysis.claims.ClaimJudge;
import org.aiobench.analysis.claims.Claims;
import org.aiobench.analysis.figures.FigureBuilder;
import org.aiobench.analysis.run.Comparison;
import org.aiobench.analysis.run.Drift;
import org.aiobench.analysis.run.Result;
import org.aiobench.analysis.run.RunData;
import org.aiobench.analysis.run.Sample;
import org.aiobench.analysis.stats.IterationTrend;
import org.aiobench.analysis.stats.Verdict;

/**
 * Everything the report shows, computed once from a run: the figures and their comparisons, the A/A control, the
 * drift, the claims and the warm-up trends. The report sections format it and draw its figures.
 */
public final class Analysis {
    final RunData run;
    public final List<FigureBuilder.Section> figures;
    /** The A/A control: its second label (aa=B) against the same configuration's first; null without one. */
    public final Comparison control;
    public final Drift drift;
    final List<ClaimJudge.Row> claims;
    /** The configurations whose samples trend across iterations, the strongest first. */
    final List<TrendRow> trends;
    /** How many configurations had enough iterations for the trend test. */
    final int trendsTested;
    /** Where the noise arose and what the comparisons reached ({@link RunPrecision}). */
    final RunPrecision precision;

    /** A configuration whose samples trend across iterations. */
    record TrendRow(Result result, IterationTrend trend) {}

    public Analysis(RunData run) {
        this.run = run;
        this.figures = new FigureBuilder(run).build();
        this.control = control(run);
        this.drift = Drift.of(run);
        this.claims = new ClaimJudge(run, Claims.load()).judge();
        List<TrendRow> tested = trends(run);
        this.trendsTested = tested.size();
        this.trends = tested.stream().filter(t -> t.trend().trends())
                .sorted(Comparator.comparingDouble((TrendRow r) -> -Math.abs(r.trend().rho()))).toList();
        this.precision = RunPrecision.of(this);
    }

    /** The control's verdict is "same": the run's other verdicts can be trusted as far as it can tell. */
    public boolean quietEnough() {
        return control != null && control.inRounds() && control.verdict() == Verdict.SAME;
    }

    private static Comparison control(RunData run) {
        String id = run.controlConfig();
        if (id == null) return null;
        Result b = run.controls.stream().filter(r -> r.config().equals(id)).findFirst().orElse(null);
        Result a = run.groups.values().stream().flatMap(List::stream).filter(r -> r.config().equals(id)).findFirst()
                .orElse(null);
        if (a == null || b == null) return null;
        String metric = a.samples().containsKey(Result.TIME) ? Result.TIME : Result.OPS;
        return Comparison.of(b, a, metric);
    }

    /**
     * The trend test of every configuration with enough iterations: per configuration, the samples of each (round,
     * fork) in iteration order are what {@link IterationTrend} reads.
     */
    private static List<TrendRow> trends(RunData run) {
        Map<String, Map<List<Integer>, TreeMap<Integer, Double>>> forks = new LinkedHashMap<>();
        for (Sample s : run.samples) {
            if (s.aa() != null) continue;
            forks.computeIfAbsent(s.group() + "\n" + s.config(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(List.of(s.round(), s.fork()), k -> new TreeMap<>()).put(s.iteration(), s.value());
        }
        List<TrendRow> out = new ArrayList<>();
        for (var e : forks.entrySet()) {
            List<double[]> series = e.getValue().values().stream()
                    .map(m -> m.values().stream().mapToDouble(Double::doubleValue).toArray()).toList();
            IterationTrend t = IterationTrend.of(series);
            if (Double.isNaN(t.rho())) continue;
            String[] key = e.getKey().split("\n", 2);
            run.group(key[0]).stream().filter(r -> r.config().equals(key[1])).findFirst()
                    .ifPresent(r -> out.add(new TrendRow(r, t)));
        }
        return out;
    }
}
