package org.aiobench.benchmarks.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.aiobench.benchmarks.RandomIoBenchmark;
import org.aiobench.benchmarks.RandomIoProfiler;
import org.aiobench.engines.Engines;
import org.aiobench.engines.IoEngine;
import org.aiobench.engines.UnsupportedConfigurationException;
import org.aiobench.workloads.Progress;
import org.aiobench.workloads.Sizes;
import org.aiobench.workloads.randio.Durations;
import org.aiobench.workloads.randio.FioJob;
import org.aiobench.workloads.randio.JobSpec;
import org.aiobench.workloads.randio.Target;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;

/**
 * What the runner does for the random-I/O groups (randread, randwrite, fio) that it does not do for the copies,
 * kept here so the runner's own flow stays the same for every group: the targets laid out or verified once per run,
 * why a configuration is skipped (an engine or ring flag the kernel refuses, O_DIRECT, fio missing or unable to
 * express the job), the JMH options (iterations of this part of the matrix, {@link RandomIoProfiler}) and the ETA
 * weight.
 */
final class RandomIoRuns {
    private RandomIoRuns() {}

    /** Whether the run's groups need the read target and the write target: [read, write]. */
    static boolean[] targetsNeeded(Matrix m, List<Group> groups) {
        boolean read = false, write = false;
        for (Group g : groups) {
            if (!RandomIoMatrix.covers(g)) continue;
            for (Map<String, String> p : m.randio().configs(g, RandomIoMatrix.ENGINES, groups)) {
                if (p.get("rw").equals("randread")) read = true;
                else write = true;
            }
        }
        return new boolean[] {read, write};
    }

    /** Bytes the targets still to be laid out need in the scratch directory. */
    static long bytesNeeded(Matrix m, List<Group> groups, Path scratch) {
        boolean[] need = targetsNeeded(m, groups);
        long bytes = 0;
        for (int i = 0; i < 2; i++) {
            if (need[i] && !Files.exists(Target.scratchPath(scratch, m.randio().targetSize(), i == 1))) {
                bytes += m.randio().targetSize();
            }
        }
        return bytes;
    }

    /** Lays out or verifies the targets the groups need, once per run; returns what was done, for env.json. */
    static Map<String, Object> prepareTargets(Matrix m, List<Group> groups, Path scratch, java.io.PrintStream out,
                                              Consumer<String> say) {
        Map<String, Object> done = new LinkedHashMap<>();
        boolean[] need = targetsNeeded(m, groups);
        for (int i = 0; i < 2; i++) {
            if (!need[i]) continue;
            String what = i == 0 ? "read" : "write";
            long t0 = System.nanoTime();
            say.accept("random-I/O " + what + " target: checking or laying out " + Target.scratchPath(scratch,
                    m.randio().targetSize(), i == 1));
            Target t = Target.ensureScratch(scratch, m.randio().targetSize(), i == 1,
                    Progress.console("target " + Sizes.format(m.randio().targetSize()) + " (" + what + ")", out), say);
            say.accept("random-I/O " + what + " target ready in " + ExperimentRunner.seconds(System.nanoTime() - t0)
                    + ": " + t.describe());
            done.put(what, t.describe());
        }
        return done;
    }

    /** Why a random-I/O configuration cannot run here, or null. */
    static String skipReason(Group g, Map<String, String> p, Preflight pre, Path scratch) {
        String na = RandomIoBenchmark.notApplicable(p);
        if (na != null) return na;
        if (Boolean.parseBoolean(p.get("direct")) && pre.directIo() != null) return pre.directIo();
        try {
            JobSpec spec = RandomIoBenchmark.jobSpec(p);
            Target.checkJobBefore(spec, Sizes.parse(p.get("size")), scratch);
            if (g == Group.FIO) return FioJob.unsupported(spec);
            try (IoEngine e = Engines.create(spec.engine(), spec.engineOptions())) {
                e.capabilities(); // the kernel accepted the engine and its ring flags
            }
            return null;
        } catch (UnsupportedConfigurationException | IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** JMH's iterations for this part of the matrix, and the profiler that makes the run's IOPS the score. */
    static void jmhOptions(Matrix m, ChainedOptionsBuilder ob) {
        ob.warmupIterations(m.randio().warmups())
                .measurementIterations(m.randio().iterations())
                .addProfiler(RandomIoProfiler.class);
    }

    /** A rough cost in milliseconds (fork start, the ramp-only warmups, the runs, fio's own start). */
    static long weight(Matrix m, Map<String, String> p, Group g) {
        long ramp = Durations.parse(p.get("ramp"), "ramp") / 1_000_000;
        long runtime = Durations.parse(p.get("runtime"), "runtime") / 1_000_000;
        RandomIoMatrix r = m.randio();
        long perFork = 1500 + r.warmups() * (g == Group.FIO ? 0 : ramp) + r.iterations() * (ramp + runtime
                + (g == Group.FIO ? 400 : 50));
        return Math.max(1, m.forks()) * perFork;
    }

    /** env.json's record of this part of the matrix and of fio. */
    static Map<String, Object> environment(Matrix m) {
        RandomIoMatrix r = m.randio();
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("targetSize", Sizes.format(r.targetSize()));
        e.put("rw", r.rws());
        e.put("iodepths", r.iodepths());
        e.put("bs", r.bss());
        e.put("ramp", r.ramp());
        e.put("runtime", r.runtime());
        e.put("warmupIterations", r.warmups());
        e.put("measurementIterations", r.iterations());
        e.put("engines", RandomIoMatrix.ENGINES);
        e.put("syncConcurrency", "sync runs at iodepth 1 with numjobs = the sweep's depth");
        e.put("ioUringRingFlags", RandomIoBenchmark.FIO_RING_FLAGS + " (what fio 3.33+ sets on every ring)");
        String v = FioJob.version();
        e.put("fio", v != null ? v : "not installed: the fio reference is skipped (" + FioJob.INSTALL_HINT + ")");
        return e;
    }
}
