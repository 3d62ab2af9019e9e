package org.aiobench.analysis.claims;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.aiobench.analysis.run.Comparison;
import org.aiobench.analysis.run.Failure;
import org.aiobench.analysis.run.Result;
import org.aiobench.analysis.run.RunData;
import org.aiobench.analysis.run.Skipped;
import org.aiobench.analysis.stats.RatioInterval;
import org.aiobench.analysis.stats.Verdict;
import org.aiobench.vocabulary.ConfigLabel;

/**
 * Judges the copy study's claims ({@link Claims}) against one run, with the same paired comparisons as the report's
 * tables ({@link Comparison}).
 *
 * <p>A part holds when its verdict is the expected one and, where the paper gives a size ({@code about}), the
 * interval reaches that range; it does not hold when the verdict is another decisive one (faster, slower, same) or
 * the interval misses the range; it is inconclusive when the verdict is; it is not measured when a configuration is
 * missing (skipped, failed, not in this run), the run has no rounds, or the two sides are not the same measure. A claim does not hold when any of its
 * measured parts does not; otherwise it is not measured when a part is not, inconclusive when a part is, and holds
 * when every part holds.
 */
public final class ClaimJudge {

    public enum Outcome {
        HOLDS("holds"), DOES_NOT_HOLD("does not hold"), INCONCLUSIVE("inconclusive"), NOT_MEASURED("not measured"),
        /** The machine lacks the condition the claim needs ({@link Claims.Claim#requires}). */
        NOT_TESTABLE("not testable here");

        public final String word;

        Outcome(String word) {
            this.word = word;
        }
    }

    /**
     * @param compared the configurations compared, e.g. "io_uring / cp -r (32K files, buffered, warm cache, …)"
     * @param ours     our figure: "0.912 [0.871, 0.951] faster", or what was found instead
     * @param why      why the outcome, in a few words ("" when the part holds)
     */
    public record PartResult(String compared, String ours, Outcome outcome, String why) {}

    public record Row(Claims.Claim claim, List<PartResult> parts, Outcome outcome, String why) {}

    private final RunData run;
    private final Claims claims;

    public ClaimJudge(RunData run, Claims claims) {
        this.run = run;
        this.claims = claims;
    }

    public List<Row> judge() {
        List<Row> rows = new ArrayList<>();
        for (Claims.Claim c : claims.claims()) {
            String lacking = lacking(c.requires());
            if (lacking != null) {
                rows.add(new Row(c, List.of(new PartResult(ConfigLabel.words(c.where() == null ? Map.of() : c.where()), "–",
                        Outcome.NOT_TESTABLE, lacking)), Outcome.NOT_TESTABLE, lacking));
                continue;
            }
            List<PartResult> parts = new ArrayList<>();
            for (Claims.Part p : c.parts()) parts.add(p.best() != null ? best(c, p) : ratio(c, p));
            rows.add(combine(c, parts));
        }
        return rows;
    }

    /** Why this run's machine lacks {@code requirement}, or null when it has it (or there is none). */
    private String lacking(String requirement) {
        if (requirement == null) return null;
        if (requirement.equals("irqCpusDistinct")) {
            var irq = run.env.path("irqCpus");
            if (irq.isMissingNode()) return null; // not recorded: the parts say what is missing
            if (irq.path("distinct").asBoolean(false)) return null;
            return "this machine cannot create the condition: " + irq.path("reason").asText("the scratch device's"
                    + " interrupt CPUs cannot be told apart");
        }
        return null;
    }

    private static Row combine(Claims.Claim c, List<PartResult> parts) {
        for (Outcome o : List.of(Outcome.DOES_NOT_HOLD, Outcome.NOT_MEASURED, Outcome.INCONCLUSIVE)) {
            for (int i = 0; i < parts.size(); i++) {
                PartResult p = parts.get(i);
                // the report numbers the parts of a claim (1), (2), ...
                if (p.outcome() == o) return new Row(c, parts, o, (parts.size() == 1 ? "" : "(" + (i + 1) + ") ") + p.why());
            }
        }
        return new Row(c, parts, Outcome.HOLDS, "");
    }

    // ---- one side of a part: a configuration of the run ----

    /** A configuration found, or why there is none. */
    private record Side(Result result, String missing) {}

