package org.aiobench.benchmarks.plan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.aiobench.benchmarks.RandomIoBenchmark;
import org.aiobench.benchmarks.ThesisJob;
import org.aiobench.engines.Engines;
import org.aiobench.engines.IoEngine;
import org.aiobench.engines.UnsupportedConfigurationException;
import org.aiobench.workloads.Sizes;
import org.aiobench.workloads.randio.Durations;
import org.aiobench.workloads.randio.FioJob;
import org.aiobench.workloads.randio.IrqCpus;
import org.aiobench.workloads.randio.JobSpec;
import org.aiobench.workloads.randio.Target;

/**
 * What the runner does for the random-I/O groups (randread, randwrite, fio) that it does not do for the copies,
 * kept here so the runner's own flow stays the same for every group: the targets laid out or verified once per run,
 * why a configuration is skipped (an engine or ring flag the kernel refuses, O_DIRECT, fio missing or unable to
 * express the job), what a fork costs, and env.json's record of it.
 */
public final class RandomIoRuns {
    private RandomIoRuns() {}

    /** fio's own start, outside its measured window (about 0.3 s here). */
    private static final double FIO_START_MS = 300;

    /** A target the configurations use: its size, and whether it is the write target. */
    public record TargetNeed(long size, boolean writes) {}

    /** The targets the configurations need, each once, in the order they are first needed. */
    public static java.util.Set<TargetNeed> targetsNeeded(List<Configuration> configs) {
        java.util.Set<TargetNeed> out = new java.util.LinkedHashSet<>();
        for (Configuration c : configs) {
            if (!RandomIoMatrix.covers(c.group())) continue;
            out.add(new TargetNeed(Sizes.parse(c.params().get("size")), !c.params().get("rw").equals("randread")));
        }
        return out;
    }

    /** Bytes the targets the groups need and do not have yet will take in the scratch directory. */
    public static long bytesNeeded(Matrix m, List<Group> groups, Path root) {
        java.util.Set<TargetNeed> need = new java.util.LinkedHashSet<>();
        for (String rw : m.randio().rws()) {
            boolean writes = rw.equals("randwrite");
            boolean wanted = groups.contains(writes ? Group.RANDWRITE : Group.RANDREAD) || groups.contains(Group.FIO);
            if (wanted) need.add(new TargetNeed(m.randio().targetSize(), writes));
        }
        for (Group g : groups) {
            if (!ThesisMatrix.covers(g)) continue;
            for (Map<String, String> p : m.configs(g, List.of(), groups)) {
                need.add(new TargetNeed(Sizes.parse(p.get("size")), !p.get("rw").equals("randread")));
            }
        }
        long bytes = 0;
        for (TargetNeed t : need) {
            if (!Files.exists(Target.scratchPath(root, t.size(), t.writes()))) bytes += t.size();
        }
        return bytes;
    }

    /** Why a random-I/O configuration cannot run here, or null. */
    static String skipReason(Group g, Map<String, String> p, Preflight pre, Path root) {
        if (ThesisMatrix.covers(g)) return thesisSkipReason(g, p, pre, root);
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

    /**
     * Why a thesis configuration cannot run here, or null: its placement (the interrupt CPUs of the scratch device),
     * O_DIRECT, the target, fio's reach, then the kernel's answer to the ring flags.
     */
    private static String thesisSkipReason(Group g, Map<String, String> p, Preflight pre, Path root) {
        Path dir = Files.isDirectory(root) ? root : root.getParent();
        IrqCpus irq = IrqCpus.of(dir);
        String why = ThesisJob.unplaceable(p, irq);
        if (why != null) return why;
        if (Boolean.parseBoolean(p.get("direct")) && pre.directIo() != null) return pre.directIo();
        try {
            JobSpec spec = ThesisJob.jobSpec(p, irq);
            Target.checkJobBefore(spec, Sizes.parse(p.get("size")), dir);
            if (g == Group.THESISFIO) {
                if (!p.get("hogs").equals("0")) return "fio beside CPU hogs is not measured (the hogs are this JVM's)";
                return FioJob.unsupported(spec);
            }
            try (IoEngine e = Engines.create(spec.engine(), spec.engineOptions())) {
                e.capabilities(); // the kernel accepted the ring flags
            }
            return null;
        } catch (UnsupportedConfigurationException | IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** env.json's irqCpus: the scratch device's interrupt CPUs, or why they cannot be told apart. */
    public static Map<String, Object> irqCpus(Path root) {
        return IrqCpus.of(Files.isDirectory(root) ? root : root.getParent()).describe();
    }

    /** What a fork's runs cost beyond its start: ramp-only warmups, then ramp and runtime per run (and fio's start). */
    static double forkMillis(Configuration c, Matrix.Repetitions r) {
        double ramp = Durations.parse(c.params().get("ramp"), "ramp") / 1e6;
        double runtime = Durations.parse(c.params().get("runtime"), "runtime") / 1e6;
        boolean fio = c.group() == Group.FIO || c.group() == Group.THESISFIO;
        return r.warmups() * (fio ? 0 : ramp) + r.iterations() * (ramp + runtime + (fio ? FIO_START_MS : 50));
    }

    /** env.json's record of this part of the matrix and of fio. */
    public static Map<String, Object> environment(Matrix m) {
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
