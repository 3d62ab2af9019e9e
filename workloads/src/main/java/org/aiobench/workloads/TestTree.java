package org.aiobench.workloads;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

/**
 * Test trees for the copy experiments: N files of one size spread over nested subdirectories, filled with
 * seeded pseudo-random data that is really written (the copy study only fallocated its files, so its reads
 * returned zeros without touching the device).
 *
 * <p>The data is block-addressable: block k of file i depends only on (seed, i, k), so the expected bytes at
 * any offset can be regenerated to name the exact offset of a difference.
 */
public final class TestTree {
    private TestTree() {}

    public static final String GENERATOR = "splitmix64-block-v1";
    public static final int BLOCK = 1 << 20;
    public static final long DEFAULT_SEED = 42;

    /** The expected contents of block {@code block} of file {@code index}, written into {@code out} (cleared first). */
    public static void fillBlock(long seed, int index, long block, ByteBuffer out, int length) {
        out.clear().order(ByteOrder.LITTLE_ENDIAN);
        SplittableRandom r = new SplittableRandom(mix(seed, index, block));
        int longs = length / 8;
        for (int i = 0; i < longs; i++) out.putLong(r.nextLong());
        if (length % 8 != 0) {
            long last = r.nextLong();
            for (int i = 0; i < length % 8; i++) out.put((byte) (last >>> (8 * i)));
        }
        out.flip();
    }

