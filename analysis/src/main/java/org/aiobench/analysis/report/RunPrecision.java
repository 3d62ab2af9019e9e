package org.aiobench.analysis.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.aiobench.analysis.figures.Figure;
import org.aiobench.analysis.figures.FigureBuilder;
import org.aiobench.analysis.run.Comparison;
import org.aiobench.analysis.run.Result;
import org.aiobench.analysis.run.RunData;
import org.aiobench.analysis.run.Sample;
import org.aiobench.analysis.stats.RatioInterval;
import org.aiobench.analysis.stats.VarianceComponents;
import org.aiobench.analysis.stats.Verdict;
import org.aiobench.vocabulary.ConfigLabel;

/**
 * A run's precision: where its noise arises per group ({@link VarianceComponents}: between copies of a fork, between
 * forks of a round, between rounds, with the cost of a fork and of a copy), every comparison it judges within rounds
 * (each configuration against cp -r, each against the figure's baseline, the A/A control) with its interval's
 * half-width, and what more rounds or other copies a fork would buy. The report's "Precision" section, variance.json,
 * and the runner's rounds until decided ({@link PrecisionMain}) read it.
 */
final class RunPrecision {
    /** One comparison the run judges: what, its verdict, its interval's half-width (a fraction), its rounds. */
    record Judged(String what, Verdict verdict, double halfWidth, int rounds, double oneRoundVar, int needed) {
        boolean decidedAt(double precision) {
            return verdict != Verdict.UNKNOWN || halfWidth <= precision;
        }
    }

    /**
     * A group's components (medians over its configurations) and its comparisons' one-round variance split into what
     * the forks add ({@code between}) and what more copies a fork would reduce ({@code within}).
     */
    record GroupPrecision(String group, int configs, double copy, double fork, double round, double copiesPerFork,
                          double forkSeconds, double copySeconds, double between, double within, int comparisons,
                          double medianHalfWidth, int rounds) {
        /** Copies a fork that buy the most precision per second. */
        double optimalCopies() {
            return VarianceComponents.optimalCopies(between, within, forkSeconds, copySeconds);
        }

        /** The one-round variance of a typical comparison. */
        double oneRoundVar() {
            return between + within / copiesPerFork;
        }

        /** The median half-width after twice the rounds (twice the budget). */
        double halfWidthAtTwice() {
            return VarianceComponents.halfWidth(oneRoundVar(), 2 * rounds);
        }

        int roundsFor(double precision) {
            return VarianceComponents.roundsFor(oneRoundVar(), precision);
        }
    }

    final List<Judged> judged;
    final List<GroupPrecision> groups;
    /** The A/A control's judged comparison, or null. */
    final Judged control;

    private RunPrecision(List<Judged> judged, List<GroupPrecision> groups, Judged control) {
        this.judged = judged;
        this.groups = groups;
        this.control = control;
    }

