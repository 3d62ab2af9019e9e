package org.aiobench.plot;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Writes report.md and report.html: the environment, every figure with a table of its numbers, what was left out
 * and the skipped configurations. The HTML embeds the PNGs as data: URIs and has no external CSS or script.
 */
final class ReportWriter {
    /** env.json keys shown first, in this order (results/README.md); the rest follow as they are. */
    private static final List<String> ENV_FIRST = List.of("runId", "createdAt", "quick", "kernel", "cpu",
            "memoryBytes", "scratch", "jdk", "jmhVersion", "aiobench");
    static final String NONE = "–";

    private final RunData run;
    private final List<FigureBuilder.Section> sections;

    ReportWriter(RunData run, List<FigureBuilder.Section> sections) {
        this.run = run;
        this.sections = sections;
    }

    /** A number with 5 significant digits, plainly written (the tables' precision). */
    static String num(double v) {
        if (Double.isNaN(v)) return "n/a";
        if (v == 0) return "0";
        return new BigDecimal(v).round(new MathContext(5)).stripTrailingZeros().toPlainString();
    }

    // ---- the content both formats share ----

    /** env.json flattened to dotted keys, the kernel probe apart (it is long). */
    private List<List<String>> envRows(boolean probe) {
        Map<String, String> flat = new LinkedHashMap<>();
        if (probe) {
            if (run.env.has("probe")) flatten("probe", run.env.get("probe"), flat);
        } else {
            for (String k : ENV_FIRST) if (run.env.has(k)) flatten(k, run.env.get(k), flat);
            run.env.fieldNames().forEachRemaining(k -> {
                if (!ENV_FIRST.contains(k) && !k.equals("probe")) flatten(k, run.env.get(k), flat);
            });
        }
        return flat.entrySet().stream().map(e -> List.of(e.getKey(), e.getValue())).toList();
    }

    private static void flatten(String key, JsonNode n, Map<String, String> out) {
        if (n.isObject()) {
            n.fields().forEachRemaining(e -> flatten(key + "." + e.getKey(), e.getValue(), out));
        } else if (n.isArray() && n.size() > 0 && n.get(0).isContainerNode()) {
            for (int i = 0; i < n.size(); i++) flatten(key + "[" + i + "]", n.get(i), out);
        } else if (n.isArray()) {
            List<String> items = new ArrayList<>();
            n.forEach(e -> items.add(e.asText()));
            out.put(key, String.join(", ", items));
        } else if (key.equals("memoryBytes") && n.canConvertToLong()) {
            out.put(key, n.asText() + String.format(Locale.ROOT, " (%.1f GiB)", n.asLong() / (double) (1L << 30)));
        } else {
            out.put(key, n.asText());
        }
    }

    private static List<String> tableHeader(Figure f) {
        String u = f.unit().name().isEmpty() ? "" : " (" + f.unit().name() + ")";
        List<String> h = new ArrayList<>(List.of(f.categoryParam(), f.seriesParam()));
        h.addAll(f.rowParams());
        h.addAll(List.of("mean" + u, "SD" + u, "n", "ratio to cp -r"));
        return h;
    }

    private List<List<String>> tableRows(Figure f) {
        List<List<String>> rows = new ArrayList<>();
        for (Figure.Point p : f.points()) {
            rows.add(row(f, p.category(), p.series(), p));
            boolean cp = p.category().equals(Vocabulary.CP) || p.series().equals(Vocabulary.CP);
            Figure.Point less = cp ? lessStart(f, p) : null;
            if (less != null) {
                boolean onCategory = p.category().equals(Vocabulary.CP);
                rows.add(row(f, onCategory ? CP_LESS_START : p.category(), onCategory ? p.series() : CP_LESS_START, less));
            }
        }
        if (f.cpLine() != null) {
            boolean engineIsSeries = f.seriesParam().equals("engine");
            rows.add(row(f, engineIsSeries ? NONE : Vocabulary.CP, engineIsSeries ? Vocabulary.CP : NONE, f.cpLine()));
            Figure.Point less = lessStart(f, f.cpLine());
            if (less != null) {
                rows.add(row(f, engineIsSeries ? NONE : CP_LESS_START, engineIsSeries ? CP_LESS_START : NONE, less));
            }
        }
        return rows;
    }

    static final String CP_LESS_START = "cp -r less start";

