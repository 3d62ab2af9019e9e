package org.aiobench.analysis.figures;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.aiobench.analysis.run.Comparison;
import org.aiobench.analysis.run.Result;
import org.aiobench.analysis.run.Unit;
import org.aiobench.analysis.stats.Stats;

/**
 * One figure, ready to draw and tabulate: everything in it comes from measured raw samples.
 *
 * @param facet      the parameters that make this figure one of its kind (in its title and file name)
 * @param fixed      every parameter with one value across the figure (facets included), for the caption
 * @param points     the measured configurations, in table order
 * @param cpLine     cp -r as a reference line, or null
 * @param gaps       (category, series) slots with no measurement, with the reason shown for them
 * @param notes      what is missing from the figure and why, one line each
 */
public record Figure(FigureDef def, String id, String title, Map<String, String> facet, List<String> categories, List<String> series,
              Map<String, String> fixed, List<Point> points, Point cpLine, List<Gap> gaps, List<String> notes,
              Unit unit) {

    /**
     * One measured configuration.
     *
     * @param vsCp       this configuration against the matching cp -r, or null (cp itself, or no cp -r measured)
     * @param vsBaseline this configuration against the figure's baseline bar ({@link FigureDef#baseline()}), or null
     * @param isBaseline this is the bar the others of its kind are compared with (for "vs best": the best)
     */
    public record Point(String category, String series, Result result, Stats stats, Comparison vsCp, Comparison vsBaseline,
                 boolean isBaseline) {
        public Map<String, String> params() {
            return result.params();
        }

        Point withBaseline(Comparison c, boolean isBase) {
            return new Point(category, series, result, stats, vsCp, c, isBase);
        }
    }

    record Gap(String category, String series, String reason) {}

    /**
     * Sorts {@code points} by category, then series (table order), and returns the parameters every one of them
     * shares: the caption's "fixed".
     */
    static Map<String, String> sortAndFix(List<Point> points, java.util.Comparator<? super String> categories,
                                          java.util.Comparator<? super String> series) {
        points.sort(java.util.Comparator.comparing(Point::category, categories).thenComparing(Point::series, series));
        Map<String, String> fixed = new java.util.TreeMap<>(points.get(0).params());
        for (Point p : points) fixed.entrySet().removeIf(e -> !e.getValue().equals(p.params().get(e.getKey())));
        return fixed;
    }

    /**
     * Parameters that vary across the figure but are neither its axes nor a category variant: they follow an axis
     * (files with fileSize in the quick matrix) and each row of the table names its own value.
     */
    public List<String> rowParams() {
        TreeSet<String> keys = new TreeSet<>();
        for (Point p : points) keys.addAll(p.params().keySet());
        keys.removeAll(fixed.keySet());
        keys.removeAll(def.variants().keySet());
        keys.remove(def.categoryParam());
        keys.remove(def.seriesParam());
        return List.copyOf(keys);
    }

    public String categoryParam() {
        return def.categoryParam();
    }

    public String seriesParam() {
        return def.seriesParam();
    }

    /** Sample counts across the figure, e.g. "n = 5" or "n = 3 to 5". */
    String nText() {
        int min = Integer.MAX_VALUE, max = 0;
        for (Point p : points) {
            min = Math.min(min, p.stats().n());
            max = Math.max(max, p.stats().n());
        }
        if (cpLine != null) {
            min = Math.min(min, cpLine.stats().n());
            max = Math.max(max, cpLine.stats().n());
        }
        return min == max ? "n = " + min : "n = " + min + " to " + max;
    }

    /** " in 20 rounds" (or " in 18 to 20 rounds") for a run measured in rounds, else "". */
    String roundsText() {
        TreeSet<Integer> rounds = new TreeSet<>();
        for (Point p : points) {
            var series = p.result().series(def.metric());
            if (series != null) rounds.add(series.rounds().size());
        }
        if (rounds.isEmpty()) return "";
        return " in " + (rounds.first().equals(rounds.last()) ? rounds.first()
                : rounds.first() + " to " + rounds.last()) + " rounds";
    }
}
