package org.aiobench.benchmarks.run;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;

import org.aiobench.engines.Engines;
import org.aiobench.workloads.CopyException;
import org.aiobench.workloads.PeerCommand;
import org.aiobench.workloads.ScratchLock;
import org.aiobench.workloads.Sizes;
import com.fasterxml.jackson.databind.JsonNode;
import org.openjdk.jmh.util.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import org.aiobench.vocabulary.ConfigLabel;

/**
 * The copy study in one command ({@code ./run-experiments.sh} calls this): the command line, checked before anything
 * is written, then the steps, each in its own class: {@link RunPlan} (what to measure and skip), {@link Schedule} (the
 * rounds and their shuffled orders), {@link RoundExecutor} with {@link JmhFork} (measuring) and {@link RunRecord} with
 * {@link RunProgress} (the run directory). Exit status: 0 all ran, 1 some configuration failed, 2 bad input or a
 * missing requirement (one line, nothing written).
 */
@Command(name = "run-experiments.sh", sortOptions = false, mixinStandardHelpOptions = true,
        versionProvider = ExperimentRunner.VersionProvider.class,
        description = "Runs the copy study's experiments with every engine, in rounds that measure every configuration"
                + " once each in a fresh random order, and records the results in a run directory (results/README.md).")
public final class ExperimentRunner implements Callable<Integer> {

    @Option(names = "--quick", description = "the reduced matrix (25 minutes as --dry-run plans it on 2 cores, less in practice); what is reduced is"
            + " recorded in env.json and run.log")
    boolean quick;

    @Option(names = "--suite", paramLabel = "NAME[,NAME]", description = "only these groups: basic, fallocate, regbuf,"
            + " qd, memory, ringflags, cp, randread, randwrite, fio (fio comes along with randread or randwrite);"
            + " the io_uring thesis' coop, thinktime, async, asyncwrite, regfiles, sqpoll, pingpong, stall, thesisfio"
            + " (thesisfio comes along with the first six), or thesis for all of them; regression: a covering subset"
            + " for tracking a kernel (each engine on small and medium trees, warm and cold, buffered and O_DIRECT,"
            + " the io_uring options that matter, random reads at depth 1 and 64 beside fio, cp -r) whose rounds run"
            + " until decided at ±5%% within an hour (--precision 5 --budget 1h)")
    String suite;

    @Option(names = "--rounds", paramLabel = "N", description = "rounds per configuration (default: 10, --quick: 3);"
            + " each round measures every configuration once, in a fresh random order")
    Integer rounds;

    @Option(names = "--precision", paramLabel = "PERCENT", description = "add rounds until every judged comparison"
            + " (each configuration against cp -r and its figure's baseline, the A/A control) is decided (slower,"
            + " faster, same) or its 95%% interval is within ±PERCENT; checked after every full cycle of rounds from the"
            + " third; --rounds is then the most it may take (default 100)")
    String precision;

    @Option(names = "--budget", paramLabel = "TIME", description = "stop before a round that would end past TIME"
            + " (e.g. 1h, 20m) and say which comparisons stayed open; --resume RUN --budget TIME extends it")
    String budget;

    @Option(names = "--pairing", paramLabel = "round|fork", description = "fork: an engine configuration and the twin"
            + " it is compared with (the same copy without a flag; an engine and the synchronous one) share one fork,"
            + " their copies alternating, so what differs between forks cancels in their ratio (measured here: 22"
            + " times less variance of an engine's A/A); round: each its own fork, paired by round (default; fork"
            + " with --suite regression and --precision)")
    String pairing;

    @Option(names = "--jit", paramLabel = "c1|tiered", description = "the compilers of a copy's fork: c1 (default)"
            + " compiles with C1 only, whose code is ready within the warm-ups; tiered is the JVM's default, whose C2"
            + " compiles in the background during the measured copies and differently in every fork (measured here: a"
            + " fork's level varied by SD 0.163 around its twin's with c1, 0.440 with tiered); random-I/O jobs keep"
            + " tiered")
    String jit;

    @Option(names = "--dir", paramLabel = "PATH", description = "scratch directory on the filesystem under test; aiobench"
            + " works in its subdirectory aiobench-scratch/ (default: scratch/ in the repository)")
    Path dir;

