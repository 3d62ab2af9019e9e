package org.aiobench.analysis.history;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.aiobench.analysis.comparison.RatioChart;
import org.aiobench.analysis.figures.ChartRenderer;
import org.aiobench.analysis.figures.Drawing;
import org.aiobench.analysis.run.Comparison;
import org.aiobench.analysis.run.Result;
import org.aiobench.analysis.run.Unit;
import org.aiobench.analysis.stats.RatioCell;
import org.aiobench.analysis.stats.Threshold;
import org.aiobench.analysis.stats.Verdict;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * history's trend figure of one configuration: each run's mean with mean ± 2 SD bars, in kernel order, each run
 * labelled with its kernel and date, the kernels' boundaries dashed, and every step between consecutive kernels that
 * compare's statistics call slower (red) or faster (green) shaded and labelled with its ratio.
 */
final class HistoryChart {
    static final int WIDTH = 1200;
    private static final int ABSOLUTE_HEIGHT = 420;
    private static final int RATIO_HEIGHT = 250;
    private static final int LABELS = 50;
    private static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font TICKS = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final Color LINE = new Color(0x4c72b0);
    private static final Color RATIO = new Color(0xdd8452);

    private HistoryChart() {}

    static String id(int index) {
        return String.format(Locale.ROOT, "history-%03d", index);
    }

    /** Whether the configuration has a ratio to cp -r in some run: then a second panel shows it. */
    private static boolean hasRatio(History.Series s) {
        return s.points().stream().anyMatch(p -> p.vsCp() != null);
    }

    static int height(History h, History.Series s) {
        return ABSOLUTE_HEIGHT + (hasRatio(s) ? RATIO_HEIGHT : 0) + LABELS
                + ChartRenderer.footerHeight(footer(h, s).size());
    }

    static Drawing drawing(History h, History.Series s, int index) {
        return new Drawing(id(index), WIDTH, height(h, s), g -> paint(h, s, g));
    }

    /** The caption under the figure, wrapped to its width: nothing is cut. */
    private static List<String> footer(History h, History.Series s) {
        return ChartRenderer.wrapFooter(List.of(
                "Top: the mean of each run's samples, bars mean ± 2 SD (lower ends clamped at 0)" + (hasRatio(s)
                        ? "; below: the run's ratio to cp -r with its 95% interval" : "")
                        + "; a thick line per kernel, a thin one through all runs.",
                "Shaded: a step between consecutive kernels judged slower (red) or faster (green) at ±"
                        + Threshold.text(h.threshold) + " (the runs as the unit; absolute, against all "
                        + "configurations, or against cp -r). A solid line: a change point of the whole series "
                        + "(permutation test, beyond the threshold).",
                s.example().config()), WIDTH - 32);
    }

