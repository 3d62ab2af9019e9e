package org.aiobench.benchmarks.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's CPU time counters from /proc/stat's {@code cpu} line, to say per round how much of the CPU time was
 * stolen by the hypervisor (another guest ran on our CPUs) or spent waiting for I/O: rounds.jsonl's
 * {@code stealFraction} and {@code iowaitFraction}, deltas over a round as fractions of all CPU time.
 *
 * @param total  every field of the line (user, nice, system, idle, iowait, irq, softirq, steal), in clock ticks
 * @param iowait idle time with I/O outstanding
 * @param steal  time stolen by the hypervisor
 */
record CpuTimes(long total, long iowait, long steal) {
    static final Path STAT = Path.of("/proc/stat");

    /** Now; null when /proc/stat cannot be read (the fractions are then left out). */
    static CpuTimes read() {
        try {
            for (String line : Files.readAllLines(STAT)) {
                if (!line.startsWith("cpu ")) continue;
                String[] f = line.trim().split("\\s+");
                long total = 0;
                // user nice system idle iowait irq softirq steal; guest time is already counted in user and nice
                for (int i = 1; i <= 8 && i < f.length; i++) total += Long.parseLong(f[i]);
                return new CpuTimes(total, Long.parseLong(f[5]), f.length > 8 ? Long.parseLong(f[8]) : 0);
            }
        } catch (IOException | RuntimeException e) {
            // no /proc/stat: not Linux as we know it; the round is recorded without the fractions
        }
        return null;
    }

    /** Fraction of all CPU time since {@code before} that was stolen; NaN when nothing elapsed. */
    double stealSince(CpuTimes before) { return fraction(steal - before.steal, total - before.total); }

    double iowaitSince(CpuTimes before) { return fraction(iowait - before.iowait, total - before.total); }

    private static double fraction(long part, long all) { return all <= 0 ? Double.NaN : (double) part / all; }
}