    private static long mix(long seed, int index, long block) {
        long z = seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + block * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Where file {@code i} goes: one of five top directories, some nested one or two levels deeper (seeded). */
    static String pathOf(long seed, int i) {
        SplittableRandom r = new SplittableRandom(mix(seed, i, -1));
        int top = r.nextInt(5);
        int depth = r.nextInt(3);
        String dir = switch (depth) {
            case 0 -> Integer.toString(top);
            case 1 -> top + "/sub";
            default -> top + "/sub/deep";
        };
        return dir + "/file-" + i + ".dat";
    }

    /**
     * Where a tree is generated before it is complete: {@code NAME.aiobench-incomplete} beside it. Only a complete
     * tree is renamed to its name (its manifest is written after that), so an interrupted or failed generation
     * leaves this name, which says what it is and which the next generation replaces.
     */
    public static Path incompletePath(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        return abs.resolveSibling(abs.getFileName() + ".aiobench-incomplete");
    }

    /** Bytes a tree of {@code files} x {@code fileSize} takes on disk, at least (whole 4K blocks). */
    static long bytesNeeded(int files, long fileSize) {
        try {
            return Math.multiplyExact(files, Math.addExact(fileSize, 4095) / 4096 * 4096);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Refuses (bad input, with the numbers) a tree that would not fit on the filesystem of {@code dir}, counting
     * {@code reclaimable} bytes that will be freed first (an old tree being replaced).
     */
    static void requireSpace(Path dir, int files, long fileSize, long reclaimable) {
        long need = bytesNeeded(files, fileSize);
        Path existing = dir.toAbsolutePath().normalize();
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        long free;
        String readOnly = existing == null ? null : PathProblem.notWritable(existing);
        if (readOnly != null) throw CopyException.badInput("cannot create " + dir + ": " + readOnly + " (" + existing + ")");
        try {
            var store = Files.getFileStore(existing);
            if (store.getTotalSpace() == 0) return; // proc, sysfs ...: no space to count, creating there says why not
            free = store.getUsableSpace();
        } catch (IOException | RuntimeException e) {
            return; // no number to check against; a full disk still stops the generation with ENOSPC
        }
        // 1% and 1 MiB of slack for directories, the manifest and the filesystem's own metadata
        long slack = need == Long.MAX_VALUE ? 0 : need / 100 + (1L << 20);
        if (need == Long.MAX_VALUE || need + slack > free + reclaimable) {
            throw CopyException.badInput(files + " files of " + Sizes.human(fileSize) + " need "
                    + (need == Long.MAX_VALUE ? "more than 8 EiB" : Sizes.human(need) + " (+" + Sizes.human(slack)
                    + " for metadata)") + " on the filesystem of "
                    + existing + ", which has " + Sizes.human(free) + " free"
                    + (reclaimable > 0 ? " (+" + Sizes.human(reclaimable) + " of the tree it replaces)" : "")
                    + "; use fewer or smaller files, or another directory");
        }
    }

    /**
     * Generates a tree in {@code dir}, which must not exist, and writes its manifest beside it. The files are
     * written under {@link #incompletePath} (created and recorded as aiobench's), synced, renamed to {@code dir}, and
     * the manifest is written last; an incomplete tree of an earlier generation is replaced.
     */
    public static Manifest generate(Path dir, int files, long fileSize, long seed, Progress progress) {
        return generate(dir, files, fileSize, seed, progress, s -> {}, 0);
    }

    private static Manifest generate(Path dir, int files, long fileSize, long seed, Progress progress,
                                     java.util.function.Consumer<String> log, long reclaimable) {
        if (files < 1) throw new IllegalArgumentException("--files must be at least 1, got " + files);
        if (fileSize < 1) throw new IllegalArgumentException("--size must be greater than zero, got " + fileSize);
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw CopyException.badInput(dir + " already exists; gen-tree writes only a new directory (or one it made itself)");
        }
        Path mf = Manifest.pathFor(dir);
        if (Files.exists(mf, LinkOption.NOFOLLOW_LINKS)) {
            if (!Scratch.deleteOrphanedCompanion(mf)) {
                throw CopyException.badInput(mf + " exists and was not written by aiobench for a tree it still has;"
                        + " refusing to overwrite it");
            }
            log.accept("removed " + mf + ", the manifest of a tree that was deleted by hand");
        }
        Path partial = incompletePath(dir);
        if (Files.exists(partial, LinkOption.NOFOLLOW_LINKS)) {
            String why = Scratch.whyNotOwned(partial);
            if (why != null) throw CopyException.badInput(partial + " exists and was not created by aiobench (" + why + ")");
        }
        requireSpace(dir, files, fileSize, reclaimable);
        if (Files.exists(partial, LinkOption.NOFOLLOW_LINKS)) {
            log.accept("removing " + partial + ", an incomplete tree an interrupted generation left");
            Scratch.deleteOwned(partial);
        }
        Scratch.createOwned(partial, dir);
        Set<String> dirs = new LinkedHashSet<>();
        List<String> paths = new ArrayList<>();
        for (int top = 0; top < 5; top++) dirs.add(Integer.toString(top));
        for (int i = 0; i < files; i++) {
            String p = pathOf(seed, i);
            paths.add(p);
            String parent = p.substring(0, p.lastIndexOf('/'));
            for (int s = parent.indexOf('/'); s >= 0; s = parent.indexOf('/', s + 1)) dirs.add(parent.substring(0, s));
            dirs.add(parent);
        }
        List<String> dirList = new ArrayList<>(dirs);
        dirList.sort((a, b) -> Long.compare(a.chars().filter(c -> c == '/').count(), b.chars().filter(c -> c == '/').count()));
        List<Manifest.Entry> entries = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.allocateDirect(BLOCK);
        long total = (long) files * fileSize;
        long done = 0;
        try {
            for (String d : dirList) Files.createDirectories(partial.resolve(d));
            for (int i = 0; i < files; i++) {
                Path f = partial.resolve(paths.get(i));
                CRC32C whole = new CRC32C();
                int nBlocks = (int) ((fileSize + BLOCK - 1) / BLOCK);
                long[] blockCrcs = new long[nBlocks];
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    for (int b = 0; b < nBlocks; b++) {
                        int len = (int) Math.min(BLOCK, fileSize - (long) b * BLOCK);
                        fillBlock(seed, i, b, buf, len);
                        CRC32C bc = new CRC32C();
                        bc.update(buf.duplicate());
                        whole.update(buf.duplicate());
                        blockCrcs[b] = bc.getValue();
                        while (buf.hasRemaining()) ch.write(buf);
                        done += len;
                        progress.update(done, total);
                    }
                }
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
                entries.add(new Manifest.Entry(paths.get(i), i, fileSize, 0644, whole.getValue(), blockCrcs));
            }
        } catch (IOException | RuntimeException e) {
            // a failed generation frees its space; only an interrupted one (killed) leaves the incomplete name
            try {
                Scratch.deleteOwned(partial);
            } catch (RuntimeException kept) {
                e.addSuppressed(kept);
            }
            if (e instanceof RuntimeException r) throw r;
            throw new UncheckedIOException("cannot generate the tree in " + dir + ": " + e.getMessage(), (IOException) e);
        }
        CacheControl.syncfs(partial); // the data is on the device before anyone measures a copy of it
        Scratch.renameOwned(partial, dir);
        Scratch.recordContents(dir); // replacing the tree deletes these, and nothing put there since
        Manifest m = new Manifest(Manifest.FORMAT, GENERATOR, seed, files, fileSize, BLOCK, dirList, entries);
        m.save(mf);
        Scratch.addCompanion(dir, mf);
        progress.finish();
        return m;
    }

    public static Manifest generate(Path dir, int files, long fileSize, long seed) {
        return generate(dir, files, fileSize, seed, Progress.NONE);
    }

    /**
     * The tree in {@code dir} with these parameters: reused when its manifest matches and every file checks out
     * against it, generated otherwise. A damaged tree that aiobench made is replaced (with its manifest, and said
     * so on {@code log}); a directory aiobench cannot prove it made is never touched. Free space is checked before
     * anything is deleted.
     */
    public static Manifest ensure(Path dir, int files, long fileSize, long seed, Progress progress, java.util.function.Consumer<String> log) {
        if (files < 1) throw new IllegalArgumentException("--files must be at least 1, got " + files);
        if (fileSize < 1) throw new IllegalArgumentException("--size must be greater than zero, got " + fileSize);
        Path mf = Manifest.pathFor(dir);
        long reclaimable = 0;
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            String why = Scratch.whyNotOwned(dir);
            if (why != null) {
                throw CopyException.badInput(dir + " exists and was not created by aiobench (" + why + "); choose another directory");
            }
            String replacing;
            if (Files.isRegularFile(mf)) {
                Manifest m;
                try {
                    m = Manifest.load(mf);
                } catch (IllegalArgumentException e) {
                    m = null;
                }
                if (m != null && m.fileCount() == files && m.fileSize() == fileSize && m.seed() == seed
                        && GENERATOR.equals(m.generator())) {
                    try {
                        Verifier.verify(dir, m, progress);
                        return m;
                    } catch (VerificationException e) {
                        replacing = "is damaged (" + e.getMessage() + ")";
                    }
                } else {
                    replacing = m == null ? "has an unreadable manifest" : "was made with other parameters";
                }
                if (m != null) reclaimable = m.totalBytes();
            } else {
                replacing = "has no manifest (its generation did not finish)";
            }
            if (Files.exists(mf, LinkOption.NOFOLLOW_LINKS) && !Scratch.ownsCompanion(dir, mf)) {
                throw CopyException.badInput(mf + " was not written by aiobench for " + dir + "; refusing to replace"
                        + " the tree and leave it beside the new one (move it away)");
            }
            requireSpace(dir, files, fileSize, reclaimable);
            log.accept("replacing tree " + dir + ", which aiobench made and which " + replacing);
            Scratch.deleteOwned(dir); // and the manifest recorded with it
        }
        return generate(dir, files, fileSize, seed, progress, log, reclaimable);
    }

    public static Manifest ensure(Path dir, int files, long fileSize, long seed) {
        return ensure(dir, files, fileSize, seed, Progress.NONE, s -> {});
    }

    /** Loads the manifest stored beside {@code dir}, or null when there is none. */
    public static Manifest manifestOf(Path dir) {
        Path mf = Manifest.pathFor(dir);
        return Files.isRegularFile(mf) ? Manifest.load(mf) : null;
    }
}
