package org.aiobench.analysis.stats;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Every cell of a comparison across runs judged at once (what {@code compare} and each step of {@code history}
 * decide): per cell the two-level estimate ({@link RunLevel}), its variance moderated across the cells of its kind
 * ({@link Moderation}) or taken from a calibration of the box, the marginal verdict ({@link VerdictRule}), then the
 * corrections for many cells ({@link Multiplicity}):
 *
 * <ul>
 *   <li>the listed verdicts control the false discovery rate per kind with Benjamini-Hochberg. Ratios to cp -r share
 *       cp's samples, so their tests depend on each other, but positively: cp's noise enters every ratio with the same
 *       sign, a dependence under which Benjamini-Hochberg holds (Benjamini and Yekutieli 2001, section 3.1), so the
 *       more conservative Benjamini-Yekutieli is kept for the within-run comparisons compared across sides, whose
 *       dependence has no known sign;</li>
 *   <li>the exit status is family-wise: a slower verdict gates it only where Holm's correction over every gating
 *       cell backs it as well. A configuration (or a group) is judged up to three times, views of one question; it gates through the most precise of them (absolute, against all, against cp -r), chosen
 *       by the width of its interval alone. Under normal noise a variance is independent of the estimate, so the
 *       choice does not bias the test it picks (Bourgon, Gentleman and Huber 2010, independent filtering), and Holm
 *       counts one test per configuration instead of three.</li>
 * </ul>
 */
public final class CrossRun {
    private CrossRun() {}

    /** What a cell compares, which sets its moderation, its correction and whether it gates the exit status. */
    public enum Kind {
        ABSOLUTE(true, false), VS_CP(true, false), GROUP_ABSOLUTE(true, false), GROUP_VS_CP(true, false),
        /**
         * A configuration's change beyond the change of every configuration together (the run's common level less):
         * what moved this configuration and not the box. Its inputs are the absolute ones.
         */
        RELATIVE(true, false),
        /** A within-run comparison (flag on vs off) compared between the sides: shown, never gating. */
        WITHIN(false, true);

        public final boolean gates;
        /** Listed with Benjamini-Yekutieli (dependence of unknown sign) rather than Benjamini-Hochberg. */
        final boolean yekutieli;

        Kind(boolean gates, boolean yekutieli) {
            this.gates = gates;
            this.yekutieli = yekutieli;
        }
    }

    /**
     * One cell: per run, its per-round log values on each side (one array per run of the side, empty where the run
     * did not measure it).
     *
     * @param question   cells with the same question (a configuration's absolute and vs-cp cells) gate the exit
     *                   status through the more precise of them; null: the cell is a question of its own
     * @param calibrated the box's calibrated run-level variance for this cell, or null
     */
    public record Input(Kind kind, List<double[]> base, List<double[]> next, Better better, boolean speed,
                        String question, RunLevel.Calibrated calibrated) {
        public Input(Kind kind, List<double[]> base, List<double[]> next, Better better, boolean speed,
                     String question) {
            this(kind, base, next, better, speed, question, null);
        }
    }

    /**
     * @param judgements the inputs' final verdicts, in their order
     * @param gates      which cells gate the exit status (listed slower and backed by Holm)
     * @param marginal   the verdicts before any correction
     * @param priors     per kind, the fitted moderation
     * @param gatingFamily how many cells Holm's correction counted
     */
    public record Output(List<Judgement> judgements, boolean[] gates, List<Judgement> marginal,
                         Map<Kind, Moderation> priors, int gatingFamily) {
        public boolean anyGate() {
            for (boolean g : gates) if (g) return true;
            return false;
        }
    }

    /** The kind whose configurations give a group kind its common level (a group is its configurations' mean). */
    static Kind parent(Kind k) {
        return switch (k) {
            case GROUP_ABSOLUTE, RELATIVE -> Kind.ABSOLUTE;
            case GROUP_VS_CP -> Kind.VS_CP;
            default -> k;
        };
    }

