package org.aiobench.benchmarks.run;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.aiobench.benchmarks.ScratchLayout;
import org.aiobench.benchmarks.run.ExperimentRunner.BadInput;

/**
 * The user's scratch directory ({@code --dir}) and aiobench's own subdirectory in it ({@link ScratchLayout#root}),
 * where the trees and copies live: checked before anything is written, created, and removed again when a run is
 * refused after creating them (only directories this run created, and only while empty).
 */
final class ScratchDirectory {
    /** The directory the user named (or scratch/ in the repository). */
    final Path dir;
    /** aiobench's subdirectory of it. */
    final Path root;
    private final List<Path> created = new ArrayList<>();

    private ScratchDirectory(Path dir) {
        this.dir = dir;
        this.root = ScratchLayout.root(dir);
    }

    /**
     * Checks {@code dir}: an existing writable directory; the default ({@code given} false: scratch/ in the
     * repository) may also be a new one in an existing writable directory. A --dir that does not exist is refused:
     * a typo would otherwise get a directory of its own, filled with gigabytes of trees.
     */
    static ScratchDirectory check(Path dir, boolean given) {
        Path d = dir.toAbsolutePath().normalize();
        if (given && !Files.isDirectory(d)) {
            String why = org.aiobench.workloads.PathProblem.of(d);
            throw new BadInput("--dir " + dir + ": " + (why != null ? why : "it is not a directory")
                    + "; aiobench writes only into a directory that exists (mkdir -p " + dir + " first)");
        }
        if (Files.exists(d)) {
            if (!Files.isDirectory(d)) throw new BadInput("--dir " + dir + " is not a directory");
            if (!Files.isWritable(d)) throw new BadInput("--dir " + dir + ": not writable" + ResultsDirectory.whyNot(d));
        } else {
            Path parent = d.getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                throw new BadInput("--dir " + dir + ": neither it nor its parent directory exists");
            }
            if (!Files.isWritable(parent)) {
                throw new BadInput("--dir " + dir + ": cannot create it, " + parent + " is not writable"
                        + ResultsDirectory.whyNot(parent));
            }
        }
        return new ScratchDirectory(d);
    }

    /** Creates the directory and aiobench's subdirectory; a filesystem's refusal (read-only) is bad input. */
    void create() {
        for (Path p : List.of(dir, root)) {
            if (Files.isDirectory(p)) continue;
            try {
                Files.createDirectory(p);
                created.add(0, p);
            } catch (FileSystemException e) {
                throw new BadInput("--dir " + dir + ": cannot create " + e.getFile() + ": " + ResultsDirectory.reason(e));
            } catch (IOException e) {
                throw new BadInput("--dir " + dir + ": cannot create " + p + ": " + e.getMessage());
            }
        }
        if (!Files.isWritable(root)) {
            throw new BadInput("--dir " + dir + ": " + root + " is not writable" + ResultsDirectory.whyNot(root));
        }
    }

    /** Removes what {@link #create} made, innermost first, where still empty (a refused run leaves nothing). */
    void removeCreated() {
        for (Path p : created) {
            try (Stream<Path> s = Files.list(p)) {
                if (s.findAny().isEmpty()) Files.delete(p);
            } catch (IOException e) {
                return; // left in place: an empty directory of our own
            }
        }
        created.clear();
    }
}
