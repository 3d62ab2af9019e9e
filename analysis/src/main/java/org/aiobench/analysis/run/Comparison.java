package org.aiobench.analysis.run;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.aiobench.analysis.stats.BestOf;
import org.aiobench.analysis.stats.Better;
import org.aiobench.analysis.stats.Judgement;
import org.aiobench.analysis.stats.PairedComparison;
import org.aiobench.analysis.stats.RoundSeries;
import org.aiobench.analysis.stats.Verdict;

/**
 * One comparison that a figure, a table or a claim makes within a run: X against Y on a metric. With rounds it is
 * paired by round ({@link PairedComparison}: ratio, interval, verdict); a run made before rounds gets the ratio of
 * the means and no verdict.
 *
 * <p>Against cp -r, a copy time is compared with cp's time less its start cost (fork and exec, {@code spawnSec})
 * where the run records it: the engines run inside an already started JVM and pay no process start. Otherwise cp's
 * time as measured is used; {@link #yMetric()} says which. A peer (another external program) against cp -r is then
 * read less its own start cost too, so that both sides are the programs' own work.
 *
 * @param xMetric      the metric read on X: {@code metric}, or {@link Result#TIME_LESS_START} for a peer
 * @param yMetric      the metric read on Y: {@code metric}, or {@link Result#TIME_LESS_START} for cp -r
 * @param ratioOfMeans mean of X / mean of Y, over every sample
 * @param paired       null for a run made before rounds (or a configuration without rounds)
 */