    private Map<String, String> params(Claims.Claim c, Claims.Part p, Map<String, String> side) {
        Map<String, String> m = new LinkedHashMap<>();
        if (c.where() != null) m.putAll(c.where());
        m.putAll(side);
        String size = m.get("fileSize");
        if (size != null && claims.sizes() != null && claims.sizes().containsKey(size)) {
            TreeSet<String> measured = new TreeSet<>();
            Stream.concat(run.group(p.group()).stream(), run.group("cp").stream())
                    .map(r -> r.param("fileSize")).filter(Objects::nonNull).forEach(measured::add);
            String resolved = claims.sizes().get(size).stream().filter(measured::contains).findFirst().orElse(null);
            if (resolved == null) m.put("fileSize", size + " (" + String.join(" or ", claims.sizes().get(size)) + ")");
            else m.put("fileSize", resolved);
        }
        return m;
    }

    /**
     * @param what how the report names this side when it is missing (its own parameters, e.g. "io_uring")
     */
    private Side side(String group, Map<String, String> params, String metric, String what) {
        boolean cp = "cp".equals(params.get("engine"));
        if (cp) {
            Map<String, String> q = new LinkedHashMap<>(params);
            q.remove("engine");
            Result r = run.cpFor(q, metric);
            return r != null ? new Side(r, null) : new Side(null, missing("cp", q, what));
        }
        List<Result> found = run.find(group, params).stream().filter(r -> r.samples().containsKey(metric)).toList();
        if (found.size() == 1) return new Side(found.get(0), null);
        if (found.size() > 1) {
            return new Side(null, found.size() + " configurations of group `" + group + "` match " + params);
        }
        String size = params.getOrDefault("fileSize", "");
        if (size.contains("(")) return new Side(null, "no " + size + " files in this run");
        return new Side(null, missing(group, params, what));
    }

    private String missing(String group, Map<String, String> params, String what) {
        String failed = run.failures.stream().filter(f -> f.matches(group, params)).map(Failure::error).distinct()
                .collect(Collectors.joining("; "));
        if (!failed.isEmpty()) return what + " FAILED: " + failed;
        String skipped = run.skipped.stream().filter(s -> s.matches(group, params)).map(Skipped::reason).distinct()
                .collect(Collectors.joining("; "));
        // the configuration the claim needed, whole: "io_uring not in this run" read as if io_uring had not run
        String needed = what + " (`" + group + "` " + ConfigLabel.words(params) + ")";
        if (!skipped.isEmpty()) return needed + " skipped: " + skipped;
        if (!run.groups.containsKey(group)) return "group `" + group + "` not in this run";
        return needed + ": no such configuration in this run";
    }

    // ---- the two kinds of part ----

    private PartResult ratio(Claims.Claim c, Claims.Part p) {
        String metric = metric(c, p);
        Map<String, String> x = params(c, p, p.x()), y = params(c, p, p.y());
        String compared = compared(x, y);
        Side sx = side(p.group(), x, metric, ConfigLabel.words(p.x())), sy = side(p.group(), y, metric, ConfigLabel.words(p.y()));
        if (sx.result() == null || sy.result() == null) {
            return new PartResult(compared, "–", Outcome.NOT_MEASURED, sx.result() == null ? sx.missing() : sy.missing());
        }
        Comparison cmp = Comparison.of(sx.result(), sy.result(), metric, Claims.minEffect(c, p));
        String ours = cmp.cell();
        if (p.unlike() != null) return new PartResult(compared, ours, Outcome.NOT_MEASURED, p.unlike());
        if (!cmp.inRounds()) return new PartResult(compared, ours, Outcome.NOT_MEASURED, notInRounds());
        Verdict v = cmp.verdict();
        Verdict want = switch (p.expect()) {
            case "faster", "less" -> Verdict.FASTER;
            case "slower", "more" -> Verdict.SLOWER;
            default -> Verdict.SAME;
        };
        boolean speed = Result.isSpeed(metric);
        if (v == Verdict.UNKNOWN) {
            return new PartResult(compared, ours, Outcome.INCONCLUSIVE, "the interval lies neither beyond ±"
                    + pct(Claims.minEffect(c, p)) + " nor within it: " + cmp.paired().judgement().more());
        }
        if (v != want) {
            return new PartResult(compared, ours, Outcome.DOES_NOT_HOLD, "measured " + v.word(speed) + ", the paper "
                    + p.expect());
        }
        List<Double> about = p.about() != null ? p.about() : c.about();
        RatioInterval e = cmp.paired().estimate();
        if (about != null && want != Verdict.SAME && !e.overlaps(about.get(0), about.get(1))) {
            return new PartResult(compared, ours, Outcome.DOES_NOT_HOLD, v.word(speed) + ", but the interval misses "
                    + "the paper's range " + Comparison.ratioText(about.get(0)) + " to "
                    + Comparison.ratioText(about.get(1)));
        }
        return new PartResult(compared, ours, Outcome.HOLDS, "");
    }

