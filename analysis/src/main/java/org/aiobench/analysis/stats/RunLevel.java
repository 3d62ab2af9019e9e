package org.aiobench.analysis.stats;

import java.util.List;

/**
 * The two-level model across runs (Kalibera and Jones 2013: replicate at the level where the variation arises): a
 * configuration's log value varies between rounds within a run and, beyond that, between runs. Across runs the unit
 * is the run, each standing for its level (the median of its rounds, so that one slow fork does not move it),
 * whatever its number of rounds.
 *
 * <p>Between runs two things move a configuration: the box's own level in that run, which moves every configuration
 * of the comparison at once (the same build measured minutes apart: 68.8 and 127.4 ms), and the configuration's own
 * run effect (a fresh JVM's JIT decisions, the new tree's layout on disk, interrupt placement). The common part is
 * estimated once from the mean level of every configuration in each run ({@link #common}), on as many degrees of
 * freedom as there are runs; the own part from each configuration's levels less the common one, moderated across
 * configurations ({@link Moderation}) or taken from a calibration of the box ({@link Calibrated}). Treating the
 * common part as if each configuration measured it independently would count one draw of the box's drift eighty
 * times: identical runs would be called regressions.
 */
public final class RunLevel {
    private RunLevel() {}

    /**
     * One configuration's (or one group's) levels on both sides, by run (NaN where a run did not measure it).
     *
     * @param base         the base side's run levels, one per base run
     * @param next         the new side's
     * @param withinVar    the variance of one round's value around its run's mean, pooled over every run; NaN with
     *                     one round a run
     * @param roundsPerRun the mean number of rounds a run
     */
    public record Cell(double[] base, double[] next, double withinVar, double roundsPerRun) {

        /** From per-run arrays of per-round log values, one per run (empty where a run did not measure it). */
        public static Cell of(List<double[]> base, List<double[]> next) {
            double ss = 0, df = 0;
            int runs = 0, rounds = 0;
            for (List<double[]> side : List.of(base, next)) {
                for (double[] run : side) {
                    if (run.length == 0) continue;
                    double m = mean(run);
                    for (double v : run) ss += (v - m) * (v - m);
                    df += run.length - 1;
                    runs++;
                    rounds += run.length;
                }
            }
            return new Cell(levels(base), levels(next), df > 0 ? ss / df : Double.NaN,
                    runs == 0 ? 0 : (double) rounds / runs);
        }

        public int baseRuns() {
            return present(base);
        }

        public int newRuns() {
            return present(next);
        }

        /** new - base, each side the mean of its run levels. */
        public double diff() {
            return meanPresent(next) - meanPresent(base);
        }

        /** Degrees of freedom of the levels' pooled variance within the sides. */
        public double ownDf() {
            return Math.max(0, baseRuns() - 1) + Math.max(0, newRuns() - 1);
        }

        /** The pooled variance of one run's level around its side's mean; NaN without a second run on a side. */
        public double ownVar() {
            if (ownDf() == 0) return Double.NaN;
            return (ss(base) + ss(next)) / ownDf();
        }

        /** What the rounds alone contribute to a run level's variance: the least it can be. */
        public double roundPart() {
            return Double.isFinite(withinVar) && roundsPerRun > 0 ? withinVar / roundsPerRun : Double.NaN;
        }

        /** This cell's levels less the common ones, run by run: its own part. */
        public Cell minus(Cell common) {
            double[] b = new double[base.length], n = new double[next.length];
            for (int i = 0; i < b.length; i++) b[i] = base[i] - common.base[i];
            for (int i = 0; i < n.length; i++) n[i] = next[i] - common.next[i];
            return new Cell(b, n, withinVar, roundsPerRun);
        }

        /** Measured in every run of both sides. */
        boolean complete() {
            return baseRuns() == base.length && newRuns() == next.length;
        }
    }

