package org.aiobench.workloads;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.aiobench.engines.nat.Errno;
import org.aiobench.engines.nat.Libc;
import org.aiobench.engines.nat.Linux;

/**
 * One aiobench process at a time writes in a scratch directory: the experiment runner holds its own directory in
 * {@code --dir} from the trees' preparation to the end of the run, gen-tree the directory it generates in, copy the directory it
 * copies into (and the tree it reads, shared). A second process stops with one line naming the holder.
 *
 * <p>The locks are flock(2) on the directories themselves: nothing is written, and the kernel drops them when the
 * process ends, however it ends (a crash leaves no stale lock). A directory written in is locked exclusively, every
 * directory above it (and one only read) shared, so gen-tree and copy also meet a lock held above or below them:
 * nothing goes into or out of {@code --dir/aiobench/trees} while a run holds {@code --dir/aiobench}.
 *
 * <p>The experiment runner also holds an exclusive lock on a machine-wide file ({@link #experimentFile()}): a second
 * experiment, in whatever directory, is refused while one is measured, and {@code copy}, {@code gen-tree},
 * {@code randio} and {@code ./run-experiments.sh test} (reading /proc/locks) see it and say that they disturb it.
 */
public final class ScratchLock implements AutoCloseable {
    /** System property naming the machine-wide experiment file (tests use their own). */
    public static final String EXPERIMENT_PROPERTY = "aiobench.experimentLock";
    /** The machine-wide experiment file; run-experiments.sh uses the same path. */
    public static final String EXPERIMENT_FILE = "/tmp/aiobench-experiment.lock";

    private final List<Integer> fds;

    private ScratchLock(List<Integer> fds) {
        this.fds = fds;
    }

    public static Path experimentFile() {
        return Path.of(System.getProperty(EXPERIMENT_PROPERTY, EXPERIMENT_FILE));
    }

    /**
     * Locks {@code writes} exclusively and {@code reads} shared (with every directory above them shared). A path
     * that does not exist yet is represented by its nearest existing ancestor.
     *
     * @throws CopyException (bad input) when another process holds a conflicting lock, naming it
     */
    public static ScratchLock acquire(Collection<Path> writes, Collection<Path> reads) {
        Map<Path, Boolean> want = new LinkedHashMap<>(); // directory -> exclusive
        for (Path w : writes) addWithAncestors(want, nearestExisting(w), true);
        for (Path r : reads) addWithAncestors(want, nearestExisting(r), false);
        return lock(want);
    }

    private static ScratchLock lock(Map<Path, Boolean> want) {
        List<Path> order = new ArrayList<>(want.keySet());
        order.sort(Comparator.comparingInt(Path::getNameCount).thenComparing(Path::toString));
        List<Integer> fds = new ArrayList<>();
        try (Arena a = Arena.ofConfined()) {
            for (Path d : order) {
                int fd = Libc.openat(Linux.AT_FDCWD, a.allocateFrom(d.toString()),
                        Linux.O_RDONLY | Linux.O_DIRECTORY | Linux.O_CLOEXEC, 0);
                if (fd < 0) continue; // a directory above that this user cannot open: others cannot lock it either
                boolean exclusive = want.get(d);
                int r = Libc.flock(fd, (exclusive ? Linux.LOCK_EX : Linux.LOCK_SH) | Linux.LOCK_NB);
                if (r == -Errno.EAGAIN) {
                    Libc.close(fd);
                    release(fds);
                    throw CopyException.badInput("scratch directory " + d + " is in use by " + holders(d)
                            + "; wait until it finishes, or use another directory");
                }
                if (r < 0) {
                    Libc.close(fd); // no flock here (ENOLCK on some network filesystems): nothing to keep out
                    continue;
                }
                fds.add(fd);
            }
        }
        return new ScratchLock(fds);
    }

