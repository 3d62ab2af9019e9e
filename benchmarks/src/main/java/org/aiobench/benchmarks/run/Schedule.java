package org.aiobench.benchmarks.run;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

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
final class Schedule {
    /** One fork to run in a round: a configuration, or the control's second label. */
    record Entry(Configuration config, boolean aaB) {
        /** The id in rounds.jsonl's order and progress.json's done: the config id, {@code #B} for the A/A twin. */
        String id() { return id(config.id(), aaB); }

        static String id(String configId, boolean aaB) { return configId + (aaB ? "#B" : ""); }
    }

    final RunPlan plan;
    final int perConfiguration;
    final long seed;

    Schedule(RunPlan plan, int perConfiguration, long seed) {
        this.plan = plan;
        this.perConfiguration = perConfiguration;
        this.seed = seed;
    }

    /** Rounds in the run. */
    int rounds() { return perConfiguration * plan.slices.size(); }

    RunPlan.Slice slice(int round) {
        return plan.slices.get((round - 1) % plan.slices.size());
    }

    /** Round {@code round}'s forks in the order they run. */
    List<Entry> order(int round) {
        List<Entry> entries = new ArrayList<>();
        for (Configuration c : slice(round).configs()) entries.add(new Entry(c, false));
        if (plan.control != null) entries.add(new Entry(plan.control, true));
        // SplittableRandom mixes the seed, so neighbouring rounds get unrelated orders (java.util.Random would not)
        Collections.shuffle(entries, new Random(new SplittableRandom(seed + round * 0x9E3779B97F4A7C15L).nextLong()));
        return entries;
    }
}
