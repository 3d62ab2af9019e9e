package org.aiobench.workloads;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.aiobench.engines.nat.Errno;
import org.aiobench.engines.nat.Libc;
import org.aiobench.engines.nat.Linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The harness deletes only what it can prove it created. A mark alone proves nothing (cp -a copies extended
 * attributes, anyone can create a file), so ownership has two halves that must agree:
 * <ul>
 *   <li>the mark on the directory: a random token in the extended attribute {@code user.aiobench}, or, where the
 *       filesystem has no user xattrs, in a sidecar file {@code .NAME.aiobench} beside it;</li>
 *   <li>aiobench's own record of what it created, one file per token in {@link #recordDir()}: the directory's real
 *       path, device, inode and birth time, and the files that belong with it (a tree's manifest).</li>
 * </ul>
 * A {@code cp -a} duplicate carries the token but sits at another path with another inode; a user's directory
 * beside a copied or empty sidecar has no recorded token. Both are refused, with the reason.
 *
 * <p>The record lives in the user's state directory ({@code $XDG_STATE_HOME/aiobench}, by default
 * {@code ~/.local/state/aiobench}; the system property {@code aiobench.state} overrides it): it survives between
 * runs and reboots (unlike /tmp), it belongs to the harness rather than to any directory the user names (a record
 * inside the scratch directory would travel with a copy of it), and it is per user, so no one else can register a
 * directory for this user's runs to delete.
 */
public final class Scratch {
    private Scratch() {}

