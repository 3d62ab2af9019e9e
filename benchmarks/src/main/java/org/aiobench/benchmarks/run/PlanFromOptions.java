package org.aiobench.benchmarks.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.aiobench.benchmarks.plan.BoxNoise;
import org.aiobench.benchmarks.plan.Group;
import org.aiobench.benchmarks.plan.Matrix;
import org.aiobench.benchmarks.plan.Pairing;
import org.aiobench.benchmarks.plan.PrecisionStop;
import org.aiobench.benchmarks.run.ExperimentRunner.BadInput;
import org.aiobench.engines.Engines;
import org.aiobench.workloads.CopyException;
import org.aiobench.workloads.PeerCommand;
import org.aiobench.workloads.Sizes;

/**
 * The command line's options checked and turned into what the plan is made of, before anything is written: the
 * peers, the groups, the matrix (the study's, --quick's or --suite regression's, with the sizes, caches, depths,
 * repetitions and random-I/O options given, and the copies a fork from this box's measured noise), the engines, the
 * stop (--precision, --budget), the compilers (--jit) and the pairing. A bad option is {@link BadInput}: one line,
 * exit 2. --suite regression fills in its --precision and --budget on the runner's options, so the run records them.
 */
final class PlanFromOptions {
    private final ExperimentRunner o;
    final List<PeerCommand> peerCommands;
    final List<Group> groups;
    final Matrix matrix;
    final List<String> engineNames;
    /** Rounds until decided or the budget spent; inactive without --precision and --budget. */
    final PrecisionStop stop;
    final JmhFork.Jit jit;
    final Pairing.Mode pairing;
    /** This box's last run's noise, where the plan uses it (null: none). */
    BoxNoise noise;

    /** Checks the options, in the order the runner always checked them (the first bad one is the one reported). */
    PlanFromOptions(ExperimentRunner o) {
        this.o = o;
        peerCommands = peers();
        groups = groups(peerCommands);
        matrix = matrix();
        engineNames = engineList();
        stop = precisionStop();
        jit = jitMode();
        pairing = pairingMode();
    }

    /** --precision and --budget checked, as the runner's stop; inactive without them. */
    private PrecisionStop precisionStop() {
        Double p = null;
        Long b = null;
        if (o.precision != null) {
            String v = o.precision.strip();
            if (v.endsWith("%")) v = v.substring(0, v.length() - 1).strip();
            try {
                p = Double.parseDouble(v) / 100;
            } catch (NumberFormatException e) {
                throw new BadInput("--precision takes a percentage such as 5 or 2.5%, not '" + o.precision + "'");
            }
            if (!(p > 0 && p < 1)) throw new BadInput("--precision must lie between 0 and 100 percent, not " + o.precision);
            Path jar = o.analysisJar != null ? o.analysisJar : o.repo.resolve("analysis/target/aiobench-analysis.jar");
            if (!Files.isRegularFile(jar) && ExperimentRunner.checkerForTests == null) {
                throw new BadInput("--precision asks the analysis module after the rounds, and " + jar + " is missing: "
                        + "build it (mvn -B package)");
            }
            o.analysisJar = jar;
        }
        if (o.budget != null) {
            try {
                b = org.aiobench.workloads.randio.Durations.parse(o.budget, "--budget") / 1_000_000L;
            } catch (IllegalArgumentException e) {
                throw new BadInput(e.getMessage() + " (examples: 1h, 20m, 90s)");
            }
            if (b < 1000) throw new BadInput("--budget must be at least a second, not " + o.budget);
        }
        return new PrecisionStop(p, b, o.analysisJar, ExperimentRunner.checkerForTests);
    }

    /** --jit, checked. */
    private JmhFork.Jit jitMode() {
        try {
            return o.jit == null ? JmhFork.Jit.C1 : JmhFork.Jit.parse(o.jit);
        } catch (IllegalArgumentException e) {
            throw new BadInput(e.getMessage());
        }
    }

    /** --pairing, checked; fork by default where the run is until decided (--precision, --suite regression). */
    private Pairing.Mode pairingMode() {
        if (o.pairing == null) return o.precision != null ? Pairing.Mode.FORK : Pairing.Mode.ROUND;
        try {
            return Pairing.Mode.parse(o.pairing);
        } catch (IllegalArgumentException e) {
            throw new BadInput(e.getMessage());
        }
    }

    /** --suite regression: its own matrix, and rounds until decided at ±5% within an hour unless told otherwise. */
    private boolean regression() {
        return o.suite != null && Arrays.stream(o.suite.split(",")).map(String::trim)
                .anyMatch(x -> x.equalsIgnoreCase(Group.REGRESSION));
    }

