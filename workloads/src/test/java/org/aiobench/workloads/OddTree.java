package org.aiobench.workloads;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;

/**
 * A source tree with every awkward case the copy must get right: sizes around the O_DIRECT alignment and the
 * buffer size (0, 1, 4095, 4096, 4097, 128K+1, 1M), empty and deeply nested directories, non-ASCII names,
 * read-only modes, a symbolic link and a fifo (which is skipped).
 */
public final class OddTree {
    private OddTree() {}

    public static final long[] SIZES = {0, 1, 4095, 4096, 4097, 128 * 1024 + 1, 1 << 20};

    public static Path create(Path root, long seed) throws IOException {
        Files.createDirectories(root);
        Random r = new Random(seed);
        Path a = Files.createDirectories(root.resolve("a"));
        for (long size : SIZES) {
            byte[] b = new byte[(int) size];
            r.nextBytes(b);
            Files.write(a.resolve("size-" + size + ".bin"), b);
        }
        Files.createDirectories(root.resolve("empty"));
        Path deep = root;
        for (int i = 0; i < 12; i++) deep = deep.resolve("d" + i);
        Files.createDirectories(deep);
        byte[] b = new byte[5000];
        r.nextBytes(b);
        Files.write(deep.resolve("deep.bin"), b);
        Path intl = Files.createDirectories(root.resolve("données"));
        r.nextBytes(b);
        Files.write(intl.resolve("日本語-ümlaut.bin"), b);
        Path ro = Files.write(root.resolve("read-only.bin"), new byte[]{1, 2, 3});
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r--r--r--"));
        Path roDir = Files.createDirectories(root.resolve("ro-dir"));
        Files.write(roDir.resolve("inside.bin"), new byte[]{4, 5, 6});
        Files.setPosixFilePermissions(roDir, PosixFilePermissions.fromString("r-xr-xr-x"));
        Files.createSymbolicLink(root.resolve("link-to-a"), Path.of("a/size-4097.bin"));
        mkfifo(root.resolve("a-fifo"));
        return root;
    }

    static void mkfifo(Path p) throws IOException {
        try {
            Process pr = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
            if (pr.waitFor() != 0) throw new IOException("mkfifo failed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
