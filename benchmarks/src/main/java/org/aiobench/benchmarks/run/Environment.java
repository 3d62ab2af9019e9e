package org.aiobench.benchmarks.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.aiobench.benchmarks.ScratchLayout;
import org.aiobench.benchmarks.plan.Host;
import org.aiobench.benchmarks.plan.Matrix;
import org.aiobench.benchmarks.plan.Preflight;
import org.aiobench.benchmarks.plan.RandomIoMatrix;
import org.aiobench.benchmarks.plan.RandomIoRuns;
import org.aiobench.benchmarks.plan.RunPlan;
import org.aiobench.benchmarks.plan.Schedule;
import org.aiobench.benchmarks.plan.ThesisMatrix;
import org.aiobench.engines.probe.KernelProbe;
import org.aiobench.workloads.PeerCommand;
import org.aiobench.workloads.PeerProcess;
import org.openjdk.jmh.util.Version;

/**
 * What env.json says about the machine (keys in results/README.md): read from /proc and /sys, nothing assumed.
 * A value that cannot be read is recorded as "unknown (reason)" rather than left out, so a reader sees that it
 * was looked for.
 */
final class Environment {
    private Environment() {}

    /**
     * env.json of a new run: the machine, the scratch filesystem, what the preflight found, the matrix, the rounds
     * and the other work seen at the start. Warnings (a probe that failed) go to {@code warnings}.
     */
    static Map<String, Object> describe(String runId, boolean quick, Path scratchRoot, Preflight pre, List<String> engines,
                                        List<PeerCommand> peers, Schedule schedule, Path repo, List<String> args, Map<String, Object> otherLoad,
                                        List<String> warnings) {
        Matrix m = schedule.plan.matrix;
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("runId", runId);
        env.put("createdAt", java.time.Instant.now().toString());
        env.put("quick", quick);
        env.put("host", host());
        env.put("kernel", kernel());
        env.put("cpu", cpu());
        env.put("memoryBytes", memoryBytes());
        Map<String, Object> s = scratch(scratchRoot);
        s.put("freeBytes", pre.freeBytes());
        s.put("directIo", pre.directIo() == null ? "supported" : pre.directIo());
        env.put("scratch", s);
        env.put("jdk", jdk());
        env.put("jmhVersion", Version.getPlainVersion());
        env.put("aiobench", aiobench(repo));
        List<String> why = new ArrayList<>();
        Object probe = probe(scratchRoot, why);
        if (probe != null) env.put("probe", probe);
        for (String w : why) warnings.add(w + "; env.json has no probe");
        env.put("engines", engines);
        env.put("cacheDrop", pre.cacheDrop());
        env.put("cp", pre.cpVersion() == null ? "not installed" : pre.cpVersion());
        if (schedule.plan.configurations.stream().anyMatch(c -> RandomIoMatrix.covers(c.group()))) {
            env.put("randio", RandomIoRuns.environment(m));
        }
        if (schedule.plan.configurations.stream().anyMatch(c -> ThesisMatrix.covers(c.group()))) {
            env.put("irqCpus", RandomIoRuns.irqCpus(scratchRoot));
        }
        env.put("cpPeakRss", PeerProcess.peakRssMeasured()
                ? "cp's own ru_maxrss from /usr/bin/time -f %M" : "not measured (no /usr/bin/time)");
        env.put("peers", peers(pre, peers));
        Map<String, Object> mx = new LinkedHashMap<>();
        mx.put("name", m.name());
        mx.put("trees", m.trees().stream().map(Matrix.Tree::toString).toList());
        mx.put("optimizationTree", m.medium().toString());
        mx.put("caches", m.caches());
        mx.put("queueDepths", m.qds());
        mx.put("forks", m.forks());
        // fitted per configuration (copiesPerFork) unless set on the command line
        mx.put("warmupIterations", m.byCost() ? "per configuration: copiesPerFork" : m.warmups());
        mx.put("measurementIterations", m.byCost() ? "per configuration: copiesPerFork" : m.iterations());
        List<Map<String, Object>> perFork = new ArrayList<>();
        schedule.plan.repetitions().forEach((r, trees) -> {
            Map<String, Object> copies = new LinkedHashMap<>(); // in this order in every run (Map.of's is per JVM)
            copies.put("warmups", r.warmups());
            copies.put("iterations", r.iterations());
            copies.put("trees", List.copyOf(trees));
            perFork.add(copies);
        });
        mx.put("copiesPerFork", perFork);
        if (!m.measuredNoise().isEmpty()) {
            Map<String, Object> measured = new java.util.TreeMap<>();
            m.measuredNoise().forEach((g, n) -> measured.put(g.id(), Double.isFinite(n) ? n : Double.MAX_VALUE));
            mx.put("measuredNoise", measured); // a resumed run keeps it
        }
        mx.put("treeSeed", ScratchLayout.SEED);
        mx.put("jit", jitOf(args));
        mx.put("verify", "every copy, against the tree's manifest");
        mx.put("reductions", m.reductions());
        env.put("matrix", mx);
        Map<String, Object> rounds = new LinkedHashMap<>();
        rounds.put("count", schedule.rounds());
        rounds.put("perConfiguration", schedule.perConfiguration);
        rounds.put("slices", schedule.plan.slices.stream().map(RunPlan.Slice::name).toList());
        rounds.put("seed", schedule.seed);
        rounds.put("controlConfig", schedule.plan.control.id());
        rounds.put("pairing", schedule.pairing.name().toLowerCase(java.util.Locale.ROOT));
        env.put("rounds", rounds);
        env.put("otherLoad", otherLoad);
        env.put("args", args);
        return env;
    }

