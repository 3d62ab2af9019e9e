package org.aiobench.analysis.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.aiobench.analysis.figures.ChartRenderer;
import org.aiobench.analysis.figures.Drawing;
import org.aiobench.analysis.figures.Figure;
import org.aiobench.analysis.figures.FigureBuilder;
import org.aiobench.analysis.figures.RandomIoFigures;
import org.aiobench.analysis.figures.ThesisFigures;
import org.aiobench.analysis.run.Result;
import org.aiobench.analysis.run.Unit;
import org.aiobench.analysis.stats.Numbers;
import org.aiobench.analysis.stats.Stats;
import org.aiobench.vocabulary.ConfigLabel;
import org.aiobench.vocabulary.Vocabulary;

/** The copy study's figures with their tables, and a table for every group no figure shows. */
final class FigureSections {
    private FigureSections() {}

    static final String MBPS = "mbPerSec";

    /** MB/s beside the table's mean time: bytes over that mean (not a mean of rates). */
    private static String mbps(Result r) {
        if (!r.samples().containsKey(MBPS)) return Numbers.NONE;
        double v = r.mbPerSecAtMean(Result.TIME);
        return Double.isFinite(v) ? Numbers.num(v) : Numbers.NONE;
    }

    /** Every figure of {@link org.aiobench.analysis.figures.FigureDef#ALL} the run has data for, each with a table of its numbers. */
    static final class Figures implements ReportSection {
        @Override
        public List<Drawing> drawings(Analysis a) {
            ChartRenderer renderer = new ChartRenderer(a.run.runId(), a.run.kernelRelease());
            List<Drawing> out = new ArrayList<>();
            for (FigureBuilder.Section s : a.figures) for (Figure f : s.figures()) out.add(renderer.drawing(f));
            return out;
        }

        @Override
        public void write(ReportDoc doc, Analysis a) {
            doc.heading(2, "Figures");
            for (FigureBuilder.Section s : a.figures) {
                doc.bullets(s.leftOut());
                for (Figure f : s.figures()) {
                    doc.heading(3, f.title(), f.id());
                    doc.image(f.id(), f.title(), ChartRenderer.WIDTH);
                    doc.para("Vector: [figures/" + f.id() + ".svg](figures/" + f.id() + ".svg). Group `"
                            + f.def().group() + "`, " + metricText(f) + ". " + fixedText(f));
                    doc.table(header(f), rows(f), 2 + f.rowParams().size());
                    doc.bullets(f.notes());
                }
            }
        }

        private static String metricText(Figure f) {
            return f.def().metric().equals(Result.TIME) ? "copy time (primary metric)"
                    : "`" + f.def().metric() + "` (secondary metric)";
        }

        /** The parameters every row shares; a variant's usual value is listed too, and a row's " + k=v" overrides it. */
        private static String fixedText(Figure f) {
            Map<String, String> shown = new TreeMap<>(f.fixed());
            f.def().variants().forEach(shown::putIfAbsent);
            String overrides = shown.size() > f.fixed().size() ? " (a row's “+ k=v” overrides)" : "";
            return "Fixed parameters" + overrides + ": " + ConfigLabel.code(shown);
        }

        private static boolean showMbps(Figure f) {
            return f.def().metric().equals(Result.TIME)
                    && f.points().stream().anyMatch(p -> p.result().samples().containsKey(MBPS));
        }

        static List<String> header(Figure f) {
            String u = f.unit().name().isEmpty() ? "" : " (" + f.unit().name() + ")";
            List<String> h = new ArrayList<>(List.of(f.categoryParam(), f.seriesParam()));
            h.addAll(f.rowParams());
            h.addAll(List.of("mean" + u, "SD" + u, "n"));
            if (showMbps(f)) h.add("MB/s");
            h.add("vs " + Vocabulary.CP_LABEL);
            if (f.def().baseline() != null) h.add(f.def().baseline().header(f.def()));
            return h;
        }

        static List<List<String>> rows(Figure f) {
            List<List<String>> rows = new ArrayList<>();
            for (Figure.Point p : f.points()) rows.add(row(f, p.category(), p.series(), p));
            if (f.cpLine() != null) {
                boolean engineIsSeries = f.seriesParam().equals("engine");
                rows.add(row(f, engineIsSeries ? Numbers.NONE : Vocabulary.CP,
                        engineIsSeries ? Vocabulary.CP : Numbers.NONE, f.cpLine()));
            }
            return rows;
        }

