package org.aiobench.benchmarks.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.aiobench.benchmarks.metrics.CopyMetricsProfiler;
import org.aiobench.benchmarks.FioReference;
import org.aiobench.benchmarks.PairedCopy;
import org.aiobench.benchmarks.PeerCopy;
import org.aiobench.benchmarks.metrics.RandomIoProfiler;
import org.aiobench.benchmarks.ScratchLayout;
import org.aiobench.benchmarks.metrics.StartTimeProfiler;
import org.aiobench.benchmarks.plan.Configuration;
import org.aiobench.benchmarks.plan.Group;
import org.aiobench.benchmarks.plan.Matrix;
import org.aiobench.benchmarks.plan.RandomIoMatrix;
import org.aiobench.engines.UnsupportedConfigurationException;
import org.aiobench.workloads.PeerCommand;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * One JMH run of one configuration: {@code forks} forked JVMs (one per round in a run), each with its warm-up copies
 * and its measured copies. JMH cannot interleave forks of different benchmarks, so the runner calls this once per
 * configuration and round. JMH's human-readable output goes to {@code output}.
 */
final class JmhFork {
    /** What came of it. */
    sealed interface Outcome {
        /** JMH measured it: every fork's iterations are in the result. */
        record Measured(RunResult result) implements Outcome {}
        /** The configuration cannot run on this machine (a refusal the up-front check did not see), with why. */
        record Skipped(String reason) implements Outcome {}
        /** The benchmark failed (wrong data, an exception): the first line of its error. */
        record Failed(String error) implements Outcome {}
    }

    /** Another JMH run holds JMH's machine-wide lock; the run must stop. */
    static final class LockHeld extends Exception {
        private static final long serialVersionUID = 1L;
        LockHeld(String why) { super(why); }
    }

    private final Path scratchDir;
    private final Path output;
    private final Path runDir;
    private final Map<String, PeerCommand> peers;

    /** Which compilers a copy's fork uses (--jit). */
    enum Jit {
        C1, TIERED;

        static Jit parse(String s) {
            return switch (s.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "c1" -> C1;
                case "tiered", "c2" -> TIERED;
                default -> throw new IllegalArgumentException("--jit: 'c1' or 'tiered', not '" + s + "'");
            };
        }
    }

    /** The compilers of the copies' forks: C1 only by default. */
    Jit jit = Jit.C1;

    /** The JVM options a fork of {@code group} gets for {@code jit}: C1 only for copies, the default for jobs. */
    static List<String> jitArgs(Jit jit, Group group) {
        return jit == Jit.C1 && !RandomIoMatrix.covers(group) ? List.of("-XX:TieredStopAtLevel=1") : List.of();
    }

    /** @param scratchDir the user's scratch directory (--dir), passed to the forks; @param output JMH's log */
    JmhFork(Path scratchDir, Path output) {
        this(scratchDir, output, Map.of(), null);
    }

    /**
     * ... and the peers by name, whose commands go to their forks ({@link PeerCopy#COMMAND_PROPERTY}), and the run
     * directory (fio keeps its JSON in its fio/), or null.
     */
    JmhFork(Path scratchDir, Path output, Map<String, PeerCommand> peers, Path runDir) {
        this.scratchDir = scratchDir;
        this.output = output;
        this.peers = Map.copyOf(peers);
        this.runDir = runDir;
    }

    Outcome run(Configuration c, Matrix.Repetitions reps, int forks) throws LockHeld {
        try {
            return new Outcome.Measured(measure(c, reps, forks));
        } catch (RunnerException ex) {
            return outcome(ex);
        }
    }

    private Outcome outcome(RunnerException ex) throws LockHeld {
        String why = failure(output, ex);
        if (why.contains("Unable to acquire the JMH lock")) throw new LockHeld(why);
        if (why.startsWith(UnsupportedConfigurationException.class.getName())) {
            return new Outcome.Skipped(why.substring(why.indexOf(':') + 1).trim());
        }
        return new Outcome.Failed(why);
    }

    /**
     * {@code c} and its twin {@code partner} in one fork, their copies alternating ({@link Pairing},
     * {@link PairedCopy}): each side's warm-ups and measured copies; every copy's metrics say its side.
     */
    Outcome runPair(Configuration c, Configuration partner, Matrix m) throws LockHeld {
        Matrix.Repetitions a = m.repetitions(c.group(), c.params()), b = m.repetitions(partner.group(),
                partner.params());
        Matrix.Repetitions both = new Matrix.Repetitions(2 * Math.max(a.warmups(), b.warmups()),
                2 * Math.max(a.iterations(), b.iterations()));
        Map<String, String> params = new LinkedHashMap<>();
        params.put("x", PairedCopy.spec(benchmarkClass(c), c.params()));
        params.put("y", PairedCopy.spec(benchmarkClass(partner), partner.params()));
        try {
            return new Outcome.Measured(measure(PairedCopy.class.getName() + ".copy", params, c.group(), both,
                    m.forks()));
        } catch (RunnerException ex) {
            return outcome(ex);
        }
    }