    /**
     * The external programs measured beside the engines, cp first (group cp), then plain cp -r and the --peer ones
     * (group peer, by the name in their configurations): each with its argument vector, the program run and its SHA-256, so that
     * compare shows a peer whose command or build changed between runs.
     */
    static List<Map<String, Object>> peers(Preflight pre, List<PeerCommand> peers) {
        List<Map<String, Object>> out = new ArrayList<>();
        List<PeerCommand> all = new ArrayList<>();
        if (pre.cpVersion() != null) all.add(PeerCommand.CP);
        all.addAll(peers);
        for (PeerCommand p : all) {
            if (p.isPlainCp() && pre.cpVersion() == null) continue; // skipped with cp
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", p.name());
            m.put("group", p.isBuiltIn() ? "cp" : "peer");
            m.put("command", p.argv());
            m.put("program", p.program().toString());
            m.put("sha256", sha256(p.program()));
            if (p.isBuiltIn() || p.isPlainCp()) m.put("version", pre.cpVersion());
            out.add(m);
        }
        return out;
    }

    private static String sha256(Path program) {
        try (var in = Files.newInputStream(program)) {
            java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) d.update(buf, 0, n);
            return java.util.HexFormat.of().formatHex(d.digest());
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    static String orUnknown(String v, String why) { return v != null && !v.isEmpty() ? v : "unknown (" + why + ")"; }

    /**
     * Which box this is: its host name and /etc/machine-id (systemd's stable id of an installation), by which runs of
     * one box are told from another's (compare's calibration, a lab's store); the machine-id survives reboots and
     * kernel changes, the host name is for people.
     */
    static Map<String, Object> host() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", orUnknown(Host.read(Path.of("/proc/sys/kernel/hostname")), "no /proc/sys/kernel/hostname"));
        String id = Host.read(Path.of("/etc/machine-id"));
        m.put("machineId", id != null && !id.isEmpty() ? id : "unknown (no /etc/machine-id)");
        return m;
    }

    /** The copies' forks' compilers, as --jit set them (c1 by default). */
    private static String jitOf(List<String> args) {
        int i = args.indexOf("--jit");
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : "c1";
    }

