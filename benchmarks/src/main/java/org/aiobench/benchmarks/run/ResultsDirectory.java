package org.aiobench.benchmarks.run;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.stream.Stream;

import org.aiobench.benchmarks.run.ExperimentRunner.BadInput;

/**
 * The run directory a run writes: {@code --results DIR} must be new or empty (or, with {@code --resume}, an aiobench
 * run), so a run never writes among a user's files, and the plot step never replaces their reports. Every check here
 * writes nothing; a refused run leaves nothing behind.
 */
final class ResultsDirectory {
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmmss")
            .withZone(ZoneOffset.UTC);

    private ResultsDirectory() {}

    /** Refuses {@code dir} unless a new run may be written there: it does not exist yet, or is an empty directory. */
    static void checkNew(Path dir) {
        if (Files.isDirectory(dir)) {
            if (RunProgress.exists(dir)) {
                throw new BadInput("--results " + dir + " already holds a run; finish it with --resume " + dir
                        + " or pick another --results");
            }
            if (!isEmpty(dir)) {
                throw new BadInput("--results " + dir + " is not empty and not an aiobench run; a run writes only into a"
                        + " new or empty directory");
            }
            if (!Files.isWritable(dir)) throw new BadInput("--results " + dir + ": not writable" + whyNot(dir));
        } else if (Files.exists(dir)) {
            throw new BadInput("--results " + dir + " is a file, not a directory");
        } else {
            Path existing = dir.toAbsolutePath().normalize().getParent();
            while (existing != null && !Files.exists(existing)) existing = existing.getParent();
            if (existing == null || !Files.isDirectory(existing)) {
                throw new BadInput("--results " + dir + ": " + existing + " is not a directory");
            }
            if (!Files.isWritable(existing)) {
                throw new BadInput("--results " + dir + ": cannot create it, " + existing + " is not writable" + whyNot(existing));
            }
        }
    }

    /** Refuses {@code dir} unless it is an aiobench run that can be resumed. */
    static void checkResumable(Path dir) {
        if (!Files.isDirectory(dir) || !RunProgress.exists(dir) || !Files.isRegularFile(dir.resolve("env.json"))) {
            throw new BadInput(dir + " is not a run directory (no progress.json and env.json)");
        }
        if (!Files.isWritable(dir)) throw new BadInput(dir + ": not writable" + whyNot(dir) + ", cannot resume there");
    }

    /** Creates {@code dir} (checked by {@link #checkNew}); a filesystem's refusal is bad input, in one line. */
    static Path create(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (FileSystemException e) {
            throw new BadInput("--results " + dir + ": cannot create " + e.getFile() + ": " + reason(e));
        } catch (IOException e) {
            throw new BadInput("--results " + dir + ": cannot create it: " + e.getMessage());
        }
    }

    /**
     * A new run directory below {@code parent}: {@code <date>T<time>-<host>-<kernel>} to the second, with -2, -3 ...
     * when another run took the name in the same second (created atomically, so two runs never share one).
     */
    static Path createUnique(Path parent) {
        String id = defaultRunId();
        try {
            Files.createDirectories(parent);
            for (int n = 1; ; n++) {
                Path dir = parent.resolve(n == 1 ? id : id + "-" + n);
                try {
                    return Files.createDirectory(dir);
                } catch (FileAlreadyExistsException taken) {
                    // another run in the same second: the next suffix
                }
            }
        } catch (FileSystemException e) {
            throw new BadInput("cannot create a run directory in " + parent + ": " + e.getFile() + ": " + reason(e));
        } catch (IOException e) {
            throw new BadInput("cannot create a run directory in " + parent + ": " + e.getMessage());
        }
    }

    static String defaultRunId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName().split("\\.")[0];
        } catch (IOException e) {
            host = "host";
        }
        String kernel = System.getProperty("os.version", "unknown").split("-")[0];
        return ID_TIME.format(Instant.now()) + "-" + host + "-" + kernel;
    }

    /** " (read-only filesystem)" when that is why {@code p} is not writable, else "". */
    static String whyNot(Path p) {
        try {
            return Files.getFileStore(p).isReadOnly() ? " (read-only filesystem)" : " (permissions)";
        } catch (IOException e) {
            return "";
        }
    }

    /** The errno text of a filesystem refusal ("Read-only file system"). */
    static String reason(FileSystemException e) {
        return e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new BadInput("--results " + dir + ": cannot list it: " + e.getMessage());
        }
    }
}