    static RunPrecision of(Analysis a) {
        RunData run = a.run;
        Map<String, List<VarianceComponents.Fork>> forks = forks(run);
        Map<String, Double> overhead = forkOverheads(run, forks);
        String control = run.controlConfig();
        List<VarianceComponents.Fork[]> aa = aaPairs(run, control);

        // every comparison within rounds, once
        Map<String, Comparison> comparisons = new LinkedHashMap<>();
        for (FigureBuilder.Section s : a.figures) {
            for (Figure f : s.figures()) {
                for (Figure.Point p : f.points()) {
                    for (Comparison c : new Comparison[] {p.vsCp(), p.vsBaseline()}) {
                        if (c != null && c.inRounds()) comparisons.putIfAbsent(key(c), c);
                    }
                }
            }
        }
        List<Judged> judged = new ArrayList<>();
        Map<String, List<Comparison>> byGroup = new TreeMap<>();
        var varying = Result.varying(run.byKey().values());
        for (Comparison c : comparisons.values()) {
            judged.add(judged(c, ConfigLabel.acrossGroups(c.x().group(), c.x().params(), varying) + " vs " + ConfigLabel.acrossGroups(c.y().group(), c.y().params(), varying)));
            byGroup.computeIfAbsent(c.x().group(), g -> new ArrayList<>()).add(c);
        }
        Judged controlJudged = a.control != null && a.control.inRounds()
                ? judged(a.control, "A/A control " + ConfigLabel.acrossGroups(a.control.y().group(), a.control.y().params(), varying)) : null;
        if (controlJudged != null) judged.add(controlJudged);

        Map<String, VarianceComponents> components = new LinkedHashMap<>();
        forks.forEach((k, fs) -> {
            VarianceComponents vc = VarianceComponents.of(fs, k.equals(controlKey(run, control)) ? aa : List.of());
            components.put(k, vc.withForkSeconds(overhead.getOrDefault(k, Double.NaN)));
        });
        // the forks' own variance is the box's: measured on the A/A control, the one configuration run twice a round
        double boxFork = components.values().stream().mapToDouble(VarianceComponents::fork).filter(Double::isFinite)
                .findFirst().orElse(Double.NaN);
        List<GroupPrecision> groups = new ArrayList<>();
        Map<String, List<VarianceComponents>> compByGroup = new TreeMap<>();
        components.forEach((k, v) -> compByGroup.computeIfAbsent(k.substring(0, k.indexOf('|')), g -> new ArrayList<>())
                .add(v));
        for (var e : compByGroup.entrySet()) {
            List<VarianceComponents> vs = e.getValue();
            double copy = VarianceComponents.median(vs.stream().mapToDouble(VarianceComponents::copy).toArray());
            double round = VarianceComponents.median(vs.stream().mapToDouble(VarianceComponents::round).toArray());
            double n = VarianceComponents.median(vs.stream().mapToDouble(VarianceComponents::copiesPerFork).toArray());
            double forkS = VarianceComponents.median(vs.stream().mapToDouble(VarianceComponents::forkSeconds).toArray());
            double copyS = VarianceComponents.median(vs.stream().mapToDouble(VarianceComponents::copySeconds).toArray());
            List<Comparison> cs = byGroup.getOrDefault(e.getKey(), List.of());
            double[] between = new double[cs.size()], within = new double[cs.size()], half = new double[cs.size()];
            int rounds = 0;
            for (int i = 0; i < cs.size(); i++) {
                Comparison c = cs.get(i);
                double w = copyVar(components, c.x()) + copyVar(components, c.y());
                double[] bw = VarianceComponents.ratioVariance(c.paired().logRatios(), w, n);
                between[i] = bw[0];
                within[i] = bw[1];
                half[i] = halfWidth(c.paired().estimate());
                rounds = Math.max(rounds, c.paired().n());
            }
            groups.add(new GroupPrecision(e.getKey(), vs.size(), copy, boxFork, round, n, forkS, copyS,
                    VarianceComponents.median(between), VarianceComponents.median(within), cs.size(),
                    VarianceComponents.median(half), rounds));
        }
        return new RunPrecision(judged, groups, controlJudged);
    }

    private static Judged judged(Comparison c, String what) {
        var j = c.paired().judgement();
        double var = j.estimate().ownVar();
        return new Judged(what, j.verdict(), halfWidth(j.interval()), c.paired().n(), var,
                j.verdict() == Verdict.UNKNOWN ? j.needed() : 0);
    }

    /** The larger distance from the ratio to a bound of its interval, as a fraction: "±x%". */
    static double halfWidth(RatioInterval r) {
        if (!Double.isFinite(r.low())) return Double.POSITIVE_INFINITY;
        return Math.max(r.high() / r.ratio() - 1, 1 - r.low() / r.ratio());
    }

    private static String key(Comparison c) {
        return c.x().group() + "|" + c.x().config() + "|" + c.y().group() + "|" + c.y().config() + "|" + c.metric();
    }

    private static String controlKey(RunData run, String control) {
        if (control == null) return "";
        return run.groups.values().stream().flatMap(List::stream).filter(r -> r.config().equals(control))
                .map(r -> r.group() + "|" + r.config()).findFirst().orElse("");
    }

    private static double copyVar(Map<String, VarianceComponents> components, Result r) {
        VarianceComponents vc = components.get(r.group() + "|" + r.config());
        return vc == null || !Double.isFinite(vc.copy()) ? 0 : vc.copy();
    }

    /** A fork of a configuration: its round, its fork number, and the twin it shared the JVM with ("" alone). */
    private record ForkKey(int round, int fork, String with) {}

