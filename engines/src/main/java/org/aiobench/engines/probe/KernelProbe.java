package org.aiobench.engines.probe;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.aiobench.engines.EngineOptions;
import org.aiobench.engines.Op;
import org.aiobench.engines.UnsupportedConfigurationException;
import org.aiobench.engines.nat.Errno;
import org.aiobench.engines.nat.FileStat;
import org.aiobench.engines.nat.Libc;
import org.aiobench.engines.nat.Linux;
import org.aiobench.engines.uring.IoUringAbi;
import org.aiobench.engines.uring.IoUringAbi.Bit;
import org.aiobench.engines.uring.IoUringEngine;
import org.aiobench.engines.uring.Ring;
import org.aiobench.engines.uring.SetupErrors;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.aiobench.engines.uring.IoUringAbi.*;

/**
 * What this kernel offers the engines, found by trying rather than by version numbers: io_uring setup flags (each
 * on a tiny ring, with the flags it cannot go without), feature bits, opcodes (IORING_REGISTER_PROBE), whether
 * IOPOLL I/O really works (a real O_DIRECT read on an IOPOLL ring, since setup succeeds even where the device has no
 * poll queues), RLIMIT_MEMLOCK, Linux AIO, and O_DIRECT with its alignment in a given directory.
 *
 * <p>The report is a tree of maps, lists and scalars ({@link Report#tree()}) for JSON, and {@link Report#toTable()}
 * for people. The O_DIRECT and IOPOLL checks create one temporary file in the directory and delete only that file.
 */
public final class KernelProbe {
    private KernelProbe() {}

    /** The probe's findings. */
    public record Report(Map<String, Object> tree) {
        /** A human-readable table of the findings. */
        public String toTable() {
            return Table.render(tree);
        }
    }

    /** Probes this kernel; {@code dir} is where the O_DIRECT and IOPOLL checks create their temporary file. */
    public static Report run(Path dir) {
        Map<String, Object> t = new LinkedHashMap<>();
        String kernel = IoUringEngine.kernelRelease();
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("release", kernel);
        k.put("version", readTrim("/proc/sys/kernel/version"));
        k.put("machine", System.getProperty("os.arch"));
        t.put("kernel", k);
        t.put("io_uring", ioUring(kernel, dir));
        t.put("memlock", memlock());
        t.put("linux_aio", linuxAio());
        t.put("o_direct", oDirect(dir));
        return new Report(t);
    }

    // ---- io_uring -----------------------------------------------------------------------------------------

    private static Map<String, Object> ioUring(String kernel, Path dir) {
        Map<String, Object> m = new LinkedHashMap<>();
        String disabled = SetupErrors.ioUringDisabled();
        m.put("io_uring_disabled", disabled == null ? "absent (sysctl added in Linux 6.6)" : disabled + " ("
                + switch (disabled) {
                    case "0" -> "enabled for every process";
                    case "1" -> "only kernel.io_uring_group members and CAP_SYS_ADMIN";
                    case "2" -> "disabled for every process";
                    default -> "unknown value";
                } + ")");
        int base = SetupErrors.trySetup(4, 0, 0, 0);
        if (base < 0) {
            m.put("available", false);
            m.put("error", SetupErrors.explain(-base, Ring.Params.of(4, 0), EngineOptions.defaults(4), kernel).getMessage());
            return m;
        }
        m.put("available", true);
        try (Ring ring = Ring.create(Ring.Params.of(4, 0))) {
            Map<String, Object> feats = new LinkedHashMap<>();
            for (Bit b : FEATURES) feats.put(b.name(), (ring.features & b.value()) != 0);
            m.put("features_raw", "0x" + Integer.toHexString(ring.features));
            m.put("features", feats);
            boolean[] ops = ring.probeOpcodes();
            if (ops == null) {
                m.put("opcodes", "IORING_REGISTER_PROBE unsupported (needs Linux 5.6)");
            } else {
                Map<String, Object> o = new LinkedHashMap<>();
                for (Bit b : OPCODES) o.put(b.name(), ops[b.value()]);
                int count = 0;
                for (boolean b : ops) if (b) count++;
                o.put("supported_total", count);
                m.put("opcodes", o);
            }
        }
        m.put("setup_flags", setupFlags(kernel));
        m.put("iopoll_io", iopollIo(dir));
        return m;
    }