    private static void paint(History h, History.Series s, Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        double largest = s.points().stream().mapToDouble(p -> p.stats().mean()).max().orElse(0);
        Unit u = Unit.forMetric(s.metric(), largest);
        String yTitle = s.metric().equals(Result.OPS) ? "rate (ops/s)" : u.axisTitle();
        List<double[]> absolute = new ArrayList<>(); // run, mean, low, high
        for (History.Point p : s.points()) {
            absolute.add(new double[] {p.run(), u.of(p.stats().mean()), Double.isNaN(p.stats().sd()) ? Double.NaN
                    : u.of(p.stats().low()), Double.isNaN(p.stats().sd()) ? Double.NaN : u.of(p.stats().high())});
        }
        XYChart top = panel(h, s.label(), yTitle, absolute, LINE, 0.0, ABSOLUTE_HEIGHT);
        top.paint(g, WIDTH, ABSOLUTE_HEIGHT);
        decorate(h, s, top, g, absolute, LINE, true);
        XYChart last = top;
        int y = ABSOLUTE_HEIGHT;
        if (hasRatio(s)) {
            List<double[]> ratios = new ArrayList<>();
            for (History.Point p : s.points()) {
                if (p.vsCp() != null) ratios.add(new double[] {p.run(), p.vsCp().ratio(), p.vsCp().low(),
                        p.vsCp().high()});
            }
            XYChart bottom = panel(h, "its ratio to cp -r in the same rounds (95% interval)", "vs cp -r", ratios,
                    RATIO, null, RATIO_HEIGHT);
            g.translate(0, y);
            bottom.paint(g, WIDTH, RATIO_HEIGHT);
            decorate(h, s, bottom, g, ratios, RATIO, false);
            g.translate(0, -y);
            last = bottom;
            y += RATIO_HEIGHT;
        }
        // each run under the last panel: its kernel, and its date under it
        g.setColor(new Color(0x222222));
        for (int i = 0; i < h.runs.size(); i++) {
            double x = last.getScreenXFromChart(i);
            g.setFont(TICKS);
            FontMetrics tm = g.getFontMetrics();
            String kernel = h.runs.get(i).kernelRelease();
            g.drawString(kernel, (float) (x - tm.stringWidth(kernel) / 2.0), (float) (y + 4 + tm.getAscent()));
            g.setFont(SMALL);
            FontMetrics sm = g.getFontMetrics();
            String date = h.runs.get(i).env.path("createdAt").asText("");
            date = date.length() >= 16 ? date.substring(0, 10) + " " + date.substring(11, 16) : date;
            g.drawString(date, (float) (x - sm.stringWidth(date) / 2.0), (float) (y + 6 + tm.getHeight()
                    + sm.getAscent()));
        }
        ChartRenderer.footerLines(g, y + LABELS, WIDTH, footer(h, s));
    }

