package org.aiobench.workloads;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Why a path the user named cannot be reached, in words that say what is wrong (not "does not exist" for a loop). */
public final class PathProblem {
    private PathProblem() {}

    /**
     * Null when {@code p} resolves to something; otherwise "it does not exist", "it is a loop of symbolic links
     * (ELOOP)", "it is a symbolic link to X, which does not exist", or the errno's words.
     */
    public static String of(Path p) {
        try {
            p.toRealPath();
            return null;
        } catch (NoSuchFileException e) {
            if (Files.isSymbolicLink(p)) {
                try {
                    return "it is a symbolic link to " + Files.readSymbolicLink(p) + ", which does not exist";
                } catch (IOException unreadable) {
                    return "it is a symbolic link that leads nowhere";
                }
            }
            Path parent = p.toAbsolutePath().normalize().getParent();
            if (parent != null && !Files.exists(parent, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(parent)) {
                return "it does not exist (nor does " + parent + ")";
            }
            return "it does not exist";
        } catch (FileSystemException e) {
            String r = e.getReason() == null ? "" : e.getReason();
            if (r.contains("Too many levels of symbolic links")) {
                return "it is a loop of symbolic links (ELOOP: too many levels of symbolic links)";
            }
            if (r.contains("Not a directory")) return "a component of its path is not a directory (ENOTDIR)";
            if (r.contains("Permission denied")) return "permission denied (EACCES) on a directory of its path";
            return r.isEmpty() ? e.toString() : r;
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    /**
     * Why this process cannot create files in the existing directory {@code dir}, or null when it can: access(2)
     * with W_OK, whose errno says it (EROFS for a read-only filesystem, EACCES). Asked before free space is
     * counted, so that a read-only filesystem is not called full.
     */
    public static String notWritable(Path dir) {
        int r;
        try (java.lang.foreign.Arena a = java.lang.foreign.Arena.ofConfined()) {
            r = (int) org.aiobench.engines.nat.Libc.syscall(org.aiobench.engines.nat.Linux.SYS_access,
                    a.allocateFrom(dir.toAbsolutePath().toString()).address(), org.aiobench.engines.nat.Linux.W_OK,
                    0, 0, 0, 0);
        }
        return r < 0 ? org.aiobench.engines.nat.Errno.describe(-r) : null;
    }

    /** {@code p} with its links resolved, or {@code p} where it cannot be. */
    public static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p;
        }
    }
}