    static Map<String, Object> kernel() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("release", orUnknown(Host.read(Path.of("/proc/sys/kernel/osrelease")), "no /proc/sys/kernel/osrelease"));
        m.put("version", orUnknown(Host.read(Path.of("/proc/sys/kernel/version")), "no /proc/sys/kernel/version"));
        m.put("cmdline", orUnknown(Host.read(Path.of("/proc/cmdline")), "no /proc/cmdline"));
        return m;
    }

    static Map<String, Object> cpu() {
        Map<String, Object> m = new LinkedHashMap<>();
        String model = null;
        String info = Host.read(Path.of("/proc/cpuinfo"));
        if (info != null) {
            for (String line : info.split("\n")) {
                if (line.startsWith("model name")) { model = line.substring(line.indexOf(':') + 1).trim(); break; }
            }
        }
        m.put("model", orUnknown(model, "no model name in /proc/cpuinfo"));
        m.put("count", Runtime.getRuntime().availableProcessors());
        m.put("online", orUnknown(Host.read(Path.of("/sys/devices/system/cpu/online")), "no /sys/devices/system/cpu/online"));
        m.put("governor", orUnknown(Host.read(Path.of("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor")),
                "no cpufreq on this machine"));
        // the CPU mitigations the kernel applies (they change with the kernel and its cmdline): compare shows them
        Map<String, Object> vulns = new TreeMap<>();
        try (var files = Files.list(Path.of("/sys/devices/system/cpu/vulnerabilities"))) {
            files.forEach(f -> vulns.put(f.getFileName().toString(), orUnknown(Host.read(f), "unreadable")));
        } catch (IOException | RuntimeException e) {
            // recorded as unknown below
        }
        m.put("vulnerabilities", vulns.isEmpty() ? "unknown (no /sys/devices/system/cpu/vulnerabilities)" : vulns);
        return m;
    }

    static long memoryBytes() {
        String info = Host.read(Path.of("/proc/meminfo"));
        if (info != null) {
            for (String line : info.split("\n")) {
                if (line.startsWith("MemTotal:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        return -1;
    }

    /** The filesystem and block device holding {@code dir}, from /proc/self/mountinfo and /sys/dev/block. */
    static Map<String, Object> scratch(Path dir) {
        Map<String, Object> m = new LinkedHashMap<>();
        Path real;
        try {
            real = dir.toRealPath();
        } catch (IOException e) {
            real = dir.toAbsolutePath().normalize();
        }
        m.put("path", real.toString());
        String best = null;
        String[] bestFields = null;
        String info = Host.read(Path.of("/proc/self/mountinfo"));
        if (info != null) {
            for (String line : info.split("\n")) {
                String[] f = line.split(" ");
                if (f.length < 10) continue;
                String mp = unescape(f[4]);
                boolean under = real.toString().equals(mp) || mp.equals("/")
                        || real.toString().startsWith(mp.endsWith("/") ? mp : mp + "/");
                if (under && (best == null || mp.length() >= best.length())) { best = mp; bestFields = f; }
            }
        }
        if (bestFields == null) {
            m.put("fsType", "unknown (no /proc/self/mountinfo entry)");
            return m;
        }
        int dash = List.of(bestFields).indexOf("-");
        m.put("mountPoint", best);
        m.put("fsType", bestFields[dash + 1]);
        Set<String> opts = new LinkedHashSet<>(List.of(bestFields[5].split(",")));
        if (dash + 3 < bestFields.length) opts.addAll(List.of(bestFields[dash + 3].split(",")));
        m.put("mountOptions", String.join(",", opts));
        m.put("device", unescape(bestFields[dash + 2]));
        Path sys = Path.of("/sys/dev/block", bestFields[2]);
        try {
            Path dev = sys.toRealPath();
            Path disk = Files.exists(dev.resolve("partition")) ? dev.getParent() : dev;
            m.put("blockDevice", disk.getFileName().toString());
            String model = Host.read(disk.resolve("device/model"));
            if (model == null) {
                String vendor = Host.read(disk.resolve("device/vendor"));
                String driver = null;
                try {
                    driver = disk.resolve("device/driver").toRealPath().getFileName().toString();
                } catch (IOException ignored) {
                    // no driver link: the model stays as far as known
                }
                model = (vendor != null ? "vendor " + vendor : "") + (driver != null ? " driver " + driver : "");
                model = model.isBlank() ? null : model.trim() + " (no model in sysfs)";
            }
            m.put("deviceModel", orUnknown(model, "no model in sysfs"));
            String sched = Host.read(disk.resolve("queue/scheduler"));
            if (sched != null && sched.contains("[")) sched = sched.substring(sched.indexOf('[') + 1, sched.indexOf(']'));
            m.put("scheduler", orUnknown(sched, "no queue/scheduler"));
            m.put("rotational", orUnknown(Host.read(disk.resolve("queue/rotational")), "no queue/rotational"));
            m.put("logicalBlockSize", orUnknown(Host.read(disk.resolve("queue/logical_block_size")), "no queue/logical_block_size"));
        } catch (IOException e) {
            m.put("deviceModel", "unknown (not a block device: " + bestFields[2] + ")");
            m.put("scheduler", "unknown (not a block device)");
        }
        return m;
    }

    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    static String jdk() {
        return System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.home") + ")";
    }

    static Map<String, Object> aiobench(Path repo) {
        Map<String, Object> m = new LinkedHashMap<>();
        String v = Environment.class.getPackage().getImplementationVersion();
        m.put("version", v != null ? v : "unknown (not run from benchmarks.jar)");
        String commit = Host.run(repo, List.of("git", "rev-parse", "HEAD"));
        m.put("commit", commit != null ? commit : "unknown (" + repo + " is not a git checkout)");
        if (commit != null) {
            String status = Host.run(repo, List.of("git", "status", "--porcelain", "--untracked-files=no"));
            m.put("dirty", status != null && !status.isEmpty());
        }
        return m;
    }

    /**
     * The kernel probe's findings, the object {@code ./run-experiments.sh probe --json} prints, with its O_DIRECT
     * and IOPOLL checks made in {@code dir} (the filesystem under test); null with the reason in {@code why} if
     * the probe fails.
     */
    static Object probe(Path dir, List<String> why) {
        try {
            return KernelProbe.run(dir).tree();
        } catch (RuntimeException e) {
            why.add("the kernel probe failed: " + e);
            return null;
        }
    }
}