    /**
     * Every input's estimate: per kind the common level of each run (from the kind's configurations, shared with its
     * groups), each cell's own part moderated across the cells of its kind, or its calibration where it has one and a
     * side has a single run.
     */
    static List<Estimate> estimates(List<Input> inputs, Map<Kind, Moderation> priors) {
        int n = inputs.size();
        List<RunLevel.Cell> cells = inputs.stream().map(i -> RunLevel.Cell.of(i.base(), i.next())).toList();
        Map<Kind, List<RunLevel.Cell>> byKind = new EnumMap<>(Kind.class);
        for (int i = 0; i < n; i++) {
            byKind.computeIfAbsent(inputs.get(i).kind(), k -> new ArrayList<>()).add(cells.get(i));
        }
        // each cell's own part: the whole cell, its part beyond the common level, or (relative) only that part
        List<RunLevel.Cell> own = new ArrayList<>();
        List<RunLevel.Cell> separated = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Kind k = inputs.get(i).kind();
            RunLevel.Cell c = cells.get(i);
            // the reference: the other configurations of the kind (a relative cell's twin absolute cell excluded)
            List<RunLevel.Cell> peers = byKind.getOrDefault(parent(k), List.of());
            RunLevel.Cell self = k == parent(k) ? c : k == Kind.RELATIVE ? twin(inputs, cells, i) : null;
            RunLevel.Cell cm = RunLevel.common(peers, self);
            boolean aligned = RunLevel.aligned(c, cm);
            // the common level's variance needs a second run on a side; the relative part needs only the level
            RunLevel.Cell sep = aligned && (k == Kind.RELATIVE || cm.ownDf() >= 1) ? cm : null;
            separated.add(sep);
            own.add(sep == null ? c : c.minus(sep));
        }
        for (Kind k : Kind.values()) {
            List<RunLevel.Cell> ofKind = new ArrayList<>();
            for (int i = 0; i < n; i++) if (inputs.get(i).kind() == k) ofKind.add(own.get(i));
            priors.put(k, Moderation.fit(ofKind));
        }
        List<Estimate> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Input in = inputs.get(i);
            RunLevel.Cell c = cells.get(i), sep = separated.get(i);
            boolean oneRun = c.baseRuns() < 2 || c.newRuns() < 2;
            if (in.kind() == Kind.RELATIVE) {
                if (sep == null) {
                    out.add(RunLevel.estimate(new RunLevel.Cell(new double[0], new double[0], Double.NaN, 0), null,
                            RunLevel.Prior.NONE));
                    continue;
                }
                RunLevel.Prior prior = in.calibrated() != null && oneRun ? in.calibrated().at(c.roundsPerRun())
                        : priors.get(in.kind()).priorFor(own.get(i));
                out.add(RunLevel.estimate(own.get(i), null, prior));
            } else if (in.calibrated() != null && oneRun) {
                // the calibration's variance is a run level's whole variance, common part included
                out.add(RunLevel.estimate(c, null, in.calibrated().at(c.roundsPerRun())));
            } else {
                out.add(RunLevel.estimate(c, sep, priors.get(in.kind()).priorFor(c)));
            }
        }
        return out;
    }

    /** The half-width of a cell's interval on the log scale: its precision, from its variance and df alone. */
    private static double halfWidth(Judgement j) {
        return j.estimate().quantile(Estimate.CONFIDENCE) * j.estimate().se();
    }

    /** The absolute cell measured from the same runs as relative input i (its twin), or null. */
    private static RunLevel.Cell twin(List<Input> inputs, List<RunLevel.Cell> cells, int i) {
        for (int j = 0; j < inputs.size(); j++) {
            if (inputs.get(j).kind() == Kind.ABSOLUTE && same(inputs.get(j).base(), inputs.get(i).base())
                    && same(inputs.get(j).next(), inputs.get(i).next())) return cells.get(j);
        }
        return null;
    }

    /** The same runs' arrays, element by element. */
    private static boolean same(List<double[]> a, List<double[]> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) if (a.get(i) != b.get(i)) return false;
        return true;
    }

    /**
     * A calibration from identical runs (every input's runs on its base side, none on the new): per input the variance
     * of one run's level, its common and own parts together, with its degrees of freedom; null where fewer than two
     * runs measured the cell.
     */
    public static List<RunLevel.Calibrated> calibrate(List<Input> inputs) {
        Map<Kind, Moderation> priors = new EnumMap<>(Kind.class);
        List<Estimate> est = estimates(inputs, priors);
        List<RunLevel.Calibrated> out = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Estimate e = est.get(i);
            double var = e.commonVar() + e.ownVar();
            out.add(Double.isFinite(var) && e.df() > 0 ? new RunLevel.Calibrated(var, e.df(),
                    RunLevel.Cell.of(inputs.get(i).base(), inputs.get(i).next()).roundsPerRun(),
                    RunLevel.Cell.of(inputs.get(i).base(), inputs.get(i).next()).withinVar()) : null);
        }
        return out;
    }

    public static Output judge(List<Input> inputs, double threshold) {
        int n = inputs.size();
        Map<Kind, Moderation> priors = new EnumMap<>(Kind.class);
        List<Estimate> est = estimates(inputs, priors);
        List<Judgement> marginal = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Input in = inputs.get(i);
            marginal.add(VerdictRule.judge(est.get(i), threshold, in.better(), in.speed()));
        }
        // listed verdicts: the false discovery rate per kind
        List<Judgement> listed = new ArrayList<>(marginal);
        for (Kind k : Kind.values()) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < n; i++) if (inputs.get(i).kind() == k) idx.add(i);
            double[] p = idx.stream().mapToDouble(i -> marginal.get(i).pChange()).toArray();
            double[] adj = k.yekutieli ? Multiplicity.benjaminiYekutieli(p) : Multiplicity.benjaminiHochberg(p);
            int tested = (int) java.util.Arrays.stream(p).filter(x -> !Double.isNaN(x)).count();
            for (int j = 0; j < idx.size(); j++) {
                int i = idx.get(j);
                listed.set(i, VerdictRule.corrected(marginal.get(i), adj[j], tested));
            }
        }
        // the exit status: Holm over one test per question, the question's most precise gating cell
        java.util.Map<Object, Integer> chosen = new java.util.LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Input in = inputs.get(i);
            if (!in.kind().gates || !marginal.get(i).estimate().hasInterval()) continue;
            Object q = in.question() != null ? in.question() : i;
            Integer prev = chosen.get(q);
            if (prev == null || halfWidth(marginal.get(i)) < halfWidth(marginal.get(prev))) chosen.put(q, i);
        }
        List<Integer> gating = new ArrayList<>(chosen.values());
        double[] p = gating.stream().mapToDouble(i -> marginal.get(i).pSlower()).toArray();
        double[] holm = Multiplicity.holm(p);
        boolean[] gates = new boolean[n];
        for (int j = 0; j < gating.size(); j++) {
            int i = gating.get(j);
            gates[i] = listed.get(i).verdict() == Verdict.SLOWER && holm[j] < VerdictRule.ALPHA;
        }
        int family = gating.size();
        return new Output(listed, gates, marginal, priors, family);
    }
}
