package org.aiobench.analysis.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.aiobench.analysis.run.Comparison;
import org.aiobench.analysis.run.Result;
import org.aiobench.analysis.run.RunData;
import org.aiobench.analysis.stats.Numbers;
import org.aiobench.analysis.stats.Verdict;
import org.aiobench.vocabulary.ConfigLabel;
import org.aiobench.vocabulary.Vocabulary;

/**
 * Large files against the best C and the device (issue 24), from the large-file group and its references measured in
 * the same rounds: plain {@code cp -r} (peer {@code cp-plain}), {@code cp -r --reflink=never} (group cp) and fio's
 * read-and-write-at-once job (group copybound, the device's copy bound). Per cache state: every configuration with
 * its ratio to each reference, paired by round, and the three answers the issue asks for, each with its interval:
 * copy_file_range as cp does it within 5% of plain cp -r; the fastest engine at or above plain cp -r; the fastest
 * engine at or above 0.95 of the bound's speed.
 *
 * <p>The answers read the intervals the comparisons print: within 5% when the whole interval of the time ratio lies
 * in [0.95, 1.05], not when it lies wholly outside, otherwise unknown; at or above cp when the verdict is faster or
 * same, not when slower; at or above 0.95 of the bound when the time ratio's interval ends at or below 1/0.95, not
 * when it starts above it. A programs' time is compared less its start cost (the engines run in a started JVM), the
 * bound by fio's own runtime ({@code boundSec}).
 */
final class LargeFileSection implements ReportSection {
    static final String GROUP = "large";
    static final String BOUND_GROUP = "copybound";
    static final String BOUND = "boundSec";
    /** "within 5%" of plain cp -r, and 0.95 of the bound: the margins. */
    static final double WITHIN = 0.05, OF_BOUND = 0.95;

    @Override
    public void write(ReportDoc doc, Analysis a) {
        RunData run = a.run;
        List<Result> engines = run.group(GROUP);
        if (engines.isEmpty()) return;
        doc.heading(2, "Large files against cp -r and the device", "large-files");
        doc.para("The large-file group (" + tree(engines.get(0)) + ") in the same rounds as plain `"
                + Vocabulary.CP_PLAIN_LABEL + "` (peer `" + Vocabulary.CP_PLAIN + "`: copy_file_range, whole files), `"
                + Vocabulary.CP_LABEL + "` (read and write) and fio reading the tree while it writes as many bytes, at"
                + " once, with the copies' request size and depth (group `" + BOUND_GROUP + "`: the device's copy"
                + " bound, buffered and O_DIRECT, by fio's own runtime). Each ratio is X / reference, paired by round"
                + " (below 1 X is faster); the programs (their means too) less their start costs. Within 5%: the whole interval in"
                + " [0.95, 1.05]. At or above 0.95 of the bound: the time ratio's interval at or below "
                + String.format(Locale.ROOT, "%.3f", 1 / OF_BOUND) + ".");
        TreeSet<String> caches = new TreeSet<>(Vocabulary.order("cache"));
        engines.forEach(r -> caches.add(r.param("cache")));
        for (String cache : caches) {
            List<Result> here = engines.stream().filter(r -> cache.equals(r.param("cache")))
                    .sorted(Comparator.comparing((Result r) -> r.param("engine"), Vocabulary.order("engine"))
                            .thenComparing(r -> ConfigLabel.largeFile(r.params()))).toList();
            Map<String, String> at = here.get(0).params();
            Result plain = run.peersFor(at, Result.TIME).stream()
                    .filter(p -> Vocabulary.CP_PLAIN.equals(p.param("peer"))).findFirst().orElse(null);
            Result cp = run.cpFor(at, Result.TIME);
            Result boundBuffered = bound(run, at, "false");
            Result boundDirect = bound(run, at, "true");
            doc.heading(3, "Large files, " + Vocabulary.label("cache", cache), "large-files-" + cache);
            List<List<String>> rows = new ArrayList<>();
            for (Result r : here) {
                rows.add(row(ConfigLabel.largeFile(r.params()), r, Result.TIME, plain, cp, boundBuffered, boundDirect));
            }
            if (plain != null) rows.add(row(Vocabulary.CP_PLAIN_LABEL + " (plain)", plain, less(plain), null, cp, boundBuffered, boundDirect));
            if (cp != null) rows.add(row(Vocabulary.CP_LABEL, cp, less(cp), plain, null, boundBuffered, boundDirect));
            for (Result b : new Result[] {boundBuffered, boundDirect}) {
                if (b != null) rows.add(row(boundLabel(b), b, BOUND, null, null, null, null));
            }
            doc.table(List.of("configuration", "mean (s)", "MB/s", "vs " + Vocabulary.CP_PLAIN_LABEL,
                    "vs " + Vocabulary.CP_LABEL, "vs fio bound, buffered", "vs fio bound, O_DIRECT"), rows, 1);
            doc.bullets(answers(here, plain, boundBuffered, boundDirect));
        }
    }