    /**
     * The best value of a parameter (e.g. qd): holds when a value within a factor 2 of the paper's is as fast as the
     * best (within the part's minimum effect), does not hold when every such value is slower than the best, both by
     * multiple comparisons with the best ({@link Comparison#vsBest}): the winner is not picked and judged on the same
     * data.
     */
    private PartResult best(Claims.Claim c, Claims.Part p) {
        String metric = metric(c, p), param = p.best();
        Map<String, String> where = params(c, p, p.x());
        String compared = "best " + param + " of " + ConfigLabel.words(where);
        List<Result> candidates = run.find(p.group(), where).stream()
                .filter(r -> r.samples().containsKey(metric) && number(r.param(param)) > 0).toList();
        String expected = param + " " + formatValue(p.expectValue());
        if (candidates.size() < 2) {
            return new PartResult(compared, "–", Outcome.NOT_MEASURED, candidates.isEmpty()
                    ? missing(p.group(), where, ConfigLabel.words(p.x())) : "only one " + param + " measured");
        }
        Result best = Comparison.best(candidates, metric);
        String ours = "best " + param + " " + best.param(param);
        if (!candidates.stream().allMatch(r -> r.inRounds(metric))) {
            return new PartResult(compared, ours + " (by means)", Outcome.NOT_MEASURED, notInRounds());
        }
        List<Result> near = candidates.stream().filter(r -> number(r.param(param)) >= p.expectValue() / 2
                && number(r.param(param)) <= p.expectValue() * 2)
                .sorted(Comparator.comparingDouble(r -> Math.abs(Math.log(number(r.param(param)) / p.expectValue()))))
                .toList();
        if (near.isEmpty()) {
            return new PartResult(compared, ours, Outcome.NOT_MEASURED, "no " + param + " within a factor 2 of the "
                    + "paper's " + formatValue(p.expectValue()) + " was measured");
        }
        double min = Claims.minEffect(c, p);
        List<String> said = new ArrayList<>();
        boolean allSlower = true;
        for (Result r : near) {
            Comparison cmp = Comparison.vsBest(r, candidates, metric, min);
            said.add(param + " " + r.param(param) + " vs the best " + cmp.cell());
            Verdict v = cmp.verdict();
            if (v == Verdict.SAME) {
                return new PartResult(compared, ours + "; " + said.get(said.size() - 1), Outcome.HOLDS, "");
            }
            allSlower &= v == Verdict.SLOWER;
        }
        ours += "; " + String.join("; ", said);
        if (allSlower) return new PartResult(compared, ours, Outcome.DOES_NOT_HOLD, "the paper's " + expected
                + " (and every " + param + " within a factor 2 of it) is slower than the best");
        return new PartResult(compared, ours, Outcome.INCONCLUSIVE, "whether " + expected + " (or a " + param
                + " within a factor 2 of it) is as fast as the best is not settled");
    }

    private static String pct(double fraction) {
        return String.format(java.util.Locale.ROOT, "%.3g%%", 100 * fraction).replaceAll("\\.?0+%$", "%");
    }

    private String notInRounds() {
        return "this run was not measured in rounds (ratio of means only, no interval)";
    }

    private static String metric(Claims.Claim c, Claims.Part p) {
        return p.metric() != null ? p.metric() : c.metric() != null ? c.metric() : Result.TIME;
    }

    // ---- text ----

    /** "fallocate on / fallocate off (posixaio, O_DIRECT, warm cache)": what differs, then what both share. */
    static String compared(Map<String, String> x, Map<String, String> y) {
        Map<String, String> common = new LinkedHashMap<>(), dx = new LinkedHashMap<>(), dy = new LinkedHashMap<>();
        x.forEach((k, v) -> (v.equals(y.get(k)) ? common : dx).put(k, v));
        y.forEach((k, v) -> {
            if (!v.equals(x.get(k))) dy.put(k, v);
        });
        return ConfigLabel.words(dx) + " / " + ConfigLabel.words(dy) + (common.isEmpty() ? "" : " (" + ConfigLabel.words(common) + ")");
    }

    private static double number(String v) {
        try {
            return v == null ? Double.NaN : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String formatValue(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
