package org.aiobench.benchmarks.plan;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.aiobench.benchmarks.CopySpec;
import org.aiobench.benchmarks.QueueDepthSweep;
import org.aiobench.engines.Engines;
import org.aiobench.engines.IoEngine;
import org.aiobench.engines.UnsupportedConfigurationException;
import org.aiobench.workloads.PeerCommand;

/**
 * What a run measures: the configurations of the selected groups that can run here, those skipped with their
 * reason, the A/A control, and the slices the rounds rotate through when one round of everything would be too long.
 *
 * <p>A slice holds everything that a figure or a claim compares, so the comparison is made within one round: a
 * size-sweep group (basic, memory) at one tree, or a group on the medium tree, each with the cp reference of the
 * same trees and cache states, and the control in every slice.
 */
public final class RunPlan {
    /**
     * Rounds rotate through slices when one round of every configuration would take longer than this at the speed
     * of the reference machine (a 2-core VM): a long round spreads the two sides of a comparison far apart in time,
     * which is what the rounds are there to prevent.
     */
    static final long ROUND_LIMIT_MS = 30 * 60_000L;

    /** Configurations measured in the same rounds. */
    public record Slice(String name, List<Configuration> configs) {}

    public final Matrix matrix;
    /** Every configuration to run, in id order. */
    public final List<Configuration> configurations;
    /** The configurations not run, with their reason, as skipped.json holds them. */
    public final List<Skip> skips;
    /** Measured twice in every round, the second time labelled aa=B (null when there is nothing to run). */
    public final Configuration control;
    public final List<Slice> slices;

    private RunPlan(Matrix matrix, List<Configuration> configurations, List<Skip> skips,
                    Configuration control, List<Slice> slices) {
        this.matrix = matrix;
        this.configurations = configurations;
        this.skips = skips;
        this.control = control;
        this.slices = slices;
    }

    /**
     * The plan of {@code groups} on this machine; configurations whose {@link Configuration#id} is in
     * {@code skippedBefore} (a resumed run's skipped.json) are left out without a new skip entry.
     */
    public static RunPlan make(Matrix m, List<Group> groups, List<String> engines, Preflight pre, Set<String> skippedBefore,
                        Path scratchRoot) {
        return make(m, groups, engines, List.of(), pre, skippedBefore, scratchRoot);
    }

    /**
     * {@link #make}, with the peers named {@code peers} (checked before: they run here) in group peer;
     * {@code scratchRoot} is where the random-I/O targets go (their O_DIRECT alignment).
     */
    public static RunPlan make(Matrix m, List<Group> groups, List<String> engines, List<String> peers, Preflight pre,
                        Set<String> skippedBefore, Path scratchRoot) {
        List<Configuration> run = new ArrayList<>();
        List<Skip> skips = new ArrayList<>();
        for (Group g : groups) {
            for (Map<String, String> p : g == Group.PEER ? m.peerConfigs(peers, groups) : m.configs(g, engines, groups)) {
                Configuration c = new Configuration(g, p);
                if (skippedBefore.contains(c.id())) continue;
                String reason = RandomIoMatrix.covers(g) ? RandomIoRuns.skipReason(g, p, pre, scratchRoot)
                        : skipReason(g, p, pre);
                if (reason != null) skips.add(new Skip(g.id(), g.benchmark(), p, reason));
                else run.add(c);
            }
            // what the quick matrix's cuts leave out of this group, each with its cut: nothing vanishes unsaid
            m.cutOut(g, engines, groups).forEach((p, reason) -> {
                if (!skippedBefore.contains(new Configuration(g, p).id())) {
                    skips.add(new Skip(g.id(), g.benchmark(), p, reason));
                }
            });
        }
        run.sort(Comparator.comparing(Configuration::id));
        Configuration control = chooseControl(m, run);
        return new RunPlan(m, List.copyOf(run), List.copyOf(skips), control, slices(m, run, control));
    }

    public boolean isEmpty() { return configurations.isEmpty(); }

    /** The copies per fork of the planned configurations, each with the trees it applies to ("128x1M"). */
    public Map<Matrix.Repetitions, Set<String>> repetitions() {
        Map<Matrix.Repetitions, Set<String>> reps = new LinkedHashMap<>();
        for (Configuration c : configurations) {
            if (RandomIoMatrix.isJob(c.params())) continue; // job runs, not copies: Schedule says them apart
            reps.computeIfAbsent(matrix.repetitions(c.group(), c.params()), k -> new TreeSet<>())
                    .add(c.params().get("files") + "x" + c.params().get("fileSize"));
        }
        return reps;
    }

