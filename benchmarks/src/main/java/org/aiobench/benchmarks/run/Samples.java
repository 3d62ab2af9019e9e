package org.aiobench.benchmarks.run;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.aiobench.benchmarks.metrics.CopyMetrics;
import org.aiobench.benchmarks.metrics.RandomIoProfiler;
import org.aiobench.benchmarks.metrics.StartTimeProfiler;
import org.aiobench.benchmarks.plan.Configuration;
import org.aiobench.benchmarks.plan.Schedule;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/** The lines of samples.jsonl (layout in results/README.md): one per measured iteration of a fork. */
final class Samples {
    /** ISO-8601 UTC with milliseconds always written (Instant.toString drops ".000"). */
    static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Samples() {}

    static String iso(Instant t) { return ISO_MILLIS.format(t); }

    /**
     * What a sample's value is: JMH's score (a copy's time), or, for a random-I/O job run, the IOPS its profiler
     * reports as a secondary result (JMH's own score there only counts its calls).
     */
    static Result score(Result primary, Map<String, Result> secondary) {
        Result iops = secondary.get(RandomIoProfiler.SCORE);
        return iops != null ? iops : primary;
    }

    /** Every measured iteration of every fork of {@code result}, the run's {@code round}-th of {@code entry}. */
    static List<Map<String, Object>> of(int round, Schedule.Entry entry, RunResult result) {
        Configuration c = entry.config();
        List<Map<String, Object>> out = new ArrayList<>();
        int fork = 0;
        for (BenchmarkResult br : result.getBenchmarkResults()) {
            fork++;
            int[] iteration = new int[2];
            for (IterationResult ir : br.getIterationResults()) {
                Map<String, Object> metrics = new LinkedHashMap<>();
                Instant start = null;
                int side = 0;
                for (Map.Entry<String, Result> m : ir.getSecondaryResults().entrySet()) {
                    if (m.getKey().equals(RandomIoProfiler.SCORE)) continue; // the value, below
                    if (m.getKey().equals(StartTimeProfiler.METRIC)) {
                        start = Instant.ofEpochMilli((long) m.getValue().getScore());
                    } else if (m.getKey().equals(CopyMetrics.PAIR_SIDE)) {
                        side = (int) Math.round(m.getValue().getScore());
                    } else {
                        metrics.put(m.getKey(), m.getValue().getScore());
                    }
                }
                // a paired fork's copy belongs to its side's configuration, with the pairing beside it
                Configuration which = entry.partner() != null && side == 1 ? entry.partner() : c;
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("round", round);
                s.put("group", which.group().id());
                s.put("config", which.id());
                s.put("benchmark", which.benchmark());
                s.put("params", which.params());
                if (entry.aaB()) s.put("aa", "B");
                if (entry.partner() != null) {
                    Map<String, Object> pair = new LinkedHashMap<>();
                    pair.put("entry", entry.id());
                    pair.put("with", (side == 1 ? c : entry.partner()).id());
                    s.put("pair", pair);
                }
                s.put("fork", fork);
                s.put("iteration", ++iteration[entry.partner() != null ? side : 0]);
                s.put("start", start == null ? null : iso(start));
                Result score = score(ir.getPrimaryResult(), ir.getSecondaryResults());
                s.put("value", score.getScore());
                s.put("unit", score.getScoreUnit());
                s.put("metrics", metrics);
                out.add(s);
            }
        }
        return out;
    }
}
