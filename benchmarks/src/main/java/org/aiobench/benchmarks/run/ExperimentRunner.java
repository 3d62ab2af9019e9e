package org.aiobench.benchmarks.run;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import org.aiobench.benchmarks.CopyMetricsProfiler;
import org.aiobench.benchmarks.CopySpec;
import org.aiobench.benchmarks.QueueDepthSweep;
import org.aiobench.benchmarks.SampleTrend;
import org.aiobench.benchmarks.ScratchLayout;
import org.aiobench.engines.Engines;
import org.aiobench.engines.IoEngine;
import org.aiobench.engines.UnsupportedConfigurationException;
import org.aiobench.workloads.CopyException;
import org.aiobench.workloads.Manifest;
import org.aiobench.workloads.Progress;
import org.aiobench.workloads.ScratchLock;
import org.aiobench.workloads.Sizes;
import org.aiobench.workloads.TestTree;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.util.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The copy study in one command ({@code ./run-experiments.sh} calls this): checks the machine, records it in
 * env.json, generates the test trees once, then runs every group's configurations through JMH, one JMH run per
 * configuration, and writes each group's results when the group finishes. Skipped configurations go to run.log
 * and skipped.json with their reason; a configuration that fails (wrong data, an error) is logged as FAILED and
 * the run goes on. Exit status: 0 all ran, 1 some configuration failed, 2 bad input or a missing requirement.
 */
@Command(name = "run-experiments.sh", sortOptions = false, mixinStandardHelpOptions = true,
        versionProvider = ExperimentRunner.VersionProvider.class,
        description = "Runs the copy study's experiments with every engine and records the results in a run"
                + " directory (results/README.md).")
public final class ExperimentRunner implements Callable<Integer> {

    @Option(names = "--quick", description = "the reduced matrix (about 15 minutes on 2 cores); what is reduced is"
            + " recorded in env.json and run.log")
    boolean quick;

    @Option(names = "--suite", paramLabel = "NAME[,NAME]", description = "only these groups: basic, fallocate, regbuf, qd, memory, ringflags, cp")
    String suite;

    @Option(names = "--dir", paramLabel = "PATH", description = "scratch directory on the filesystem under test"
            + " (default: scratch/ in the repository)")
    Path dir;

    @Option(names = "--results", paramLabel = "DIR", description = "the run directory (default:"
            + " results/<date>-<host>-<kernel>)")
    Path results;

    @Option(names = "--resume", paramLabel = "RUN", description = "finish the groups an interrupted run did not"
            + " finish, with that run's options")
    Path resume;

    @Option(names = "--engines", paramLabel = "NAME[,NAME]", description = "only these engines (default: every"
            + " engine of this build)")
    String engines;

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

    @Option(names = "--forks", paramLabel = "N", description = "JMH forks per configuration (0: in this JVM, for"
            + " tests)")
    Integer forks;

    @Option(names = "--warmups", paramLabel = "N", description = "JMH warmup iterations per fork")
    Integer warmups;

    @Option(names = "--iterations", paramLabel = "N", description = "JMH measured iterations per fork")
    Integer iterations;

    @Option(names = "--repo", paramLabel = "DIR", hidden = true, description = "the repository (default: .)")
    Path repo = Path.of(".");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec commandSpec;

    private PrintStream out = System.out;
    /** Held from the trees' preparation to the end of the run: one run per scratch directory (ScratchLock). */
    private ScratchLock scratchLock;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs with these arguments; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        ExperimentRunner r = new ExperimentRunner();
        r.out = out;
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

    /** One configuration to run or skip. */
    record Config(Group group, Map<String, String> params, long weight) {}

