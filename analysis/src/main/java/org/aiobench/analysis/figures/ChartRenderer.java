package org.aiobench.analysis.figures;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Line2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.aiobench.analysis.run.Unit;
import org.aiobench.analysis.stats.Stats;
import org.aiobench.vocabulary.ConfigLabel;
import org.aiobench.vocabulary.Vocabulary;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a {@link Figure} with XChart and writes it as PNG and SVG. XChart's own error bars are symmetric and cannot
 * be clamped at zero (and break after a missing value), so the chart is an XY chart whose bars are polygons, and
 * the error bars, the category labels and the footer are drawn over it on the same Graphics2D, for both formats.
 */
public final class ChartRenderer {
    public static final int WIDTH = 1200;
    public static final int CHART_HEIGHT = 640;
    static final int FOOTER_HEIGHT = 72;
    public static final int HEIGHT = CHART_HEIGHT + FOOTER_HEIGHT;

    private static final double GROUP_WIDTH = 0.8;
    private static final Color TEXT = new Color(0x22, 0x22, 0x22);
    private static final Color CP_COLOR = new Color(0x33, 0x33, 0x33);
    private static final Map<String, Color> ENGINE_COLORS = Map.of(
            "sync", new Color(0x1f77b4), "copy_file_range", new Color(0xff7f0e), "posixaio", new Color(0x2ca02c),
            "libaio", new Color(0xd62728), "io_uring", new Color(0x9467bd), Vocabulary.CP, new Color(0x7f7f7f));
    static final Color[] PALETTE = {new Color(0x4c72b0), new Color(0xdd8452), new Color(0x55a868),
            new Color(0xc44e52), new Color(0x8172b3), new Color(0x937860), new Color(0xda8bc3)};
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 20);
    private static final Font AXIS = new Font(Font.SANS_SERIF, Font.PLAIN, 16);
    private static final Font TICKS = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
    private static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

    private final String runId;
    private final String kernel;

    public ChartRenderer(String runId, String kernel) {
        this.runId = runId;
        this.kernel = kernel;
    }

    /** The figure as figures/<id>.png and figures/<id>.svg. */
    public Drawing drawing(Figure f) {
        return new Drawing(f.id(), WIDTH, HEIGHT, g -> paint(f, g));
    }

    private void paint(Figure f, Graphics2D g) {
        Layout layout = new Layout(f);
        XYChart chart = chart(f, layout);
        chart.paint(g, WIDTH, CHART_HEIGHT);
        overlay(f, layout, chart, g);
        footer(f, g);
    }

    /** Where each category and each bar sits on the x axis. */
    private static final class Layout {
        final List<String> categories;
        final List<String> series;
        final double[] catX;
        final boolean bars;

        Layout(Figure f) {
            categories = f.categories();
            series = f.series();
            bars = f.def().kind() == FigureDef.Kind.BARS;
            catX = new double[categories.size()];
            // queue depths go on a log2 axis: doubling steps are evenly spaced, as in the copy report's 4.4
            boolean log = !bars && categories.stream().allMatch(ChartRenderer::positiveNumber);
            for (int i = 0; i < catX.length; i++) {
                catX[i] = log ? Math.log(Double.parseDouble(categories.get(i))) / Math.log(2) : i;
            }
        }

        double x(Figure.Point p) {
            double c = catX[categories.indexOf(p.category())];
            return bars ? barCenter(c, series.indexOf(p.series())) : c;
        }

        double barCenter(double c, int j) {
            return c - GROUP_WIDTH / 2 + (j + 0.5) * barWidth();
        }

        double barWidth() {
            return GROUP_WIDTH / series.size();
        }

        double minX() {
            return catX.length == 0 ? 0 : catX[0] - 0.5;
        }

        double maxX() {
            return catX.length == 0 ? 1 : catX[catX.length - 1] + 0.5;
        }
    }

    private XYChart chart(Figure f, Layout l) {
        Unit u = f.unit();
        XYChart chart = styledChart(WIDTH, CHART_HEIGHT, f.title(), axisTitle(f), u.axisTitle());
        var st = chart.getStyler();
        // category labels are drawn by overlay() in the room the hidden x tick labels would take
        st.setXAxisTicksVisible(false);
        st.setAxisTitlePadding(30);
        st.setMarkerSize(9);
        st.setXAxisMin(l.minX());
        st.setXAxisMax(l.maxX());
        st.setYAxisMin(0.0);
        double top = f.points().stream().mapToDouble(p -> u.of(p.stats().high())).max().orElse(1);
        if (f.cpLine() != null) top = Math.max(top, u.of(f.cpLine().stats().high()));
        st.setYAxisMax(top > 0 ? top * 1.08 : 1);

        for (int j = 0; j < l.series.size(); j++) {
            String s = l.series.get(j);
            List<Figure.Point> pts = f.points().stream().filter(p -> p.series().equals(s)).toList();
            if (pts.isEmpty()) continue;
            List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
            for (Figure.Point p : pts) {
                double y = u.of(p.stats().mean());
                if (l.bars) {
                    double x0 = l.x(p) - l.barWidth() / 2 + 0.01, x1 = l.x(p) + l.barWidth() / 2 - 0.01;
                    xs.addAll(List.of(x0, x0, x1, x1));
                    ys.addAll(List.of(0.0, y, y, 0.0));
                } else {
                    xs.add(l.x(p));
                    ys.add(y);
                }
            }
            XYSeries xy = chart.addSeries(Vocabulary.label(f.seriesParam(), s), xs, ys);
            Color c = seriesColor(f, l, s);
            xy.setLineColor(c);
            xy.setMarkerColor(c);
            if (l.bars) {
                xy.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
                xy.setFillColor(c);
                xy.setLineStyle(SeriesLines.NONE);
                xy.setMarker(SeriesMarkers.NONE);
            } else {
                xy.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                xy.setMarker(SeriesMarkers.CIRCLE);
                // fio's curve of an engine: the engine's colour, dashed
                xy.setLineStyle(s.startsWith(RandomIoFigures.FIO_SERIES) ? new BasicStroke(2.5f, BasicStroke.CAP_BUTT,
                        BasicStroke.JOIN_MITER, 10, new float[] {10, 6}, 0) : new BasicStroke(2.5f));
            }
        }
        if (f.cpLine() != null) {
            Stats s = f.cpLine().stats();
            double[] xs = {l.minX(), l.maxX()};
            XYSeries line = chart.addSeries(Vocabulary.CP_LABEL + " (reference)", xs, new double[] {u.of(s.mean()), u.of(s.mean())});
            line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            line.setMarker(SeriesMarkers.NONE);
            line.setLineColor(CP_COLOR);
            line.setLineStyle(new BasicStroke(2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
                    new float[] {12, 6}, 0));
            if (!Double.isNaN(s.sd())) {
                for (double y : new double[] {s.low(), s.high()}) {
                    XYSeries band = chart.addSeries(Vocabulary.CP_LABEL + " " + y, xs, new double[] {u.of(y), u.of(y)});
                    band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                    band.setMarker(SeriesMarkers.NONE);
                    band.setLineColor(CP_COLOR);
                    band.setLineStyle(SeriesLines.DOT_DOT);
                    band.setShowInLegend(false);
                }
            }
        }
        return chart;
    }

    /** An XY chart in the report's style: white, light grid, the legend at the right. */
    public static XYChart styledChart(int width, int height, String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        var st = chart.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotBorderVisible(false);
        st.setPlotGridVerticalLinesVisible(false);
        st.setPlotGridLinesColor(new Color(0xdddddd));
        st.setChartFontColor(TEXT);
        st.setChartTitleFont(TITLE);
        st.setAxisTitleFont(AXIS);
        st.setAxisTickLabelsFont(TICKS);
        st.setLegendFont(TICKS);
        st.setLegendPosition(Styler.LegendPosition.OutsideE);
        st.setLegendBorderColor(Color.WHITE);
        st.setChartPadding(12);
        return chart;
    }

    private void overlay(Figure f, Layout l, XYChart chart, Graphics2D g) {
        Unit u = f.unit();
        double baseY = chart.getScreenYFromChart(0);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        // error bars: mean +/- 2 SD, lower end clamped at zero
        for (Figure.Point p : f.points()) {
            if (Double.isNaN(p.stats().sd())) continue;
            double x = chart.getScreenXFromChart(l.x(p));
            double lo = chart.getScreenYFromChart(u.of(p.stats().low()));
            double hi = chart.getScreenYFromChart(u.of(p.stats().high()));
            double cap = l.bars ? Math.min(8, chart.getScreenXFromChart(l.barWidth()) - chart.getScreenXFromChart(0))
                    / 2 + 2 : 6;
            g.setColor(l.bars ? Color.BLACK : seriesColor(f, l, p.series()));
            g.setStroke(new BasicStroke(1.6f));
            g.draw(new Line2D.Double(x, lo, x, hi));
            g.draw(new Line2D.Double(x - cap, lo, x + cap, lo));
            g.draw(new Line2D.Double(x - cap, hi, x + cap, hi));
        }
        // category labels under the axis
        g.setFont(TICKS);
        g.setColor(TEXT);
        FontMetrics fm = g.getFontMetrics();
        double room = l.categories.size() < 2 ? WIDTH
                : chart.getScreenXFromChart(l.catX[1]) - chart.getScreenXFromChart(l.catX[0]);
        for (int i = 0; i < l.categories.size(); i++) {
            String label = categoryLabel(f, l.categories.get(i));
            double x = chart.getScreenXFromChart(l.catX[i]);
            if (fm.stringWidth(label) <= room * 0.95 || !(label.contains(",") || label.contains(FigureBuilder.VARIANT))) {
                g.drawString(label, (float) (x - fm.stringWidth(label) / 2.0), (float) (baseY + 8 + fm.getAscent()));
                continue;
            }
            // long flag combinations ("single_issuer,defer_taskrun") go one flag or variant a line, smaller
            g.setFont(SMALL);
            FontMetrics sm = g.getFontMetrics();
            float y = (float) (baseY + 6 + sm.getAscent());
            for (String part : label.split("(?<=,)|(?= \\+ )")) {
                g.drawString(part, (float) (x - sm.stringWidth(part) / 2.0), y);
                y += sm.getHeight() - 2;
            }
            g.setFont(TICKS);
        }
        // a bar that was not measured is marked as such, never drawn as zero
        if (l.bars) {
            g.setFont(SMALL);
            for (Figure.Gap gap : f.gaps()) {
                double x = chart.getScreenXFromChart(
                        l.barCenter(l.catX[l.categories.indexOf(gap.category())], l.series.indexOf(gap.series())));
                AffineTransform t = g.getTransform();
                g.translate(x + g.getFontMetrics().getAscent() / 2.0 - 2, baseY - 6);
                g.rotate(-Math.PI / 2);
                // on white, so a reference line through the slot does not strike the word out
                FontMetrics sm = g.getFontMetrics();
                g.setColor(Color.WHITE);
                g.fillRect(-2, -sm.getAscent(), sm.stringWidth(gap.reason()) + 4, sm.getAscent() + sm.getDescent());
                g.setColor(new Color(0x666666));
                g.drawString(gap.reason(), 0, 0);
                g.setTransform(t);
            }
        }
    }

    private void footer(Figure f, Graphics2D g) {
        String what = f.def().kind() == FigureDef.Kind.BARS ? "Bars" : "Points";
        String line1 = what + ": mean; error bars: mean ± 2 SD of each configuration's raw samples"
                + " (lower ends clamped at 0); " + f.nText() + " samples per configuration" + f.roundsText()
                + (f.cpLine() != null ? "; dashed: " + Vocabulary.CP_LABEL + ", dotted: its ± 2 SD" : "")
                + (f.def().cp() == FigureDef.Cp.FIO ? "; dashed: fio with the same engine and job" : "") + ".";
        String fixed = f.fixed().entrySet().stream()
                .filter(e -> !f.facet().containsKey(e.getKey()))
                .map(e -> ConfigLabel.keyValues(Map.of(e.getKey(), e.getValue()))).collect(Collectors.joining("  "));
        footerLines(g, CHART_HEIGHT, WIDTH, List.of(line1, "fixed: " + fixed,
                "run " + runId + "   ·   kernel " + kernel));
    }

    /** A rule at {@code top}, then one small line each under it, cut with "…" where too long. */
    public static void footerLines(Graphics2D g, int top, int width, List<String> lines) {
        g.setColor(new Color(0xcccccc));
        g.draw(new Line2D.Double(12, top, width - 12, top));
        g.setFont(SMALL);
        g.setColor(TEXT);
        FontMetrics fm = g.getFontMetrics();
        int y = top + 6 + fm.getAscent();
        for (String s : lines) {
            g.drawString(fit(s, fm, width - 32), 16, y);
            y += fm.getHeight() + 2;
        }
    }

    /** The lines wrapped at spaces to {@code width} pixels in the footer's font: nothing cut. */
    public static List<String> wrapFooter(List<String> lines, int width) {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(1, 1, java.awt.image.BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setFont(SMALL);
        FontMetrics fm = g.getFontMetrics();
        List<String> out = new java.util.ArrayList<>();
        for (String line : lines) {
            StringBuilder cur = new StringBuilder();
            for (String w : line.split(" ")) {
                if (cur.length() > 0 && fm.stringWidth(cur + " " + w) > width) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
                if (cur.length() > 0) cur.append(' ');
                cur.append(w);
            }
            out.add(cur.toString());
        }
        g.dispose();
        return out;
    }

    /** The height {@link #footerLines} takes for {@code lines}. */
    public static int footerHeight(int lines) {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(1, 1, java.awt.image.BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setFont(SMALL);
        int h = g.getFontMetrics().getHeight() + 2;
        g.dispose();
        return 12 + lines * h;
    }

    public static String fit(String s, FontMetrics fm, int width) {
        if (fm.stringWidth(s) <= width) return s;
        while (s.length() > 1 && fm.stringWidth(s + "…") > width) s = s.substring(0, s.length() - 1);
        return s + "…";
    }

    private static String axisTitle(Figure f) {
        return switch (f.categoryParam()) {
            case "mode" -> "mode";
            case "qd" -> "queue depth: files in flight (log scale)";
            case RandomIoFigures.IN_FLIGHT -> "I/Os in flight: iodepth × numjobs (log scale)";
            case "fileSize" -> f.fixed().containsKey("files") ? "file size (" + f.fixed().get("files") + " files)"
                    : "file size × number of files";
            case "direct" -> "I/O";
            default -> f.categoryParam();
        };
    }

    private static String categoryLabel(Figure f, String value) {
        if (f.categoryParam().equals("fileSize") && f.rowParams().contains("files")) {
            // the file count follows the size (the quick matrix's large tree has fewer files)
            return f.points().stream().filter(p -> p.category().equals(value) && p.params().containsKey("files"))
                    .findFirst().map(p -> value + " × " + p.params().get("files")).orElse(value);
        }
        return switch (f.categoryParam()) {
            case "qd", "mode", "fileSize", "ringFlags", RandomIoFigures.IN_FLIGHT -> value;
            default -> Vocabulary.label(f.categoryParam(), value);
        };
    }

    /** A series' colour; fio's run of a series ("fio X") takes the colour of X (its line is dashed). */
    private static Color seriesColor(Figure f, Layout l, String s) {
        String base = s.startsWith(RandomIoFigures.FIO_SERIES) ? s.substring(RandomIoFigures.FIO_SERIES.length()) : s;
        return color(f.seriesParam(), s, l.series.contains(base) ? l.series.indexOf(base) : l.series.indexOf(s));
    }

    private static Color color(String param, String value, int index) {
        if (param.equals("engine") && value.startsWith(RandomIoFigures.FIO_SERIES)) {
            value = value.substring(RandomIoFigures.FIO_SERIES.length());
        }
        if (param.equals("engine") && ENGINE_COLORS.containsKey(value)) return ENGINE_COLORS.get(value);
        return PALETTE[index % PALETTE.length];
    }

    private static boolean positiveNumber(String s) {
        try {
            return Double.parseDouble(s) > 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