    @Option(names = "--results", paramLabel = "DIR", description = "the run directory, new or empty (default:"
            + " results/<date>T<time>-<host>-<kernel>)")
    Path results;

    @Option(names = "--resume", paramLabel = "RUN", description = "finish an interrupted run at the round and"
            + " configuration where it stopped, with that run's options")
    Path resume;

    @Option(names = "--engines", paramLabel = "NAME[,NAME]", description = "only these engines (default: every"
            + " engine of this build)")
    String engines;

    @Option(names = "--peer", paramLabel = "NAME='COMMAND {src} {dst}'", description = "an external copy program measured"
            + " beside the engines exactly as cp -r is, on cp's trees and cache states, verified like every copy"
            + " (repeatable). {dst} does not exist beforehand and must become the copy of {src}, e.g."
            + " rsync='rsync -r {src}/ {dst}'. The command is split once with the shell's quoting rules and run"
            + " without a shell")
    List<String> peerSpecs;

    @Option(names = "--sizes", paramLabel = "SIZE[,SIZE]", description = "file sizes of the size sweep instead of the"
            + " matrix's (e.g. 32K,1M)")
    String sizes;

    @Option(names = "--files", paramLabel = "N", description = "files per tree instead of the matrix's")
    Integer files;

    @Option(names = "--qd", paramLabel = "N[,N]", description = "queue depths of the qd group instead of the matrix's")
    String qds;

    @Option(names = "--caches", paramLabel = "STATE[,STATE]", description = "cache states (warm, cold) instead of the"
            + " matrix's")
    String caches;

    @Option(names = "--iodepth", paramLabel = "N[,N]", description = "I/Os in flight of the random-I/O groups"
            + " (randread, randwrite, fio) instead of the matrix's")
    String iodepths;

    @Option(names = "--bs", paramLabel = "SIZE[,SIZE]", description = "block sizes of the random-I/O groups instead of"
            + " the matrix's (4K,512)")
    String bss;

    @Option(names = "--ramp", paramLabel = "TIME", description = "ramp of each random-I/O run (e.g. 1s)")
    String ramp;

    @Option(names = "--runtime", paramLabel = "TIME", description = "measured time of each random-I/O run (e.g. 3s)")
    String runtime;

    @Option(names = "--target-size", paramLabel = "SIZE", description = "size of the random-I/O target file (default 1G)")
    String targetSize;

    @Option(names = "--warmups", paramLabel = "N", description = "warm-up copies per fork (one fork per configuration"
            + " and round)")
    Integer warmups;

    @Option(names = "--iterations", paramLabel = "N", description = "measured copies per fork")
    Integer iterations;

    @Option(names = "--forks", paramLabel = "N", description = "JMH forks per configuration and round (default 1; 0:"
            + " in this JVM, for tests)")
    Integer forks;

    @Option(names = "--seed", paramLabel = "N", description = "seed of the rounds' orders (default: random; recorded"
            + " in env.json)")
    Long seed;

    @Option(names = "--dry-run", description = "print the plan (rounds, configurations, skips, an estimate of the"
            + " time) and stop without writing a run directory")
    boolean dryRun;

    @Option(names = "--repo", paramLabel = "DIR", hidden = true, description = "the repository (default: .)")
    Path repo = Path.of(".");

    /** The analysis module's jar, which --precision asks after the rounds (run-experiments.sh passes it). */
    @Option(names = "--analysis-jar", paramLabel = "JAR", hidden = true)
    Path analysisJar;

    /** Where run-experiments.sh learns the run directory (for its plot step); written once the directory exists. */
    @Option(names = "--run-dir-file", paramLabel = "FILE", hidden = true)
    Path runDirFile;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec commandSpec;