    private Matrix matrix() {
        if (regression()) {
            if (o.quick) throw new BadInput("--suite regression has its own matrix; --quick does not apply to it");
            if (o.precision == null) o.precision = "5";
            if (o.budget == null) o.budget = "1h";
        }
        Matrix m = regression() ? Matrix.regression() : o.quick ? Matrix.quick() : Matrix.full();
        if (o.sizes != null || o.files != null) {
            List<Matrix.Tree> trees = new ArrayList<>();
            List<String> list = o.sizes != null ? Arrays.asList(o.sizes.split(","))
                    : m.trees().stream().map(Matrix.Tree::size).toList();
            for (int i = 0; i < list.size(); i++) {
                long size;
                try {
                    size = Sizes.parse(list.get(i).trim());
                } catch (IllegalArgumentException e) {
                    throw new BadInput("--sizes: " + e.getMessage());
                }
                if (size < 1) throw new BadInput("--sizes: sizes must be at least 1 byte");
                int n = o.files != null ? o.files : o.sizes != null ? 128 : m.trees().get(i).files();
                if (n < 1) throw new BadInput("--files must be at least 1");
                trees.add(new Matrix.Tree(n, size));
            }
            m = m.withTrees(trees);
        }
        if (o.caches != null) {
            List<String> c = Arrays.stream(o.caches.split(",")).map(String::trim).toList();
            for (String x : c) {
                if (!x.equals("warm") && !x.equals("cold")) throw new BadInput("--caches: unknown cache state '" + x + "' (warm, cold)");
            }
            m = m.withCaches(c);
        }
        if (o.qds != null) {
            try {
                List<Integer> q = Arrays.stream(o.qds.split(",")).map(String::trim).map(Integer::parseInt).toList();
                if (q.stream().anyMatch(x -> x < 1)) throw new BadInput("--qd: queue depths must be at least 1");
                m = m.withQds(q);
            } catch (NumberFormatException e) {
                throw new BadInput("--qd needs numbers, got '" + o.qds + "'");
            }
        }
        m = randioMatrix(m);
        int f = o.forks != null ? o.forks : m.forks();
        int w = o.warmups != null ? o.warmups : m.warmups();
        int i = o.iterations != null ? o.iterations : m.iterations();
        if (f < 0 || w < 0 || i < 1) throw new BadInput("--forks and --warmups must be >= 0, --iterations >= 1");
        m = m.withRepetitions(f, w, i);
        m = measuredCopies(m);
        if (o.rounds != null) {
            if (o.rounds < 1) throw new BadInput("--rounds must be at least 1");
            m = m.withRounds(o.rounds);
        } else if (o.precision != null || o.budget != null) {
            m = m.withRounds(PrecisionStop.MAX_ROUNDS_UNTIL_DECIDED); // the most; the run stops when decided or at its budget
        }
        return m;
    }

    /**
     * The copies a fork from this box's measured noise (its last run's variance.json): where they buy the most
     * precision per second; a resumed run keeps the noise it started with (env.json matrix.measuredNoise).
     */
    private Matrix measuredCopies(Matrix m) {
        if (!m.byCost()) return m;
        if (o.resume != null) {
            try {
                JsonNode mc = RunRecord.JSON.readTree(o.resume.resolve("env.json").toFile()).path("matrix")
                        .path("measuredNoise");
                Map<Group, Double> ratios = new LinkedHashMap<>();
                mc.properties().forEach(e -> {
                    Group g = Group.ofId(e.getKey());
                    if (g != null) ratios.put(g, e.getValue().asDouble());
                });
                return m.withMeasuredNoise(ratios, "the run's start");
            } catch (IOException e) {
                return m;
            }
        }
        Path where = o.results != null && o.results.toAbsolutePath().getParent() != null
                ? o.results.toAbsolutePath().getParent() : o.repo.resolve("results");
        noise = BoxNoise.latest(where).orElse(null);
        return noise == null ? m : m.withMeasuredNoise(noise.ratios(), "this box's run " + noise.run().getFileName());
    }

    /** The random-I/O options applied to the matrix. */
    private Matrix randioMatrix(Matrix m) {
        try {
            Long size = o.targetSize == null ? null : Sizes.parse(o.targetSize, "--target-size");
            if (size != null) org.aiobench.workloads.randio.Target.checkSize(size);
            List<Integer> depths = o.iodepths == null ? null
                    : Arrays.stream(o.iodepths.split(",")).map(String::trim).map(Integer::parseInt).toList();
            if (depths != null && depths.stream().anyMatch(x -> x < 1 || x > 65536)) {
                throw new BadInput("--iodepth: depths must be from 1 to 65536");
            }
            List<String> blockSizes = o.bss == null ? null : Arrays.stream(o.bss.split(",")).map(String::trim).toList();
            if (blockSizes != null) {
                for (String b : blockSizes) {
                    long v = Sizes.parse(b, "--bs");
                    if (v < 512 || v > (1 << 20) || v % 512 != 0) {
                        throw new BadInput("--bs: " + b + " is not a multiple of 512 from 512 to 1M");
                    }
                }
            }
            if (o.ramp != null) org.aiobench.workloads.randio.Durations.parse(o.ramp, "--ramp");
            if (o.runtime != null && org.aiobench.workloads.randio.Durations.parse(o.runtime, "--runtime") <= 0) {
                throw new BadInput("--runtime must be greater than zero");
            }
            return m.withRandio(size, depths, blockSizes, o.ramp, o.runtime);
        } catch (NumberFormatException e) {
            throw new BadInput("--iodepth needs numbers, got '" + o.iodepths + "'");
        } catch (IllegalArgumentException e) {
            throw new BadInput(e.getMessage());
        }
    }

    private List<String> engineList() {
        if (o.engines == null) return Engines.names();
        List<String> want = Arrays.stream(o.engines.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
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
    private List<Group> groups(List<PeerCommand> peerCommands) {
        List<Group> g;
        try {
            g = Group.parseList(o.suite);
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
    private List<PeerCommand> peers() {
        List<PeerCommand> out = new ArrayList<>();
        if (o.peerSpecs == null) return out;
        Set<String> names = new HashSet<>();
        for (String spec : o.peerSpecs) {
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
