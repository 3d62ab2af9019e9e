package org.aiobench.workloads;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserDefinedFileAttributeView;

/**
 * The harness deletes only what it created. Every directory it creates for a tree or a copy is marked: an
 * extended attribute {@code user.aiobench} on the directory itself (invisible to {@code diff -r}), or, where the
 * filesystem has no user xattrs, a sidecar file {@code .NAME.aiobench} beside it. {@link #deleteOwned} refuses
 * anything unmarked.
 */
public final class Scratch {
    private Scratch() {}

    private static final String XATTR = "aiobench";
    private static final byte[] MARK = "created-by-aiobench".getBytes(StandardCharsets.US_ASCII);

    /** Creates {@code dir} (its parents as needed, unmarked) and marks it as aiobench's. It must not exist. */
    public static void createOwned(Path dir) {
        try {
            if (dir.getParent() != null) Files.createDirectories(dir.getParent());
            Files.createDirectory(dir);
            markOwned(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Marks an existing directory as created by aiobench. */
    public static void markOwned(Path dir) {
        try {
            UserDefinedFileAttributeView v = Files.getFileAttributeView(dir, UserDefinedFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (v != null) {
                try {
                    v.write(XATTR, ByteBuffer.wrap(MARK));
                    return;
                } catch (IOException | UnsupportedOperationException noXattr) {
                    // fall through to the sidecar
                }
            }
            Files.write(sidecar(dir), MARK);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot mark " + dir + " as aiobench's: " + e.getMessage(), e);
        }
    }

    /** Whether {@code dir} is a directory (not a link) that aiobench created and marked. */
    public static boolean isOwned(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return false;
        UserDefinedFileAttributeView v = Files.getFileAttributeView(dir, UserDefinedFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (v != null) {
            try {
                if (v.list().contains(XATTR)) {
                    ByteBuffer b = ByteBuffer.allocate(64);
                    v.read(XATTR, b);
                    b.flip();
                    byte[] got = new byte[b.remaining()];
                    b.get(got);
                    if (java.util.Arrays.equals(got, MARK)) return true;
                }
            } catch (IOException | UnsupportedOperationException ignored) {
                // no xattrs here: the sidecar decides
            }
        }
        return Files.isRegularFile(sidecar(dir), LinkOption.NOFOLLOW_LINKS);
    }

    private static Path sidecar(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        return abs.resolveSibling("." + abs.getFileName() + ".aiobench");
    }

    /**
     * Deletes {@code dir} and everything under it, never following links, if and only if aiobench created it.
     * Does nothing when it does not exist.
     *
     * @throws CopyException (bad input) when it exists and is not aiobench's
     */
    public static void deleteOwned(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
        if (!isOwned(dir)) {
            throw CopyException.badInput(dir + " exists and was not created by aiobench; refusing to delete or overwrite it");
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
                    // a copied read-only directory (0555) must become writable to empty it when not root
                    if (!Files.isWritable(d)) d.toFile().setWritable(true, true);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                    Files.delete(f);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    if (e != null) throw e;
                    try {
                        Files.delete(d);
                    } catch (DirectoryNotEmptyException race) {
                        throw new IOException("directory changed while deleting: " + d, race);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
            Files.deleteIfExists(sidecar(dir));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }
}