    /** One panel: x the runs in order (labels drawn under the last panel), y from {@code yMin} or the data. */
    private static XYChart panel(History h, String title, String yTitle, List<double[]> points, Color color,
                                 Double yMin, int height) {
        XYChart chart = ChartRenderer.styledChart(WIDTH, height, title, "", yTitle);
        var st = chart.getStyler();
        st.setXAxisTicksVisible(false);
        st.setXAxisTitleVisible(false);
        st.setLegendVisible(false);
        st.setMarkerSize(10);
        st.setYAxisDecimalPattern(yMin == null ? "0.00" : null);
        st.setXAxisMin(-0.5);
        st.setXAxisMax(h.runs.size() - 0.5);
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double[] p : points) {
            for (int i = 1; i < 4; i++) {
                if (Double.isFinite(p[i])) {
                    lo = Math.min(lo, p[i]);
                    hi = Math.max(hi, p[i]);
                }
            }
        }
        if (yMin != null) lo = yMin;
        double pad = (hi - lo) * 0.1;
        st.setYAxisMin(yMin != null ? yMin : lo - pad);
        st.setYAxisMax(hi > lo ? hi + 2.2 * pad : hi + 1);
        // a thin line through every run, and a thick one per kernel
        if (points.size() > 1) {
            XYSeries through = chart.addSeries("all runs", points.stream().map(p -> p[0]).toList(),
                    points.stream().map(p -> p[1]).toList());
            through.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            through.setMarker(SeriesMarkers.NONE);
            through.setLineColor(new Color(0xbbbbbb));
            through.setLineStyle(new BasicStroke(1f));
        }
        for (int k = 0; k < h.kernels.size(); k++) {
            List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
            for (double[] p : points) {
                if (h.kernelOf[(int) p[0]] != k) continue;
                xs.add(p[0]);
                ys.add(p[1]);
            }
            if (xs.isEmpty()) continue;
            XYSeries xy = chart.addSeries("kernel " + k, xs, ys);
            xy.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            xy.setMarker(SeriesMarkers.CIRCLE);
            xy.setLineColor(color);
            xy.setMarkerColor(color);
            xy.setLineStyle(new BasicStroke(2.2f));
        }
        return chart;
    }

    /** The significant steps shaded (labelled in the top panel), the kernel boundaries, the error bars. */
    private static void decorate(History h, History.Series s, XYChart chart, Graphics2D g, List<double[]> points,
                                 Color color, boolean labels) {
        var st = chart.getStyler();
        double yTop = chart.getScreenYFromChart(st.getYAxisMax()), yBottom = chart.getScreenYFromChart(st.getYAxisMin());
        g.setFont(SMALL);
        FontMetrics fm = g.getFontMetrics();
        for (History.Step step : h.steps) {
            List<String> lines = new ArrayList<>();
            Color shade = null;
            for (Map.Entry<History.Step, RatioCell> e : h.significantSteps(s)) {
                if (e.getKey() != step) continue;
                RatioCell c = e.getValue();
                lines.add(c.verdict().word(c.speed()) + " " + Comparison.ratioText(c.ratio().ratio()) + " ("
                        + History.what(step, s.key(), c) + ")");
                Color vc = c.verdict() == Verdict.SLOWER ? RatioChart.SLOWER : RatioChart.FASTER;
                shade = shade == null || vc == RatioChart.SLOWER ? vc : shade;
            }
            if (shade == null) continue;
            double x0 = chart.getScreenXFromChart(lastRun(h, step.from()) + 0.15);
            double x1 = chart.getScreenXFromChart(firstRun(h, step.to()) - 0.15);
            g.setColor(new Color(shade.getRed(), shade.getGreen(), shade.getBlue(), 40));
            g.fill(new Rectangle2D.Double(x0, yTop, x1 - x0, yBottom - yTop));
            if (!labels) continue;
            float y = (float) yTop + fm.getAscent() + 4;
            for (String l : lines) {
                float x = (float) ((x0 + x1) / 2 - fm.stringWidth(l) / 2.0);
                g.setColor(Color.WHITE);
                g.fill(new Rectangle2D.Double(x - 2, y - fm.getAscent(), fm.stringWidth(l) + 4, fm.getHeight()));
                g.setColor(shade);
                g.drawString(l, x, y);
                y += fm.getHeight();
            }
        }
        for (var cp : s.changes()) {
            int k = h.kernelAt(s, cp);
            double x = (chart.getScreenXFromChart(lastRun(h, k - 1)) + chart.getScreenXFromChart(firstRun(h, k))) / 2;
            Color c = cp.judgement().verdict() == Verdict.SLOWER ? RatioChart.SLOWER : RatioChart.FASTER;
            g.setColor(c);
            g.setStroke(new BasicStroke(2.5f));
            g.draw(new Line2D.Double(x, yTop, x, yBottom));
            if (!labels) continue;
            String l = "change point: " + cp.judgement().word() + " " + Comparison.ratioText(cp.judgement().ratio());
            float ly = (float) yBottom - 6;
            g.setColor(Color.WHITE);
            g.fill(new Rectangle2D.Double(x + 4, ly - fm.getAscent(), fm.stringWidth(l) + 4, fm.getHeight()));
            g.setColor(c);
            g.drawString(l, (float) x + 6, ly);
        }
        g.setColor(new Color(0x999999));
        g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {5, 5}, 0));
        for (int k = 1; k < h.kernels.size(); k++) {
            double x = chart.getScreenXFromChart(firstRun(h, k) - 0.5);
            g.draw(new Line2D.Double(x, yTop, x, yBottom));
        }
        g.setStroke(new BasicStroke(1.6f));
        g.setColor(color);
        for (double[] p : points) {
            if (!Double.isFinite(p[2])) continue;
            double x = chart.getScreenXFromChart(p[0]);
            double lo = chart.getScreenYFromChart(p[2]), hi = chart.getScreenYFromChart(p[3]);
            g.draw(new Line2D.Double(x, lo, x, hi));
            g.draw(new Line2D.Double(x - 6, lo, x + 6, lo));
            g.draw(new Line2D.Double(x - 6, hi, x + 6, hi));
        }
    }

    private static int firstRun(History h, int kernel) {
        for (int i = 0; i < h.kernelOf.length; i++) if (h.kernelOf[i] == kernel) return i;
        return 0;
    }

    private static int lastRun(History h, int kernel) {
        int last = 0;
        for (int i = 0; i < h.kernelOf.length; i++) if (h.kernelOf[i] == kernel) last = i;
        return last;
    }
}
