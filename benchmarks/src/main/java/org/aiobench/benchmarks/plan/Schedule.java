package org.aiobench.benchmarks.plan;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import org.aiobench.workloads.PeerCommand;
import org.aiobench.workloads.PeerProcess;
import org.aiobench.workloads.Sizes;

/**
 * The rounds of a run: round r measures every configuration of its slice once, and the A/A control twice (the second
 * time labelled aa=B), in an order shuffled afresh for that round from the run's seed, so no configuration always
 * runs early, late or after the same neighbour, and the cp reference is interleaved among the engines. With more
 * than one slice the rounds take the slices in turn (1, 2, ..., S, 1, 2, ...), so every configuration gets
 * {@code perConfiguration} rounds spread over the whole run.
 *
 * <p>The order of a round depends only on the seed, the round and the plan, so a resumed run finds the round's
 * remaining configurations in the order the interrupted run would have taken them.
 */
public final class Schedule {
    /**
     * One fork to run in a round: a configuration, or the control's second label; with a {@code partner}, the two in
     * one fork, their copies alternating ({@link Pairing}).
     */
    public record Entry(Configuration config, boolean aaB, Configuration partner) {
        Entry(Configuration config, boolean aaB) {
            this(config, aaB, null);
        }

        /** The id in rounds.jsonl's order and progress.json's done: the config id, {@code #B} for the A/A twin. */
        public String id() { return id(config.id(), aaB); }

        public static String id(String configId, boolean aaB) { return configId + (aaB ? "#B" : ""); }
    }

    public final RunPlan plan;
    public final int perConfiguration;
    public final long seed;
    /** Whether twins share a fork ({@link Pairing}). */
    public Pairing.Mode pairing = Pairing.Mode.ROUND;

    public Schedule(RunPlan plan, int perConfiguration, long seed) {
        this.plan = plan;
        this.perConfiguration = perConfiguration;
        this.seed = seed;
    }

    /** Rounds in the run. */
    public int rounds() { return perConfiguration * plan.slices.size(); }

    public RunPlan.Slice slice(int round) {
        return plan.slices.get((round - 1) % plan.slices.size());
    }

    /** Round {@code round}'s forks in the order they run. */
    public List<Entry> order(int round) {
        List<Entry> entries = new ArrayList<>();
        List<Configuration> configs = slice(round).configs();
        for (Configuration c : configs) {
            entries.add(new Entry(c, false, pairing == Pairing.Mode.FORK ? Pairing.partner(c, configs) : null));
        }
        if (plan.control != null) entries.add(new Entry(plan.control, true));
        // SplittableRandom mixes the seed, so neighbouring rounds get unrelated orders (java.util.Random would not)
        Collections.shuffle(entries, new Random(new SplittableRandom(seed + round * 0x9E3779B97F4A7C15L).nextLong()));
        return entries;
    }

    /**
     * The plan in a few lines, before a run starts: matrix, rounds and copies per fork, the control, scratch, what
     * each group runs and skips, and an estimate of the time.
     */
    public void describe(Consumer<String> say, List<Group> groups, List<String> engines, List<PeerCommand> peers, Preflight pre,
                  Path scratchRoot) {
        describe(say, groups, engines, peers, pre, scratchRoot, null);
    }

    /** This box's measured noise (the dry run's expected precision), or null. */
    public BoxNoise noise;

