package org.aiobench.workloads.randio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.aiobench.engines.nat.Affinity;

/**
 * Which CPUs take the interrupts of the device a file lives on: the thesis placed its jobs on the CPU of the NVMe
 * queue's interrupt and off it (exp 05, 09, 12), and COOP_TASKRUN only pays off off it. Found from the file's block
 * device ({@code unix:dev} to {@code /sys/dev/block/MAJ:MIN}, a partition to its disk, the disk to its driver
 * device: {@code virtioN} or {@code nvmeN}), the device's queue vectors in {@code /proc/interrupts} (virtio-blk:
 * {@code virtioN-req.Q} or {@code virtioN-request}; NVMe: {@code nvmeNqQ}, the admin queue q0 left out) and each
 * vector's {@code /proc/irq/N/effective_affinity_list} (else {@code smp_affinity_list}).
 *
 * <p>The placement experiments need a CPU that takes the interrupts and one that takes none, both usable by this
 * process; {@link #distinct()} says whether this machine has them and {@link #reason()} why not (no block device,
 * no queue vector found, every CPU takes some).
 *
 * @param device  the disk and its driver device ("vda via virtio1"), or what was found instead
 * @param vectors the queue vectors: name, IRQ number, CPUs by affinity, interrupts so far per CPU
 * @param irq     CPUs (of those allowed) that take the device's queue interrupts
 * @param other   CPUs (of those allowed) that take none of them
 * @param reason  why the two cannot be told apart, or null when they can
 */
public record IrqCpus(String device, List<Vector> vectors, List<Integer> irq, List<Integer> other, String reason) {

    /** One interrupt vector of the device. */
    public record Vector(int irq, String name, List<Integer> affinity, long[] counts) {}

    /** One line of /proc/interrupts that names an IRQ number: its counts per CPU column and its name (last field). */
    public record Line(int irq, long[] counts, String name) {}

    private static final Pattern NVME_QUEUE = Pattern.compile("nvme\\d+q(\\d+)");

    public boolean distinct() { return reason == null; }

    /** The CPU of the device's interrupts the jobs are placed on ("irq"): the first of them. */
    public int irqCpu() { return irq.get(0); }

    /** A CPU that takes none of them ("other"): the first. */
    public int otherCpu() { return other.get(0); }

    /** For env.json: the device, each vector, the two sets, and why they cannot be told apart. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("device", device);
        List<Map<String, Object>> v = new ArrayList<>();
        for (Vector x : vectors) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("irq", x.irq());
            e.put("name", x.name());
            e.put("affinity", x.affinity());
            e.put("countsPerCpu", Arrays.stream(x.counts()).boxed().toList());
            v.add(e);
        }
        m.put("vectors", v);
        m.put("irqCpus", irq);
        m.put("otherCpus", other);
        m.put("distinct", distinct());
        if (reason != null) m.put("reason", reason);
        return m;
    }

    /** The IRQ CPUs of the device {@code path} lives on, on this machine. Never throws: a failure is the reason. */
    public static IrqCpus of(Path path) {
        List<Integer> allowed = Arrays.stream(Affinity.currentThreadCpus()).boxed().toList();
        String driver;
        String disk;
        try {
            long dev = ((Number) Files.getAttribute(path, "unix:dev")).longValue();
            long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
            long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
            Path sys = Path.of("/sys/dev/block/" + major + ":" + minor);
            if (!Files.exists(sys)) {
                return none("(no block device)", allowed, path + " is on device " + major + ":" + minor
                        + ", which is no block device (tmpfs, overlay or a network filesystem): its interrupts cannot be found");
            }
            Path real = sys.toRealPath();
            if (Files.exists(real.resolve("partition"))) real = real.getParent();
            disk = real.getFileName().toString();
            Path drv = real.resolve("device").toRealPath();
            // NVMe: device is the controller nvmeN (or the namespace's parent); virtio: the virtioN device
            driver = drv.getFileName().toString();
            if (!driver.startsWith("virtio") && !driver.startsWith("nvme")) {
                Path parent = drv.getParent();
                if (parent != null && parent.getFileName().toString().startsWith("nvme")) driver = parent.getFileName().toString();
            }
        } catch (IOException | RuntimeException e) {
            return none("(unknown)", allowed, "cannot find the block device of " + path + ": " + e.getMessage());
        }
        String procInterrupts;
        try {
            procInterrupts = Files.readString(Path.of("/proc/interrupts"));
        } catch (IOException e) {
            return none(disk + " via " + driver, allowed, "cannot read /proc/interrupts: " + e.getMessage());
        }
        List<Vector> vectors = new ArrayList<>();
        for (Line l : parseInterrupts(procInterrupts)) {
            if (!isQueueVector(l.name(), driver)) continue;
            vectors.add(new Vector(l.irq(), l.name(), affinity(l.irq()), l.counts()));
        }
        return classify(disk + " via " + driver, vectors, allowed);
    }

