package org.aiobench.benchmarks.plan;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.List;

import org.aiobench.benchmarks.ScratchLayout;
import org.aiobench.engines.nat.Libc;
import org.aiobench.engines.nat.Linux;
import org.aiobench.engines.nat.NativeException;
import org.aiobench.workloads.CacheControl;
import org.aiobench.workloads.Manifest;
import org.aiobench.workloads.Sizes;

/**
 * What a run checks before it starts: free space on the scratch filesystem for the trees and one copy, O_DIRECT
 * there, how cold copies are prepared and whether GNU cp is there.
 *
 * @param directIo    null if O_DIRECT works on the scratch filesystem, else why not
 * @param cacheDrop   how the cold cache is prepared: the source's pages evicted exactly, or drop_caches on request
 * @param cpVersion   GNU cp's first --version line, or null if there is no cp
 * @param freeBytes   usable bytes on the scratch filesystem
 * @param neededBytes bytes the run needs there (trees and random-I/O targets not yet made + the largest copy + 2%
 *                    slack)
 */
public record Preflight(String directIo, String cacheDrop, String cpVersion, long freeBytes, long neededBytes) {

    public static Preflight check(Path scratch, Collection<Matrix.Tree> trees) throws IOException {
        return check(scratch, trees, 0);
    }

    /** @param otherBytes what else the run will write there first (the random-I/O targets not yet laid out) */
    public static Preflight check(Path scratch, Collection<Matrix.Tree> trees, long otherBytes) throws IOException {
        long missing = 0;
        long largest = 0;
        for (Matrix.Tree t : trees) {
            Path tree = ScratchLayout.tree(scratch, t.files(), t.fileSize());
            if (!Files.exists(Manifest.pathFor(tree))) missing += t.bytes();
            largest = Math.max(largest, t.bytes());
        }
        long needed = (long) ((missing + largest + otherBytes) * 1.02) + (64L << 20);
        long free = Files.getFileStore(scratch).getUsableSpace();
        String cp = Host.run(scratch, List.of("cp", "--version"));
        return new Preflight(probeDirectIo(scratch), probeCacheDrop(), cp == null ? null : cp.lines().findFirst().orElse(cp),
                free, needed);
    }

    public boolean enoughSpace() { return freeBytes >= neededBytes; }

    public String spaceMessage(Path scratch) {
        return "scratch " + scratch + " has " + Sizes.format(freeBytes / (1 << 20) * (1 << 20)) + " free; this matrix needs "
                + Sizes.format((neededBytes + (1 << 20) - 1) / (1 << 20) * (1 << 20))
                + " (its source trees not generated yet plus one copy of the largest). Free space, pick a smaller"
                + " matrix (--quick, --suite) or another --dir";
    }

    /** Writes and reads back one aligned block with O_DIRECT in the scratch directory. */
    static String probeDirectIo(Path scratch) {
        Path probe = scratch.resolve(".odirect-probe");
        int block = Linux.BUFFER_ALIGN;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(block, block);
            int fd = Libc.open(probe.toString(), Linux.O_RDWR | Linux.O_CREAT | Linux.O_TRUNC | Linux.O_DIRECT, 0600);
            try {
                Libc.check(Libc.pwrite(fd, buf, block, 0), "pwrite", probe.toString());
                Libc.check(Libc.pread(fd, buf, block, 0), "pread", probe.toString());
            } finally {
                Libc.closeChecked(fd, probe.toString());
            }
            return null;
        } catch (NativeException e) {
            return "O_DIRECT does not work on the scratch filesystem (" + e.getMessage() + ")";
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException ignored) {
                // the probe file stays in the scratch directory; harmless
            }
        }
    }

    /** The lock file by which JMH keeps two benchmark runs from running at once. */
    public static final Path JMH_LOCK = Path.of(System.getProperty("java.io.tmpdir"), "jmh.lock");

    /** Whether another JMH run holds {@link #JMH_LOCK} (JMH itself would refuse every benchmark). */
    public static boolean jmhLockHeld() {
        if (Boolean.getBoolean("jmh.ignoreLock") || !Files.exists(JMH_LOCK)) return false;
        try (FileChannel ch = FileChannel.open(JMH_LOCK, StandardOpenOption.WRITE)) {
            FileLock lock = ch.tryLock();
            if (lock == null) return true;
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static String probeCacheDrop() {
        return CacheControl.coldMethod();
    }
}
