package org.aiobench.benchmarks.run;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.aiobench.benchmarks.plan.Group;
import org.aiobench.benchmarks.plan.Matrix;
import org.aiobench.benchmarks.plan.Preflight;
import org.aiobench.benchmarks.plan.RandomIoRuns;
import org.aiobench.benchmarks.plan.RunPlan;
import org.aiobench.benchmarks.plan.Schedule;
import org.aiobench.benchmarks.plan.Skip;
import org.aiobench.benchmarks.run.ExperimentRunner.BadInput;
import org.aiobench.vocabulary.ConfigLabel;
import org.aiobench.workloads.PeerCommand;

/**
 * One run carried out, from the checked options ({@link PlanFromOptions}) to the run directory: the preflight, the
 * plan and its skips, the schedule (a resumed run's must match), the dry run's description, then the run directory
 * (new, or the resumed one), env.json, and the rounds ({@link RoundExecutor}).
 */
final class ExperimentRun {
    private final ExperimentRunner o;
    private final PlanFromOptions options;
    private final PrintStream out;

    ExperimentRun(ExperimentRunner o, PlanFromOptions options, PrintStream out) {
        this.o = o;
        this.options = options;
        this.out = out;
    }

    /** Plans, and with no --dry-run measures, with {@code scratch} ready and, for --resume, the run's progress. */
    int measure(ScratchDirectory scratch, RunProgress resumed) throws Exception {
        List<Group> groups = options.groups;
        Matrix m = options.matrix;
        List<String> engineNames = options.engineNames;
        Preflight pre = Preflight.check(scratch.root, m.treesFor(groups),
                RandomIoRuns.bytesNeeded(m, groups, scratch.root));
        Set<String> skippedBefore = new HashSet<>();
        if (resumed != null) {
            for (Skip s : new RunRecord(o.resume, out).skips()) skippedBefore.add(s.configId());
        }
        List<PeerCommand> userPeers = PlanFromOptions.peersBeside(options.peerCommands, groups);
        RunPlan plan = RunPlan.make(m, groups, engineNames, userPeers.stream().map(PeerCommand::name).toList(), pre,
                skippedBefore, scratch.root);
        if (plan.isEmpty()) throw new BadInput(nothingToRun(plan, groups));
        if (!pre.enoughSpace()) throw new BadInput(pre.spaceMessage(scratch.root));
        long orderSeed = resumed != null ? resumed.seed : o.seed != null ? o.seed : new Random().nextLong();
        Schedule schedule = new Schedule(plan, m.rounds(), orderSeed);
        schedule.noise = options.noise;
        schedule.pairing = options.pairing;
        if (resumed != null && resumed.stoppedBy() != null) {
            // a run that stopped early, extended: the same rounds' orders, more of them
            if (schedule.rounds() <= resumed.roundsDone()) {
                throw new BadInput(o.resume + " has " + resumed.roundsDone() + " rounds; give --budget or --precision "
                        + "to extend it (at most " + schedule.rounds() + " rounds a configuration with these options)");
            }
            resumed.extend(schedule.rounds());
        } else if (resumed != null && resumed.rounds() != schedule.rounds()) {
            throw new BadInput(o.resume + " was planned with " + resumed.rounds() + " rounds, this machine now plans "
                    + schedule.rounds() + " for its options; it cannot be resumed here");
        }
        if (o.dryRun) {
            schedule.describe(out::println, groups, engineNames, userPeers, pre, scratch.root, options.stop);
            scratch.removeCreated();
            return 0;
        }
        Map<String, Object> otherLoad = OtherLoad.sample(1000);

        Path runDir = resumed != null ? o.resume
                : o.results != null ? ResultsDirectory.create(o.results)
                : ResultsDirectory.createUnique(o.repo.resolve("results"));
        o.results = runDir;
        if (o.runDirFile != null) Files.writeString(o.runDirFile, runDir.toAbsolutePath().normalize() + "\n");
        RunRecord rec = new RunRecord(runDir, out);
        try (AutoCloseable held = rec.lock()) {
            return measureInto(rec, resumed, plan, schedule, pre, scratch, groups, engineNames, userPeers, skippedBefore,
                    otherLoad);
        }
    }

    /** Measures into the run directory of {@code rec}, held by this process: new, or resumed. */
    private int measureInto(RunRecord rec, RunProgress resumed, RunPlan plan, Schedule schedule, Preflight pre,
                            ScratchDirectory scratch, List<Group> groups, List<String> engineNames,
                            List<PeerCommand> userPeers, Set<String> skippedBefore, Map<String, Object> otherLoad)
            throws Exception {
        Path runDir = rec.dir;
        Matrix m = plan.matrix;
        RunProgress progress;
        if (resumed == null) {
            rec.say("run directory: " + runDir);
            List<String> warnings = new ArrayList<>();
            rec.writeJson("env.json", Environment.describe(runDir.getFileName().toString(), o.quick, scratch.root, pre,
                    engineNames, userPeers, schedule, o.repo, o.canonicalArgs(), otherLoad, warnings));
            for (String w : warnings) rec.say("WARNING: " + w);
            rec.writeJson(RunRecord.SKIPPED, plan.skips);
            rec.writeJson(RunRecord.FAILURES, List.of());
            rec.createLineFiles();
            progress = RunProgress.start(rec, schedule.rounds(), schedule.seed, m.name(), o.canonicalArgs());
        } else {
            rec.say("resuming " + runDir + " at round " + resumed.currentRound() + " of " + resumed.rounds() + " ("
                    + resumed.done().size() + " fork(s) of it done; options: " + String.join(" ", resumed.args) + ")");
            Map<String, Object> env = rec.readJson("env.json");
            @SuppressWarnings("unchecked")
            List<Object> resumedAt = (List<Object>) env.computeIfAbsent("resumedAt", k -> new ArrayList<>());
            resumedAt.add(Map.of("at", Instant.now().toString(), "otherLoad", otherLoad));
            rec.writeJson("env.json", env);
            rec.addSkips(plan.skips);
            progress = resumed;
            progress.resume(rec);
        }
        String busy = OtherLoad.warning(otherLoad);
        if (busy != null) rec.say(busy);
        schedule.describe(rec::say, groups, engineNames, userPeers, pre, scratch.root, options.stop);
        for (Skip s : plan.skips) rec.log("SKIPPED " + ConfigLabel.logged(s.group(), s.params()) + ": " + s.reason());

        Map<String, PeerCommand> byName = new LinkedHashMap<>();
        for (PeerCommand p : userPeers) byName.put(p.name(), p);
        RoundExecutor executor = new RoundExecutor(rec, progress, schedule, scratch, skippedBefore, byName, out);
        executor.stopWhen(options.stop);
        executor.jit = options.jit;
        if (resumed != null) executor.reconcile();
        executor.prepareTrees();
        executor.prepareTargets();
        return executor.run();
    }

    private static String nothingToRun(RunPlan plan, List<Group> groups) {
        String which = groups.stream().map(Group::id).toList().toString();
        if (plan.skips.isEmpty()) return "nothing to run: the groups " + which + " have no configuration for these options";
        Skip first = plan.skips.get(0);
        return "nothing to run: every configuration of " + which + " is skipped here (" + plan.skips.size()
                + ", e.g. " + ConfigLabel.logged(first.group(), first.params()) + ": " + first.reason() + ")";
    }
}