    /** "org.aiobench.benchmarks.BasicCopy" of benchmark "org.aiobench.benchmarks.BasicCopy.copy". */
    private static String benchmarkClass(Configuration c) {
        return c.benchmark().substring(0, c.benchmark().lastIndexOf('.'));
    }

    RunResult measure(Configuration c, Matrix.Repetitions reps, int forks) throws RunnerException {
        if (c.group() == Group.PEER) return measure(c.benchmark(), c.params(), c.group(), reps, forks, peers.get(
                c.params().get("peer")), c.params().get("peer"));
        return measure(c.benchmark(), c.params(), c.group(), reps, forks);
    }

    private RunResult measure(String benchmark, Map<String, String> params, Group group, Matrix.Repetitions reps,
                              int forks) throws RunnerException {
        return measure(benchmark, params, group, reps, forks, null, null);
    }

    private RunResult measure(String benchmark, Map<String, String> params, Group group, Matrix.Repetitions reps,
                              int forks, PeerCommand peerCommand, String peerName) throws RunnerException {
        // forks = 0 runs in this JVM (tests), which then needs the properties itself
        if (forks == 0) System.setProperty(ScratchLayout.PROPERTY, scratchDir.toString());
        List<String> jvmArgs = new ArrayList<>(List.of(forkJvmArgs(scratchDir)));
        // a copy's fork compiles with C1 only (--jit c1): C2's background compilation competes with the copy on a
        // small box and decides differently in every fork (measured: a fork's level around its twin's varied by SD
        // 0.440 with the JVM's default, 0.163 with C1 only, 10 rounds each); the random-I/O jobs' per-I/O loop keeps
        // C2, as fio is compiled with -O2
        jvmArgs.addAll(jitArgs(jit, group));
        if (runDir != null) {
            String dir = runDir.toAbsolutePath().normalize().toString();
            jvmArgs.add("-D" + FioReference.RESULTS_PROPERTY + "=" + dir);
            if (forks == 0) System.setProperty(FioReference.RESULTS_PROPERTY, dir);
        }
        if (group == Group.PEER) {
            // by name in the config id, the command beside it: ids stay the same for the same peer across runs
            PeerCommand peer = peerCommand;
            if (peer == null) throw new RunnerException("peer " + peerName + " has no command (--peer)");
            String command = PeerCopy.commandProperty(peer);
            jvmArgs.add("-D" + PeerCopy.COMMAND_PROPERTY + "=" + command);
            if (forks == 0) System.setProperty(PeerCopy.COMMAND_PROPERTY, command);
        }
        OptionsBuilder ob = new OptionsBuilder();
        ob.include("^" + Pattern.quote(benchmark) + "$")
                .forks(forks)
                .warmupIterations(reps.warmups())
                .measurementIterations(reps.iterations())
                .jvmArgsAppend(jvmArgs.toArray(String[]::new))
                // the random-I/O benchmarks' score comes from their profiler
                .addProfiler(RandomIoMatrix.covers(group) ? RandomIoProfiler.class : CopyMetricsProfiler.class)
                .addProfiler(StartTimeProfiler.class)
                .shouldFailOnError(true)
                .output(output.toString());
        params.forEach(ob::param);
        var results = new Runner(ob.build()).run();
        if (results.isEmpty()) throw new RunnerException("JMH returned no result");
        return results.iterator().next();
    }

    /** The forked JVMs' options: FFM allowed, the scratch directory, and JMH's own Unsafe use allowed (JDK 23+). */
    static String[] forkJvmArgs(Path scratchDir) {
        List<String> a = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED",
                "-D" + ScratchLayout.PROPERTY + "=" + scratchDir));
        if (Runtime.version().feature() >= 23) a.add("--sun-misc-unsafe-memory-access=allow");
        return a.toArray(String[]::new);
    }

    /** The error of a failed JMH run: the first line after JMH's {@code <failure>} marker, else the exception. */
    static String failure(Path jmhOutput, RunnerException ex) {
        try {
            if (Files.exists(jmhOutput)) {
                List<String> lines = Files.readAllLines(jmhOutput);
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).trim().endsWith("<failure>")) {
                        for (int j = i + 1; j < lines.size(); j++) {
                            if (!lines.get(j).isBlank()) return lines.get(j).trim();
                        }
                    }
                }
            }
        } catch (IOException ignored) {
            // fall back to the exception
        }
        Throwable t = ex;
        while (t.getCause() != null) t = t.getCause();
        return t.toString();
    }
}