    private static Map<String, Object> setupFlags(String kernel) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Bit b : SETUP_FLAGS) {
            int with = SetupErrors.prerequisites(b.value(), 0);
            int result;
            String note = null;
            if (b.value() == SETUP_REGISTERED_FD_ONLY) {
                m.put(b.name(), flagResult(null, b, 0, "not probed: the ring would exist only as a registered index "
                        + "that this probe could not close"));
                continue;
            } else if (b.value() == SETUP_NO_MMAP) {
                result = probeNoMmap();
                note = "with ring memory supplied by the probe";
            } else if (b.value() == SETUP_ATTACH_WQ) {
                result = probeAttachWq();
                note = "attached to a second ring's io-wq";
            } else {
                int cq = b.value() == SETUP_CQSIZE ? 16 : 0;
                result = SetupErrors.trySetup(4, b.value() | with, cq, 0);
                if (b.value() == SETUP_SQ_AFF) note = "sq_thread_cpu=0";
                if (b.value() == SETUP_CQSIZE) note = "16 CQ entries for 4 SQ entries";
            }
            m.put(b.name(), flagResult(result, b, with, note));
        }
        return m;
    }

    private static Map<String, Object> flagResult(Integer result, Bit b, int with, String note) {
        Map<String, Object> r = new LinkedHashMap<>();
        if (result == null) r.put("accepted", null);
        else r.put("accepted", result == 0);
        if (result != null && result < 0) r.put("errno", Errno.name(-result));
        r.put("since", b.since() == null || b.since().isEmpty() ? "unknown" : b.since());
        if (with != 0) r.put("probed_with", IoUringAbi.names(SETUP_FLAGS, with));
        if (note != null) r.put("note", note);
        return r;
    }

    /** NO_MMAP: the application gives the kernel the ring memory (one page for the rings, one for the SQEs). */
    private static int probeNoMmap() {
        long rings = Libc.mmap(0, 4096, Linux.PROT_READ | Linux.PROT_WRITE, Linux.MAP_PRIVATE | Linux.MAP_ANONYMOUS, -1, 0);
        long sqes = Libc.mmap(0, 4096, Linux.PROT_READ | Linux.PROT_WRITE, Linux.MAP_PRIVATE | Linux.MAP_ANONYMOUS, -1, 0);
        try (Arena a = Arena.ofConfined()) {
            if (rings < 0 || sqes < 0) return (int) (rings < 0 ? rings : sqes);
            MemorySegment p = a.allocate(PARAMS_BYTES, 8);
            p.set(JAVA_INT, P_FLAGS, SETUP_NO_MMAP);
            p.set(JAVA_LONG, P_SQ_OFF + SQO_USER_ADDR, sqes);
            p.set(JAVA_LONG, P_CQ_OFF + CQO_USER_ADDR, rings);
            long fd = Libc.syscall(Linux.SYS_io_uring_setup, 1, p.address(), 0, 0, 0, 0);
            if (fd < 0) return (int) fd;
            Libc.close((int) fd);
            return 0;
        } finally {
            if (rings > 0) Libc.munmap(rings, 4096);
            if (sqes > 0) Libc.munmap(sqes, 4096);
        }
    }

    private static int probeAttachWq() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(PARAMS_BYTES, 8);
            int first = Ring.setup(Ring.Params.of(4, 0), p);
            if (first < 0) return first;
            try {
                int second = Ring.setup(new Ring.Params(4, SETUP_ATTACH_WQ, 0, 0, 0, first), p);
                if (second < 0) return second;
                Libc.close(second);
                return 0;
            } finally {
                Libc.close(first);
            }
        }
    }

    /** A real O_DIRECT read on an IOPOLL ring: setup succeeds everywhere, polled I/O needs poll queues. */
    private static Map<String, Object> iopollIo(Path dir) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dir", dir.toAbsolutePath().toString());
        Path f = null;
        try {
            f = Files.createTempFile(dir, ".aiobench-probe-iopoll-", ".tmp");
            Files.write(f, new byte[8192]);
            String failure = iopollFailure(f);
            m.put("works", failure == null);
            m.put("result", failure == null ? "O_DIRECT read of 4096 bytes completed by polling" : failure);
        } catch (IOException e) {
            m.put("works", false);
            m.put("result", "could not create a file in " + dir + ": " + e.getMessage());
        } finally {
            deleteQuietly(f);
        }
        return m;
    }

    /**
     * Why polled I/O cannot work on the device holding the directory {@code dir}, or null when it does: a temporary
     * file of 8 KiB made there, read as {@link #iopollFailure(Path)} does, and deleted.
     */
    public static String iopollFailureIn(Path dir) {
        Map<String, Object> m = iopollIo(dir);
        return Boolean.TRUE.equals(m.get("works")) ? null : String.valueOf(m.get("result"));
    }

    /**
     * Why polled I/O (IORING_SETUP_IOPOLL) cannot work on the device holding {@code file}, or null when it does:
     * reads the file's first 4096 bytes with O_DIRECT on an IOPOLL ring. Only reads; the file should not be empty
     * (an empty file's read never reaches the device).
     */
    public static String iopollFailure(Path file) {
        int fd;
        try (Arena a = Arena.ofConfined()) {
            fd = Libc.openat(Linux.AT_FDCWD, a.allocateFrom(file.toString()),
                    Linux.O_RDONLY | Linux.O_DIRECT | Linux.O_CLOEXEC, 0);
        }
        if (fd < 0) return "O_DIRECT open of " + file + " failed: " + Errno.describe(-fd);
        try {
            return iopollFailure(fd, file.getParent() == null ? file.toString() : file.getParent().toString());
        } finally {
            Libc.close(fd);
        }
    }

    /**
     * {@link #iopollFailure(Path)} of a file already open with O_DIRECT (one whose name is not text, say);
     * {@code deviceShownAs} names where it is in the message.
     */
    public static String iopollFailure(int directFd, String deviceShownAs) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(4096, 4096);
            long[] res = {Long.MIN_VALUE};
            try (IoUringEngine e = new IoUringEngine(EngineOptions.defaults(2).withRingFlagsSpec("iopoll"))) {
                e.queue(Op.READ, 0, directFd, buf, 4096, 0, 0);
                e.submit();
                e.reap(1, (tag, r) -> res[0] = r);
            } catch (UnsupportedConfigurationException ex) {
                return ex.getMessage();
            }
            if (res[0] >= 0) return null; // a short read of a short file still went to the device by polling
            return Errno.describe((int) -res[0]) + (res[0] == -Errno.EOPNOTSUPP
                    ? ": setup accepts IOPOLL, but the device under " + deviceShownAs + " cannot poll (no poll"
                      + " queues: virtio-blk, nvme without poll_queues)"
                    : "");
        }
    }

    // ---- limits, Linux AIO, O_DIRECT ------------------------------------------------------------------------

    private static Map<String, Object> memlock() {
        Map<String, Object> m = new LinkedHashMap<>();
        long[] l = SetupErrors.limit("Max locked memory");
        m.put("soft_bytes", l == null ? "unknown" : l[0] < 0 ? "unlimited" : (Object) l[0]);
        m.put("hard_bytes", l == null ? "unknown" : l[1] < 0 ? "unlimited" : (Object) l[1]);
        m.put("note", "registered buffers count against it unless the process has CAP_IPC_LOCK; "
                + "before Linux 5.12 the rings do too");
        return m;
    }

    private static Map<String, Object> linuxAio() {
        Map<String, Object> m = new LinkedHashMap<>();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ctx = a.allocate(JAVA_LONG); // aio_context_t, zero before io_setup
            long r = Libc.syscall(Linux.SYS_io_setup, 1, ctx.address(), 0, 0, 0, 0);
            if (r < 0) {
                m.put("works", false);
                m.put("error", "io_setup(1): " + Errno.describe((int) -r)
                        + (r == -Errno.EAGAIN ? " (aio-nr has reached aio-max-nr)" : "")
                        + (r == -Errno.ENOSYS ? " (kernel without CONFIG_AIO, or seccomp)" : ""));
            } else {
                long d = Libc.syscall(Linux.SYS_io_destroy, ctx.get(JAVA_LONG, 0), 0, 0, 0, 0, 0);
                m.put("works", true);
                if (d < 0) m.put("error", "io_destroy: " + Errno.describe((int) -d));
            }
        }
        m.put("aio_max_nr", number(readTrim("/proc/sys/fs/aio-max-nr")));
        m.put("aio_nr", number(readTrim("/proc/sys/fs/aio-nr")));
        return m;
    }

    private static Map<String, Object> oDirect(Path dir) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dir", dir.toAbsolutePath().toString());
        Path f = null;
        try (Arena a = Arena.ofConfined()) {
            f = Files.createTempFile(dir, ".aiobench-probe-direct-", ".tmp");
            int fd = Libc.openat(Linux.AT_FDCWD, a.allocateFrom(f.toString()),
                    Linux.O_RDWR | Linux.O_DIRECT | Linux.O_CLOEXEC, 0);
            if (fd < 0) {
                m.put("works", false);
                m.put("error", "open with O_DIRECT: " + Errno.describe(-fd));
                return m;
            }
            try {
                FileStat st = FileStat.of(fd, f.toString());
                int memAlign, offAlign;
                String source;
                if (st.dioAlignReported() && st.dioOffsetAlign() > 0) {
                    memAlign = st.dioMemAlign();
                    offAlign = st.dioOffsetAlign();
                    source = "statx STATX_DIOALIGN";
                } else {
                    String lbs = logicalBlockSize(st.devMajor(), st.devMinor());
                    offAlign = lbs == null ? 4096 : Integer.parseInt(lbs.substring(0, lbs.indexOf(' ')));
                    memAlign = offAlign;
                    source = lbs == null ? "no statx DIOALIGN and no block device queue found: assuming 4096"
                            : lbs.substring(lbs.indexOf(' ') + 1);
                    if (st.dioAlignReported()) source = "statx says this file does not support O_DIRECT; " + source;
                }
                m.put("mem_align", memAlign);
                m.put("offset_align", offAlign);
                m.put("align_source", source);
                m.put("device", st.devMajor() + ":" + st.devMinor());
                // prove it with one aligned write and read
                int n = Math.max(offAlign, 512);
                MemorySegment buf = a.allocate(n, Math.max(memAlign, 4096));
                buf.fill((byte) 0x5a);
                long w = Libc.pwrite(fd, buf, n, 0);
                buf.fill((byte) 0);
                long r = w == n ? Libc.pread(fd, buf, n, 0) : w;
                boolean ok = w == n && r == n && buf.get(JAVA_BYTE, n - 1) == 0x5a;
                m.put("works", ok);
                if (!ok) m.put("error", "aligned " + n + "-byte O_DIRECT " + (w != n ? "write" : "read") + ": "
                        + (Math.min(w, r) < 0 ? Errno.describe((int) -Math.min(w, r)) : "short transfer"));
            } finally {
                Libc.close(fd);
            }
        } catch (IOException | RuntimeException e) {
            m.put("works", false);
            m.put("error", e.getMessage());
        } finally {
            deleteQuietly(f);
        }
        return m;
    }

    /** "512 logical_block_size of /sys/dev/block/M:m[/..]" or null; a partition's queue is its parent's. */
    private static String logicalBlockSize(int major, int minor) {
        Path dev = Path.of("/sys/dev/block/" + major + ":" + minor);
        for (Path q : List.of(dev.resolve("queue/logical_block_size"), dev.resolve("../queue/logical_block_size"))) {
            String v = readTrim(q.toString());
            if (v != null) return v + " logical_block_size of " + q.normalize();
        }
        return null;
    }

    private static void deleteQuietly(Path f) {
        if (f == null) return;
        try {
            Files.deleteIfExists(f);
        } catch (IOException ignored) {
            // a leftover temp file is harmless and named .aiobench-probe-*
        }
    }

    private static Object number(String s) {
        if (s == null) return "unknown";
        try { return Long.parseLong(s); } catch (NumberFormatException e) { return s; }
    }

    static String readTrim(String path) {
        return SetupErrors.readSmallFile(path);
    }

    /** Renders the report tree as aligned text. */
    static final class Table {
        private Table() {}

        @SuppressWarnings("unchecked")
        static String render(Map<String, Object> tree) {
            StringBuilder sb = new StringBuilder();
            Map<String, Object> k = (Map<String, Object>) tree.get("kernel");
            row(sb, "kernel", k.get("release") + "  (" + k.get("machine") + ")");
            Map<String, Object> u = (Map<String, Object>) tree.get("io_uring");
            row(sb, "io_uring_disabled", u.get("io_uring_disabled"));
            if (Boolean.FALSE.equals(u.get("available"))) {
                row(sb, "io_uring", "NOT AVAILABLE: " + u.get("error"));
            } else {
                sb.append("io_uring setup flags\n");
                Map<String, Object> flags = (Map<String, Object>) u.get("setup_flags");
                Map<String, Object> iopoll = (Map<String, Object>) u.get("iopoll_io");
                for (var e : flags.entrySet()) {
                    Map<String, Object> r = (Map<String, Object>) e.getValue();
                    Object acc = r.get("accepted");
                    String s = acc == null ? "not probed" : (Boolean) acc ? "accepted" : "rejected (" + r.get("errno") + ")";
                    StringBuilder line = new StringBuilder(String.format("%-20s since %-8s", s, r.get("since")));
                    if (r.containsKey("probed_with")) line.append(" with ").append(r.get("probed_with"));
                    if (r.containsKey("note")) line.append(" [").append(r.get("note")).append(']');
                    if (e.getKey().equals("IORING_SETUP_IOPOLL")) {
                        line.append("\n").append(" ".repeat(36)).append("real I/O: ")
                                .append(Boolean.TRUE.equals(iopoll.get("works")) ? "works" : "FAILS")
                                .append(" - ").append(iopoll.get("result")).append(" (in ").append(iopoll.get("dir")).append(')');
                    }
                    row(sb, "  " + e.getKey(), line);
                }
                Map<String, Object> feats = (Map<String, Object>) u.get("features");
                List<String> have = new ArrayList<>(), lack = new ArrayList<>();
                for (var e : feats.entrySet()) (Boolean.TRUE.equals(e.getValue()) ? have : lack).add(e.getKey().replace("IORING_FEAT_", ""));
                row(sb, "io_uring features", u.get("features_raw") + ": " + String.join(" ", have));
                if (!lack.isEmpty()) row(sb, "  missing", String.join(" ", lack));
                Object ops = u.get("opcodes");
                if (ops instanceof Map<?, ?> om) {
                    List<String> yes = new ArrayList<>(), no = new ArrayList<>();
                    for (var e : om.entrySet()) {
                        if (e.getKey().equals("supported_total")) continue;
                        (Boolean.TRUE.equals(e.getValue()) ? yes : no).add(((String) e.getKey()).replace("IORING_OP_", ""));
                    }
                    row(sb, "io_uring opcodes", om.get("supported_total") + " supported; of interest: " + String.join(" ", yes));
                    if (!no.isEmpty()) row(sb, "  unsupported", String.join(" ", no));
                } else {
                    row(sb, "io_uring opcodes", ops);
                }
            }
            Map<String, Object> ml = (Map<String, Object>) tree.get("memlock");
            row(sb, "RLIMIT_MEMLOCK", "soft " + ml.get("soft_bytes") + ", hard " + ml.get("hard_bytes") + " bytes");
            Map<String, Object> aio = (Map<String, Object>) tree.get("linux_aio");
            row(sb, "Linux AIO", (Boolean.TRUE.equals(aio.get("works")) ? "io_setup works" : "FAILS: " + aio.get("error"))
                    + "; aio-max-nr " + aio.get("aio_max_nr") + ", aio-nr " + aio.get("aio_nr"));
            Map<String, Object> d = (Map<String, Object>) tree.get("o_direct");
            if (Boolean.TRUE.equals(d.get("works"))) {
                row(sb, "O_DIRECT", "works in " + d.get("dir") + ": memory align " + d.get("mem_align")
                        + ", offset/length align " + d.get("offset_align") + " (" + d.get("align_source") + ")");
            } else {
                row(sb, "O_DIRECT", "FAILS in " + d.get("dir") + ": " + d.get("error"));
            }
            return sb.toString();
        }

        private static void row(StringBuilder sb, String key, Object value) {
            sb.append(String.format("%-36s%s%n", key, value));
        }
    }
}