    @Override
    public Integer call() throws Exception {
        if (Runtime.version().feature() < 22) {
            throw new BadInput("needs JDK 22 or later (java.lang.foreign), this is " + Runtime.version());
        }
        if (Preflight.jmhLockHeld()) throw new BadInput(JMH_LOCK_HELD);
        Map<String, Object> progress;
        RunRecord rec;
        if (resume != null) {
            boolean others = commandSpec.commandLine().getParseResult().matchedOptions().stream()
                    .anyMatch(o -> !o.longestName().equals("--resume") && !o.longestName().equals("--repo"));
            if (others) throw new BadInput("--resume RUN takes no other options (it reuses the run's own)");
            if (!Files.exists(resume.resolve("progress.json"))) {
                throw new BadInput(resume + " is not a run directory (no progress.json)");
            }
            rec = new RunRecord(resume, out);
            progress = rec.readJson("progress.json");
            @SuppressWarnings("unchecked")
            List<String> stored = (List<String>) progress.get("args");
            ExperimentRunner original = new ExperimentRunner();
            new CommandLine(original).parseArgs(stored.toArray(String[]::new));
            copyOptionsFrom(original);
            results = resume;
            rec.say("resuming " + resume + " (options: " + String.join(" ", stored) + ")");
        } else {
            groups();
            matrix();
            engineList();
            scratchDir();
            results = results != null ? results : repo.resolve("results").resolve(defaultRunId());
            if (Files.exists(results.resolve("progress.json"))) {
                throw new BadInput(results + " already holds a run; finish it with --resume " + results
                        + " or pick another --results");
            }
            rec = new RunRecord(results, out);
            progress = new LinkedHashMap<>();
            progress.put("groups", new LinkedHashMap<String, String>());
            progress.put("args", canonicalArgs());
        }
        try {
            return execute(rec, progress);
        } finally {
            if (scratchLock != null) scratchLock.close();
        }
    }

    /** This run's options with absolute paths, so --resume works from any directory. */
    List<String> canonicalArgs() {
        List<String> a = new ArrayList<>();
        if (quick) a.add("--quick");
        addOpt(a, "--suite", suite);
        addOpt(a, "--dir", dir == null ? null : dir.toAbsolutePath().normalize());
        addOpt(a, "--results", results.toAbsolutePath().normalize());
        addOpt(a, "--engines", engines);
        addOpt(a, "--sizes", sizes);
        addOpt(a, "--files", files);
        addOpt(a, "--caches", caches);
        addOpt(a, "--qd", qds);
        addOpt(a, "--forks", forks);
        addOpt(a, "--warmups", warmups);
        addOpt(a, "--iterations", iterations);
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
        quick = o.quick; suite = o.suite; dir = o.dir; engines = o.engines; sizes = o.sizes; files = o.files;
        qds = o.qds; caches = o.caches; forks = o.forks; warmups = o.warmups; iterations = o.iterations; repo = o.repo;
    }