    /**
     * The A/A control: the cp reference on the medium tree (128 x 1M) with a warm cache, when it runs. It is the
     * denominator of most of the report's ratios (engine vs cp: claims C1, C4 to C6, C10), so its own noise within a
     * round is what enters them; it is cheap (a fraction of a second a copy); and the medium tree is where the
     * optimization groups measure. Without cp (not selected or not installed), the first configuration in id order.
     */
    static Configuration chooseControl(Matrix m, List<Configuration> run) {
        for (Configuration c : run) {
            if (c.group() == Group.CP && "warm".equals(c.params().get("cache"))
                    && m.medium().size().equals(c.params().get("fileSize"))
                    && String.valueOf(m.medium().files()).equals(c.params().get("files"))) {
                return c;
            }
        }
        // a run of the large-file group alone: cp -r on its tree, the denominator of that group's ratios
        for (Configuration c : run) {
            if (c.group() == Group.CP && m.large().size().equals(c.params().get("fileSize"))
                    && String.valueOf(m.large().files()).equals(c.params().get("files"))) {
                return c;
            }
        }
        return run.isEmpty() ? null : run.get(0);
    }

    /** One slice of everything when a round of it stays within {@link #ROUND_LIMIT_MS}, else one per comparison. */
    private static List<Slice> slices(Matrix m, List<Configuration> run, Configuration control) {
        long all = run.stream().mapToLong(c -> ForkCost.forkMillis(m, c)).sum();
        if (run.isEmpty() || all <= ROUND_LIMIT_MS) return List.of(new Slice("all", run));
        Map<String, List<Configuration>> bySlice = new LinkedHashMap<>();
        List<Configuration> cp = new ArrayList<>();
        for (Configuration c : run) {
            if (c.group() == Group.CP || c.group() == Group.PEER) cp.add(c); // references: in every slice of their tree
            else bySlice.computeIfAbsent(sliceName(c), k -> new ArrayList<>()).add(c);
        }
        if (bySlice.isEmpty()) return List.of(new Slice("all", run));
        List<Slice> out = new ArrayList<>();
        bySlice.forEach((name, configs) -> {
            List<Configuration> s = new ArrayList<>(configs);
            // the cp reference (and the peers) of the trees and cache states this slice copies
            for (Configuration ref : cp) {
                if (configs.stream().anyMatch(c -> sameTreeAndCache(c, ref))) s.add(ref);
            }
            if (!s.contains(control)) s.add(control);
            s.sort(Comparator.comparing(Configuration::id));
            out.add(new Slice(name, List.copyOf(s)));
        });
        return List.copyOf(out);
    }

    /**
     * The size-sweep groups compare engines within a tree; the other groups compare settings on the medium tree; a
     * fio run goes with the random-I/O group it mirrors (its rw), so the Java/fio ratio pairs within a round; the
     * thesis' groups share one slice with their fio runs.
     */
    private static String sliceName(Configuration c) {
        return switch (c.group()) {
            case BASIC, MEMORY -> c.group().id() + " " + c.params().get("files") + "x" + c.params().get("fileSize");
            case FIO -> c.params().get("rw");
            // the large-file group and fio's bound: one slice, with the cp references of their tree
            case LARGE, COPYBOUND -> Group.LARGE.id();
            // the thesis' groups and fio's runs of their jobs: one slice, so fio pairs with them by round
            case COOP, THINKTIME, ASYNC, ASYNCWRITE, REGFILES, SQPOLL, PINGPONG, STALL, THESISFIO -> Group.THESIS;
            default -> c.group().id();
        };
    }

    private static boolean sameTreeAndCache(Configuration a, Configuration b) {
        return Objects.equals(a.params().get("fileSize"), b.params().get("fileSize"))
                && Objects.equals(a.params().get("files"), b.params().get("files"))
                && Objects.equals(a.params().get("cache"), b.params().get("cache"));
    }

    /** Why a configuration cannot run here, or null: the workload's validation, then building the engine. */
    static String skipReason(Group g, Map<String, String> p, Preflight pre) {
        if (g == Group.CP) return pre.cpVersion() == null ? "GNU cp is not installed (not on PATH)" : null;
        if (g == Group.PEER) {
            // the built-in cp-plain is GNU cp; the others were checked with the command line
            return PeerCommand.CP_PLAIN_NAME.equals(p.get("peer")) && pre.cpVersion() == null
                    ? "GNU cp is not installed (not on PATH)" : null;
        }
        if (g == Group.COPYBOUND) return org.aiobench.workloads.CopyBound.unavailable();
        if (!Engines.names().contains(p.get("engine"))) {
            return "engine " + p.get("engine") + " is not in this build (it has " + String.join(", ", Engines.names()) + ")";
        }
        if (Boolean.parseBoolean(p.get("direct")) && pre.directIo() != null) return pre.directIo();
        try {
            CopySpec spec = CopySpec.of(p);
            spec.options().validate();
            String redundant = spec.options().redundancyReason();
            if (redundant != null) return redundant;
            if (g == Group.QD) {
                try (IoEngine e = Engines.create(spec.options().engine(), spec.options().engineOptions())) {
                    return QueueDepthSweep.notApplicable(e);
                }
            }
            return null;
        } catch (UnsupportedConfigurationException | IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
