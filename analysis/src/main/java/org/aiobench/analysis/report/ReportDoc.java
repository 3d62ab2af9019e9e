package org.aiobench.analysis.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The report's content as blocks, written once by the sections and rendered twice: report.md and a
 * self-contained report.html (figures embedded as data: URIs, no external CSS or script). Inline text may hold
 * {@code `code`} and {@code [text](link)}, which both formats render.
 */
public final class ReportDoc {
    sealed interface Block permits Heading, Para, Alert, Bullets, Table, Image, Details {}

    record Heading(int level, String text, String anchor) implements Block {}

    record Para(String text) implements Block {}

    /** Something the reader must not miss (an incomplete run, a noisy one): first in its place, marked. */
    record Alert(String text) implements Block {}

    record Bullets(List<String> items) implements Block {}

    /** Columns from firstNumeric on are numbers (right-aligned in HTML); 0: none. */
    record Table(List<String> header, List<List<String>> rows, int firstNumeric) implements Block {}

    /** figures/&lt;id&gt;.png with a link to the SVG. */
    record Image(String id, String alt, int width) implements Block {}

    /** A part the HTML folds away (the kernel probe). */
    record Details(String summary, List<Block> blocks) implements Block {}

    private final List<Block> blocks = new ArrayList<>();

    public ReportDoc heading(int level, String text) {
        return add(new Heading(level, text, anchor(text)));
    }

    public ReportDoc heading(int level, String text, String anchor) {
        return add(new Heading(level, text, anchor));
    }

    public ReportDoc para(String text) {
        return add(new Para(text));
    }

    public ReportDoc alert(String text) {
        return add(new Alert(text));
    }

    public ReportDoc bullets(List<String> items) {
        return items.isEmpty() ? this : add(new Bullets(List.copyOf(items)));
    }

    public ReportDoc table(List<String> header, List<List<String>> rows, int firstNumeric) {
        return add(new Table(List.copyOf(header), List.copyOf(rows), firstNumeric));
    }

    public ReportDoc image(String id, String alt, int width) {
        return add(new Image(id, alt, width));
    }

    ReportDoc details(String summary, List<Block> inner) {
        return add(new Details(summary, List.copyOf(inner)));
    }

    ReportDoc add(Block b) {
        blocks.add(b);
        return this;
    }

    List<Block> blocks() {
        return List.copyOf(blocks);
    }

    static String anchor(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }

    // ---- Markdown ----

    public String markdown() {
        StringBuilder md = new StringBuilder();
        for (Block b : blocks) markdown(md, b);
        return md.toString();
    }

    private static void markdown(StringBuilder md, Block b) {
        switch (b) {
            case Heading h -> md.append("#".repeat(h.level())).append(' ').append(h.text()).append("\n\n");
            case Para p -> md.append(p.text()).append("\n\n");
            case Alert a -> md.append("> **").append(a.text()).append("**\n\n");
            case Bullets l -> {
                l.items().forEach(i -> md.append("- ").append(i).append('\n'));
                md.append('\n');
            }
            case Table t -> {
                md.append("| ").append(String.join(" | ", t.header())).append(" |\n|");
                t.header().forEach(h -> md.append("---|"));
                md.append('\n');
                for (List<String> r : t.rows()) {
                    md.append("| ").append(r.stream().map(c -> c.replace("|", "\\|"))
                            .collect(Collectors.joining(" | "))).append(" |\n");
                }
                md.append('\n');
            }
            case Image i -> md.append("![").append(i.alt()).append("](figures/").append(i.id()).append(".png)\n\n");
            case Details d -> {
                md.append("### ").append(d.summary()).append("\n\n");
                d.blocks().forEach(x -> markdown(md, x));
            }
        }
    }

    // ---- HTML ----

