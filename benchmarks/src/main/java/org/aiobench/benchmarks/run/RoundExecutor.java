package org.aiobench.benchmarks.run;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.aiobench.benchmarks.ScratchLayout;
import org.aiobench.benchmarks.plan.Configuration;
import org.aiobench.benchmarks.plan.ForkCost;
import org.aiobench.benchmarks.plan.Matrix;
import org.aiobench.benchmarks.plan.PrecisionStop;
import org.aiobench.benchmarks.plan.RandomIoRuns;
import org.aiobench.benchmarks.plan.Schedule;
import org.aiobench.benchmarks.plan.Skip;
import org.aiobench.workloads.Manifest;
import org.aiobench.workloads.PeerCommand;
import org.aiobench.workloads.Progress;
import org.aiobench.workloads.Sizes;
import org.aiobench.workloads.TestTree;
import org.aiobench.workloads.VerificationException;
import org.aiobench.workloads.randio.Target;
import org.aiobench.vocabulary.ConfigLabel;

/**
 * Measures a run's rounds: each round's forks in the schedule's order; every fork's samples, JMH JSON and log are
 * recorded as it finishes, then progress.json, so a run killed at any moment resumes at the next fork without losing
 * or repeating a sample; a round's steal and iowait go to rounds.jsonl when it ends. One line per fork with an
 * estimate of what remains.
 */
final class RoundExecutor {
    private final RunRecord rec;
    private final RunProgress progress;
    private final Schedule schedule;
    private final Matrix matrix;
    private final ScratchDirectory scratch;
    private final PrintStream out;
    /** Config ids not to run (skipped.json): skipped up front, or found unrunnable in an earlier fork. */
    private final Set<String> skipped;

    /** The peers by name (--peer), whose commands their forks get. */
    private final Map<String, PeerCommand> peers;
    /** Rounds until decided or the budget spent ({@code --precision}, {@code --budget}); inactive otherwise. */
    private PrecisionStop stop = new PrecisionStop(null, null, null);

    RoundExecutor(RunRecord rec, RunProgress progress, Schedule schedule, ScratchDirectory scratch, Set<String> skipped,
                  Map<String, PeerCommand> peers, PrintStream out) {
        this.peers = Map.copyOf(peers);
        this.rec = rec;
        this.progress = progress;
        this.schedule = schedule;
        this.matrix = schedule.plan.matrix;
        this.scratch = scratch;
        this.skipped = new HashSet<>(skipped);
        this.out = out;
    }

    /** The compilers of the copies' forks (--jit). */
    JmhFork.Jit jit = JmhFork.Jit.C1;

    /** Stops the rounds early when the run is decided or its budget spent. */
    void stopWhen(PrecisionStop stop) {
        this.stop = stop;
    }