    private PrintStream out = System.out;
    /** Rounds until decided or the budget spent; inactive without --precision and --budget. */
    private PrecisionStop stop;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs with these arguments; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        ExperimentRunner r = new ExperimentRunner();
        int columns = TerminalLines.columns();
        r.out = columns > 0 ? new TerminalLines(out, columns) : out; // errors stay one line each, on err
        CommandLine cl = new CommandLine(r);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("run-experiments.sh: " + ex.getMessage() + " (see --help)");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, p) -> {
            if (ex instanceof BadInput || ex instanceof CopyException ce && ce.badInput()) {
                err.println("run-experiments.sh: " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        return cl.execute(args);
    }

    /** With --precision or --budget and no --rounds: the most rounds a configuration may take. */
    static final int MAX_ROUNDS_UNTIL_DECIDED = 100;

    /** --precision and --budget checked, as the runner's stop; inactive without them. */
    PrecisionStop precisionStop() {
        Double p = null;
        Long b = null;
        if (precision != null) {
            String v = precision.strip();
            if (v.endsWith("%")) v = v.substring(0, v.length() - 1).strip();
            try {
                p = Double.parseDouble(v) / 100;
            } catch (NumberFormatException e) {
                throw new BadInput("--precision takes a percentage such as 5 or 2.5%, not '" + precision + "'");
            }
            if (!(p > 0 && p < 1)) throw new BadInput("--precision must lie between 0 and 100 percent, not " + precision);
            Path jar = analysisJar != null ? analysisJar : repo.resolve("analysis/target/aiobench-analysis.jar");
            if (!Files.isRegularFile(jar) && checkerForTests == null) {
                throw new BadInput("--precision asks the analysis module after the rounds, and " + jar + " is missing: "
                        + "build it (mvn -B package)");
            }
            analysisJar = jar;
        }
        if (budget != null) {
            try {
                b = org.aiobench.workloads.randio.Durations.parse(budget, "--budget") / 1_000_000L;
            } catch (IllegalArgumentException e) {
                throw new BadInput(e.getMessage() + " (examples: 1h, 20m, 90s)");
            }
            if (b < 1000) throw new BadInput("--budget must be at least a second, not " + budget);
        }
        return new PrecisionStop(p, b, analysisJar, checkerForTests);
    }

    /** Tests' answer to "what is decided" (the analysis module is built after this one); null: ask the analysis module. */
    static java.util.function.Function<Path, PrecisionStop.Check> checkerForTests;

    static final String JMH_LOCK_HELD = "another JMH benchmark is running on this machine (it holds JMH's lock, "
            + Preflight.JMH_LOCK + "); two at once would measure each other";

    /** Bad input or a requirement the machine does not meet: one line, exit 2. */
    static final class BadInput extends RuntimeException {
        private static final long serialVersionUID = 1L;
        BadInput(String message) { super(message); }
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override public String[] getVersion() {
            String v = ExperimentRunner.class.getPackage().getImplementationVersion();
            return new String[] {"aiobench " + (v != null ? v : "(development build)") + ", " + Version.getVersion()};
        }
    }

    @Override
    public Integer call() throws Exception {
        if (Runtime.version().feature() < 22) {
            throw new BadInput("needs JDK 22 or later (java.lang.foreign), this is " + Runtime.version());
        }
        // a dry run measures nothing: it may plan beside a running experiment
        if (!dryRun && Preflight.jmhLockHeld()) throw new BadInput(JMH_LOCK_HELD);
        RunProgress resumed = null;
        if (resume != null) {
            resumed = resumedProgress();
        } else if (results != null) {
            ResultsDirectory.checkNew(results);
        }
        List<PeerCommand> peerCommands = peers();
        List<Group> groups = groups(peerCommands);
        Matrix m = matrix();
        List<String> engineNames = engineList();
        stop = precisionStop();
        jitMode();
        pairingMode();
        ScratchDirectory scratch = ScratchDirectory.check(dir != null ? dir : repo.resolve("scratch"), dir != null);
        scratch.create();
        if (dryRun) {
            try {
                return measure(groups, m, engineNames, peerCommands, scratch, resumed);
            } finally {
                scratch.removeCreated();
            }
        }
        // held until the run ends: a second run on the same --dir stops before it touches the trees, and copy, gen-tree
        // and test see that an experiment is running
        try (ScratchLock lock = ScratchLock.forExperiment(scratch.root)) {
            return measure(groups, m, engineNames, peerCommands, scratch, resumed);
        } catch (BadInput | CopyException e) {
            scratch.removeCreated();
            throw e;
        }
    }

    private int measure(List<Group> groups, Matrix m, List<String> engineNames, List<PeerCommand> peerCommands,
                        ScratchDirectory scratch, RunProgress resumed) throws Exception {
        Preflight pre = Preflight.check(scratch.root, m.treesFor(groups),
                RandomIoRuns.bytesNeeded(m, groups, scratch.root));
        Set<String> skippedBefore = new HashSet<>();
        if (resumed != null) {
            for (RunRecord.Skip s : new RunRecord(resume, out).skips()) skippedBefore.add(s.configId());
        }
        List<PeerCommand> userPeers = peersBeside(peerCommands, groups);
        RunPlan plan = RunPlan.make(m, groups, engineNames, userPeers.stream().map(PeerCommand::name).toList(), pre,
                skippedBefore, scratch.root);
        if (plan.isEmpty()) throw new BadInput(nothingToRun(plan, groups));
        if (!pre.enoughSpace()) throw new BadInput(pre.spaceMessage(scratch.root));
        long orderSeed = resumed != null ? resumed.seed : seed != null ? seed : new Random().nextLong();
        Schedule schedule = new Schedule(plan, m.rounds(), orderSeed);
        schedule.noise = noise;
        schedule.pairing = pairingMode();
        if (resumed != null && resumed.stoppedBy() != null) {
            // a run that stopped early, extended: the same rounds' orders, more of them
            if (schedule.rounds() <= resumed.roundsDone()) {
                throw new BadInput(resume + " has " + resumed.roundsDone() + " rounds; give --budget or --precision "
                        + "to extend it (at most " + schedule.rounds() + " rounds a configuration with these options)");
            }
            resumed.extend(schedule.rounds());
        } else if (resumed != null && resumed.rounds() != schedule.rounds()) {
            throw new BadInput(resume + " was planned with " + resumed.rounds() + " rounds, this machine now plans "
                    + schedule.rounds() + " for its options; it cannot be resumed here");
        }
        if (dryRun) {
            schedule.describe(out::println, groups, engineNames, userPeers, pre, scratch.root, stop);
            scratch.removeCreated();
            return 0;
        }
        Map<String, Object> otherLoad = OtherLoad.sample(1000);

        Path runDir = resumed != null ? resume
                : results != null ? ResultsDirectory.create(results)
                : ResultsDirectory.createUnique(repo.resolve("results"));
        results = runDir;
        if (runDirFile != null) Files.writeString(runDirFile, runDir.toAbsolutePath().normalize() + "\n");
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
            rec.writeJson("env.json", Environment.describe(runDir.getFileName().toString(), quick, scratch.root, pre,
                    engineNames, userPeers, schedule, repo, canonicalArgs(), otherLoad, warnings));
            for (String w : warnings) rec.say("WARNING: " + w);
            rec.writeJson(RunRecord.SKIPPED, plan.skips);
            rec.writeJson(RunRecord.FAILURES, List.of());
            rec.createLineFiles();
            progress = RunProgress.start(rec, schedule.rounds(), schedule.seed, m.name(), canonicalArgs());
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
        schedule.describe(rec::say, groups, engineNames, userPeers, pre, scratch.root, stop);
        for (RunRecord.Skip s : plan.skips) rec.log("SKIPPED " + ConfigLabel.logged(s.group(), s.params()) + ": " + s.reason());

        Map<String, PeerCommand> byName = new LinkedHashMap<>();
        for (PeerCommand p : userPeers) byName.put(p.name(), p);
        RoundExecutor executor = new RoundExecutor(rec, progress, schedule, scratch, skippedBefore, byName, out);
        executor.stopWhen(stop);
        executor.jit = jitMode();
        if (resumed != null) executor.reconcile();
        executor.prepareTrees();
        executor.prepareTargets();
        return executor.run();
    }

    /** The --resume run's progress, its options taken over; refuses what cannot be resumed. */
    private RunProgress resumedProgress() throws IOException {
        Set<String> extending = Set.of("--budget", "--precision");
        boolean others = commandSpec.commandLine().getParseResult().matchedOptions().stream()
                .map(CommandLine.Model.OptionSpec::longestName)
                .anyMatch(o -> !o.equals("--resume") && !o.equals("--repo") && !o.equals("--run-dir-file")
                        && !o.equals("--analysis-jar") && !extending.contains(o));
        if (others) throw new BadInput("--resume RUN takes no other options but --budget and --precision (it reuses the"
                + " run's own)");
        String newBudget = budget, newPrecision = precision;
        ResultsDirectory.checkResumable(resume);
        RunProgress p;
        try {
            p = RunProgress.read(resume);
        } catch (IOException e) {
            throw new BadInput(resume.resolve(RunProgress.FILE) + ": cannot read it: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (p == null) {
            throw new BadInput(resume + " was recorded by an aiobench without rounds; it cannot be resumed by this one");
        }
        if (p.state() == RunProgress.State.COMPLETE && p.stoppedBy() == null) {
            throw new BadInput(resume + " is complete; there is nothing to resume");
        }
        if (p.state() == RunProgress.State.COMPLETE && newBudget == null && newPrecision == null) {
            throw new BadInput(resume + " stopped by its " + p.stoppedBy() + "; give --budget TIME (or --precision"
                    + " PERCENT) to extend it");
        }
        ExperimentRunner original = new ExperimentRunner();
        try {
            new CommandLine(original).parseArgs(p.args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new BadInput(resume.resolve(RunProgress.FILE) + ": its args are not options of this aiobench: " + e.getMessage());
        }
        copyOptionsFrom(original);
        // what the user gave now for the extension wins over the run's own
        if (newBudget != null) budget = newBudget;
        if (newPrecision != null) precision = newPrecision;
        return p;
    }

    private static String nothingToRun(RunPlan plan, List<Group> groups) {
        String which = groups.stream().map(Group::id).toList().toString();
        if (plan.skips.isEmpty()) return "nothing to run: the groups " + which + " have no configuration for these options";
        RunRecord.Skip first = plan.skips.get(0);
        return "nothing to run: every configuration of " + which + " is skipped here (" + plan.skips.size()
                + ", e.g. " + ConfigLabel.logged(first.group(), first.params()) + ": " + first.reason() + ")";
    }

    /** This run's options with absolute paths, so --resume works from any directory. */
    List<String> canonicalArgs() {
        List<String> a = new ArrayList<>();
        if (quick) a.add("--quick");
        addOpt(a, "--suite", suite);
        addOpt(a, "--rounds", rounds);
        addOpt(a, "--precision", precision);
        addOpt(a, "--budget", budget);
        addOpt(a, "--pairing", pairing);
        addOpt(a, "--jit", jit);
        addOpt(a, "--dir", dir == null ? null : dir.toAbsolutePath().normalize());
        addOpt(a, "--results", results.toAbsolutePath().normalize());
        addOpt(a, "--engines", engines);
        if (peerSpecs != null) for (String p : peerSpecs) addOpt(a, "--peer", PeerCommand.parse(p).spec());
        addOpt(a, "--sizes", sizes);
        addOpt(a, "--files", files);
        addOpt(a, "--caches", caches);
        addOpt(a, "--qd", qds);
        addOpt(a, "--iodepth", iodepths);
        addOpt(a, "--bs", bss);
        addOpt(a, "--ramp", ramp);
        addOpt(a, "--runtime", runtime);
        addOpt(a, "--target-size", targetSize);
        addOpt(a, "--warmups", warmups);
        addOpt(a, "--iterations", iterations);
        addOpt(a, "--forks", forks);
        addOpt(a, "--repo", repo.toAbsolutePath().normalize());
        return a;
    }

    private static void addOpt(List<String> a, String name, Object value) {
        if (value != null) {
            a.add(name);
            a.add(value.toString());
        }
    }

    private void copyOptionsFrom(ExperimentRunner o) {
        quick = o.quick; suite = o.suite; rounds = o.rounds; dir = o.dir; engines = o.engines; sizes = o.sizes;
        files = o.files; qds = o.qds; caches = o.caches; warmups = o.warmups; iterations = o.iterations;
        forks = o.forks; repo = o.repo; peerSpecs = o.peerSpecs; precision = o.precision; budget = o.budget; pairing = o.pairing; jit = o.jit;
        iodepths = o.iodepths; bss = o.bss; ramp = o.ramp; runtime = o.runtime; targetSize = o.targetSize;
    }

    /** --jit, checked. */
    JmhFork.Jit jitMode() {
        try {
            return jit == null ? JmhFork.Jit.C1 : JmhFork.Jit.parse(jit);
        } catch (IllegalArgumentException e) {
            throw new BadInput(e.getMessage());
        }
    }

    /** --pairing, checked; fork by default where the run is until decided (--precision, --suite regression). */
    Pairing.Mode pairingMode() {
        if (pairing == null) return precision != null ? Pairing.Mode.FORK : Pairing.Mode.ROUND;
        try {
            return Pairing.Mode.parse(pairing);
        } catch (IllegalArgumentException e) {
            throw new BadInput(e.getMessage());
        }
    }

    /** --suite regression: its own matrix, and rounds until decided at ±5% within an hour unless told otherwise. */
    boolean regression() {
        return suite != null && Arrays.stream(suite.split(",")).map(String::trim)
                .anyMatch(x -> x.equalsIgnoreCase(Group.REGRESSION));
    }

    Matrix matrix() {
        if (regression()) {
            if (quick) throw new BadInput("--suite regression has its own matrix; --quick does not apply to it");
            if (precision == null) precision = "5";
            if (budget == null) budget = "1h";
        }
        Matrix m = regression() ? Matrix.regression() : quick ? Matrix.quick() : Matrix.full();
        if (sizes != null || files != null) {
            List<Matrix.Tree> trees = new ArrayList<>();
            List<String> list = sizes != null ? Arrays.asList(sizes.split(","))
                    : m.trees().stream().map(Matrix.Tree::size).toList();
            for (int i = 0; i < list.size(); i++) {
                long size;
                try {
                    size = Sizes.parse(list.get(i).trim());
                } catch (IllegalArgumentException e) {
                    throw new BadInput("--sizes: " + e.getMessage());
                }
                if (size < 1) throw new BadInput("--sizes: sizes must be at least 1 byte");
                int n = files != null ? files : sizes != null ? 128 : m.trees().get(i).files();
                if (n < 1) throw new BadInput("--files must be at least 1");
                trees.add(new Matrix.Tree(n, size));
            }
            m = m.withTrees(trees);
        }
        if (caches != null) {
            List<String> c = Arrays.stream(caches.split(",")).map(String::trim).toList();
            for (String x : c) {
                if (!x.equals("warm") && !x.equals("cold")) throw new BadInput("--caches: unknown cache state '" + x + "' (warm, cold)");
            }
            m = m.withCaches(c);
        }
        if (qds != null) {
            try {
                List<Integer> q = Arrays.stream(qds.split(",")).map(String::trim).map(Integer::parseInt).toList();
                if (q.stream().anyMatch(x -> x < 1)) throw new BadInput("--qd: queue depths must be at least 1");
                m = m.withQds(q);
            } catch (NumberFormatException e) {
                throw new BadInput("--qd needs numbers, got '" + qds + "'");
            }
        }
        m = randioMatrix(m);
        int f = forks != null ? forks : m.forks();
        int w = warmups != null ? warmups : m.warmups();
        int i = iterations != null ? iterations : m.iterations();
        if (f < 0 || w < 0 || i < 1) throw new BadInput("--forks and --warmups must be >= 0, --iterations >= 1");
        m = m.withRepetitions(f, w, i);
        m = measuredCopies(m);
        if (rounds != null) {
            if (rounds < 1) throw new BadInput("--rounds must be at least 1");
            m = m.withRounds(rounds);
        } else if (precision != null || budget != null) {
            m = m.withRounds(MAX_ROUNDS_UNTIL_DECIDED); // the most; the run stops when decided or at its budget
        }
        return m;
    }

    /** This box's last run's noise, where the plan uses it (null: none). */
    BoxNoise noise;

    /**
     * The copies a fork from this box's measured noise (its last run's variance.json): where they buy the most
     * precision per second; a resumed run keeps the noise it started with (env.json matrix.measuredNoise).
     */
    private Matrix measuredCopies(Matrix m) {
        if (!m.byCost()) return m;
        if (resume != null) {
            try {
                JsonNode mc = RunRecord.JSON.readTree(resume.resolve("env.json").toFile()).path("matrix")
                        .path("measuredNoise");
                Map<Group, Double> ratios = new LinkedHashMap<>();
                mc.properties().forEach(e -> {
                    for (Group g : Group.values()) {
                        if (g.id().equals(e.getKey())) ratios.put(g, e.getValue().asDouble());
                    }
                });
                return m.withMeasuredNoise(ratios, "the run's start");
            } catch (IOException e) {
                return m;
            }
        }
        Path where = results != null && results.toAbsolutePath().getParent() != null
                ? results.toAbsolutePath().getParent() : repo.resolve("results");
        noise = BoxNoise.latest(where).orElse(null);
        return noise == null ? m : m.withMeasuredNoise(noise.ratios(), "this box's run " + noise.run().getFileName());
    }

    /** The random-I/O options applied to the matrix. */
    private Matrix randioMatrix(Matrix m) {
        try {
            Long size = targetSize == null ? null : Sizes.parse(targetSize, "--target-size");
            if (size != null) org.aiobench.workloads.randio.Target.checkSize(size);
            List<Integer> depths = iodepths == null ? null
                    : Arrays.stream(iodepths.split(",")).map(String::trim).map(Integer::parseInt).toList();
            if (depths != null && depths.stream().anyMatch(x -> x < 1 || x > 65536)) {
                throw new BadInput("--iodepth: depths must be from 1 to 65536");
            }
            List<String> sizes = bss == null ? null : Arrays.stream(bss.split(",")).map(String::trim).toList();
            if (sizes != null) {
                for (String b : sizes) {
                    long v = Sizes.parse(b, "--bs");
                    if (v < 512 || v > (1 << 20) || v % 512 != 0) {
                        throw new BadInput("--bs: " + b + " is not a multiple of 512 from 512 to 1M");
                    }
                }
            }
            if (ramp != null) org.aiobench.workloads.randio.Durations.parse(ramp, "--ramp");
            if (runtime != null && org.aiobench.workloads.randio.Durations.parse(runtime, "--runtime") <= 0) {
                throw new BadInput("--runtime must be greater than zero");
            }
            return m.withRandio(size, depths, sizes, ramp, runtime);
        } catch (NumberFormatException e) {
            throw new BadInput("--iodepth needs numbers, got '" + iodepths + "'");
        } catch (IllegalArgumentException e) {
            throw new BadInput(e.getMessage());
        }
    }

    List<String> engineList() {
        if (engines == null) return Engines.names();
        List<String> want = Arrays.stream(engines.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (want.isEmpty()) {
            throw new BadInput("--engines: no engine named (this build has: " + String.join(", ", Engines.names()) + ")");
        }
        for (String e : want) {
            if (!Engines.names().contains(e)) {
                throw new BadInput("--engines: unknown engine '" + e + "' (this build has: "
                        + String.join(", ", Engines.names()) + ")");
            }
        }
        return want;
    }

    /**
     * The peers measured in group peer: the plain {@code cp -r} (built-in, first) wherever cp is measured, then the
     * --peer ones.
     */
    static List<PeerCommand> peersBeside(List<PeerCommand> peerCommands, List<Group> groups) {
        List<PeerCommand> out = new ArrayList<>();
        if (groups.contains(Group.CP) && peerCommands.stream().noneMatch(PeerCommand::isPlainCp)) {
            out.add(PeerCommand.CP_PLAIN);
        }
        out.addAll(peerCommands.stream().filter(p -> !p.isBuiltIn()).toList());
        return out;
    }

    /**
     * The --suite groups, with cp when the built-in peer is named, and the peer group when other peers are or cp is
     * (plain cp -r is measured wherever cp --reflink=never is).
     */
    List<Group> groups(List<PeerCommand> peerCommands) {
        List<Group> g;
        try {
            g = Group.parseList(suite);
        } catch (IllegalArgumentException e) {
            throw new BadInput("--suite: " + e.getMessage());
        }
        boolean cp = peerCommands.stream().anyMatch(PeerCommand::isBuiltIn) || g.contains(Group.CP);
        boolean others = peerCommands.stream().anyMatch(p -> !p.isBuiltIn());
        return java.util.Arrays.stream(Group.values())
                .filter(x -> g.contains(x) || cp && x == Group.CP || (others || cp) && x == Group.PEER).toList();
    }

    /**
     * The --peer programs, each checked (name, quoting, placeholders, the program there and executable) before
     * anything is written: a bad one is one line and exit 2.
     */
    List<PeerCommand> peers() {
        List<PeerCommand> out = new ArrayList<>();
        if (peerSpecs == null) return out;
        Set<String> names = new HashSet<>();
        for (String spec : peerSpecs) {
            PeerCommand p;
            try {
                p = PeerCommand.parse(spec);
            } catch (CopyException e) {
                throw new BadInput(e.getMessage());
            }
            if (!names.add(p.name())) throw new BadInput("--peer " + p.name() + ": given twice");
            out.add(p);
        }
        return out;
    }
}