        private static List<String> row(Figure f, String cat, String ser, Figure.Point p) {
            Stats s = p.stats();
            List<String> r = new ArrayList<>(List.of(cat, ser));
            for (String k : f.rowParams()) r.add(p.params().getOrDefault(k, Numbers.NONE));
            r.addAll(List.of(Numbers.num(f.unit().of(s.mean())), Numbers.num(f.unit().of(s.sd())),
                    Integer.toString(s.n())));
            if (showMbps(f)) r.add(mbps(p.result()));
            r.add(p.vsCp() == null ? Numbers.NONE : p.vsCp().cell());
            if (f.def().baseline() != null) {
                r.add(p.isBaseline() ? (f.def().baseline().value() == null ? "best" : "baseline")
                        : p.vsBaseline() == null ? Numbers.NONE : p.vsBaseline().cell());
            }
            return r;
        }
    }

    /**
     * A table for every group that has data but no figure (a `--suite cp` run, a group whose figures were all left
     * out), and always for cp -r, whose start cost only this table shows.
     */
    static final class GroupTables implements ReportSection {
        @Override
        public void write(ReportDoc doc, Analysis a) {
            Set<String> drawn = new LinkedHashSet<>();
            for (FigureBuilder.Section s : a.figures) if (!s.figures().isEmpty()) drawn.add(s.def().group());
            drawn.addAll(RandomIoFigures.shownGroups(a.run)); // RandomIoSection's tables show every configuration
            drawn.addAll(ThesisFigures.shownGroups(a.run)); // so do ThesisSection's
            List<String> groups = a.run.groups.keySet().stream()
                    .filter(g -> g.equals("cp") || !drawn.contains(g) && !g.equals(Result.PEER_GROUP)).toList();
            if (groups.isEmpty()) return;
            doc.heading(2, "Tables");
            doc.para("Every configuration of the groups no figure shows, and of " + Vocabulary.CP_LABEL + ". Times are"
                    + " per copy; MB/s is the bytes of a copy over the mean time beside it (10^6 bytes/s), not a mean"
                    + " of per-copy rates.");
            for (String g : groups) table(doc, g, a.run.group(g));
        }

        private static void table(ReportDoc doc, String group, List<Result> results) {
            doc.heading(3, "Group " + group, "group-" + group);
            String metric = results.stream().anyMatch(r -> r.samples().containsKey(Result.TIME)) ? Result.TIME
                    : Result.OPS;
            List<Result> rs = results.stream().filter(r -> r.samples().containsKey(metric)).toList();
            if (rs.isEmpty()) {
                doc.para("No samples of the primary metric.");
                return;
            }
            // the parameters that tell the rows apart
            List<String> keys = rs.get(0).params().keySet().stream()
                    .filter(k -> rs.stream().map(r -> r.param(k)).distinct().count() > 1).toList();
            double largest = rs.stream().mapToDouble(r -> Stats.of(r.samples().get(metric)).mean()).max().orElse(0);
            Unit u = Unit.forMetric(metric, largest);
            boolean start = rs.stream().anyMatch(r -> r.samples().containsKey(Result.START_COST));
            List<String> header = new ArrayList<>(keys.isEmpty() ? List.of("configuration") : keys);
            String un = u.name().isEmpty() ? "" : " (" + u.name() + ")";
            header.addAll(List.of("mean" + un, "SD" + un, "n", "rounds", "MB/s"));
            if (start) header.addAll(List.of("start cost" + un, "less start cost" + un));
            List<List<String>> rows = new ArrayList<>();
            for (Result r : rs) {
                List<String> row = new ArrayList<>();
                if (keys.isEmpty()) row.add(ConfigLabel.listed(r.group(), r.params()));
                for (String k : keys) row.add(r.params().getOrDefault(k, Numbers.NONE));
                Stats s = Stats.of(r.samples().get(metric));
                row.addAll(List.of(Numbers.num(u.of(s.mean())), Numbers.num(u.of(s.sd())),
                        Integer.toString(s.n()), r.inRounds(metric)
                                ? Integer.toString(r.series(metric).rounds().size()) : Numbers.NONE, mbps(r)));
                if (start) {
                    row.add(cellOf(r, Result.START_COST, u));
                    row.add(cellOf(r, Result.TIME_LESS_START, u));
                }
                rows.add(row);
            }
            doc.table(header, rows, Math.max(1, keys.size()));
            if (group.equals("cp")) {
                doc.para(start ? Vocabulary.CP_LABEL + " as measured includes starting cp (fork and exec, `spawnSec`); \"less start "
                        + "cost\" is what the ratios to " + Vocabulary.CP_LABEL + " use." : Vocabulary.CP_LABEL + " as measured, its start cost included "
                        + "(this run did not record `spawnSec`); the ratios to " + Vocabulary.CP_LABEL + " use these times.");
            }
        }

        private static String cellOf(Result r, String metric, Unit u) {
            double[] v = r.samples().get(metric);
            return v == null ? Numbers.NONE : Numbers.num(u.of(Stats.of(v).mean()));
        }
    }
}
