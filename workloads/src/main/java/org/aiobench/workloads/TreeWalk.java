package org.aiobench.workloads;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.aiobench.engines.nat.CName;
import org.aiobench.engines.nat.Errno;
import org.aiobench.engines.nat.Libc;
import org.aiobench.engines.nat.Linux;
import org.aiobench.engines.nat.Statx;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * The copy's walk of the source, breadth-first as in the report, with names as bytes and every call relative to a
 * directory descriptor (openat, mkdirat, symlinkat, readlinkat, fchmodat), as cp's fts does: any name the kernel
 * accepts is copied, whatever the locale. A directory's entries are read (getdents64, in byte order) when the copy
 * wants its next file; subdirectories are created and symbolic links recreated as they are reached, regular files
 * handed out one by one ({@link #next}, opened with {@link #openSource} and {@link #createCopy} in the directory
 * being read), special files (fifos, sockets, devices) noted and skipped. Directory modes are applied at the end
 * ({@link #applyDirectoryModes()}), deepest first, so a read-only directory is filled before it becomes read-only.
 *
 * <p>Part of the timed copy, so it allocates per entry only the name's bytes (and a node per directory); its
 * buffers are allocated once, when the plan is prepared. One walk at a time: {@link #start} to {@link #close}.
 * The preparation's check of the source is {@link CopyPlan}'s.
 */
final class TreeWalk implements AutoCloseable {
    /** Where the two trees are, for messages. */
    private record Roots(String source, String copy) {}

    /**
     * A directory of the source and of its copy: its place (parent and name) and the source's mode and owner. Its
     * paths are built only for messages.
     */
    static final class Directory {
        final Directory parent;
        final byte[] name;
        private final Roots roots;
        int mode;
        int uid;
        int gid;
        /** Its index among the directories created (the order of {@link TreeWalk#directories()}). */
        final int index;
        /** Its descriptors while it is read, and after that while requests in flight use them ({@link #users}). */
        int srcFd = -1;
        int dstFd = -1;
        /** Requests in flight (through the ring) that name a file relative to its descriptors. */
        int users;
        /** The walk has moved on: its descriptors close when the last user releases it. */
        boolean left;
        /** Its creation in the copy: 0 done, {@link #CREATING} while a ring's mkdirat is in flight, or -errno. */
        int created;

        Directory(Directory parent, byte[] name, Roots roots, int index) {
            this.parent = parent;
            this.name = name;
            this.roots = roots;
            this.index = index;
        }

        /** The source's entry {@code entry} in this directory, for messages. */
        String source(byte[] entry) { return Names.display(shown(roots.source()), entry); }

        /** The copy's entry {@code entry} in this directory, for messages. */
        String copy(byte[] entry) { return Names.display(shown(roots.copy()), entry); }

        String shown(String root) {
            return parent == null ? root : Names.display(parent.shown(root), name);
        }
    }

    /** A mkdirat not yet completed (a ring's). */
    static final int CREATING = Integer.MIN_VALUE;

    /**
     * Who creates the copy's subdirectories when it is not the walk itself with mkdirat(2): the copy that sends them
     * through the ring ({@code metadata=ring}). The walk retains the parent for the request and waits, before it
     * reads a directory, until its creation completed.
     */
    interface Mkdirs {
        /** Queues the creation of {@code child} (mode 0700) in {@code parent}'s copy; its completion sets {@code created}. */
        void mkdir(Directory parent, Directory child);

        /** Returns when {@code d}'s creation has completed (handling other completions meanwhile). */
        void await(Directory d);
    }

    private static final int DIRECTORY = Linux.O_DIRECTORY | Linux.O_NOFOLLOW | Linux.O_CLOEXEC;
    /** What statx reports of sources: type, mode, size, links, owner, blocks, mtime. */
    static final int STAT_MASK = Linux.STATX_BASIC_STATS;

    private final Roots roots;
    private final byte[] sourceRoot;
    private final byte[] copyRoot;
    private final DirectoryListing listing;
    private final CName name;
    private final CName path;
    private final Statx statx;
    /** A link's target, with room for its NUL. */
    private final MemorySegment linkTarget;
    private final ArrayDeque<Directory> directoriesToRead = new ArrayDeque<>();
    /** Every directory of the copy, in the order created (breadth-first): their modes go on in reverse. */
    private final List<Directory> created = new ArrayList<>();
    private final List<String> skippedSpecial = new ArrayList<>();
    private int srcRootFd = -1;
    private int dstRootFd = -1;
    private Directory current;
    private int srcFd = -1;
    private int dstFd = -1;
    private int nextFile;
    private int symlinks;
    private int setIdDropped;
    private int copyUid;
    private int copyGid;
    private int otherOwners;
    private boolean done;
    /** Null: the walk makes directories itself. */
    private Mkdirs mkdirs;

    /** A walk from {@code srcRoot}, whose copy is {@code dstRoot}; its buffers come from {@code arena}. */
    TreeWalk(Path srcRoot, Path dstRoot, Arena arena) {
        roots = new Roots(srcRoot.toString(), dstRoot.toString());
        sourceRoot = Names.bytes(srcRoot.toString());
        copyRoot = Names.bytes(dstRoot.toString());
        listing = new DirectoryListing(arena);
        name = new CName(arena);
        path = new CName(arena);
        statx = new Statx(arena);
        linkTarget = arena.allocate(Linux.PATH_MAX + 1);
    }

    /**
     * Starts a walk: opens both roots (the copy's exists, empty).
     *
     * @throws CopyException a root that cannot be opened
     */
    void start() {
        close();
        directoriesToRead.clear();
        created.clear();
        skippedSpecial.clear();
        listing.files.clear();
        nextFile = 0;
        symlinks = 0;
        setIdDropped = 0;
        otherOwners = 0;
        done = false;
        srcRootFd = Libc.openat(Linux.AT_FDCWD, name.of(sourceRoot), Linux.O_RDONLY | DIRECTORY, 0);
        if (srcRootFd < 0) throw failure("cannot open " + roots.source(), -srcRootFd);
        dstRootFd = Libc.openat(Linux.AT_FDCWD, name.of(copyRoot), Linux.O_RDONLY | DIRECTORY, 0);
        if (dstRootFd < 0) throw failure("cannot open " + roots.copy(), -dstRootFd);
        check(statx.of(dstRootFd, STAT_MASK), "cannot stat " + roots.copy());
        copyUid = statx.uid();
        copyGid = statx.gid();
        Directory root = new Directory(null, new byte[0], roots, 0);
        root.srcFd = srcRootFd;
        root.dstFd = dstRootFd;
        created.add(root);
        directoriesToRead.add(root);
    }

    /**
     * The next regular file's name, in the directory {@link #directory()}; null when the walk is done.
     *
     * @throws CopyException a directory that cannot be read, or an entry that cannot be made in the copy
     */
    byte[] next() {
        while (true) {
            if (nextFile < listing.files.size()) return listing.files.get(nextFile++);
            closeCurrent();
            Directory d = directoriesToRead.poll();
            if (d == null) {
                done = true;
                return null;
            }
            read(d);
        }
    }

    boolean done() { return done; }

    /** The directory of the name {@link #next} returned last. */
    Directory directory() { return current; }

    /** Subdirectories made by {@code m} instead of mkdirat(2), from the next {@link #start} on (null: by the walk). */
    void makeDirectoriesWith(Mkdirs m) {
        mkdirs = m;
    }

    /**
     * {@code d}'s descriptors stay open for a request in flight that names a file relative to them (the walk may move
     * on meanwhile); {@link #release} when it completed.
     */
    void retain(Directory d) {
        d.users++;
    }

    void release(Directory d) {
        if (--d.users == 0 && d.left) closeDirectory(d);
    }
    /** Opens the source's file {@code file} of the current directory (O_RDONLY, O_NOFOLLOW, and {@code flags}): fd or -errno. */
    int openSource(byte[] file, int flags) {
        int r;
        do {
            r = Libc.openat(srcFd, name.of(file), Linux.O_RDONLY | Linux.O_NOFOLLOW | Linux.O_CLOEXEC | flags, 0);
        } while (r == -Errno.EINTR);
        return r;
    }

    /** Creates the copy of {@code file} in the current directory's copy (new, 0600, write-only, and {@code flags}): fd or -errno. */
    int createCopy(byte[] file, int flags) {
        int r;
        do {
            r = Libc.openat(dstFd, name.of(file),
                    Linux.O_WRONLY | Linux.O_CREAT | Linux.O_EXCL | Linux.O_CLOEXEC | flags, 0600);
        } while (r == -Errno.EINTR);
        return r;
    }

    private void read(Directory d) {
        current = d;
        if (d.parent == null) {
            srcFd = srcRootFd;
            dstFd = dstRootFd;
        } else {
            if (mkdirs != null) mkdirs.await(d);
            if (d.created < 0) throw failure("cannot create " + d.shown(roots.copy()), -d.created);
            srcFd = openDirectory(srcRootFd, d, Linux.O_RDONLY | DIRECTORY);
            if (srcFd < 0) throw failure("cannot open the directory " + d.shown(roots.source()), -srcFd);
            d.srcFd = srcFd;
            dstFd = openDirectory(dstRootFd, d, Linux.O_PATH | DIRECTORY);
            if (dstFd < 0) throw failure("cannot open the directory " + d.shown(roots.copy()), -dstFd);
            d.dstFd = dstFd;
        }
        check(statx.of(srcFd, STAT_MASK), "cannot stat " + d.shown(roots.source()));
        d.mode = statx.permissions();
        d.uid = statx.uid();
        d.gid = statx.gid();
        if (d.uid != copyUid || d.gid != copyGid) otherOwners++;
        int r = listing.read(srcFd);
        if (r < 0) throw failure("cannot list " + d.shown(roots.source()), -r);
        nextFile = 0;
        for (byte[] sub : listing.directories) {
            Directory child = new Directory(d, sub, roots, created.size());
            if (mkdirs != null) {
                child.created = CREATING;
                mkdirs.mkdir(d, child); // its mode goes on at the end
            } else {
                int m = Libc.mkdirat(dstFd, name.of(sub), 0700); // its mode goes on at the end
                if (m < 0) throw failure("cannot create " + d.copy(sub), -m);
            }
            created.add(child);
            directoriesToRead.add(child);
        }
        for (byte[] link : listing.symlinks) {
            long n = Libc.readlinkat(srcFd, name.of(link), linkTarget);
            if (n < 0) throw failure("cannot read the link " + d.source(link), (int) -n);
            if (n >= linkTarget.byteSize()) throw failure("cannot read the link " + d.source(link), Errno.ENAMETOOLONG);
            linkTarget.set(JAVA_BYTE, n, (byte) 0);
            int s = Libc.symlinkat(linkTarget, dstFd, name.of(link));
            if (s < 0) throw failure("cannot create the link " + d.copy(link), -s);
            symlinks++;
        }
        for (DirectoryListing.Special s : listing.special) {
            skippedSpecial.add(d.source(s.name()) + " (" + s.kind() + ")");
        }
    }

    /**
     * Opens directory {@code d} of the tree under {@code rootFd}: by its path from the root, or, for a path longer
     * than PATH_MAX, one component at a time. fd or -errno.
     */
    private int openDirectory(int rootFd, Directory d, int flags) {
        if (relativePath(d)) return Libc.openat(rootFd, path.terminated(), flags, 0);
        int parentFd = d.parent.parent == null ? rootFd : openDirectory(rootFd, d.parent, Linux.O_PATH | DIRECTORY);
        if (parentFd < 0) return parentFd;
        int fd = Libc.openat(parentFd, name.of(d.name), flags, 0);
        if (parentFd != rootFd) Libc.close(parentFd);
        return fd;
    }

    /** Puts {@code d}'s path from the root in {@link #path} ("." for the root); false when it is too long. */
    private boolean relativePath(Directory d) {
        path.clear();
        return appendPath(d);
    }

    private boolean appendPath(Directory d) {
        if (d.parent == null) return true;
        return appendPath(d.parent) && path.append(d.name);
    }

    private void closeCurrent() {
        if (current != null) {
            current.left = true;
            if (current.users == 0) closeDirectory(current);
        }
        current = null;
        srcFd = -1;
        dstFd = -1;
    }

    /** Closes a directory's descriptors (the roots stay open until {@link #close}). */
    private static void closeDirectory(Directory d) {
        if (d.parent == null) return;
        if (d.srcFd >= 0) Libc.close(d.srcFd);
        if (d.dstFd >= 0) Libc.close(d.dstFd);
        d.srcFd = -1;
        d.dstFd = -1;
    }

    /** Gives every directory of the copy its source's mode (with {@link #modeOfCopy}'s exception), deepest first. */
    void applyDirectoryModes() {
        for (int i = created.size() - 1; i >= 0; i--) {
            Directory d = created.get(i);
            int r;
            if ((d.mode & (Linux.S_ISUID | Linux.S_ISGID)) == 0 && relativePath(d)) {
                r = Libc.fchmodat(dstRootFd, path.terminated(), d.mode); // the usual case: one call
            } else {
                int fd = openDirectory(dstRootFd, d, Linux.O_RDONLY | DIRECTORY);
                r = fd;
                if (fd >= 0) {
                    int mode = d.mode;
                    r = statx.of(fd, STAT_MASK);
                    if (r == 0) {
                        mode = modeOfCopy(d.mode, d.uid, d.gid, statx.uid(), statx.gid());
                        if (mode != d.mode) setIdDropped++;
                        r = Libc.fchmod(fd, mode);
                    }
                    Libc.close(fd);
                }
            }
            if (r < 0) throw failure("cannot set the mode of " + d.shown(roots.copy()), -r);
        }
    }

    /**
     * The mode a copy gets: the source's whole mode (permissions, setuid, setgid, sticky), except that setuid is left
     * off when the copy's owner is not the source's, and setgid when its group is not: aiobench does not chown, and a
     * setuid copy owned by someone else (root, say) would run with rights the source never had. GNU cp -p does the
     * same where it cannot keep the owner.
     */
    static int modeOfCopy(int sourceMode, int sourceUid, int sourceGid, int copyUid, int copyGid) {
        int mode = sourceMode & 07777;
        if (sourceUid != copyUid) mode &= ~Linux.S_ISUID;
        if (sourceGid != copyGid) mode &= ~Linux.S_ISGID;
        return mode;
    }

    /** Closes whatever the walk holds open (also after a failure): directories still retained too. */
    @Override
    public void close() {
        closeCurrent();
        for (Directory d : created) closeDirectory(d);
        if (srcRootFd >= 0) Libc.close(srcRootFd);
        if (dstRootFd >= 0) Libc.close(dstRootFd);
        srcRootFd = -1;
        dstRootFd = -1;
    }

    /** Directories created, the destination root included. */
    int directories() { return created.size(); }

    int symlinks() { return symlinks; }

    /** Directories whose setuid or setgid was left off (see {@link #modeOfCopy}). */
    int setIdDropped() { return setIdDropped; }

    /** Directories whose owner or group in the source is not the copy's. */
    int otherOwners() { return otherOwners; }

    /** The copy's owner and group (the destination root's). */
    int copyUid() { return copyUid; }

    int copyGid() { return copyGid; }

    List<String> skippedSpecial() { return List.copyOf(skippedSpecial); }

    private static void check(int r, String what) {
        if (r < 0) throw failure(what, -r);
    }

    private static CopyException failure(String what, int errno) {
        return new CopyException(what + ": " + Errno.describe(errno), false);
    }
}