    /**
     * The experiment runner's lock: its own directory in the scratch directory exclusively (created if missing), and
     * the machine-wide sign that an experiment is being measured. Not the directories above it: everything the run
     * writes is inside its own directory, which aiobench never deletes, so a copy beside it in the same scratch
     * directory only disturbs the measurement (and says so).
     */
    public static ScratchLock forExperiment(Path home) {
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw CopyException.badInput("cannot create " + home + ": " + e.getMessage());
        }
        // its own directory first (the more telling message for a second run on the same --dir), then machine-wide:
        // two experiments at once, in any directories, measure each other (two cores, one disk)
        ScratchLock lock = lock(Map.of(nearestExisting(home), true));
        int fd = openExperimentFile(true);
        if (fd >= 0 && Libc.flock(fd, Linux.LOCK_EX | Linux.LOCK_NB) == -Errno.EAGAIN) {
            Libc.close(fd);
            lock.close();
            String other = runningExperiment();
            throw CopyException.badInput((other != null ? other : "another aiobench experiment is running on this machine")
                    + ": two experiments at once measure each other; wait until it finishes");
        }
        if (fd >= 0) lock.fds.add(fd);
        return lock;
    }

    /** "an aiobench experiment is running on this machine (pid N)" while one holds the experiment file, else null. */
    public static String runningExperiment() {
        Path f = experimentFile();
        if (!Files.exists(f)) return null;
        List<Long> pids = lockHolders(f);
        if (pids.isEmpty()) return null;
        return "an aiobench experiment is running on this machine (pid " + join(pids) + ")";
    }

    @Override
    public void close() {
        release(fds);
    }

    private static void release(List<Integer> fds) {
        for (int fd : fds) Libc.close(fd); // closing the last descriptor drops the flock
        fds.clear();
    }

    private static int openExperimentFile(boolean create) {
        try (Arena a = Arena.ofConfined()) {
            var path = a.allocateFrom(experimentFile().toString());
            int fd = Libc.openat(Linux.AT_FDCWD, path, Linux.O_RDONLY | Linux.O_CLOEXEC, 0);
            if (fd >= 0 || !create || fd != -Errno.ENOENT) return fd;
            // created 0644 so every user's processes can open it read-only and lock it (flock needs no write access);
            // opened without O_CREAT when it exists, as protected_regular forbids O_CREAT on another user's file in /tmp
            fd = Libc.openat(Linux.AT_FDCWD, path, Linux.O_RDONLY | Linux.O_CREAT | Linux.O_EXCL | Linux.O_CLOEXEC, 0644);
            if (fd == -Errno.EEXIST) fd = Libc.openat(Linux.AT_FDCWD, path, Linux.O_RDONLY | Linux.O_CLOEXEC, 0);
            return fd;
        }
    }

    private static void addWithAncestors(Map<Path, Boolean> want, Path dir, boolean exclusive) {
        want.merge(dir, exclusive, Boolean::logicalOr);
        for (Path p = dir.getParent(); p != null; p = p.getParent()) want.merge(p, false, Boolean::logicalOr);
    }

    private static Path nearestExisting(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        while (abs.getParent() != null && !Files.isDirectory(abs)) abs = abs.getParent();
        try {
            return abs.toRealPath();
        } catch (IOException e) {
            return abs;
        }
    }

    // ---- who holds a lock: /proc/locks ----------------------------------------------------------------------

    /** Who holds a flock on {@code dir}, for messages: "an aiobench experiment (pid 12)", "aiobench copy (pid 34)". */
    static String holders(Path dir) {
        List<Long> pids = lockHolders(dir);
        if (pids.isEmpty()) return "another process";
        Set<Long> experiments = Files.exists(experimentFile()) ? new LinkedHashSet<>(lockHolders(experimentFile())) : Set.of();
        List<String> who = new ArrayList<>();
        for (long pid : pids) {
            who.add((experiments.contains(pid) ? "an aiobench experiment" : command(pid)) + " (pid " + pid
                    + (pid == ProcessHandle.current().pid() ? ", this process" : "") + ")");
        }
        return String.join(" and ", who);
    }

    /** The processes holding a flock on {@code file} (a directory or a file), from /proc/locks. */
    static List<Long> lockHolders(Path file) {
        Scratch.Identity id;
        try {
            id = Scratch.Identity.of(file);
        } catch (RuntimeException e) {
            return List.of();
        }
        List<Long> pids = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/locks"))) {
                // "12: FLOCK  ADVISORY  WRITE 4567 fd:01:1234 0 EOF"; waiters read "12: -> FLOCK ..."
                String[] t = line.trim().split("\\s+");
                if (t.length < 6 || !t[1].equals("FLOCK")) continue;
                String[] dev = t[5].split(":");
                if (dev.length != 3) continue;
                String device = Integer.parseInt(dev[0], 16) + ":" + Integer.parseInt(dev[1], 16);
                if (device.equals(id.device()) && Long.parseLong(dev[2]) == id.inode()) {
                    long pid = Long.parseLong(t[4]);
                    if (!pids.contains(pid)) pids.add(pid);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc/locks to read: the holder stays unnamed
        }
        return pids;
    }

    /** "aiobench copy" for the CLI, otherwise the program and its first arguments. */
    private static String command(long pid) {
        try {
            String[] args = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    StandardCharsets.UTF_8).split("\0");
            for (int i = 0; i + 1 < args.length; i++) {
                if (args[i].endsWith("aiobench-cli.jar") || args[i].equals("org.aiobench.cli.Main")) return "aiobench " + args[i + 1];
            }
            String s = String.join(" ", args);
            return s.length() > 60 ? s.substring(0, 57) + "..." : s;
        } catch (IOException | RuntimeException e) {
            return "a process";
        }
    }

    private static String join(List<Long> pids) {
        return String.join(", ", pids.stream().map(String::valueOf).toList());
    }
}