    /** The answers the issue asks for, each with the interval it rests on. */
    private static List<String> answers(List<Result> here, Result plain, Result boundBuffered, Result boundDirect) {
        List<String> out = new ArrayList<>();
        Result cfr = here.stream().filter(r -> "copy_file_range".equals(r.param("engine"))
                && "file".equals(r.param("cfrRequest"))).findFirst().orElse(null);
        if (cfr == null || plain == null) {
            out.add("copy_file_range as cp does it against plain " + Vocabulary.CP_PLAIN_LABEL + ": not both in this run.");
        } else {
            Comparison c = vs(cfr, Result.TIME, plain, less(plain));
            out.add("copy_file_range as cp does it / plain " + Vocabulary.CP_PLAIN_LABEL + ": " + c.cell() + rounds(c)
                    + " → within 5%: " + within(c, 1 - WITHIN, 1 + WITHIN) + ".");
        }
        Result best = Comparison.best(here, Result.TIME);
        if (best == null) return out;
        if (plain != null) {
            Comparison c = vs(best, Result.TIME, plain, less(plain));
            Verdict v = c.verdict();
            out.add("fastest engine, " + ConfigLabel.largeFile(best.params()) + " / plain " + Vocabulary.CP_PLAIN_LABEL + ": " + c.cell()
                    + rounds(c) + " → at or above cp -r's speed: " + (v == null ? "not measured in rounds"
                    : v == Verdict.FASTER || v == Verdict.SAME ? "yes" : v == Verdict.SLOWER ? "no" : "unknown") + ".");
        }
        for (Result b : new Result[] {boundBuffered, boundDirect}) {
            if (b == null) continue;
            Comparison c = vs(best, Result.TIME, b, BOUND);
            out.add("fastest engine, " + ConfigLabel.largeFile(best.params()) + " / " + boundLabel(b) + ": " + c.cell() + rounds(c)
                    + " → at or above 0.95 of the bound: " + atMost(c, 1 / OF_BOUND) + ".");
        }
        return out;
    }

    private static String rounds(Comparison c) {
        return c.inRounds() ? " (n = " + c.paired().n() + " rounds)" : "";
    }

    /** "yes" when the whole interval lies in [lo, hi], "no" when it lies wholly outside, else "unknown". */
    static String within(Comparison c, double lo, double hi) {
        if (!c.inRounds()) return "not measured in rounds";
        var e = c.paired().estimate();
        if (Double.isNaN(e.low())) return "unknown (no interval)";
        if (e.low() >= lo && e.high() <= hi) return "yes";
        if (e.high() < lo || e.low() > hi) return "no";
        return "unknown";
    }

    /** "yes" when the time ratio's interval ends at or below {@code limit}, "no" when it starts above, else "unknown". */
    static String atMost(Comparison c, double limit) {
        if (!c.inRounds()) return "not measured in rounds";
        var e = c.paired().estimate();
        if (Double.isNaN(e.low())) return "unknown (no interval)";
        if (e.high() <= limit) return "yes";
        if (e.low() > limit) return "no";
        return "unknown";
    }

    private static List<String> row(String label, Result r, String metric, Result plain, Result cp, Result boundBuffered,
                                    Result boundDirect) {
        List<String> c = new ArrayList<>();
        c.add(label);
        c.add(Numbers.num(mean(r.samples().get(metric))));
        c.add(Numbers.num(mean(r.samples().get(FigureSections.MBPS))));
        c.add(plain == null ? Numbers.NONE : MetadataRingSection.withN(vs(r, metric, plain, less(plain))));
        c.add(cp == null ? Numbers.NONE : MetadataRingSection.withN(vs(r, metric, cp, less(cp))));
        c.add(boundBuffered == null ? Numbers.NONE : MetadataRingSection.withN(vs(r, metric, boundBuffered, BOUND)));
        c.add(boundDirect == null ? Numbers.NONE : MetadataRingSection.withN(vs(r, metric, boundDirect, BOUND)));
        return c;
    }

    private static Comparison vs(Result x, String xMetric, Result y, String yMetric) {
        return Comparison.of(x, xMetric, y, yMetric, Result.TIME);
    }

    /** A program's time less its start cost where recorded, else as measured. */
    private static String less(Result program) {
        return program.samples().containsKey(Result.TIME_LESS_START) ? Result.TIME_LESS_START : Result.TIME;
    }

    private static Result bound(RunData run, Map<String, String> at, String direct) {
        return run.group(BOUND_GROUP).stream().filter(b -> direct.equals(b.param("direct"))
                && at.get("fileSize").equals(b.param("fileSize")) && at.get("files").equals(b.param("files"))
                && at.get("cache").equals(b.param("cache")) && b.samples().containsKey(BOUND)).findFirst().orElse(null);
    }

    private static String boundLabel(Result b) {
        return "fio bound, " + ("true".equals(b.param("direct")) ? "O_DIRECT" : "buffered") + " (bs " + b.param("bs")
                + ", iodepth " + b.param("iodepth") + ")";
    }

    private static String tree(Result r) {
        return r.param("files") + " files of " + r.param("fileSize");
    }

    private static double mean(double[] v) {
        return v == null ? Double.NaN : Arrays.stream(v).average().orElse(Double.NaN);
    }
}