    /**
     * The common level of each run as cell {@code self} sees it: the mean of the levels of the other cells measured in
     * every run (so that a configuration's own change does not move its reference); null where fewer than two others
     * were. Its variance has degrees of freedom only where a side has a second run.
     */
    public static Cell common(List<Cell> cells, Cell self) {
        List<Cell> others = cells.stream().filter(c -> c != self && c.complete()
                && (self == null || aligned(c, self))).toList();
        if (others.size() < 2) return null;
        Cell first = others.get(0);
        double[] b = new double[first.base.length], n = new double[first.next.length];
        for (Cell c : others) {
            for (int i = 0; i < b.length; i++) b[i] += c.base[i] / others.size();
            for (int i = 0; i < n.length; i++) n[i] += c.next[i] / others.size();
        }
        return new Cell(b, n, Double.NaN, first.roundsPerRun);
    }

    /** Whether {@code c} has the runs {@code common} has, so that one can be taken from the other. */
    public static boolean aligned(Cell c, Cell common) {
        return common != null && c.base.length == common.base.length && c.next.length == common.next.length;
    }

    /** A prior for a cell's own run-level variance: {@code var} on {@code df} degrees of freedom (0: none). */
    public record Prior(double var, double df) {
        public static final Prior NONE = new Prior(Double.NaN, 0);
    }

    /**
     * A configuration's run-level variance measured from identical runs of one box ({@code compare --calibrate}): the
     * variance of a run level (common and own parts together), its degrees of freedom, and the rounds per run and
     * round variance it was measured with, so that it can be rescaled to runs of another length.
     */
    public record Calibrated(double runVar, double df, double roundsPerRun, double withinVar) {
        /** The variance for runs of {@code rounds} rounds: the run part as measured, the round part rescaled. */
        public Prior at(double rounds) {
            if (!Double.isFinite(withinVar) || !(rounds > 0) || !(roundsPerRun > 0)) return new Prior(runVar, df);
            double runPart = Math.max(0, runVar - withinVar / roundsPerRun);
            return new Prior(runPart + withinVar / rounds, df);
        }

        /** Half the width of the 95% interval of one run against one identical run, as a fraction: "within ±X%". */
        public double floor() {
            if (!(df > 0)) return Double.NaN;
            return Math.exp(Estimate.quantile(df, Estimate.CONFIDENCE) * Math.sqrt(2 * runVar)) - 1;
        }
    }

    /**
     * The cell's estimate: its own variance moderated by {@code prior} (or its own alone when the prior has none),
     * plus the common part's where {@code common} separates one.
     */
    public static Estimate estimate(Cell c, Cell common, Prior prior) {
        Cell own = common == null ? c : c.minus(common);
        double v = own.ownVar(), d = own.ownDf();
        double var = v;
        if (prior.df() > 0 && Double.isFinite(prior.var())) {
            double ownPart = d > 0 && Double.isFinite(v) ? d * v : 0;
            var = Double.isInfinite(prior.df()) ? prior.var() : (prior.df() * prior.var() + ownPart) / (prior.df() + d);
        }
        double commonVar = common == null ? 0 : common.ownVar(), commonDf = common == null ? 0 : common.ownDf();
        // a run's level cannot vary less than its rounds make it vary
        if (Double.isFinite(c.roundPart()) && Double.isFinite(var)) var = Math.max(var, c.roundPart() - commonVar);
        double priorDf = prior.df() > 0 && Double.isFinite(prior.var()) ? Math.min(prior.df(), Moderation.MAX_PRIOR_DF)
                : 0;
        return Estimate.ofRuns(c.diff(), commonVar, commonDf, var, d, priorDf, c.baseRuns(), c.newRuns());
    }

    private static double[] levels(List<double[]> runs) {
        double[] out = new double[runs.size()];
        for (int i = 0; i < out.length; i++) {
            double[] r = runs.get(i);
            out[i] = r.length == 0 ? Double.NaN : median(r);
        }
        return out;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return v.length == 0 ? Double.NaN : s / v.length;
    }

    private static int present(double[] v) {
        int n = 0;
        for (double x : v) if (!Double.isNaN(x)) n++;
        return n;
    }

    private static double meanPresent(double[] v) {
        double s = 0;
        int n = 0;
        for (double x : v) {
            if (Double.isNaN(x)) continue;
            s += x;
            n++;
        }
        return n == 0 ? Double.NaN : s / n;
    }

    private static double ss(double[] v) {
        double m = meanPresent(v), s = 0;
        for (double x : v) if (!Double.isNaN(x)) s += (x - m) * (x - m);
        return s;
    }
}
