package org.aiobench.workloads;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.aiobench.engines.nat.ResourceUsage;

/**
 * Runs a {@link PeerCommand} as a process, timed from the spawn to the exit, with what a process can tell of itself:
 * CPU time and context switches (the deltas of this JVM's waited-for children, getrusage RUSAGE_CHILDREN: the peer
 * and every process it waited for) and its peak memory.
 *
 * <p>Peak memory is the peer's own ru_maxrss as GNU time reports it ({@code /usr/bin/time -f %M}, which then runs
 * the peer and is timed with it: about a millisecond, like a shell starting it). It cannot come from
 * RUSAGE_CHILDREN: the JVM starts processes with posix_spawn (CLONE_VM|CLONE_VFORK), and the kernel charges the
 * JVM's own peak RSS to the child's ru_maxrss when it execs (exec_mmap records the old mm's high-water mark), so every
 * direct child of a JVM reports at least the JVM's RSS. Without /usr/bin/time the peer runs directly and its peak
 * memory is not measured.
 *
 * <p>What starting a peer costs ({@link #startCost}) is the same command through the same spawn path on an empty
 * directory: the engines run in a JVM already started, so the report sets a peer's time less that beside theirs.
 */
public final class PeerProcess {
    private PeerProcess() {}

    public static final Path GNU_TIME = Path.of("/usr/bin/time");

    /** Spawns on an empty directory per start-cost measurement; their median is the start cost. */
    public static final int START_SAMPLES = 3;

    /**
     * One run of a peer.
     *
     * @param nanos     from the spawn to the exit
     * @param usage     the deltas of RUSAGE_CHILDREN over the run (its ru_maxrss is not the peer's: see the class)
     * @param maxRssKiB the peer's own peak RSS from GNU time, -1 when not measured
     */
    public record Run(long nanos, ResourceUsage usage, long maxRssKiB) {
        public double seconds() { return nanos / 1e9; }
    }

    /** Whether a peer's peak memory is measured on this machine (GNU time is installed). */
    public static boolean peakRssMeasured() {
        return Files.isExecutable(GNU_TIME);
    }

    /**
     * Runs {@code peer} copying {@code src} to {@code dst}, which must not exist. A peer that exits with another status
     * than 0 is an {@link IOException} with its status and the last lines it printed; a peer that exits 0 without
     * making {@code dst} a directory is one too.
     */
    public static Run run(PeerCommand peer, Path src, Path dst) throws IOException, InterruptedException {
        if (Files.exists(dst, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("peer " + peer.name() + ": " + dst + " exists before the copy (the contract: {dst} does"
                    + " not exist beforehand)");
        }
        boolean gnuTime = peakRssMeasured();
        Path report = gnuTime ? Files.createTempFile("aiobench-peer-maxrss", ".txt") : null;
        try {
            List<String> cmd = new ArrayList<>();
            if (gnuTime) cmd.addAll(List.of(GNU_TIME.toString(), "-f", "%M", "-o", report.toString()));
            cmd.addAll(peer.argv(src, dst));
            ResourceUsage before = ResourceUsage.children();
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(
                    Path.of("/dev/null").toFile())).start();
            byte[] out = p.getInputStream().readAllBytes();
            int rc = p.waitFor();
            long nanos = System.nanoTime() - t0;
            ResourceUsage usage = ResourceUsage.children().minus(before);
            if (rc != 0) {
                throw new IOException("peer " + peer.name() + " (" + peer.commandLine() + ") exited with status " + rc
                        + tail(out));
            }
            if (!Files.isDirectory(dst, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("peer " + peer.name() + " exited 0 but made no directory " + dst + tail(out));
            }
            long maxRssKiB = -1;
            if (gnuTime) {
                List<String> lines = Files.readAllLines(report);
                if (!lines.isEmpty()) maxRssKiB = Long.parseLong(lines.get(lines.size() - 1).trim());
            }
            return new Run(nanos, usage, maxRssKiB);
        } finally {
            if (report != null) Files.deleteIfExists(report);
        }
    }

    /**
     * What starting {@code peer} costs: the median of {@link #START_SAMPLES} runs copying the empty directory
     * {@code empty} into {@code into} (an empty directory of the caller's, emptied again after each run), in
     * nanoseconds.
     */
    public static long startCost(PeerCommand peer, Path empty, Path into) throws IOException, InterruptedException {
        long[] t = new long[START_SAMPLES];
        Path copy = into.resolve("copy");
        for (int i = 0; i < t.length; i++) {
            t[i] = run(peer, empty, copy).nanos();
            deleteTree(copy);
        }
        Arrays.sort(t);
        return t[t.length / 2];
    }

    /** Deletes what a peer made below a directory of the caller's, never following links. */
    static void deleteTree(Path p) throws IOException {
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) Scratch.deleteTree(p);
    }

    /** ": " and the last lines a failed peer printed, or "". */
    private static String tail(byte[] out) {
        String s = new String(out, StandardCharsets.UTF_8).strip();
        if (s.isEmpty()) return "";
        List<String> lines = s.lines().toList();
        return ": " + String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }
}