public record Comparison(Result x, Result y, String metric, String xMetric, String yMetric, double ratioOfMeans,
                         PairedComparison paired) {

    public static Comparison of(Result x, Result y, String metric) {
        return of(x, y, metric, Verdict.THRESHOLD_WITHIN_RUN);
    }

    /** With its own minimum effect (a claim's). */
    public static Comparison of(Result x, Result y, String metric, double threshold) {
        // an engine against cp -r: cp less its start cost; cp against cp (cold against warm): both as measured
        String yMetric = y.isCp() && !x.isCp() && metric.equals(Result.TIME)
                && y.samples().containsKey(Result.TIME_LESS_START) ? Result.TIME_LESS_START : metric;
        String xMetric = againstCp(x, yMetric, metric);
        return of(x, xMetric, y, yMetric, metric, threshold);
    }

    /**
     * X's {@code xMetric} against Y's {@code yMetric}, both measures of {@code metric} (which says which way is
     * better): e.g. an engine's time against a peer's time less its start cost, or against the copy bound's own time.
     */
    public static Comparison of(Result x, String xMetric, Result y, String yMetric, String metric) {
        return of(x, xMetric, y, yMetric, metric, Verdict.THRESHOLD_WITHIN_RUN);
    }

    /** {@link #of(Result, String, Result, String, String)} with its own minimum effect. */
    public static Comparison of(Result x, String xMetric, Result y, String yMetric, String metric, double threshold) {
        double ratio = mean(x.samples().get(xMetric)) / mean(y.samples().get(yMetric));
        PairedComparison paired = null;
        RoundSeries px = x.pairedWith(y, xMetric), py = y.pairedWith(x, yMetric);
        if (px != null && py != null && !px.isEmpty() && !py.isEmpty()) {
            // measured in one fork, copies alternating: the rounds' copies of those forks, seconds apart
            paired = PairedComparison.of(px, py, Result.better(metric), threshold, Result.isSpeed(metric));
        } else if (x.inRounds(xMetric) && y.inRounds(yMetric)) {
            paired = PairedComparison.of(x.series(xMetric), y.series(yMetric), Result.better(metric), threshold,
                    Result.isSpeed(metric));
        }
        return new Comparison(x, y, metric, xMetric, yMetric, ratio, paired);
    }

    private static double mean(double[] v) {
        return v == null ? Double.NaN : Arrays.stream(v).average().orElse(Double.NaN);
    }

    /**
     * X against the best of {@code candidates} (X among them), by multiple comparisons with the best
     * ({@link BestOf}): the point is X over the fastest by the data, the interval and verdict do not depend on which
     * one that was. Without rounds, the ratio of means to the best by the means.
     */
    public static Comparison vsBest(Result x, List<Result> candidates, String metric) {
        return vsBest(x, candidates, metric, Verdict.THRESHOLD_WITHIN_RUN);
    }

    public static Comparison vsBest(Result x, List<Result> candidates, String metric, double threshold) {
        Result best = best(candidates, metric);
        Comparison plain = of(x, best, metric, threshold);
        if (plain.paired() == null || !candidates.stream().allMatch(r -> r.inRounds(metric))) return plain;
        List<Judgement> js = BestOf.judge(candidates.stream().map(r -> r.series(metric)).toList(),
                Result.better(metric), threshold, Result.isSpeed(metric));
        Judgement j = js.get(candidates.indexOf(x));
        PairedComparison p = plain.paired();
        return new Comparison(x, best, metric, plain.xMetric(), plain.yMetric(), plain.ratioOfMeans(),
                new PairedComparison(p.rounds(), p.ratios(), j, p.wilcoxonP()));
    }

    /**
     * A configuration against its cp -r in one run, paired by round, on {@code cpMetric} for cp ({@link
     * RunData#cpLessStart} decides it across the runs compared); null without a cp -r measured in rounds.
     */
    public static PairedComparison vsCp(RunData run, Result r, String cpMetric, double threshold) {
        if (r == null || !r.inRounds(Result.TIME)) return null;
        Result cp = run.cpFor(r.params(), Result.TIME);
        if (cp == null || !cp.inRounds(cpMetric)) return null;
        String xMetric = againstCp(r, cpMetric, Result.TIME);
        return PairedComparison.of(r.series(xMetric), cp.series(cpMetric), Better.LOWER, threshold, true);
    }

    /**
     * The metric X is read on against cp read on {@code cpMetric}: a peer against cp less its start cost is read less
     * its own start cost too where it records it (both sides the programs' own work), anything else on {@code metric}.
     */
    private static String againstCp(Result x, String cpMetric, String metric) {
        return cpMetric.equals(Result.TIME_LESS_START) && x.isPeer() && x.samples().containsKey(Result.TIME_LESS_START)
                ? Result.TIME_LESS_START : metric;
    }

    /** Paired by round: it has an interval and a verdict. */
    public boolean inRounds() {
        return paired != null && paired.n() > 0;
    }

    /** The verdict, or null where there is none (not measured in rounds, or no round in common). */
    public Verdict verdict() {
        return inRounds() ? paired.verdict() : null;
    }

    /** The geometric mean of the per-round ratios when paired, else the ratio of the means. */
    public double ratio() {
        return inRounds() ? paired.estimate().ratio() : ratioOfMeans;
    }

    public String verdictWord() {
        Verdict v = verdict();
        return v == null ? "" : v.word(Result.isSpeed(metric));
    }

    /**
     * "0.912 [0.871, 0.951] faster" in a table, "1.04 [0.93, 1.16] unknown: ~14 rounds would decide (3 rounds now)";
     * a run made before rounds: "0.912 (means; not in rounds)".
     */
    public String cell() {
        if (paired == null) return ratioText(ratioOfMeans) + " (means; not measured in rounds)";
        if (paired.n() == 0) return ratioText(ratioOfMeans) + " (means; no round in common)";
        return paired.judgement().text();
    }

    /** Ratios with three decimals (a 0.1% step), large ones with one. */
    public static String ratioText(double r) {
        return Judgement.ratioText(r);
    }

    /**
     * The best of several configurations on a metric: by the mean of the log round medians where all are in rounds
     * (the geometric mean of the medians), else by the mean of all samples.
     */
    public static Result best(List<Result> candidates, String metric) {
        boolean rounds = candidates.stream().allMatch(r -> r.inRounds(metric));
        Comparator<Result> byLevel = Comparator.comparingDouble(r -> rounds
                ? Arrays.stream(r.series(metric).logMedians()).average().orElse(Double.NaN)
                : mean(r.samples().get(metric)));
        if (Result.better(metric) == Better.HIGHER) byLevel = byLevel.reversed();
        return candidates.stream().min(byLevel.thenComparing(Result::config)).orElse(null);
    }
}