    private static final String XATTR = "aiobench";
    /** What a mark holds: this prefix, then the token. Marks of older versions (without a token) prove nothing. */
    private static final String MARK_PREFIX = "aiobench-owner-v2:";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * aiobench's entry for one directory it created.
     *
     * @param path       the directory's real path when created (or renamed by aiobench)
     * @param device     "major:minor" of its filesystem
     * @param inode      its inode number
     * @param birthTime  statx birth time "sec.nsec", or null where the filesystem does not report one
     * @param created    when aiobench created it
     * @param companions files that go with it (a tree's manifest): real path to inode
     */
    record Entry(String path, String device, long inode, String birthTime, String created,
                 Map<String, Long> companions) {}

    /** Where aiobench records the directories it created (see the class comment for why there). */
    public static Path recordDir() {
        String p = System.getProperty("aiobench.state");
        if (p != null && !p.isBlank()) return Path.of(p).toAbsolutePath();
        String xdg = System.getenv("XDG_STATE_HOME");
        Path base = xdg != null && xdg.startsWith("/") ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("aiobench");
    }

    // ---- creating -------------------------------------------------------------------------------------------

    /**
     * Creates {@code dir} (its missing parents too, unmarked), marks it and records it as aiobench's. It must not
     * exist.
     *
     * @throws CopyException (bad input) when it cannot be created or recorded, naming the errno
     */
    public static void createOwned(Path dir) {
        createOwned(dir, dir);
    }

    /** {@link #createOwned(Path)}, naming {@code shownAs} in messages (a tree generated under a temporary name). */
    static void createOwned(Path dir, Path shownAs) {
        Path abs = dir.toAbsolutePath().normalize();
        if (abs.getParent() == null) throw CopyException.badInput("cannot create " + dir + ": it is the root directory");
        makeDirectories(abs.getParent(), shownAs);
        mkdir(abs, shownAs, true);
        try {
            String token = HexFormat.of().formatHex(randomBytes());
            mark(abs, token);
            Identity id = Identity.of(abs);
            writeEntry(token, new Entry(realPath(abs).toString(), id.device(), id.inode(), id.birthTime(),
                    Instant.now().toString(), new LinkedHashMap<>()));
        } catch (RuntimeException e) {
            try {
                Files.deleteIfExists(sidecar(abs));
                Files.deleteIfExists(abs);
            } catch (IOException ignored) {
                // the empty directory stays; it is not recorded, so it is never taken for aiobench's
            }
            throw e;
        }
    }

    /**
     * Marks and records as aiobench's the directory {@code dir} that a peer program run by aiobench just made at a
     * path aiobench saw empty before it started the peer ({@code copy --peer}: the peer's contract is that its
     * destination does not exist beforehand, so aiobench cannot create it first). A link or anything but a directory
     * is left as it is and refused.
     *
     * @throws CopyException (bad input) when it is not a directory or cannot be recorded
     */
    public static void adoptOwned(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS)) {
            throw CopyException.badInput(dir + " is not a directory (a link, a file or nothing); left as it is");
        }
        String token = HexFormat.of().formatHex(randomBytes());
        mark(abs, token);
        Identity id = Identity.of(abs);
        writeEntry(token, new Entry(realPath(abs).toString(), id.device(), id.inode(), id.birthTime(),
                Instant.now().toString(), new LinkedHashMap<>()));
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return b;
    }

    /** The missing directories of {@code abs} (something that exists is left to mkdir's own error, e.g. ENOTDIR). */
    private static void makeDirectories(Path abs, Path shownAs) {
        if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(abs)) return;
        if (abs.getParent() != null) makeDirectories(abs.getParent(), shownAs);
        mkdir(abs, shownAs, false);
    }

    /** mkdir(2) of {@code abs}; a failure is bad input naming the errno and the filesystem (e.g. proc). */
    private static void mkdir(Path abs, Path shownAs, boolean target) {
        int r;
        try (Arena a = Arena.ofConfined()) {
            r = Libc.mkdir(a.allocateFrom(abs.toString()), 0755);
        }
        if (r == 0) return;
        String fs = "";
        try {
            Path existing = abs.getParent();
            while (existing != null && !Files.exists(existing)) existing = existing.getParent();
            if (existing != null) fs = " (filesystem type " + Files.getFileStore(existing).type() + ")";
        } catch (IOException | RuntimeException ignored) {
            // no filesystem type to name
        }
        throw CopyException.badInput("cannot create " + (target ? shownAs : abs + " (for " + shownAs + ")") + ": "
                + Errno.describe(-r) + fs);
    }

    private static void mark(Path abs, String token) {
        byte[] mark = (MARK_PREFIX + token).getBytes(StandardCharsets.US_ASCII);
        UserDefinedFileAttributeView v = Files.getFileAttributeView(abs, UserDefinedFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (v != null) {
            try {
                v.write(XATTR, ByteBuffer.wrap(mark));
                return;
            } catch (IOException | UnsupportedOperationException noXattr) {
                // fall through to the sidecar
            }
        }
        try {
            Files.write(sidecar(abs), mark);
        } catch (IOException e) {
            throw CopyException.badInput("cannot mark " + abs + " as aiobench's (no user xattrs, and the sidecar "
                    + sidecar(abs) + " cannot be written: " + e.getMessage() + ")");
        }
    }

    /**
     * Renames aiobench's directory {@code from} to {@code to} (which must not exist) and updates its record: how a
     * tree generated under a temporary name becomes the tree.
     */
    public static void renameOwned(Path from, Path to) {
        String token = provenToken(from);
        Path src = from.toAbsolutePath().normalize();
        Path dst = to.toAbsolutePath().normalize();
        // rename(2) would replace an empty directory made there meanwhile
        if (Files.exists(dst, LinkOption.NOFOLLOW_LINKS)) throw CopyException.badInput(to + " appeared meanwhile; not replacing it");
        try {
            Files.move(src, dst, StandardCopyOption.ATOMIC_MOVE);
            if (Files.exists(sidecar(src), LinkOption.NOFOLLOW_LINKS)) {
                Files.move(sidecar(src), sidecar(dst), StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rename " + from + " to " + to + ": " + e.getMessage(), e);
        }
        Entry e = readEntry(token);
        writeEntry(token, new Entry(realPath(dst).toString(), e.device(), e.inode(), e.birthTime(), e.created(),
                e.companions()));
    }

    /** Records {@code file} (e.g. a tree's manifest) as belonging with aiobench's directory {@code dir}. */
    public static void addCompanion(Path dir, Path file) {
        String token = provenToken(dir);
        Entry e = readEntry(token);
        Map<String, Long> c = new LinkedHashMap<>(e.companions());
        c.put(realPath(file).toString(), Identity.of(file).inode());
        writeEntry(token, new Entry(e.path(), e.device(), e.inode(), e.birthTime(), e.created(), c));
    }

    /** Whether {@code file} is the very file recorded as belonging with aiobench's directory {@code dir}. */
    public static boolean ownsCompanion(Path dir, Path file) {
        if (!isOwned(dir) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) return false;
        Entry e = findEntry(readMark(dir.toAbsolutePath().normalize()).substring(MARK_PREFIX.length()));
        Long inode = e == null ? null : e.companions().get(realPath(file).toString());
        return inode != null && inode == Identity.of(file).inode();
    }

    /**
     * Deletes {@code file} if it is the very file recorded with a directory of aiobench's that no longer exists (a
     * manifest left when its tree was deleted by hand), with that record; false when it is not such a file.
     */
    public static boolean deleteOrphanedCompanion(Path file) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) return false;
        String real = realPath(file).toString();
        long inode = Identity.of(file).inode();
        try (var entries = Files.newDirectoryStream(recordDir().resolve("owned"), "*.json")) {
            for (Path f : entries) {
                String token = f.getFileName().toString().replace(".json", "");
                Entry e = findEntry(token);
                if (e == null || !Long.valueOf(inode).equals(e.companions().get(real))) continue;
                if (Files.exists(Path.of(e.path()), LinkOption.NOFOLLOW_LINKS)) return false; // its directory is still there
                Files.delete(file);
                Files.deleteIfExists(f);
                return true;
            }
        } catch (IOException e) {
            return false; // no record to prove it by
        }
        return false;
    }

    /**
     * Records what aiobench makes (or made) inside its directory {@code dir}: the entries of
     * {@link DirectoryListing#entries} (kind and relative path, as bytes), kept beside its record as
     * {@code TOKEN.made}, NUL-separated. Replacing the directory later deletes it only when it holds nothing else
     * ({@link #unexpected}): a file the user put in an earlier copy is never deleted with it.
     */
    public static void recordMade(Path dir, List<byte[]> made) {
        String token = provenToken(dir);
        Path f = madeFile(token);
        try {
            Files.createDirectories(f.getParent());
            Path tmp = f.resolveSibling(token + ".made.tmp");
            try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp))) {
                for (byte[] e : made) {
                    out.write(e);
                    out.write(0);
                }
            }
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException ex) {
            throw CopyException.badInput("cannot write aiobench's record of what it created (" + f + "): "
                    + ex.getMessage() + "; set XDG_STATE_HOME to a writable directory");
        }
    }

    /** Records as made in {@code dir} every entry it holds now (a peer's copy, just made in a directory it created). */
    public static void recordContents(Path dir) {
        recordMade(dir, DirectoryListing.entries(dir.toAbsolutePath().normalize(), true,
                (what, errno) -> CopyException.badInput(what + ": " + Errno.describe(errno))));
    }

    /**
     * What aiobench's directory {@code dir} holds that its record does not say aiobench made there, as relative
     * paths for messages (at most {@code max}, then "... and N more"); empty when nothing, or when the record does
     * not list what was made (directories recorded before it did: a tree, the scratch directories).
     */
    /** The O_DIRECT probe's file in a destination (CopyPlan), aiobench's own wherever a killed run left it. */
    public static final String PROBE = ".aiobench-odirect-probe";
    private static final byte[] PROBE_NAME = PROBE.getBytes(java.nio.charset.StandardCharsets.UTF_8);

    public static List<String> unexpected(Path dir, int max) {
        Path abs = dir.toAbsolutePath().normalize();
        String mark = readMark(abs);
        if (mark == null || !mark.startsWith(MARK_PREFIX)) return List.of();
        Path f = madeFile(mark.substring(MARK_PREFIX.length()));
        if (!Files.isRegularFile(f)) return List.of();
        java.util.Set<java.nio.ByteBuffer> made = new java.util.HashSet<>();
        try {
            byte[] all = Files.readAllBytes(f);
            int from = 0;
            for (int i = 0; i < all.length; i++) {
                if (all[i] == 0) {
                    made.add(ByteBuffer.wrap(java.util.Arrays.copyOfRange(all, from, i)));
                    from = i + 1;
                }
            }
        } catch (IOException e) {
            return List.of("(aiobench's record of what it made, " + f + ", cannot be read: " + e.getMessage() + ")");
        }
        List<String> extra = new java.util.ArrayList<>();
        int count = 0;
        for (byte[] e : DirectoryListing.entries(abs, true,
                (what, errno) -> CopyException.badInput(what + ": " + Errno.describe(errno)))) {
            if (made.contains(ByteBuffer.wrap(e))) continue;
            // aiobench's own O_DIRECT probe, left where a run was killed in the middle of probing: ours
            if (java.util.Arrays.equals(java.util.Arrays.copyOfRange(e, 2, e.length), PROBE_NAME)) continue;
            // a directory the copy made may hold what it did not make: its path is listed as the user's entry's
            if (count++ < max) {
                String kind = switch (e[0]) {
                    case 'd' -> "/";
                    case 'l' -> " (a link)";
                    case 's' -> " (a special file)";
                    default -> "";
                };
                extra.add(Names.display(java.util.Arrays.copyOfRange(e, 2, e.length)) + kind);
            }
        }
        if (count > max) extra.add("... and " + (count - max) + " more");
        return extra;
    }

    // ---- proving --------------------------------------------------------------------------------------------

    /** Whether {@code dir} is a directory (not a link) that aiobench created, proven by its mark and its record. */
    public static boolean isOwned(Path dir) {
        return whyNotOwned(dir) == null;
    }

    /** Null when aiobench can prove it created {@code dir}; otherwise why not, for messages. */
    public static String whyNotOwned(Path dir) {
        if (Files.isSymbolicLink(dir)) return "it is a symbolic link";
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return "it does not exist";
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return "it is not a directory";
        Path abs = dir.toAbsolutePath().normalize();
        String mark = readMark(abs);
        if (mark == null) return "it carries no aiobench mark";
        if (mark.isEmpty()) return "its mark (" + sidecar(abs).getFileName() + " beside it) is empty: anyone can make one";
        String token = tokenOf(mark);
        if (token == null) {
            return "its mark is an older aiobench's or not aiobench's, and proves nothing; delete it yourself if it"
                    + " is not needed";
        }
        Entry e = findEntry(token);
        if (e == null) {
            return "its mark is not in aiobench's record of what it created (" + recordDir() + "): a copy of one of"
                    + " aiobench's directories (cp -a keeps the mark), or one made by another user";
        }
        String real = realPath(abs).toString();
        if (!real.equals(e.path())) {
            return "it is a copy or a move of " + e.path() + ", which aiobench created (cp -a keeps the mark)";
        }
        Identity id = Identity.of(abs);
        if (!id.device().equals(e.device()) || id.inode() != e.inode()
                || e.birthTime() != null && !e.birthTime().equals(id.birthTime())) {
            return "it is not the directory aiobench created at this path (another device, inode or birth time:"
                    + " a copy put in its place)";
        }
        return null;
    }

    /** The token of a mark aiobench writes ({@code MARK_PREFIX} and 32 hex digits), or null for any other mark. */
    private static String tokenOf(String mark) {
        if (!mark.startsWith(MARK_PREFIX)) return null;
        String token = mark.substring(MARK_PREFIX.length());
        return token.matches("[0-9a-f]{32}") ? token : null;
    }

    private static String provenToken(Path dir) {
        String why = whyNotOwned(dir);
        if (why != null) throw CopyException.badInput(dir + " was not created by aiobench (" + why + ")");
        String mark = readMark(dir.toAbsolutePath().normalize());
        return mark.substring(MARK_PREFIX.length());
    }

    private static String readMark(Path abs) {
        UserDefinedFileAttributeView v = Files.getFileAttributeView(abs, UserDefinedFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (v != null) {
            try {
                if (v.list().contains(XATTR)) {
                    ByteBuffer b = ByteBuffer.allocate(Math.min(v.size(XATTR), 256));
                    v.read(XATTR, b);
                    b.flip();
                    return StandardCharsets.US_ASCII.decode(b).toString();
                }
            } catch (IOException | UnsupportedOperationException ignored) {
                // no xattrs here: the sidecar decides
            }
        }
        Path s = sidecar(abs);
        if (!Files.isRegularFile(s, LinkOption.NOFOLLOW_LINKS)) return null;
        try {
            if (Files.size(s) > 256) return "";
            return Files.readString(s, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "";
        }
    }

    private static Path sidecar(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        return abs.resolveSibling("." + abs.getFileName() + ".aiobench");
    }

    /** The path with its parent's symbolic links resolved (the last component itself is not followed). */
    private static Path realPath(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        if (abs.getParent() == null) return abs;
        try {
            return abs.getParent().toRealPath().resolve(abs.getFileName());
        } catch (IOException e) {
            return abs;
        }
    }

    // ---- deleting -------------------------------------------------------------------------------------------

    /**
     * Removes {@code dir} when it is what {@link #createOwned} leaves if the process is killed between its mkdir and
     * its record: an empty directory, unmarked or with a mark not in the record, inside a directory that is provably
     * aiobench's. Removing an empty directory loses nothing (rmdir refuses one that is not empty); without this a run
     * killed at that moment could not be resumed until the user removed it by hand.
     */
    private static boolean removedOrphan(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        if (abs.getParent() == null || !isOwned(abs.getParent()) || !Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        String mark = readMark(abs);
        String token = mark == null ? null : tokenOf(mark);
        if (mark != null && (token == null || findEntry(token) != null)) return false; // not what a kill leaves
        try (var entries = Files.newDirectoryStream(abs)) {
            if (entries.iterator().hasNext()) return false;
        } catch (IOException e) {
            return false;
        }
        try {
            Files.deleteIfExists(sidecar(abs));
            Files.delete(abs);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Deletes {@code dir} and everything under it, never following links, and the files recorded with it (a tree's
     * manifest), if and only if aiobench can prove it created it. Does nothing when it does not exist.
     *
     * @throws CopyException (bad input) when it exists and is not provably aiobench's, saying why
     */
    public static void deleteOwned(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
        String why = whyNotOwned(dir);
        if (why != null && removedOrphan(dir)) return;
        if (why != null) {
            throw CopyException.badInput(dir + " exists and was not created by aiobench (" + why
                    + "); refusing to delete or overwrite it");
        }
        List<String> extra = unexpected(dir, 5);
        if (!extra.isEmpty()) throw CopyException.badInput(notOnlyOurs(dir, extra));
        Path abs = dir.toAbsolutePath().normalize();
        String token = readMark(abs).substring(MARK_PREFIX.length());
        Entry entry = readEntry(token);
        try {
            deleteTree(abs);
            for (Map.Entry<String, Long> c : entry.companions().entrySet()) {
                Path f = Path.of(c.getKey());
                // only the very file aiobench recorded: one put in its place later is left alone
                if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) && Identity.of(f).inode() == c.getValue()) {
                    Files.delete(f);
                }
            }
            Files.deleteIfExists(sidecar(abs));
            Files.deleteIfExists(madeFile(token));
            Files.deleteIfExists(entryFile(token));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Deletes {@code dir} and everything under it, never following links; a read-only directory (a copied 0555 one)
     * is made writable first. No ownership check: callers prove it, or made it themselves.
     */
    static void deleteTree(Path dir) throws IOException {
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
    }

    // ---- the record -----------------------------------------------------------------------------------------

    private static Path entryFile(String token) {
        return recordDir().resolve("owned").resolve(token + ".json");
    }

    private static Path madeFile(String token) {
        return recordDir().resolve("owned").resolve(token + ".made");
    }

    /** The refusal of a directory of aiobench's that holds what aiobench did not make in it. */
    public static String notOnlyOurs(Path dir, List<String> extra) {
        return dir + " was made by aiobench, but holds what aiobench did not make there: " + String.join(", ", extra)
                + "; refusing to replace it (move those out, or delete " + dir + " yourself)";
    }

    private static Entry findEntry(String token) {
        Path f = entryFile(token);
        if (!Files.isRegularFile(f)) return null;
        try {
            return JSON.readValue(f.toFile(), Entry.class);
        } catch (IOException e) {
            return null; // a damaged entry proves nothing
        }
    }

    private static Entry readEntry(String token) {
        Entry e = findEntry(token);
        if (e == null) throw CopyException.badInput("aiobench's record " + entryFile(token) + " is missing or damaged");
        return e;
    }

    private static void writeEntry(String token, Entry e) {
        Path f = entryFile(token);
        try {
            Files.createDirectories(f.getParent());
            Path tmp = f.resolveSibling(token + ".tmp");
            JSON.writeValue(tmp.toFile(), e);
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException ex) {
            throw CopyException.badInput("cannot write aiobench's record of what it created (" + f + "): "
                    + ex.getMessage() + "; set XDG_STATE_HOME to a writable directory");
        }
    }

    /** What identifies a directory beyond its path: statx device, inode and birth time. */
    record Identity(String device, long inode, String birthTime) {
        static Identity of(Path p) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment b = a.allocate(Linux.STATX_SIZE, 8);
                int r = Libc.statx(Linux.AT_FDCWD, a.allocateFrom(p.toAbsolutePath().toString()),
                        Linux.AT_SYMLINK_NOFOLLOW, Linux.STATX_BASIC_STATS | Linux.STATX_BTIME, b);
                if (r < 0) throw new UncheckedIOException(new IOException("statx " + p + ": " + Errno.describe(-r)));
                boolean btime = (b.get(JAVA_INT, Linux.STX_MASK) & Linux.STATX_BTIME) != 0;
                return new Identity(b.get(JAVA_INT, Linux.STX_DEV_MAJOR) + ":" + b.get(JAVA_INT, Linux.STX_DEV_MINOR),
                        b.get(JAVA_LONG, Linux.STX_INO),
                        btime ? b.get(JAVA_LONG, Linux.STX_BTIME) + "." + b.get(JAVA_INT, Linux.STX_BTIME + 8) : null);
            }
        }
    }
}
