package org.aiobench.workloads.randio;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The disk under a target, read as fio reads it for its "Disk stats" lines: the block device's sysfs {@code stat}
 * (the same counters as /proc/diskstats), a partition's counters taken from its disk, and for a stacked device (dm,
 * md) its slaves too. Two snapshots give the I/Os, merges, ticks, time in queue and utilisation (the share of the
 * time the device had I/O in flight) between them.
 */
final class DiskStats {
    private DiskStats() {}

    /** The counters of each disk at one instant, and when. */
    record Snapshot(long nanos, Map<String, long[]> counters) {}

    /** The sysfs directories of the disk holding {@code target} (its parent when it is a partition) and its slaves. */
    static List<Path> disksOf(Path target) {
        Path sys = Target.sysBlock(target);
        List<Path> out = new ArrayList<>();
        if (sys == null) return out;
        try {
            Path dev = sys.toRealPath();
            // a partition's directory has no queue/ of its own: its disk's has
            if (!Files.isDirectory(dev.resolve("queue")) && Files.isDirectory(dev.resolve("../queue"))) {
                dev = dev.getParent();
            }
            out.add(dev);
            Path slaves = dev.resolve("slaves");
            if (Files.isDirectory(slaves)) {
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(slaves)) {
                    for (Path s : ds) out.add(s.toRealPath());
                }
            }
        } catch (IOException | RuntimeException e) {
            // no disk to report (tmpfs, a network filesystem): fio prints none either
        }
        return out;
    }

    static Snapshot take(List<Path> disks) {
        Map<String, long[]> m = new LinkedHashMap<>();
        for (Path d : disks) {
            long[] c = read(d.resolve("stat"));
            if (c != null) m.put(d.getFileName().toString(), c);
        }
        return new Snapshot(System.nanoTime(), m);
    }

    /**
     * The fields fio reads: read I/Os, merges, sectors, ticks; write I/Os, merges, sectors, ticks; (in flight,
     * skipped); io_ticks; time_in_queue.
     */
    private static long[] read(Path stat) {
        try {
            String[] f = Files.readString(stat).trim().split("\\s+");
            if (f.length < 11) return null;
            long[] v = new long[10];
            for (int i = 0; i < 8; i++) v[i] = Long.parseLong(f[i]);
            v[8] = Long.parseLong(f[9]);
            v[9] = Long.parseLong(f[10]);
            return v;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** What happened between two snapshots, as fio's disk_util entries. */
    static List<FioStats.Disk> between(Snapshot a, Snapshot b) {
        List<FioStats.Disk> out = new ArrayList<>();
        if (a == null || b == null) return out;
        double ms = (b.nanos() - a.nanos()) / 1e6;
        b.counters().forEach((name, y) -> {
            long[] x = a.counters().get(name);
            if (x == null) return;
            long ioTicks = y[8] - x[8];
            double util = ms > 0 ? Math.min(100.0, 100.0 * ioTicks / ms) : 0;
            out.add(new FioStats.Disk(name, y[0] - x[0], y[4] - x[4], y[1] - x[1], y[5] - x[5], y[3] - x[3],
                    y[7] - x[7], y[9] - x[9], util));
        });
        return out;
    }
}
