package org.aiobench.workloads;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

/**
 * A filesystem mounted for one test (needs root; the test is skipped otherwise), unmounted by close(): ramfs has
 * neither O_DIRECT nor user xattrs; a read-only bind mount is made read-only after the test wrote into it.
 */
public final class TestMount implements AutoCloseable {
    private final Path dir;

    private TestMount(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    private static TestMount mount(Path dir, String why, String... args) throws IOException, InterruptedException {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to mount " + why);
        Files.createDirectories(dir);
        Process p = new ProcessBuilder(args).inheritIO().start();
        Assumptions.assumeTrue(p.waitFor() == 0, "could not mount " + why);
        return new TestMount(dir);
    }

    /** A ramfs at {@code dir} (created). */
    public static TestMount ramfs(Path dir) throws IOException, InterruptedException {
        return mount(dir, "ramfs", "mount", "-t", "ramfs", "ramfs", dir.toString());
    }

    /** A tmpfs of {@code size} (e.g. "8m") at {@code dir} (created): a small filesystem to fill. */
    public static TestMount tmpfs(Path dir, String size) throws IOException, InterruptedException {
        return mount(dir, "a tmpfs", "mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
    }

    /** {@code dir} (created) bind-mounted on itself, writable until {@link #makeReadOnly()}. */
    public static TestMount bind(Path dir) throws IOException, InterruptedException {
        return mount(dir, "a bind mount", "mount", "--bind", dir.toString(), dir.toString());
    }

    public void makeReadOnly() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mount", "-o", "remount,ro,bind", dir.toString()).inheritIO().start();
        if (p.waitFor() != 0) throw new IOException("could not remount " + dir + " read-only");
    }

    /**
     * Fills the filesystem of {@code dir} with a file {@code .filler} until about {@code leave} bytes are free:
     * how a test makes a copy that passed its free-space check run out of space half-way.
     */
    public static Path fill(Path dir, long leave) throws IOException {
        Path filler = dir.resolve(".filler");
        long free = Files.getFileStore(dir).getUsableSpace();
        try (var f = java.nio.channels.FileChannel.open(filler, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer zeros = java.nio.ByteBuffer.allocate(64 * 1024);
            for (long written = 0; written + zeros.capacity() <= free - leave; written += zeros.capacity()) {
                zeros.clear();
                while (zeros.hasRemaining()) f.write(zeros);
            }
        }
        return filler;
    }

    /** Remounts this (non-bind) mount read-only. */
    public void remountReadOnly() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mount", "-o", "remount,ro", dir.toString()).inheritIO().start();
        if (p.waitFor() != 0) throw new IOException("could not remount " + dir + " read-only");
    }

    @Override
    public void close() throws IOException, InterruptedException {
        new ProcessBuilder("umount", dir.toString()).inheritIO().start().waitFor();
    }
}