    /**
     * Per configuration (group|config, the A/A's second label left out), its forks in round order. With --pairing
     * fork a configuration can run twice in a round, in its own fork and as another's twin: two forks, not one (as
     * one they made a copy's cost the time between the two forks and a copy's variance the forks').
     */
    private static Map<String, List<VarianceComponents.Fork>> forks(RunData run) {
        Map<String, Map<ForkKey, List<Sample>>> by = new LinkedHashMap<>();
        for (Sample s : run.samples) {
            if (s.aa() != null || !(s.value() > 0)) continue;
            by.computeIfAbsent(s.group() + "|" + s.config(), k -> new TreeMap<>(Comparator.comparingInt(ForkKey::round)
                    .thenComparingInt(ForkKey::fork).thenComparing(ForkKey::with)))
                    .computeIfAbsent(new ForkKey(s.round(), s.fork(), s.pairWith() == null ? "" : s.pairWith()),
                            k -> new ArrayList<>()).add(s);
        }
        Map<String, List<VarianceComponents.Fork>> out = new LinkedHashMap<>();
        by.forEach((k, m) -> {
            List<VarianceComponents.Fork> fs = new ArrayList<>();
            m.forEach((f, ss) -> fs.add(fork(f.round(), ss)));
            out.put(k, fs);
        });
        return out;
    }

    private static VarianceComponents.Fork fork(int round, List<Sample> ss) {
        List<Sample> sorted = new ArrayList<>(ss);
        sorted.sort(Comparator.comparingInt(Sample::iteration));
        return new VarianceComponents.Fork(round, sorted.stream().mapToDouble(s -> Math.log(s.value())).toArray(),
                sorted.stream().mapToDouble(s -> epochMs(s.start())).toArray());
    }

    /** Per round, the A/A control's two forks (A, B). */
    private static List<VarianceComponents.Fork[]> aaPairs(RunData run, String control) {
        if (control == null) return List.of();
        Map<Integer, List<Sample>> a = new TreeMap<>(), b = new TreeMap<>();
        for (Sample s : run.samples) {
            if (!s.config().equals(control) || !(s.value() > 0)) continue;
            (s.aa() == null ? a : b).computeIfAbsent(s.round(), r -> new ArrayList<>()).add(s);
        }
        List<VarianceComponents.Fork[]> out = new ArrayList<>();
        a.forEach((r, ss) -> {
            if (b.containsKey(r)) out.add(new VarianceComponents.Fork[] {fork(r, ss), fork(r, b.get(r))});
        });
        return out;
    }

    /**
     * Per configuration, the median cost of its forks beyond their measured copies: the time from the previous fork's
     * last copy (plus a copy) to the fork's first measured copy, forks ordered by time: JVM start, set-up, warm-ups.
     */
    private static Map<String, Double> forkOverheads(RunData run, Map<String, List<VarianceComponents.Fork>> forks) {
        record F(String key, double first, double last, double copy) {}
        List<F> all = new ArrayList<>();
        forks.forEach((k, fs) -> {
            for (VarianceComponents.Fork f : fs) {
                double[] t = f.startMs();
                if (t.length == 0 || !Double.isFinite(t[0])) continue;
                double copy = t.length >= 2 ? (t[t.length - 1] - t[0]) / (t.length - 1) : Double.NaN;
                all.add(new F(k, t[0], t[t.length - 1], copy));
            }
        });
        all.sort(Comparator.comparingDouble(F::first));
        Map<String, List<Double>> by = new LinkedHashMap<>();
        for (int i = 1; i < all.size(); i++) {
            F prev = all.get(i - 1), f = all.get(i);
            double gap = (f.first() - prev.last() - (Double.isFinite(prev.copy()) ? prev.copy() : 0)) / 1000;
            // a gap of over ten minutes is a pause (an interrupted run resumed), not a fork's start
            if (gap > 0 && gap < 600) by.computeIfAbsent(f.key(), k -> new ArrayList<>()).add(gap);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        by.forEach((k, v) -> out.put(k, VarianceComponents.median(v.stream().mapToDouble(Double::doubleValue)
                .toArray())));
        return out;
    }

    private static double epochMs(String iso) {
        if (iso == null || iso.isEmpty()) return Double.NaN;
        try {
            return Instant.parse(iso).toEpochMilli();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