    static String defaultRunId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName().split("\\.")[0];
        } catch (IOException e) {
            host = "host";
        }
        String kernel = System.getProperty("os.version", "unknown").split("-")[0];
        return DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmm").withZone(ZoneOffset.UTC).format(Instant.now())
                + "-" + host + "-" + kernel;
    }

    Matrix matrix() {
        Matrix m = quick ? Matrix.quick() : Matrix.full();
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
        int f = forks != null ? forks : m.forks();
        int w = warmups != null ? warmups : m.warmups();
        int i = iterations != null ? iterations : m.iterations();
        if (f < 0 || w < 0 || i < 1) throw new BadInput("--forks and --warmups must be >= 0, --iterations >= 1");
        return m.withRepetitions(f, w, i);
    }

    List<String> engineList() {
        if (engines == null) return Engines.names();
        List<String> want = Arrays.stream(engines.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String e : want) {
            if (!Engines.names().contains(e)) {
                throw new BadInput("--engines: unknown engine '" + e + "' (this build has: "
                        + String.join(", ", Engines.names()) + ")");
            }
        }
        return want;
    }

    /** The scratch directory: --dir, which must exist or have an existing parent, or scratch/ in the repository. */
    Path scratchDir() {
        Path s = (dir != null ? dir : repo.resolve("scratch")).toAbsolutePath().normalize();
        if (dir != null && !Files.isDirectory(s) && (s.getParent() == null || !Files.isDirectory(s.getParent()))) {
            throw new BadInput("--dir " + dir + ": neither it nor its parent directory exists");
        }
        return s;
    }

    List<Group> groups() {
        try {
            return Group.parseList(suite);
        } catch (IllegalArgumentException e) {
            throw new BadInput("--suite: " + e.getMessage());
        }
    }

    private int execute(RunRecord rec, Map<String, Object> progress) throws Exception {
        List<Group> groups = groups();
        Matrix m = matrix();
        List<String> engineNames = engineList();
        @SuppressWarnings("unchecked")
        Map<String, String> status = (Map<String, String>) progress.get("groups");
        List<Group> remaining = groups.stream().filter(g -> !"done".equals(status.get(g.id()))).toList();
        for (Group g : groups) status.putIfAbsent(g.id(), "pending");
        progress.put("matrix", m.name());

        Path scratch = scratchDir();
        Files.createDirectories(scratch);
        scratchLock = ScratchLock.forExperiment(ScratchLayout.home(scratch));
        Preflight pre = Preflight.check(scratch, m.treesFor(remaining));
        if (!pre.enoughSpace()) {
            rec.log("not started: " + pre.spaceMessage(scratch));
            throw new BadInput(pre.spaceMessage(scratch));
        }
        rec.say("run directory: " + rec.dir);
        rec.say("matrix: " + m.name() + ", groups: " + remaining.stream().map(Group::id).toList() + ", engines: "
                + engineNames + ", " + (m.forks() == 0 ? "in this JVM (forks=0)" : m.forks() + " fork(s)") + " x " + m.iterations()
                + " measured iteration(s) (+" + warmupsLabel(m) + ") per configuration");
        for (String r : m.reductions()) rec.say("  reduced: " + r);
        rec.say("scratch: " + scratch + " (" + Sizes.format(pre.freeBytes() >> 20 << 20) + " free, needs "
                + Sizes.format((pre.neededBytes() >> 20) + 1 << 20) + ")");
        if (pre.directIo() != null) rec.say("WARNING: " + pre.directIo() + "; configurations with direct=true are skipped");
        rec.say("cold cache: " + pre.cacheDrop());
        if (pre.cpVersion() == null) rec.say("WARNING: no cp on PATH; the cp group is skipped");
        else if (!Files.isExecutable(Path.of("/usr/bin/time"))) {
            rec.say("note: no /usr/bin/time (GNU time): cp's peak memory is not measured");
        }

        long orderSeed;
        if (!rec.has("env.json")) {
            orderSeed = new Random().nextLong();
            rec.writeJson("env.json", environment(rec, m, scratch, pre, engineNames, orderSeed));
        } else {
            Map<String, Object> env = rec.readJson("env.json");
            @SuppressWarnings("unchecked")
            Map<String, Object> mx = (Map<String, Object>) env.get("matrix");
            orderSeed = ((Number) mx.get("orderSeed")).longValue();
            @SuppressWarnings("unchecked")
            List<Object> resumed = (List<Object>) env.computeIfAbsent("resumedAt", k -> new ArrayList<>());
            resumed.add(Instant.now().toString());
            rec.writeJson("env.json", env);
        }
        rec.writeJson("progress.json", progress);

        // what to run, what to skip
        Map<Group, List<Config>> plan = new LinkedHashMap<>();
        int total = 0;
        long totalWeight = 0;
        for (Group g : remaining) {
            List<Config> run = new ArrayList<>();
            List<RunRecord.Skip> skips = new ArrayList<>();
            for (Map<String, String> p : m.configs(g, engineNames)) {
                String reason = skipReason(g, p, pre);
                if (reason != null) {
                    skips.add(new RunRecord.Skip(g.id(), g.benchmark(), p, reason));
                    rec.log("SKIPPED " + g.id() + " " + CopySpec.label(p) + ": " + reason);
                } else {
                    long w = weight(m, p);
                    run.add(new Config(g, p, w));
                    totalWeight += w;
                }
            }
            // a shuffled order, so that no engine or setting always runs right after the same neighbour (the study
            // ran its engines in one fixed order); the seed is in env.json and reused by --resume
            Collections.shuffle(run, new Random(orderSeed + g.ordinal()));
            rec.replaceSkips(g.id(), skips);
            rec.say(g.id() + ": " + run.size() + " configuration(s) to run, " + skips.size() + " skipped"
                    + (skips.isEmpty() ? "" : " (reasons in run.log and skipped.json)"));
            plan.put(g, run);
            total += run.size();
        }

        rec.say("planned: " + total + " configuration(s), roughly " + duration(totalWeight * 1_000_000L)
                + " at the speed of a 2-core VM with an ordinary disk (refined as it runs)");

        // the trees, generated once and reused
        for (Matrix.Tree t : m.treesFor(remaining)) {
            Path tree = ScratchLayout.tree(scratch, t.files(), t.fileSize());
            Files.createDirectories(tree.getParent());
            long t0 = System.nanoTime();
            rec.say("tree " + t + ": checking or generating " + tree);
            TestTree.ensure(tree, t.files(), t.fileSize(), ScratchLayout.SEED,
                    Progress.console("tree " + t, out), rec::say);
            rec.say("tree " + t + ": ready (generated, or every file verified) in " + seconds(System.nanoTime() - t0));
            Files.copy(Manifest.pathFor(tree), rec.dir.resolve("manifests").resolve(tree.getFileName()
                    + ".manifest.json"), StandardCopyOption.REPLACE_EXISTING);
        }

        System.setProperty(ScratchLayout.PROPERTY, scratch.toString()); // for forks=0
        Instant start = Instant.now();
        int done = 0;
        int failed = 0;
        long doneWeight = 0;
        for (Map.Entry<Group, List<Config>> e : plan.entrySet()) {
            Group g = e.getKey();
            status.put(g.id(), "running");
            rec.writeJson("progress.json", progress);
            rec.say("== " + g.id() + " (" + g.benchmark() + "): " + e.getValue().size() + " configuration(s)");
            List<RunResult> groupResults = new ArrayList<>();
            List<RunRecord.Skip> lateSkips = new ArrayList<>();
            int n = 0;
            for (Config c : e.getValue()) {
                n++;
                Path jmhOut = rec.dir.resolve("jmh").resolve(".current.log");
                String outcome;
                try {
                    RunResult r = runJmh(g, c.params(), m, scratch, jmhOut);
                    groupResults.add(r);
                    outcome = String.format("%.4f s/op", r.getPrimaryResult().getScore());
                    for (String w : trendWarnings(r)) rec.say("WARNING " + g.id() + " " + CopySpec.label(c.params()) + ": " + w);
                } catch (RunnerException ex) {
                    String why = failure(jmhOut, ex);
                    if (why.contains("Unable to acquire the JMH lock")) {
                        rec.appendJmhLog(g.id(), jmhOut);
                        rec.log("stopped: " + why);
                        throw new BadInput(JMH_LOCK_HELD + "; the run stops here, finish it later with --resume "
                                + rec.dir);
                    }
                    if (why.startsWith(UnsupportedConfigurationException.class.getName())) {
                        String reason = why.substring(why.indexOf(':') + 1).trim();
                        lateSkips.add(new RunRecord.Skip(g.id(), g.benchmark(), c.params(), reason));
                        rec.log("SKIPPED " + g.id() + " " + CopySpec.label(c.params()) + ": " + reason);
                        outcome = "skipped: " + reason;
                    } else {
                        failed++;
                        rec.log("FAILED " + g.id() + " " + CopySpec.label(c.params()) + ": " + why);
                        outcome = "FAILED: " + why;
                    }
                }
                rec.appendJmhLog(g.id(), jmhOut);
                done++;
                doneWeight += c.weight();
                Duration elapsed = Duration.between(start, Instant.now());
                long etaNanos = doneWeight == 0 ? 0
                        : (long) (elapsed.toNanos() * ((double) (totalWeight - doneWeight) / doneWeight));
                rec.say(String.format("[%s %d/%d | all %d/%d] elapsed %s, ETA %s | %s -> %s", g.id(), n,
                        e.getValue().size(), done, total, duration(elapsed.toNanos()), duration(etaNanos),
                        shortLabel(c.params()), outcome));
            }
            if (!lateSkips.isEmpty()) rec.addSkips(lateSkips);
            rec.writeGroupResults(g.id(), groupResults);
            status.put(g.id(), "done");
            rec.writeJson("progress.json", progress);
            rec.say("== " + g.id() + " done: " + groupResults.size() + " measured, written to "
                    + rec.dir.resolve("jmh").resolve(g.id() + ".json"));
        }
        rec.say("finished in " + duration(Duration.between(start, Instant.now()).toNanos()) + ": " + done
                + " configuration(s), " + failed + " failed" + (failed > 0 ? " (see FAILED in run.log)" : "")
                + "; results in " + rec.dir);
        return failed > 0 ? 1 : 0;
    }

    /** Why a configuration cannot run here, or null: the workload's validation, then building the engine. */
    static String skipReason(Group g, Map<String, String> p, Preflight pre) {
        if (g == Group.CP) return pre.cpVersion() == null ? "GNU cp is not installed (not on PATH)" : null;
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

    /**
     * A rough cost of a configuration in milliseconds, for the ETA: a fork's start-up, then per copy a cost per
     * file (creating, deleting) and per byte (three times as much with O_DIRECT, which bypasses the cache).
     * Fitted on a 2-core VM's --quick run; the ETA scales it by the rate observed so far, so only the ratios
     * between configurations matter.
     */
    static long weight(Matrix m, Map<String, String> p) {
        long files = Long.parseLong(p.get("files"));
        double bytes = Sizes.parse(p.get("fileSize")) * (double) files;
        double perCopy = 2.0 * files + bytes / 600e3 * ("true".equals(p.get("direct")) ? 3 : 1);
        return (long) (Math.max(1, m.forks()) * (1500 + (m.warmups() + m.iterations()) * perCopy));
    }

    /** Warm-up copies of a configuration: --warmups when given, else what its tree needs (CopySpec.warmupsFor). */
    int warmupsFor(Matrix m, Map<String, String> p) {
        return warmups != null ? m.warmups() : CopySpec.warmupsFor(p);
    }

    private String warmupsLabel(Matrix m) {
        return warmups != null ? m.warmups() + " warmup" : "warm-up copies by tree, CopySpec.warmupsFor: "
                + m.trees().stream().map(t -> t + " " + CopySpec.warmupsFor(Matrix.copyParams(t))).toList();
    }

    /** A warning for each fork whose measured samples trend (SampleTrend). */
    static List<String> trendWarnings(RunResult r) {
        List<String> out = new ArrayList<>();
        int fork = 0;
        for (var b : r.getBenchmarkResults()) {
            fork++;
            double[] v = b.getIterationResults().stream().mapToDouble(i -> i.getPrimaryResult().getScore()).toArray();
            String w = SampleTrend.warning(v);
            if (w != null) out.add("fork " + fork + ": " + w);
        }
        return out;
    }

    RunResult runJmh(Group g, Map<String, String> p, Matrix m, Path scratch, Path output) throws RunnerException {
        OptionsBuilder ob = new OptionsBuilder();
        ob.include("^" + Pattern.quote(g.benchmark()) + "$")
                .forks(m.forks())
                .warmupIterations(warmupsFor(m, p))
                .measurementIterations(m.iterations())
                .jvmArgsAppend(forkJvmArgs(scratch))
                .addProfiler(CopyMetricsProfiler.class)
                .shouldFailOnError(true)
                .output(output.toString());
        p.forEach(ob::param);
        Options o = ob.build();
        var results = new Runner(o).run();
        if (results.isEmpty()) throw new RunnerException("JMH returned no result");
        return results.iterator().next();
    }

    /** The forked JVMs' options: FFM allowed, the scratch directory, and JMH's own Unsafe use allowed (JDK 23+). */
    static String[] forkJvmArgs(Path scratch) {
        List<String> a = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED",
                "-D" + ScratchLayout.PROPERTY + "=" + scratch));
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

    /** The parameters that tell configurations apart in a progress line. */
    static String shortLabel(Map<String, String> p) {
        Map<String, String> defaults = Map.of("mode", "single", "files", "128", "fallocate", "false", "qd", "64",
                "opsPerFile", "4", "bufferSize", "128K", "regbuf", "false", "regfiles", "false", "ringFlags", "none");
        Map<String, String> shown = new LinkedHashMap<>();
        p.forEach((k, v) -> {
            if (!v.equals(defaults.get(k))) shown.put(k, v);
        });
        return CopySpec.label(shown);
    }

    private Map<String, Object> environment(RunRecord rec, Matrix m, Path scratch, Preflight pre,
                                            List<String> engineNames, long orderSeed) {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("runId", rec.dir.getFileName().toString());
        env.put("createdAt", Instant.now().toString());
        env.put("quick", quick);
        env.put("kernel", Environment.kernel());
        env.put("cpu", Environment.cpu());
        env.put("memoryBytes", Environment.memoryBytes());
        Map<String, Object> s = Environment.scratch(scratch);
        s.put("freeBytes", pre.freeBytes());
        s.put("directIo", pre.directIo() == null ? "supported" : pre.directIo());
        env.put("scratch", s);
        env.put("jdk", Environment.jdk());
        env.put("jmhVersion", Version.getPlainVersion());
        env.put("aiobench", Environment.aiobench(repo));
        List<String> why = new ArrayList<>();
        Object probe = Environment.probe(scratch, why);
        if (probe != null) env.put("probe", probe);
        for (String w : why) rec.say("WARNING: " + w + "; env.json has no probe");
        env.put("engines", engineNames);
        env.put("cacheDrop", pre.cacheDrop());
        env.put("cp", pre.cpVersion() == null ? "not installed" : pre.cpVersion());
        env.put("cpPeakRss", Files.isExecutable(Path.of("/usr/bin/time"))
                ? "cp's own ru_maxrss from /usr/bin/time -f %M" : "not measured (no /usr/bin/time)");
        Map<String, Object> mx = new LinkedHashMap<>();
        mx.put("name", m.name());
        mx.put("trees", m.trees().stream().map(Matrix.Tree::toString).toList());
        mx.put("optimizationTree", m.medium().toString());
        mx.put("caches", m.caches());
        mx.put("queueDepths", m.qds());
        mx.put("forks", m.forks());
        mx.put("warmupIterations", warmups != null ? m.warmups() : "per configuration, CopySpec.warmupsFor: "
                + "copies worth 6000 read->write pairs (1 to 50; cp 2)");
        mx.put("measurementIterations", m.iterations());
        mx.put("treeSeed", ScratchLayout.SEED);
        mx.put("verify", "every copy, against the tree's manifest");
        mx.put("orderSeed", orderSeed);
        mx.put("reductions", m.reductions());
        env.put("matrix", mx);
        env.put("args", canonicalArgs());
        return env;
    }

    static String seconds(long nanos) {
        return String.format("%.1f s", nanos / 1e9);
    }

    static String duration(long nanos) {
        long s = nanos / 1_000_000_000L;
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60) : String.format("%dm%02ds", s / 60, s % 60);
    }
}