    /** ... with the run's stop ({@code --precision}, {@code --budget}), or null. */
    public void describe(Consumer<String> say, List<Group> groups, List<String> engines, List<PeerCommand> peers, Preflight pre,
                  Path scratchRoot, PrecisionStop stop) {
        Matrix m = plan.matrix;
        say.accept("matrix: " + m.name() + ", groups: " + groups.stream().map(Group::id).toList() + ", engines: " + engines);
        Map<Matrix.Repetitions, Set<String>> reps = plan.repetitions();
        List<String> perFork = new ArrayList<>();
        reps.forEach((r, trees) -> perFork.add(r.warmups() + " warm-up + " + r.iterations() + " measured copies"
                + (reps.size() > 1 ? " on " + String.join(", ", trees) : "")));
        if (plan.configurations.stream().anyMatch(c -> RandomIoMatrix.covers(c.group()))) {
            RandomIoMatrix r = m.randio();
            Matrix.Repetitions jr = m.repetitions(plan.configurations.stream()
                    .filter(c -> RandomIoMatrix.covers(c.group())).findFirst().orElseThrow().params());
            boolean thesis = plan.configurations.stream().anyMatch(c -> ThesisMatrix.covers(c.group()));
            perFork.add(jr.warmups() + " ramp-only warm-up + " + jr.iterations() + " timed run(s) of " + r.ramp()
                    + " ramp + " + r.runtime() + " per random-I/O job" + (thesis ? " (the thesis' jobs: "
                    + r.thesis().ramp() + " + " + r.thesis().runtime() + ")" : ""));
        }
        say.accept("rounds: " + perConfiguration + " per configuration" + (plan.slices.size() > 1
                ? ", " + rounds() + " in all, rotating through " + plan.slices.size() + " slices "
                  + plan.slices.stream().map(RunPlan.Slice::name).toList() : "")
                + "; each round runs " + (m.forks() == 0 ? "every configuration in this JVM (forks=0)"
                : m.forks() + " fork(s) of every configuration") + " (" + String.join("; ", perFork)
                + ") in a fresh random order; seed " + seed);
        if (stop != null && stop.active()) {
            say.accept("until decided: " + (stop.precision != null ? "rounds are added until every judged comparison "
                    + "is decided or within ±" + PrecisionStop.pct(stop.precision) + " (checked after every "
                    + (plan.slices.size() > 1 ? plan.slices.size() + " rounds" : "round") + " from round "
                    + PrecisionStop.MIN_CYCLES * plan.slices.size() + " on)" : "rounds are added")
                    + (stop.budgetMillis != null ? ", within a budget of " + duration(stop.budgetMillis)
                    : "") + "; at most " + rounds() + " rounds");
        }
        if (pairing == Pairing.Mode.FORK) {
            long twins = plan.configurations.stream().filter(c -> Pairing.partner(c, plan.configurations) != null)
                    .count();
            say.accept("pairing: " + twins + " engine configuration(s) share each fork with their twin (the same copy"
                    + " without the flag; the synchronous engine), copies alternating (--pairing fork)");
        }
        say.accept("A/A control: " + plan.control.id() + ", measured twice in every round (the second labelled aa=B)");
        for (String r : m.reductionsFor(groups)) say.accept("  reduced: " + r);
        say.accept("scratch: " + scratchRoot + " (" + Sizes.format(pre.freeBytes() >> 20 << 20) + " free, needs "
                + Sizes.format((pre.neededBytes() >> 20) + 1 << 20) + ")");
        if (pre.directIo() != null) say.accept("WARNING: " + pre.directIo() + "; configurations with direct=true are skipped");
        say.accept("cold cache: " + pre.cacheDrop());
        if (groups.contains(Group.FIO) && org.aiobench.workloads.randio.FioJob.version() == null) {
            say.accept("WARNING: fio is not installed: the fio reference of the random-I/O groups is skipped; install"
                    + " it with " + org.aiobench.workloads.randio.FioJob.INSTALL_HINT);
        }
        if (pre.cpVersion() == null) say.accept("WARNING: no cp on PATH; the cp group is skipped");
        else if (!PeerProcess.peakRssMeasured()) {
            say.accept("note: no /usr/bin/time (GNU time): the peak memory of cp and the peers is not measured");
        }
        for (PeerCommand p : peers) {
            say.accept("peer " + p.name() + ": " + p.commandLine() + " (" + p.program() + "), on cp's trees and cache"
                    + " states, verified like every copy" + (p.isPlainCp() ? " (plain cp -r, beside cp -r"
                    + " --reflink=never)" : ""));
        }
        for (Group g : groups) {
            long run = plan.configurations.stream().filter(c -> c.group() == g).count();
            long skipped = plan.skips.stream().filter(s -> s.group().equals(g.id())).count();
            say.accept(g.id() + ": " + run + " configuration(s) to run, " + skipped + " skipped"
                    + (skipped == 0 ? "" : " (reasons in run.log and skipped.json)"));
        }
        long ms = 0, thesisMs = 0;
        int forks = 0, thesisForks = 0;
        for (int r = 1; r <= rounds(); r++) {
            for (Entry e : order(r)) {
                long f = ForkCost.forkMillis(m, e);
                ms += f;
                forks++;
                if (ThesisMatrix.covers(e.config().group()) && !e.aaB()) {
                    thesisMs += f;
                    thesisForks++;
                }
            }
        }
        if (thesisForks > 0) {
            say.accept("thesis experiments: " + thesisForks + " of these forks, roughly " + duration(thesisMs));
        }
        if (noise != null) {
            for (var e : noise.groups().entrySet()) {
                if (groups.stream().noneMatch(g -> g.id().equals(e.getKey()))) continue;
                BoxNoise.GroupNoise n = e.getValue();
                // the median of the group's planned copies a fork (each fitted to its configuration's costs)
                int[] planned = plan.configurations.stream().filter(c -> c.group().id().equals(e.getKey()))
                        .mapToInt(c -> m.repetitions(c.group(), c.params()).iterations()).sorted().toArray();
                int copies = planned.length > 0 ? planned[planned.length / 2] : (int) Math.round(n.copiesPerFork());
                int r = perConfiguration;
                double at = n.halfWidth(Math.min(r, 1000), copies);
                int five = n.roundsFor(0.05, copies);
                say.accept(String.format(java.util.Locale.ROOT, "expected precision of %s (this box's run %s): "
                        + "±%.1f%% after %d rounds at %d copies a fork; ±5%% needs %s rounds", e.getKey(),
                        noise.run().getFileName(), 100 * at, r, copies, five < 0 ? "more than 1000" : five));
            }
        }
        say.accept("planned: " + forks + " fork(s) in " + rounds() + " round(s), roughly "
                + duration(ms) + " at the speed of a 2-core VM with an ordinary disk, on the slow side (our"
                + " runs took 0.4 to 0.8 of it; refined as it runs)");
        if (stop != null && stop.budgetMillis != null && rounds() > 0) {
            long perRound = ms / rounds();
            say.accept("budget " + duration(stop.budgetMillis) + ": about "
                    + Math.max(1, stop.budgetMillis / Math.max(1, perRound)) + " round(s) of roughly "
                    + duration(perRound) + " fit in it; the run stops there, or earlier when decided");
        }
    }

    /** "1h05m" or "4m30s": a duration as the run's lines and plan say it. */
    public static String duration(long millis) {
        long s = millis / 1000;
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60) : String.format("%dm%02ds", s / 60, s % 60);
    }
}
