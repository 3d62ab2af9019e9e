package org.aiobench.analysis.stats;

import java.util.Arrays;
import java.util.Collections;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import org.apache.commons.math3.stat.descriptive.rank.Median;

/**
 * One configuration's samples of one metric, by round (each round's forks and iterations together): what the
 * paired statistics and the drift read. Rounds are numbered from 1 as in samples.jsonl.
 */
public final class RoundSeries {
    private final TreeMap<Integer, double[]> byRound;

    public RoundSeries(SortedMap<Integer, double[]> byRound) {
        TreeMap<Integer, double[]> copy = new TreeMap<>();
        byRound.forEach((r, v) -> {
            if (v.length > 0) copy.put(r, v.clone());
        });
        this.byRound = copy;
    }

    public boolean isEmpty() {
        return byRound.isEmpty();
    }

    /** The rounds with at least one sample, in order. */
    public SortedSet<Integer> rounds() {
        return Collections.unmodifiableSortedSet(byRound.navigableKeySet());
    }

    public double[] values(int round) {
        double[] v = byRound.get(round);
        return v == null ? new double[0] : v.clone();
    }

    /** The median of a round's samples: robust to one disturbed iteration in a fork. */
    public double median(int round) {
        return new Median().evaluate(byRound.get(round));
    }

    public double mean(int round) {
        return Arrays.stream(byRound.get(round)).average().orElse(Double.NaN);
    }

    public SortedMap<Integer, Double> medians() {
        SortedMap<Integer, Double> out = new TreeMap<>();
        for (int r : byRound.keySet()) out.put(r, median(r));
        return out;
    }

    public SortedMap<Integer, Double> means() {
        SortedMap<Integer, Double> out = new TreeMap<>();
        for (int r : byRound.keySet()) out.put(r, mean(r));
        return out;
    }

    /** The run's drift as seen by this configuration: the largest round mean over the smallest; NaN below 2 rounds. */
    public double drift() {
        if (byRound.size() < 2) return Double.NaN;
        double max = Double.NEGATIVE_INFINITY, min = Double.POSITIVE_INFINITY;
        for (double m : means().values()) {
            max = Math.max(max, m);
            min = Math.min(min, m);
        }
        return max / min;
    }

    /** The logarithms of the round medians, in round order: one side of a bootstrap across runs (compare). */
    public double[] logMedians() {
        return medians().values().stream().mapToDouble(Math::log).toArray();
    }
}
