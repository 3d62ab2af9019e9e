package org.aiobench.benchmarks.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.aiobench.benchmarks.plan.Host;

/**
 * Other work on the machine when a run starts (env.json {@code otherLoad}): every process that used at least
 * {@value #CPU_PERCENT}% of a CPU or moved at least {@value #IO_MIB_PER_SEC} MiB/s to or from storage during a short
 * window, from /proc/PID/stat and /proc/PID/io, with the load average. A benchmark beside a build or another benchmark
 * measures both; the report can say so, and the run.log warns at the start.
 */
final class OtherLoad {
    static final int CPU_PERCENT = 10;
    static final int IO_MIB_PER_SEC = 1;
    /** The kernel's USER_HZ, the unit of /proc/PID/stat times: 100 on every Linux architecture aiobench runs on. */
    private static final double TICKS_PER_SECOND = 100;

    private OtherLoad() {}

    /** One process's counters. */
    private record Usage(String command, long cpuTicks, long ioBytes) {}

    /** The processes (other than this one) busy during {@code windowMillis}, and the load average. */
    static Map<String, Object> sample(long windowMillis) throws InterruptedException {
        long self = ProcessHandle.current().pid();
        Map<Long, Usage> before = snapshot();
        long t0 = System.nanoTime();
        Thread.sleep(windowMillis);
        Map<Long, Usage> after = snapshot();
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<Map<String, Object>> busy = new ArrayList<>();
        after.forEach((pid, a) -> {
            Usage b = before.get(pid);
            if (b == null || pid == self) return;
            double cpu = 100 * (a.cpuTicks - b.cpuTicks) / TICKS_PER_SECOND / seconds;
            double io = (a.ioBytes - b.ioBytes) / seconds / (1 << 20);
            if (cpu >= CPU_PERCENT || io >= IO_MIB_PER_SEC) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("pid", pid);
                p.put("command", a.command);
                p.put("cpuPercent", Math.round(cpu));
                p.put("ioMiBPerSec", Math.round(io * 10) / 10.0);
                busy.add(p);
            }
        });
        busy.sort(Comparator.comparingLong((Map<String, Object> p) -> (Long) p.get("cpuPercent")).reversed());
        Map<String, Object> m = new LinkedHashMap<>();
        String load = Host.read(Path.of("/proc/loadavg"));
        m.put("loadAverage", load == null ? "unknown (no /proc/loadavg)" : String.join(" ", List.of(load.split("\\s+")).subList(0, 3)));
        m.put("windowSeconds", Math.round(seconds * 10) / 10.0);
        m.put("threshold", CPU_PERCENT + "% of a CPU or " + IO_MIB_PER_SEC + " MiB/s of storage I/O");
        m.put("busyProcesses", busy);
        return m;
    }

    /** One line for the user: the busy processes, or null when there are none. */
    @SuppressWarnings("unchecked")
    static String warning(Map<String, Object> load) {
        List<Map<String, Object>> busy = (List<Map<String, Object>>) load.get("busyProcesses");
        if (busy.isEmpty()) return null;
        List<String> names = new ArrayList<>();
        for (Map<String, Object> p : busy.subList(0, Math.min(5, busy.size()))) {
            names.add("pid " + p.get("pid") + " " + shortCommand((String) p.get("command")) + " (" + p.get("cpuPercent")
                    + "% CPU, " + p.get("ioMiBPerSec") + " MiB/s)");
        }
        return "WARNING: other work is running and will disturb the measurements: " + String.join("; ", names)
                + (busy.size() > 5 ? " and " + (busy.size() - 5) + " more" : "") + " (env.json otherLoad)";
    }

    /** The program's name and the start of its arguments: "java -cp ... org.apache.maven..." */
    static String shortCommand(String cmd) {
        String[] words = cmd.split(" ", 2);
        String program = words[0].substring(words[0].lastIndexOf('/') + 1);
        String rest = words.length > 1 ? " " + words[1] : "";
        return program + (rest.length() > 50 ? rest.substring(0, 50) + "..." : rest);
    }

    private static Map<Long, Usage> snapshot() {
        Map<Long, Usage> m = new HashMap<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                Usage u = usage(p);
                if (u != null) m.put(Long.parseLong(p.getFileName().toString()), u);
            }
        } catch (IOException e) {
            // no /proc: nothing to report
        }
        return m;
    }

    /** A process's CPU ticks (user + system) and storage bytes; null when it is gone or unreadable. */
    private static Usage usage(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"), StandardCharsets.UTF_8);
            // the command may hold spaces and parentheses: the fields start after the last ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            long io = 0;
            try {
                for (String line : Files.readAllLines(proc.resolve("io"))) {
                    if (line.startsWith("read_bytes:") || line.startsWith("write_bytes:")) {
                        io += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                    }
                }
            } catch (IOException | RuntimeException e) {
                // another user's process without root: its I/O is not counted
            }
            return new Usage(command(proc, stat), ticks, io);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String command(Path proc, String stat) {
        try {
            String cmd = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ').trim();
            if (!cmd.isEmpty()) return cmd.length() > 160 ? cmd.substring(0, 160) + "..." : cmd;
        } catch (IOException e) {
            // a kernel thread or gone: the name from stat
        }
        return "[" + stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')) + "]";
    }
}