    public String html(String title, Path figures) throws IOException {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>").append(esc(title))
                .append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;max-width:1240px;margin:1em auto;padding:0 1em;color:#222}\n")
                .append("table{border-collapse:collapse;margin:.5em 0 1em}td,th{border:1px solid #ccc;")
                .append("padding:.2em .6em;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}")
                .append("\nimg{max-width:100%;border:1px solid #eee}code{background:#f4f4f4}\n")
                .append(".alert{border-left:6px solid #c0392b;background:#fdecea;padding:.5em 1em;font-weight:bold}\n")
                .append(".faster,.holds{background:#e3f4e1}.slower,.doesnothold{background:#fbe3e1}")
                .append(".same{background:#eef2f7}.unknown,.inconclusive,.notmeasured{color:#6b6b6b}\n")
                .append("</style></head><body>\n");
        boolean tocDone = false;
        for (Block b : blocks) {
            // the contents go right after the title block, before the first second-level heading
            if (!tocDone && b instanceof Heading hd && hd.level() == 2) {
                toc(h);
                tocDone = true;
            }
            html(h, b, figures);
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    /** The second-level headings, each with its third-level ones. */
    private void toc(StringBuilder h) {
        List<List<Heading>> sections = new ArrayList<>();
        for (Block b : blocks) {
            if (!(b instanceof Heading hd)) continue;
            if (hd.level() == 2) sections.add(new ArrayList<>(List.of(hd)));
            else if (hd.level() == 3 && !sections.isEmpty()) sections.get(sections.size() - 1).add(hd);
        }
        h.append("<nav><p>Contents:</p>\n<ul>\n");
        for (List<Heading> s : sections) {
            h.append("<li>").append(link(s.get(0)));
            if (s.size() > 1) {
                h.append("<ul>\n");
                s.subList(1, s.size()).forEach(sub -> h.append("<li>").append(link(sub)).append("</li>\n"));
                h.append("</ul>");
            }
            h.append("</li>\n");
        }
        h.append("</ul></nav>\n");
    }

    private static String link(Heading hd) {
        return "<a href=\"#" + esc(hd.anchor()) + "\">" + esc(hd.text()) + "</a>";
    }

    private static void html(StringBuilder h, Block b, Path figures) throws IOException {
        switch (b) {
            case Heading hd -> h.append("<h").append(hd.level()).append(" id=\"").append(esc(hd.anchor())).append("\">")
                    .append(esc(hd.text())).append("</h").append(hd.level()).append(">\n");
            case Para p -> h.append("<p>").append(inline(p.text())).append("</p>\n");
            case Alert a -> h.append("<p class=\"alert\">").append(inline(a.text())).append("</p>\n");
            case Bullets l -> {
                h.append("<ul>\n");
                for (String i : l.items()) h.append("<li>").append(inline(i)).append("</li>\n");
                h.append("</ul>\n");
            }
            case Table t -> {
                h.append("<table><tr>");
                t.header().forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
                h.append("</tr>\n");
                for (List<String> r : t.rows()) {
                    h.append("<tr>");
                    for (int i = 0; i < r.size(); i++) {
                        String cls = (t.firstNumeric() > 0 && i >= t.firstNumeric() ? "n " : "") + verdictClass(r.get(i));
                        h.append(cls.isBlank() ? "<td>" : "<td class=\"" + cls.strip() + "\">").append(esc(r.get(i)))
                                .append("</td>");
                    }
                    h.append("</tr>\n");
                }
                h.append("</table>\n");
            }
            case Image i -> {
                byte[] png = Files.readAllBytes(figures.resolve(i.id() + ".png"));
                h.append("<img alt=\"").append(esc(i.alt())).append("\" width=\"").append(i.width())
                        .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png))
                        .append("\">\n");
            }
            case Details d -> {
                h.append("<details><summary>").append(esc(d.summary())).append("</summary>\n");
                for (Block x : d.blocks()) html(h, x, figures);
                h.append("</details>\n");
            }
        }
    }

    /** A comparison cell's verdict: "1.09 [1.05, 1.14] slower (exploratory: 3 rounds)", "... unknown: ~4 ...". */
    private static final java.util.regex.Pattern VERDICT = java.util.regex.Pattern.compile(
            "(?:^|.*\\] )(faster|slower|same|unknown|less|more)(?: \\(exploratory: [^)]*\\)|: .*)?$");

    /** A cell that states a verdict or a claim's outcome gets its colour. */
    private static String verdictClass(String cell) {
        for (String v : List.of("does not hold", "not measured", "inconclusive", "holds")) {
            if (cell.equals(v) || cell.startsWith(v + ":")) return v.replace(" ", "");
        }
        var m = VERDICT.matcher(cell);
        if (!m.matches()) return "";
        return switch (m.group(1)) {
            case "less" -> "faster";
            case "more" -> "slower";
            default -> m.group(1);
        };
    }

    /** `code` and [text](link) of a line of text, the rest escaped. */
    static String inline(String text) {
        return esc(text).replaceAll("`([^`]*)`", "<code>$1</code>")
                .replaceAll("\\[([^\\]]+)\\]\\(([^)\\s]+)\\)", "<a href=\"$2\">$1</a>");
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
