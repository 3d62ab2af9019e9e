package org.aiobench.benchmarks;

import java.nio.file.Path;

import org.aiobench.workloads.Sizes;

/**
 * Where the benchmarks keep their trees and copies: in the harness's own subdirectory {@code aiobench/} of the
 * scratch directory (system property {@code aiobench.scratch}, default {@code scratch} in the working directory), on
 * the filesystem under test, never loose beside what the user keeps there ({@code --dir /} must not make
 * {@code /trees}). The runner passes the property to every forked JVM and locks {@link #home} for the run.
 */
public final class ScratchLayout {
    /** System property naming the scratch directory. */
    public static final String PROPERTY = "aiobench.scratch";
    /** Seed of every test tree, so runs on different machines copy the same bytes. */
    public static final long SEED = 20220505L;

    private ScratchLayout() {}

    public static Path scratch() {
        return Path.of(System.getProperty(PROPERTY, "scratch")).toAbsolutePath().normalize();
    }

    /** The harness's own subdirectory of the scratch directory: everything the experiments write is in it. */
    public static Path home(Path scratch) {
        return scratch.resolve("aiobench");
    }

    /** The source tree of {@code files} files of {@code fileSize} bytes: {@code aiobench/trees/128x1M}. */
    public static Path tree(Path scratch, int files, long fileSize) {
        return home(scratch).resolve("trees").resolve(files + "x" + Sizes.format(fileSize));
    }

    /** The destination of the copies, {@code aiobench/copy} (one at a time; deleted before each copy). */
    public static Path destination(Path scratch) {
        return home(scratch).resolve("copy");
    }
}
