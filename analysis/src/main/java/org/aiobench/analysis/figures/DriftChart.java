package org.aiobench.analysis.figures;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import org.aiobench.analysis.run.Drift;
import org.aiobench.analysis.run.Result;
import org.aiobench.analysis.stats.RoundSeries;
import org.aiobench.vocabulary.ConfigLabel;
import org.aiobench.vocabulary.Vocabulary;
import org.apache.commons.math3.stat.descriptive.rank.Median;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The drift figure: cp -r's mean time per round, each cp -r configuration relative to the median of its own round
 * means (so 32K and 1M trees share an axis), the reference configuration drawn thick. A flat line is a quiet box.
 */
public final class DriftChart {
    public static final String ID = "drift";
    public static final int WIDTH = 1000;
    public static final int CHART_HEIGHT = 380;
    public static final int HEIGHT = CHART_HEIGHT + 56;

    private DriftChart() {}

    public static Drawing drawing(Drift drift, String runId, String kernel) {
        return new Drawing(ID, WIDTH, HEIGHT, g -> {
            XYChart chart = ChartRenderer.styledChart(WIDTH, CHART_HEIGHT, title(drift), "round",
                    "round mean / median round mean");
            chart.getStyler().setMarkerSize(7);
            chart.getStyler().setXAxisDecimalPattern("#");
            List<Result> all = new ArrayList<>(List.of(drift.reference()));
            all.addAll(drift.others());
            for (int i = 0; i < all.size(); i++) {
                Result r = all.get(i);
                SortedMap<Integer, Double> means = r.series(Result.TIME).means();
                double median = median(means.values());
                List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
                means.forEach((round, m) -> {
                    xs.add((double) round);
                    ys.add(m / median);
                });
                boolean ref = i == 0;
                XYSeries s = chart.addSeries(ConfigLabel.tree(r.group(), r.params()) + (ref ? " (reference)" : ""), xs, ys);
                s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                s.setMarker(SeriesMarkers.CIRCLE);
                s.setLineWidth(ref ? 3.5f : 1.5f);
                Color c = ref ? new Color(0x222222) : ChartRenderer.PALETTE[(i - 1) % ChartRenderer.PALETTE.length];
                s.setLineColor(c);
                s.setMarkerColor(c);
            }
            chart.paint(g, WIDTH, CHART_HEIGHT);
            RoundSeries ref = drift.series();
            ChartRenderer.footerLines(g, CHART_HEIGHT, WIDTH, List.of(
                    String.format(Locale.ROOT, "Drift of the reference (max/min of its round means): %.3f over %d "
                            + "rounds. Each point: the mean of that round's samples.", drift.ratio(), ref.rounds().size()),
                    "run " + runId + "   ·   kernel " + kernel));
        });
    }

    public static String title(Drift drift) {
        return "Drift: " + (drift.reference().isCp() ? Vocabulary.CP_LABEL : "the A/A control's") + " time per round, relative to"
                + " its median round";
    }

    private static double median(Collection<Double> v) {
        return new Median().evaluate(v.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