    /**
     * cp -r's copy time less its start cost ({@code spawnSec}: cp started through the same path on an empty
     * directory before each copy), copy by copy; its ratio is to cp -r as measured. Null where there is none.
     */
    private Figure.Point lessStart(Figure f, Figure.Point cp) {
        if (!f.def().metric().equals(Result.TIME)) return null;
        for (Result r : run.group("cp")) {
            if (!r.params().equals(cp.params())) continue;
            double[] t = r.samples().get(Result.TIME);
            double[] start = r.samples().get("spawnSec");
            if (t == null || start == null || t.length != start.length) return null;
            double[] d = new double[t.length];
            for (int i = 0; i < t.length; i++) d[i] = t[i] - start[i];
            Stats st = Stats.of(d);
            return new Figure.Point(cp.category(), cp.series(), cp.params(), st, st.mean() / cp.stats().mean());
        }
        return null;
    }

    private static List<String> row(Figure f, String cat, String ser, Figure.Point p) {
        Stats s = p.stats();
        List<String> r = new ArrayList<>(List.of(cat, ser));
        for (String k : f.rowParams()) r.add(p.params().getOrDefault(k, NONE));
        r.addAll(List.of(num(f.unit().of(s.mean())), num(f.unit().of(s.sd())), Integer.toString(s.n()),
                Double.isNaN(p.ratioToCp()) ? NONE : num(p.ratioToCp())));
        return r;
    }

    /** The parameters every row shares; a variant's usual value is listed too, and a row's " + k=v" overrides it. */
    private static String fixedText(Figure f, boolean html) {
        Map<String, String> shown = new TreeMap<>(f.fixed());
        f.def().variants().forEach(shown::putIfAbsent);
        String overrides = shown.size() > f.fixed().size() ? " (a row's “+ k=v” overrides)" : "";
        return "Fixed parameters" + overrides + ": " + shown.entrySet().stream()
                .map(e -> html ? "<code>" + esc(e.getKey() + "=" + e.getValue()) + "</code>"
                        : "`" + e.getKey() + "=" + e.getValue() + "`")
                .collect(Collectors.joining(" "));
    }

    private String intro() {
        return "Every number below is computed from the raw samples in `jmh/*.json`: mean, sample standard "
                + "deviation (SD) and n, the number of measured copies (all forks together). Error bars are "
                + "mean ± 2 SD, their lower ends clamped at 0; JMH's scoreError (a 99.9% confidence half-width) is "
                + "not used. Ratio to cp -r = mean / mean of `cp -r` as measured (its process start included) for the "
                + "same file size and cache state (below 1: faster than cp -r). Where the run measured cp's start "
                + "cost (`spawnSec`: cp started the same way on an empty directory before each copy), the row "
                + "\"cp -r less start\" shows cp's time less it, copy by copy. A figure the run has no data for is "
                + "left out and says so.";
    }

    private static String metricText(Figure f) {
        return f.def().metric().equals(Result.TIME) ? "copy time (primary metric)"
                : "`" + f.def().metric() + "` (secondary metric)";
    }

    // ---- Markdown ----

