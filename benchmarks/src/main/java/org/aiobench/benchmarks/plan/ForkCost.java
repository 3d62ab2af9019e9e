package org.aiobench.benchmarks.plan;

import java.util.Map;

import org.aiobench.workloads.Sizes;

/**
 * What a fork costs, roughly, in milliseconds: its start (a JVM, JMH, the benchmark's set-up) and each copy with its
 * untimed preparation and verification (a cost per file for creating, verifying and deleting, and per byte; with
 * O_DIRECT, which bypasses the cache, a wait on the device per file and three times the cost per byte). Fitted on the
 * per-fork times of a --quick run on a 2-core VM with a build running beside it: 128 x 32K buffered 6 s a fork of 49
 * copies, O_DIRECT 13 s; 128 x 1M buffered 3.4 s a fork of 8 copies, O_DIRECT 8.5 s. The ETA scales it by the speed
 * observed so far, the slicing compares rounds with it, and the measured copies per fork follow from it
 * ({@link Matrix#repetitions}), so mostly the ratios matter.
 */
public final class ForkCost {
    /** Starting a fork: the JVM, JMH, the benchmark's trial set-up. */
    static final double START_MS = 1500;

    private ForkCost() {}

    /** What one measured iteration costs where a benchmark has no tree (files and fileSize) to go by. */
    static final double ITERATION_WITHOUT_TREE_MS = 1000;

    /** One copy of the configuration {@code params} (fileSize and files; direct when present). */
    static double copyMillis(Map<String, String> params) {
        if (!params.containsKey("files") || !params.containsKey("fileSize")) return ITERATION_WITHOUT_TREE_MS;
        long files = Long.parseLong(params.get("files"));
        double bytes = Sizes.parse(params.get("fileSize")) * (double) files;
        boolean direct = "true".equals(params.get("direct"));
        return (direct ? 1.7 : 0.7) * files + bytes / 600e3 * (direct ? 3 : 1);
    }

    /** A round's fork of entry {@code e}: with a partner, both sides' copies in one fork ({@link Pairing}). */
    public static long forkMillis(Matrix m, Schedule.Entry e) {
        if (e.partner() == null) return forkMillis(m, e.config());
        Matrix.Repetitions r = m.repetitions(e.config().group(), e.config().params());
        Matrix.Repetitions p = m.repetitions(e.partner().group(), e.partner().params());
        int w = Math.max(r.warmups(), p.warmups()), n = Math.max(r.iterations(), p.iterations());
        return (long) (Math.max(1, m.forks()) * (START_MS + (w + n) * (copyMillis(e.config().params())
                + copyMillis(e.partner().params()))));
    }

    /** One round's forks of configuration {@code c}: their start, warm-up and measured copies (or job runs). */
    public static long forkMillis(Matrix m, Configuration c) {
        Matrix.Repetitions r = m.repetitions(c.group(), c.params());
        if (RandomIoMatrix.isJob(c.params())) {
            return Math.max(1, m.forks()) * (long) (START_MS + RandomIoRuns.forkMillis(c, r));
        }
        return (long) (Math.max(1, m.forks()) * (START_MS + (r.warmups() + r.iterations()) * copyMillis(c.params())));
    }
}
