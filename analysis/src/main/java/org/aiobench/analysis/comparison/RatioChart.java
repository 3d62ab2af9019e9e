package org.aiobench.analysis.comparison;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.util.ArrayList;
import java.util.List;
import org.aiobench.analysis.figures.ChartRenderer;
import org.aiobench.analysis.figures.Drawing;
import org.aiobench.analysis.stats.RatioCell;
import org.aiobench.analysis.stats.Threshold;
import org.aiobench.analysis.stats.Verdict;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * compare's figure of ratios: one line per configuration (or comparison), each ratio new/base as a point with its
 * 95% interval as a bar coloured by its verdict, 1 and the threshold as vertical lines. XChart draws the axes and
 * points; the intervals and the row labels are drawn over it on the same Graphics2D, as in {@link ChartRenderer}.
 */
public final class RatioChart {
    static final int WIDTH = 1200;
    private static final int ROW = 26;
    private static final int TOP = 90;
    private static final int BOTTOM = 70;
    private static final int FOOTER = 60;
    private static final int MAX_LABEL = 470;
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    public static final Color SLOWER = new Color(0xc0392b);
    public static final Color FASTER = new Color(0x27ae60);
    static final Color SAME = new Color(0x4c72b0);
    static final Color UNDECIDED = new Color(0x9a9a9a);
    private static final Color[] SERIES = {new Color(0x222222), new Color(0xdd8452), new Color(0x8172b3)};
    private static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.DIAMOND, SeriesMarkers.SQUARE};

    /** One ratio of a line: which series it belongs to (its marker) and the cell. */
    record Mark(int series, RatioCell cell) {}

    record Line(String label, List<Mark> marks) {}

    private RatioChart() {}

    static Drawing drawing(String id, String title, List<String> seriesNames, List<Line> lines, double threshold,
                           List<String> footer) {
        int n = lines.size();
        int chartHeight = TOP + BOTTOM + Math.max(3, n) * ROW;
        return new Drawing(id, WIDTH, chartHeight + FOOTER, g -> {
            g.setFont(LABEL);
            FontMetrics fm = g.getFontMetrics();
            int labelWidth = Math.min(MAX_LABEL, lines.stream().mapToInt(l -> fm.stringWidth(l.label())).max()
                    .orElse(0) + 16);
            XYChart chart = ChartRenderer.styledChart(WIDTH - labelWidth, chartHeight, title, "new / base", "");
            var st = chart.getStyler();
            st.setYAxisTicksVisible(false);
            st.setPlotGridHorizontalLinesVisible(false);
            st.setPlotGridVerticalLinesVisible(true);
            st.setMarkerSize(9);
            double lo = 1 - threshold, hi = 1 + threshold;
            for (Line l : lines) {
                for (Mark m : l.marks()) {
                    var r = m.cell().ratio();
                    for (double v : new double[] {r.ratio(), r.low(), r.high()}) {
                        if (Double.isFinite(v)) {
                            lo = Math.min(lo, v);
                            hi = Math.max(hi, v);
                        }
                    }
                }
            }
            double pad = (hi - lo) * 0.05;
            st.setXAxisMin(Math.max(0, lo - pad));
            st.setXAxisMax(hi + pad);
            st.setYAxisMin(-0.5);
            st.setYAxisMax(Math.max(3, n) - 0.5);
            double[] span = {-0.5, Math.max(3, n) - 0.5};
            reference(chart, "1", 1, new BasicStroke(1.6f), span);
            BasicStroke dashed = new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
                    new float[] {6, 5}, 0);
            reference(chart, "threshold", 1 - threshold, dashed, span).setShowInLegend(false);
            reference(chart, "±" + Threshold.text(threshold), 1 + threshold, dashed, span);
            for (int s = 0; s < seriesNames.size(); s++) {
                List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    for (Mark m : lines.get(i).marks()) {
                        if (m.series() != s || !Double.isFinite(m.cell().ratio().ratio())) continue;
                        xs.add(m.cell().ratio().ratio());
                        ys.add(y(i, n, s, seriesNames.size()));
                    }
                }
                if (xs.isEmpty()) continue;
                XYSeries xy = chart.addSeries(seriesNames.get(s), xs, ys);
                xy.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                xy.setMarker(MARKERS[s % MARKERS.length]);
                xy.setMarkerColor(SERIES[s % SERIES.length]);
                xy.setLineStyle(SeriesLines.NONE);
            }
            g.translate(labelWidth, 0);
            chart.paint(g, WIDTH - labelWidth, chartHeight);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            for (int i = 0; i < n; i++) {
                for (Mark m : lines.get(i).marks()) {
                    var r = m.cell().ratio();
                    if (!Double.isFinite(r.low())) continue;
                    double y = chart.getScreenYFromChart(y(i, n, m.series(), seriesNames.size()));
                    g.setColor(color(m.cell()));
                    g.setStroke(new BasicStroke(3f));
                    g.draw(new Line2D.Double(chart.getScreenXFromChart(r.low()), y, chart.getScreenXFromChart(r.high()),
                            y));
                    // the point again, over its bar
                    double x = chart.getScreenXFromChart(r.ratio());
                    g.setColor(SERIES[m.series() % SERIES.length]);
                    if (m.series() % MARKERS.length == 0) {
                        g.fill(new Ellipse2D.Double(x - 4.5, y - 4.5, 9, 9));
                    } else {
                        Path2D.Double d = new Path2D.Double();
                        d.moveTo(x, y - 5.5);
                        d.lineTo(x + 5.5, y);
                        d.lineTo(x, y + 5.5);
                        d.lineTo(x - 5.5, y);
                        d.closePath();
                        g.fill(d);
                    }
                }
            }
            g.translate(-labelWidth, 0);
            g.setFont(LABEL);
            g.setColor(new Color(0x222222));
            for (int i = 0; i < n; i++) {
                double y = chart.getScreenYFromChart(n - 1 - i);
                String label = ChartRenderer.fit(lines.get(i).label(), fm, labelWidth - 12);
                g.drawString(label, labelWidth - 8 - fm.stringWidth(label), (float) (y + fm.getAscent() / 2.0 - 1));
            }
            ChartRenderer.footerLines(g, chartHeight, WIDTH, footer);
        });
    }

    /** Row i from the top; several series of a row side by side around its centre. */
    private static double y(int i, int n, int series, int seriesCount) {
        double offset = seriesCount < 2 ? 0 : 0.18 - 0.36 * series / (seriesCount - 1);
        return n - 1 - i + offset;
    }

    private static XYSeries reference(XYChart chart, String name, double x, BasicStroke stroke, double[] span) {
        XYSeries s = chart.addSeries(name, new double[] {x, x}, span);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(new Color(0x555555));
        s.setLineStyle(stroke);
        return s;
    }

    /** Red slower, green faster, blue same, grey unknown. */
    static Color color(RatioCell c) {
        return switch (c.verdict()) {
            case SLOWER -> SLOWER;
            case FASTER -> FASTER;
            case SAME -> SAME;
            case UNKNOWN -> UNDECIDED;
        };
    }

    static String legend() {
        return "Points: new / base; bars: 95% interval, red " + Verdict.SLOWER.word(true) + ", green "
                + Verdict.FASTER.word(true) + ", blue same, grey unknown (no bar: no interval); dashed: ± the threshold.";
    }
}
