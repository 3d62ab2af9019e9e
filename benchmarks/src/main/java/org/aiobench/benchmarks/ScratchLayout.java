package org.aiobench.benchmarks;

import java.nio.file.Path;

import org.aiobench.workloads.Sizes;

/**
 * Where the benchmarks keep their trees and copies: in {@value #SUBDIRECTORY}/ below the scratch directory the user
 * names (system property {@code aiobench.scratch}, the runner's {@code --dir}; default {@code scratch} in the working
 * directory), on the filesystem under test. The harness keeps everything in that subdirectory of its own, never loose
 * in the user's directory ({@code --dir /} must not create {@code /trees}). The runner passes the property to every
 * forked JVM, so the runner and the benchmarks resolve the same directory here.
 */
public final class ScratchLayout {
    /** System property naming the user's scratch directory (the runner's {@code --dir}). */
    public static final String PROPERTY = "aiobench.scratch";
    /** The subdirectory of the user's scratch directory that aiobench owns. */
    public static final String SUBDIRECTORY = "aiobench-scratch";
    /** Seed of every test tree, so runs on different machines copy the same bytes. */
    public static final long SEED = 20220505L;

    private ScratchLayout() {}

    /** The directory aiobench works in below the user's scratch directory {@code dir}. */
    public static Path root(Path dir) {
        return dir.toAbsolutePath().normalize().resolve(SUBDIRECTORY);
    }

    /** This JVM's working directory: {@link #root} of the property's directory. */
    public static Path scratch() {
        return root(Path.of(System.getProperty(PROPERTY, "scratch")));
    }

    /** The source tree of {@code files} files of {@code fileSize} bytes below {@code root}: {@code trees/128x1M}. */
    public static Path tree(Path root, int files, long fileSize) {
        return root.resolve("trees").resolve(files + "x" + Sizes.format(fileSize));
    }

    /** The destination of the copies below {@code root} (one at a time; deleted before each copy). */
    public static Path destination(Path root) {
        return root.resolve("copy");
    }

    /** A second destination beside the first, for a fork that copies two configurations ({@link PairedCopy}). */
    public static Path destination(Path root, String tag) {
        return tag == null || tag.isEmpty() ? destination(root) : root.resolve("copy-" + tag);
    }
}