    void writeMarkdown(Path file) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# aiobench copy study: run ").append(run.runId()).append("\n\n");
        md.append("Kernel ").append(run.kernelRelease()).append(". Regenerate with `./run-experiments.sh plot ")
                .append("results/").append(run.dir.getFileName()).append("`.\n\n");
        md.append(intro()).append("\n\n");
        md.append("## Environment\n\n");
        mdTable(md, List.of("key", "value"), envRows(false));
        List<List<String>> probe = envRows(true);
        if (!probe.isEmpty()) {
            md.append("### Kernel probe\n\n");
            mdTable(md, List.of("key", "value"), probe);
        }
        md.append("## Figures\n\n");
        for (FigureBuilder.Section s : sections) {
            for (String line : s.leftOut()) md.append("- ").append(line).append("\n");
            if (!s.leftOut().isEmpty()) md.append("\n");
            for (Figure f : s.figures()) {
                md.append("### ").append(f.title()).append("\n\n");
                md.append("![").append(f.title()).append("](figures/").append(f.id()).append(".png)\n\n");
                md.append("Vector: [figures/").append(f.id()).append(".svg](figures/").append(f.id())
                        .append(".svg). Group `").append(f.def().group()).append("`, ").append(metricText(f))
                        .append(". ").append(fixedText(f, false)).append("\n\n");
                mdTable(md, tableHeader(f), tableRows(f));
                for (String n : f.notes()) md.append("- ").append(n).append("\n");
                if (!f.notes().isEmpty()) md.append("\n");
            }
        }
        md.append("## Skipped configurations\n\n");
        if (run.skipped.isEmpty()) {
            md.append("None: skipped.json is absent or empty.\n");
        } else {
            mdTable(md, List.of("group", "configuration", "reason"), run.skipped.stream()
                    .map(s -> List.of(s.group(), paramsText(s.params()), s.reason())).toList());
        }
        Files.writeString(file, md, StandardCharsets.UTF_8);
    }

    private static String paramsText(Map<String, String> p) {
        return p.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    private static void mdTable(StringBuilder md, List<String> header, List<List<String>> rows) {
        md.append("| ").append(String.join(" | ", header)).append(" |\n|");
        header.forEach(h -> md.append("---|"));
        md.append("\n");
        for (List<String> r : rows) {
            md.append("| ").append(r.stream().map(c -> c.replace("|", "\\|")).collect(Collectors.joining(" | ")))
                    .append(" |\n");
        }
        md.append("\n");
    }

    // ---- HTML ----

    void writeHtml(Path file, Path figures) throws IOException {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>aiobench run ")
                .append(esc(run.runId())).append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;max-width:1240px;margin:1em auto;padding:0 1em;color:#222}\n")
                .append("table{border-collapse:collapse;margin:.5em 0 1em}td,th{border:1px solid #ccc;")
                .append("padding:.2em .6em;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}")
                .append("\nimg{max-width:100%;border:1px solid #eee}.left{color:#8a4b00}code{background:#f4f4f4}\n")
                .append("</style></head><body>\n");
        h.append("<h1>aiobench copy study: run ").append(esc(run.runId())).append("</h1>\n");
        h.append("<p>Kernel ").append(esc(run.kernelRelease())).append(". Regenerate with <code>./run-experiments.sh")
                .append(" plot results/").append(esc(run.dir.getFileName().toString())).append("</code>.</p>\n");
        h.append("<p>").append(esc(intro()).replaceAll("`([^`]*)`", "<code>$1</code>")).append("</p>\n");
        h.append("<p>Figures:</p>\n<ul>\n");
        for (FigureBuilder.Section s : sections) {
            for (Figure f : s.figures()) {
                h.append("<li><a href=\"#").append(esc(f.id())).append("\">").append(esc(f.title()))
                        .append("</a></li>\n");
            }
        }
        h.append("</ul>\n<h2>Environment</h2>\n");
        htmlTable(h, List.of("key", "value"), envRows(false), 0);
        List<List<String>> probe = envRows(true);
        if (!probe.isEmpty()) {
            h.append("<details><summary>Kernel probe</summary>\n");
            htmlTable(h, List.of("key", "value"), probe, 0);
            h.append("</details>\n");
        }
        h.append("<h2>Figures</h2>\n");
        for (FigureBuilder.Section s : sections) {
            if (!s.leftOut().isEmpty()) {
                h.append("<ul class=\"left\">\n");
                for (String line : s.leftOut()) h.append("<li>").append(esc(line)).append("</li>\n");
                h.append("</ul>\n");
            }
            for (Figure f : s.figures()) {
                byte[] png = Files.readAllBytes(figures.resolve(f.id() + ".png"));
                h.append("<h3 id=\"").append(esc(f.id())).append("\">").append(esc(f.title())).append("</h3>\n");
                h.append("<img alt=\"").append(esc(f.title())).append("\" width=\"").append(ChartRenderer.WIDTH)
                        .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png))
                        .append("\">\n");
                h.append("<p>Vector: <a href=\"figures/").append(esc(f.id())).append(".svg\">figures/")
                        .append(esc(f.id())).append(".svg</a>. Group <code>").append(esc(f.def().group()))
                        .append("</code>, ").append(esc(metricText(f)).replaceAll("`([^`]*)`", "<code>$1</code>"))
                        .append(". ").append(fixedText(f, true)).append("</p>\n");
                htmlTable(h, tableHeader(f), tableRows(f), 2 + f.rowParams().size());
                if (!f.notes().isEmpty()) {
                    h.append("<ul class=\"left\">\n");
                    for (String n : f.notes()) h.append("<li>").append(esc(n)).append("</li>\n");
                    h.append("</ul>\n");
                }
            }
        }
        h.append("<h2>Skipped configurations</h2>\n");
        if (run.skipped.isEmpty()) {
            h.append("<p>None: skipped.json is absent or empty.</p>\n");
        } else {
            htmlTable(h, List.of("group", "configuration", "reason"), run.skipped.stream()
                    .map(s -> List.of(s.group(), paramsText(s.params()), s.reason())).toList(), 0);
        }
        h.append("</body></html>\n");
        Files.writeString(file, h, StandardCharsets.UTF_8);
    }

    /** Columns from firstNumeric on are right-aligned numbers. */
    private static void htmlTable(StringBuilder h, List<String> header, List<List<String>> rows, int firstNumeric) {
        h.append("<table><tr>");
        header.forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
        h.append("</tr>\n");
        for (List<String> r : rows) {
            h.append("<tr>");
            for (int i = 0; i < r.size(); i++) {
                h.append(firstNumeric > 0 && i >= firstNumeric ? "<td class=\"n\">" : "<td>")
                        .append(esc(r.get(i))).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
