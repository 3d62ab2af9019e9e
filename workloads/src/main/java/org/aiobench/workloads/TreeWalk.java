package org.aiobench.workloads;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.aiobench.engines.nat.FileStat;
import org.aiobench.engines.nat.Linux;
import org.aiobench.engines.nat.NativeException;

/**
 * The copy's walk of the source, breadth-first as in the report: a directory's entries are read (in name order)
 * when the copy wants its next file; subdirectories are created and symbolic links recreated as they are reached,
 * regular files handed out one by one, special files (fifos, sockets, devices) noted and skipped. Directory modes
 * are applied at the end ({@link #applyDirectoryModes()}), deepest first, so a read-only directory is filled
 * before it becomes read-only. Part of the timed copy; the preparation's check of the source is {@link CopyPlan}'s.
 */
final class TreeWalk {
    /** A regular file to copy: where it is and where its copy goes. */
    record Entry(Path src, Path dst) {}

    private record Directory(Path src, Path dst) {}

    private record DirectoryMode(Path dir, int mode) {}

    private final ArrayDeque<Directory> directoriesToRead = new ArrayDeque<>();
    private final ArrayDeque<Entry> filesOfDirectory = new ArrayDeque<>();
    private final List<DirectoryMode> modes = new ArrayList<>();
    private final List<String> skippedSpecial = new ArrayList<>();
    private int directories;
    private int symlinks;
    private boolean done;

    /** Starts at {@code srcRoot}, whose copy is the existing, empty {@code dstRoot}. */
    TreeWalk(Path srcRoot, Path dstRoot) {
        directories = 1;
        modes.add(new DirectoryMode(dstRoot, FileStat.of(srcRoot.toString(), false).permissions()));
        directoriesToRead.add(new Directory(srcRoot, dstRoot));
    }

    /**
     * The next regular file, or null when the walk is done.
     *
     * @throws CopyException a directory that cannot be read, or an entry that cannot be made in the copy
     */
    Entry next() {
        while (true) {
            Entry e = filesOfDirectory.poll();
            if (e != null) return e;
            Directory d = directoriesToRead.poll();
            if (d == null) {
                done = true;
                return null;
            }
            read(d);
        }
    }

    boolean done() { return done; }

    private void read(Directory d) {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(d.src())) {
            for (Path p : ds) entries.add(p);
        } catch (IOException e) {
            throw new CopyException("cannot list " + d.src() + ": " + e.getMessage(), false, e);
        }
        entries.sort(null);
        for (Path p : entries) {
            Path target = d.dst().resolve(p.getFileName().toString());
            try {
                FileStat st = FileStat.of(p.toString(), false);
                if (st.isDirectory()) {
                    Files.createDirectory(target);
                    directories++;
                    modes.add(new DirectoryMode(target, st.permissions()));
                    directoriesToRead.add(new Directory(p, target));
                } else if (st.isSymlink()) {
                    Files.createSymbolicLink(target, Files.readSymbolicLink(p));
                    symlinks++;
                } else if (st.isRegular()) {
                    filesOfDirectory.add(new Entry(p, target));
                } else {
                    skippedSpecial.add(p + " (" + kind(st.mode()) + ")");
                }
            } catch (IOException | NativeException e) {
                throw new CopyException("cannot copy " + p + ": " + e.getMessage(), false, e);
            }
        }
    }

    /** Gives every directory of the copy its source's mode, deepest first. */
    void applyDirectoryModes() {
        for (int i = modes.size() - 1; i >= 0; i--) {
            DirectoryMode m = modes.get(i);
            try {
                Files.setPosixFilePermissions(m.dir(), permissions(m.mode()));
            } catch (IOException e) {
                throw new CopyException("cannot set the mode of " + m.dir() + ": " + e.getMessage(), false, e);
            }
        }
    }

    /** Directories created, the destination root included. */
    int directories() { return directories; }

    int symlinks() { return symlinks; }

    List<String> skippedSpecial() { return List.copyOf(skippedSpecial); }

    private static String kind(int mode) {
        return switch (mode & Linux.S_IFMT) {
            case 0x1000 -> "fifo";
            case 0xC000 -> "socket";
            case 0x2000 -> "character device";
            case 0x6000 -> "block device";
            default -> String.format("type %o", mode & Linux.S_IFMT);
        };
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] all = PosixFilePermission.values();
        for (int i = 0; i < all.length; i++) if ((mode & (1 << (8 - i))) != 0) s.add(all[i]);
        return s;
    }
}
