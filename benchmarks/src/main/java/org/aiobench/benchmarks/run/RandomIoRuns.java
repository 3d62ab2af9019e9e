package org.aiobench.benchmarks.run;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.aiobench.benchmarks.RandomIoBenchmark;
import org.aiobench.engines.Engines;
import org.aiobench.engines.IoEngine;
import org.aiobench.engines.UnsupportedConfigurationException;
import org.aiobench.workloads.Progress;
import org.aiobench.workloads.Sizes;
import org.aiobench.workloads.randio.Durations;
import org.aiobench.workloads.randio.FioJob;
import org.aiobench.workloads.randio.JobSpec;
import org.aiobench.workloads.randio.Target;

/**
 * What the runner does for the random-I/O groups (randread, randwrite, fio) that it does not do for the copies,
 * kept here so the runner's own flow stays the same for every group: the targets laid out or verified once per run,
 * why a configuration is skipped (an engine or ring flag the kernel refuses, O_DIRECT, fio missing or unable to
 * express the job), what a fork costs, and env.json's record of it.
 */
final class RandomIoRuns {
    private RandomIoRuns() {}

    /** fio's own start, outside its measured window (about 0.3 s here). */
    private static final double FIO_START_MS = 300;

    /** Whether the configurations need the read target and the write target: [read, write]. */
    private static boolean[] targetsNeeded(List<Configuration> configs) {
        boolean read = false, write = false;
        for (Configuration c : configs) {
            if (!RandomIoMatrix.covers(c.group())) continue;
            if (c.params().get("rw").equals("randread")) read = true;
            else write = true;
        }
        return new boolean[] {read, write};
    }

    /** Bytes the targets the groups need and do not have yet will take in the scratch directory. */
    static long bytesNeeded(Matrix m, List<Group> groups, Path root) {
        long bytes = 0;
        for (String rw : m.randio().rws()) {
            boolean writes = rw.equals("randwrite");
            boolean wanted = groups.contains(writes ? Group.RANDWRITE : Group.RANDREAD) || groups.contains(Group.FIO);
            if (wanted && !Files.exists(Target.scratchPath(root, m.randio().targetSize(), writes))) {
                bytes += m.randio().targetSize();
            }
        }
        return bytes;
    }

    /** Lays out or verifies the targets the planned configurations need, once per run. */
    static void prepareTargets(Matrix m, List<Configuration> configs, Path root, PrintStream out, Consumer<String> say) {
        boolean[] need = targetsNeeded(configs);
        for (int i = 0; i < 2; i++) {
            if (!need[i]) continue;
            String what = i == 0 ? "read" : "write";
            long t0 = System.nanoTime();
            say.accept("random-I/O " + what + " target: checking or laying out " + Target.scratchPath(root,
                    m.randio().targetSize(), i == 1));
            Target t = Target.ensureScratch(root, m.randio().targetSize(), i == 1,
                    Progress.console("target " + Sizes.format(m.randio().targetSize()) + " (" + what + ")", out), say);
            say.accept("random-I/O " + what + " target ready in " + String.format("%.1f s", (System.nanoTime() - t0) / 1e9)
                    + ": " + t.describe());
        }
    }

    /** Why a random-I/O configuration cannot run here, or null. */
    static String skipReason(Group g, Map<String, String> p, Preflight pre, Path root) {
        String na = RandomIoBenchmark.notApplicable(p);
        if (na != null) return na;
        if (Boolean.parseBoolean(p.get("direct")) && pre.directIo() != null) return pre.directIo();
        try {
            JobSpec spec = RandomIoBenchmark.jobSpec(p);
            Target.checkJobBefore(spec, Sizes.parse(p.get("size")), Files.isDirectory(root) ? root : root.getParent());
            if (g == Group.FIO) return FioJob.unsupported(spec);
            try (IoEngine e = Engines.create(spec.engine(), spec.engineOptions())) {
                e.capabilities(); // the kernel accepted the engine and its ring flags
            }
            return null;
        } catch (UnsupportedConfigurationException | IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** What a fork's runs cost beyond its start: ramp-only warmups, then ramp and runtime per run (and fio's start). */
    static double forkMillis(Configuration c, Matrix.Repetitions r) {
        double ramp = Durations.parse(c.params().get("ramp"), "ramp") / 1e6;
        double runtime = Durations.parse(c.params().get("runtime"), "runtime") / 1e6;
        boolean fio = c.group() == Group.FIO;
        return r.warmups() * (fio ? 0 : ramp) + r.iterations() * (ramp + runtime + (fio ? FIO_START_MS : 50));
    }

    /** env.json's record of this part of the matrix and of fio. */
    static Map<String, Object> environment(Matrix m) {
        RandomIoMatrix r = m.randio();
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("targetSize", Sizes.format(r.targetSize()));
        e.put("rw", r.rws());
        e.put("iodepths", r.iodepths());
        if (!r.fewerDepths().isEmpty()) e.put("fewerDepths", r.fewerDepths());
        e.put("bs", r.bss());
        e.put("ramp", r.ramp());
        e.put("runtime", r.runtime());
        e.put("warmupIterations", m.byCost() ? r.warmups() : m.warmups());
        e.put("measurementIterations", m.byCost() ? r.iterations() : m.iterations());
        e.put("engines", RandomIoMatrix.ENGINES);
        e.put("syncConcurrency", "sync runs at iodepth 1 with numjobs = the sweep's depth");
        e.put("ioUringRingFlags", RandomIoBenchmark.FIO_RING_FLAGS + " (what fio 3.33+ sets on every ring)");
        String v = FioJob.version();
        e.put("fio", v != null ? v : "not installed: the fio reference is skipped (" + FioJob.INSTALL_HINT + ")");
        return e;
    }
}
