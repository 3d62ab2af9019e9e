package org.aiobench.benchmarks.run;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import org.aiobench.benchmarks.plan.PrecisionStop;
import org.aiobench.benchmarks.plan.Preflight;
import org.aiobench.benchmarks.plan.RunPlan;
import org.aiobench.benchmarks.plan.Schedule;
import org.aiobench.workloads.CopyException;
import org.aiobench.workloads.PeerCommand;
import org.aiobench.workloads.ScratchLock;
import org.openjdk.jmh.util.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import org.aiobench.vocabulary.ConfigLabel;

/**
 * The copy study in one command ({@code ./run-experiments.sh} calls this): the command line, checked before anything
 * is written, then the steps, each in its own class: {@link PlanFromOptions} (the options checked and turned into
 * the plan's inputs), {@link ExperimentRun} (the run carried out: {@link RunPlan}, what to measure and skip;
 * {@link Schedule}, the rounds and their shuffled orders; {@link RoundExecutor} with {@link JmhFork}, measuring; and
 * {@link RunRecord} with {@link RunProgress}, the run directory). Exit status: 0 all ran, 1 some configuration failed, 2 bad input or a
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
        ExperimentRun run = new ExperimentRun(this, new PlanFromOptions(this), out);
        ScratchDirectory scratch = ScratchDirectory.check(dir != null ? dir : repo.resolve("scratch"), dir != null);
        scratch.create();
        if (dryRun) {
            try {
                return run.measure(scratch, resumed);
            } finally {
                scratch.removeCreated();
            }
        }
        // held until the run ends: a second run on the same --dir stops before it touches the trees, and copy, gen-tree
        // and test see that an experiment is running
        try (ScratchLock lock = ScratchLock.forExperiment(scratch.root)) {
            return run.measure(scratch, resumed);
        } catch (BadInput | CopyException e) {
            scratch.removeCreated();
            throw e;
        }
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

}