    /** The source trees of the plan, generated once and reused (fully verified) by later runs. */
    void prepareTrees() throws IOException {
        Set<Matrix.Tree> trees = new LinkedHashSet<>();
        for (Configuration c : schedule.plan.configurations) {
            if (c.params().containsKey("files") && c.params().containsKey("fileSize")) trees.add(tree(c));
        }
        for (Matrix.Tree t : trees) {
            Path tree = ScratchLayout.tree(scratch.root, t.files(), t.fileSize());
            Files.createDirectories(tree.getParent());
            long t0 = System.nanoTime();
            rec.say("tree " + t + ": checking or generating " + tree);
            TestTree.ensure(tree, t.files(), t.fileSize(), ScratchLayout.SEED, Progress.console("tree " + t, out), rec::say);
            rec.say("tree " + t + ": ready (generated, or every file verified) in "
                    + String.format("%.1f s", (System.nanoTime() - t0) / 1e9));
            Files.copy(Manifest.pathFor(tree), rec.dir.resolve("manifests").resolve(tree.getFileName()
                    + ".manifest.json"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The random-I/O targets of the plan, laid out once and reused (fully verified) by later runs. */
    void prepareTargets() {
        for (RandomIoRuns.TargetNeed need : RandomIoRuns.targetsNeeded(schedule.plan.configurations)) {
            String what = need.writes() ? "write" : "read";
            long t0 = System.nanoTime();
            rec.say("random-I/O " + what + " target: checking or laying out " + Target.scratchPath(scratch.root,
                    need.size(), need.writes()));
            Target t = Target.ensureScratch(scratch.root, need.size(), need.writes(),
                    Progress.console("target " + Sizes.format(need.size()) + " (" + what + ")", out), rec::say);
            rec.say("random-I/O " + what + " target ready in " + String.format("%.1f s", (System.nanoTime() - t0) / 1e9)
                    + ": " + t.describe());
        }
    }

    private static Matrix.Tree tree(Configuration c) {
        return new Matrix.Tree(Integer.parseInt(c.params().get("files")), Sizes.parse(c.params().get("fileSize")));
    }

    /**
     * After an interruption: drops a line cut short in the JSON-lines files, counts as done every fork of the
     * current round whose samples or failure were written before progress.json said so, and drops from the round's
     * JMH JSON the forks that are not done (they run again).
     */
    void reconcile() throws IOException {
        long cut = rec.repairLines(RunRecord.SAMPLES) + rec.repairLines(RunRecord.ROUNDS);
        if (cut > 0) rec.log("resume: dropped " + cut + " byte(s) of a line cut short by the interruption");
        int r = progress.currentRound();
        if (r > progress.rounds()) return;
        Set<String> written = new LinkedHashSet<>();
        for (JsonNode s : rec.readLines(RunRecord.SAMPLES)) {
            if (s.path("round").asInt() != r) continue;
            // a paired fork's samples of either side belong to its entry
            written.add(s.has("pair") ? s.path("pair").path("entry").asText()
                    : Schedule.Entry.id(s.path("config").asText(), s.has("aa")));
        }
        written.addAll(failedIn(r));
        for (Schedule.Entry e : schedule.order(r)) {
            if (written.contains(e.id()) && !progress.done().contains(e.id())) progress.done(e.id());
        }
        Path jmh = rec.jmhRoundFile(r);
        if (Files.exists(jmh)) {
            ArrayNode kept = RunRecord.JSON.createArrayNode();
            for (JsonNode f : RunRecord.JSON.readTree(jmh.toFile())) {
                JsonNode tag = f.path("aiobench");
                if (progress.done().contains(Schedule.Entry.id(tag.path("config").asText(), tag.has("aa")))) kept.add(f);
            }
            RunRecord.replaceJson(jmh, kept);
        }
        for (JsonNode line : rec.readLines(RunRecord.ROUNDS)) {
            if (line.path("round").asInt() == r) progress.finishRound(); // the round's line was written, not progress
        }
    }

    /** Runs every remaining round; returns the exit status (1 when a configuration failed). */
    int run() throws Exception {
        Thread hook = new Thread(progress::interrupted, "aiobench-interrupted");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            runRounds();
        } catch (JmhFork.LockHeld held) {
            throw new ExperimentRunner.BadInput(ExperimentRunner.JMH_LOCK_HELD + "; the run stops here, finish it later"
                    + " with --resume " + rec.dir);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run
            }
        }
        return rec.failures().isEmpty() ? 0 : 1;
    }

    private void runRounds() throws Exception {
        JmhFork fork = new JmhFork(scratch.dir, rec.dir.resolve("jmh").resolve(".current.log"), peers, rec.dir);
        fork.jit = jit;
        Instant start = Instant.now();
        Remaining planned = remaining();
        long doneMillis = 0;
        long forkMillis = 0; // the forks' own time: not the trees, targets or round bookkeeping between them
        int forks = 0;
        int total = schedule.rounds();
        int roundsThisSession = 0;
        for (int r = progress.currentRound(); r <= total; r++) {
            progress.beginRound(r);
            CpuTimes cpu0 = CpuTimes.read();
            Set<String> before = new HashSet<>(progress.done());
            List<Schedule.Entry> order = schedule.order(r);
            List<Schedule.Entry> todo = new ArrayList<>();
            for (Schedule.Entry e : order) {
                if (!before.contains(e.id()) && !skipped.contains(e.config().id())) todo.add(e);
            }
            rec.say("== round " + r + "/" + total + (schedule.plan.slices.size() > 1 ? " (" + schedule.slice(r).name() + ")" : "")
                    + ": " + todo.size() + " fork(s)" + (before.isEmpty() ? "" : ", " + before.size()
                    + " done before the interruption"));
            int n = 0;
            for (Schedule.Entry e : todo) {
                n++;
                long f0 = System.nanoTime();
                String outcome = runFork(fork, r, e);
                forkMillis += (System.nanoTime() - f0) / 1_000_000;
                progress.done(e.id());
                forks++;
                doneMillis += ForkCost.forkMillis(matrix, e);
                Duration elapsed = Duration.between(start, Instant.now());
                String eta = eta(planned.millis() - doneMillis, forks, forkMillis, doneMillis);
                // rounds until decided: the budget, not the most rounds it may take, bounds what is left
                if (stop.budgetMillis != null) {
                    eta = "~" + Schedule.duration(Math.max(0, stop.budgetMillis - elapsed.toMillis())) + " of the budget left";
                }
                rec.say(String.format("[round %d/%d %d/%d | forks %d/%d] %s elapsed, %s | %s -> %s", r, total,
                        n, todo.size(), forks, planned.forks(), Schedule.duration(elapsed.toMillis()), eta, label(e), outcome));
            }
            finishRound(r, cpu0, !before.isEmpty());
            roundsThisSession++;
            if (stop.active() && r < total) {
                long elapsed = Duration.between(start, Instant.now()).toMillis();
                PrecisionStop.Reason why = stop.after(r, schedule.plan.slices.size(), elapsed,
                        elapsed / roundsThisSession, rec.dir, rec::say);
                if (why != null) {
                    stoppedEarly(why, r);
                    total = r;
                    break;
                }
            }
        }
        if (progress.state() != RunProgress.State.COMPLETE) progress.complete();
        int failed = rec.failures().size();
        rec.say("finished in " + Schedule.duration(Duration.between(start, Instant.now()).toMillis()) + ": " + total + " round(s), "
                + forks + " fork(s) in this session, " + failed + " failed" + (failed > 0 ? " (failures.json, FAILED in run.log)" : "")
                + "; results in " + rec.dir);
    }

    /** The run stops after round {@code r}: says why and what stayed open, and records it in progress.json. */
    private void stoppedEarly(PrecisionStop.Reason why, int r) throws IOException {
        PrecisionStop.Check c = stop.last();
        if (why == PrecisionStop.Reason.PRECISION) {
            rec.say("stopping after round " + r + ": every judged comparison is decided or within ±"
                    + PrecisionStop.pct(stop.precision));
        } else {
            rec.say("stopping after round " + r + ": another round would end past the budget of "
                    + Schedule.duration(stop.budgetMillis) + (c == null ? "" : "; " + c.open() + " of " + c.judged()
                    + " judged comparisons still open:"));
            if (c != null) for (String o : c.openOnes()) rec.say("  open: " + o);
            rec.say("to extend it: ./run-experiments.sh --resume " + rec.dir + " --budget TIME");
        }
        progress.stopEarly(why.word);
    }

    /** One fork: its records are written before this returns; returns what the progress line says of it. */
    private String runFork(JmhFork fork, int round, Schedule.Entry e) throws IOException, JmhFork.LockHeld {
        Configuration c = e.config();
        Path jmhOut = rec.dir.resolve("jmh").resolve(".current.log");
        JmhFork.Outcome o;
        try {
            o = e.partner() != null ? fork.runPair(c, e.partner(), matrix) : fork.run(c, matrix.repetitions(c.group(),
                    c.params()), matrix.forks());
        } catch (JmhFork.LockHeld held) {
            rec.appendJmhLog(c.group().id(), jmhOut);
            rec.log("stopped: " + held.getMessage());
            progress.interrupted();
            throw held;
        }
        rec.appendJmhLog(c.group().id(), jmhOut);
        return switch (o) {
            case JmhFork.Outcome.Measured m -> {
                rec.addJmhResult(round, e, m.result());
                rec.appendSamples(Samples.of(round, e, m.result()));
                var score = Samples.score(m.result().getPrimaryResult(), m.result().getSecondaryResults());
                yield String.format("%.4f %s", score.getScore(), score.getScoreUnit());
            }
            case JmhFork.Outcome.Skipped s -> {
                rec.addSkips(List.of(new Skip(c.group().id(), c.benchmark(), c.params(), s.reason())));
                skipped.add(c.id());
                rec.log("SKIPPED " + ConfigLabel.logged(c.group().id(), c.params()) + ": " + s.reason());
                yield "skipped: " + s.reason();
            }
            case JmhFork.Outcome.Failed f -> {
                VerificationException wrong = VerificationException.fromErrorLine(f.error());
                rec.addFailure(round, e, f.error(), wrong);
                String what = wrong != null ? "WRONG DATA: " + wrong.getMessage() : f.error();
                rec.log("FAILED " + ConfigLabel.logged(c.group().id(), c.params()) + (e.aaB() ? " (aa=B)" : "")
                        + " in round " + round + ": " + what);
                yield wrong != null ? what + " (recorded in failures.json; the run goes on)" : "FAILED: " + f.error();
            }
        };
    }

    private void finishRound(int r, CpuTimes cpu0, boolean resumed) throws IOException {
        CpuTimes cpu1 = CpuTimes.read();
        List<String> failed = failedIn(r);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("round", r);
        line.put("slice", schedule.slice(r).name());
        line.put("started", progress.currentStarted());
        line.put("finished", Samples.iso(Instant.now()));
        line.put("order", progress.done());
        if (cpu0 != null && cpu1 != null) {
            line.put("stealFraction", cpu1.stealSince(cpu0));
            line.put("iowaitFraction", cpu1.iowaitSince(cpu0));
        }
        line.put("failed", failed);
        // steal and iowait cover only the part of the round after the resume
        if (resumed) line.put("resumed", true);
        rec.appendRound(line);
        rec.writeMergedGroups();
        progress.finishRound();
        rec.say(String.format("== round %d/%d done: %d fork(s), %d failed%s", r, schedule.rounds(),
                ((List<?>) line.get("order")).size(), failed.size(),
                line.containsKey("stealFraction") ? String.format("; steal %.1f%%, iowait %.1f%% of the CPU time",
                        100 * (double) line.get("stealFraction"), 100 * (double) line.get("iowaitFraction")) : ""));
    }

    /** The forks of round {@code r} in failures.json, as entry ids. */
    private List<String> failedIn(int r) throws IOException {
        List<String> failed = new ArrayList<>();
        for (Map<String, Object> f : rec.failures()) {
            if (((Number) f.get("round")).intValue() == r) failed.add(Schedule.Entry.id((String) f.get("config"), f.containsKey("aa")));
        }
        return failed;
    }

    /** Forks measured before the estimate of what remains is scaled by the speed they showed. */
    static final int ETA_AFTER_FORKS = 3;

    /**
     * What remains, for the progress line: the plan's estimate of the forks still to run ({@code plannedLeftMillis}),
     * scaled by how fast the forks run here (their own time, {@code forkMillis}, over what the plan gave the same
     * forks, {@code plannedDoneMillis}). Fewer than {@link #ETA_AFTER_FORKS} forks say little about that (the first
     * fork also loads the JDK and the jar from the disk), so until then the plan's estimate is shown as it is.
     */
    static String eta(long plannedLeftMillis, int forksDone, long forkMillis, long plannedDoneMillis) {
        long left = Math.max(0, plannedLeftMillis);
        if (forksDone < ETA_AFTER_FORKS || plannedDoneMillis <= 0 || forkMillis <= 0) {
            return "~" + Schedule.duration(left) + " left (planned)";
        }
        return "~" + Schedule.duration((long) (left * ((double) forkMillis / plannedDoneMillis))) + " left";
    }

    /** Forks still to run and their estimated duration (the ETA scales it by the speed observed so far). */
    record Remaining(int forks, long millis) {}

    Remaining remaining() {
        long ms = 0;
        int count = 0;
        Set<String> before = new HashSet<>(progress.done());
        for (int r = progress.currentRound(); r <= schedule.rounds(); r++) {
            for (Schedule.Entry e : schedule.order(r)) {
                if (r == progress.currentRound() && before.contains(e.id())) continue;
                if (skipped.contains(e.config().id())) continue;
                ms += ForkCost.forkMillis(matrix, e);
                count++;
            }
        }
        return new Remaining(count, ms);
    }

    /** The group and the parameters that tell configurations apart, for a progress line. */
    static String label(Schedule.Entry e) {
        Map<String, String> defaults = Map.of("mode", "single", "files", "128", "fallocate", "false", "qd", "64",
                "opsPerFile", "4", "bufferSize", "128K", "regbuf", "false", "regfiles", "false", "ringFlags", "none");
        Map<String, String> shown = new LinkedHashMap<>();
        e.config().params().forEach((k, v) -> {
            if (!v.equals(defaults.get(k))) shown.put(k, v);
        });
        return ConfigLabel.logged(e.config().group().id(), shown) + (e.aaB() ? " (A/A control, label B)" : "");
    }
}