    /** Whether an interrupt name is one of the queue vectors of {@code driver} (virtioN or nvmeN). */
    static boolean isQueueVector(String name, String driver) {
        if (driver.startsWith("virtio")) {
            return name.startsWith(driver + "-req"); // virtio-blk: virtio1-req.0 ... (older: virtio1-request)
        }
        if (driver.startsWith("nvme")) {
            var m = NVME_QUEUE.matcher(name);
            return m.matches() && name.startsWith(driver + "q") && Integer.parseInt(m.group(1)) > 0;
        }
        return false;
    }

    /**
     * The two sets from the vectors: a CPU takes interrupts when a vector's affinity holds it. Distinct when both
     * sets hold a CPU this process may use.
     */
    public static IrqCpus classify(String device, List<Vector> vectors, List<Integer> allowed) {
        if (vectors.isEmpty()) {
            return none(device, allowed, "no queue interrupt of " + device + " in /proc/interrupts (a device without"
                    + " its own vectors, or polled queues only)");
        }
        TreeSet<Integer> irq = new TreeSet<>();
        for (Vector v : vectors) irq.addAll(v.affinity());
        List<Integer> on = allowed.stream().filter(irq::contains).toList();
        List<Integer> off = allowed.stream().filter(c -> !irq.contains(c)).toList();
        String reason = null;
        if (on.isEmpty()) reason = "none of the CPUs this process may use " + allowed + " takes the interrupts of "
                + device + " (they go to " + irq + ")";
        else if (off.isEmpty()) reason = "every CPU this process may use " + allowed + " takes interrupts of " + device
                + " (" + vectors.size() + " queue vector" + (vectors.size() == 1 ? "" : "s") + ", affinity " + irq
                + "): no CPU is off the interrupt path, so on-IRQ and off-IRQ placements cannot be told apart";
        return new IrqCpus(device, List.copyOf(vectors), on, off, reason);
    }

    private static IrqCpus none(String device, List<Integer> allowed, String reason) {
        return new IrqCpus(device, List.of(), List.of(), allowed, reason);
    }

    /** /proc/interrupts: the lines of numbered IRQs (NMI, LOC ... are left out). */
    static List<Line> parseInterrupts(String text) {
        String[] lines = text.split("\n");
        if (lines.length == 0) return List.of();
        int cpus = lines[0].trim().isEmpty() ? 0 : lines[0].trim().split("\\s+").length;
        List<Line> out = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String l = lines[i].trim();
            int colon = l.indexOf(':');
            if (colon <= 0) continue;
            int irq;
            try {
                irq = Integer.parseInt(l.substring(0, colon).trim());
            } catch (NumberFormatException e) {
                continue; // NMI, LOC, ...
            }
            String[] f = l.substring(colon + 1).trim().split("\\s+");
            if (f.length < cpus + 1) continue;
            long[] counts = new long[cpus];
            try {
                for (int c = 0; c < cpus; c++) counts[c] = Long.parseLong(f[c]);
            } catch (NumberFormatException e) {
                continue;
            }
            out.add(new Line(irq, counts, f[f.length - 1]));
        }
        return out;
    }

    /** "0-1,4" as /proc/irq/N/*_list write CPU lists. */
    static List<Integer> parseCpuList(String s) {
        return JobSpec.cpusOf(s.trim());
    }

    private static List<Integer> affinity(int irq) {
        for (String f : List.of("effective_affinity_list", "smp_affinity_list")) {
            Path p = Path.of("/proc/irq/" + irq + "/" + f);
            try {
                String s = Files.readString(p).trim();
                if (!s.isEmpty()) return parseCpuList(s);
            } catch (IOException | IllegalArgumentException e) {
                // try the next file
            }
        }
        return List.of();
    }
}
