package org.aiobench.benchmarks.run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.List;

import com.sun.nio.file.ExtendedOpenOption;
import org.aiobench.benchmarks.ScratchLayout;
import org.aiobench.workloads.Manifest;
import org.aiobench.workloads.Sizes;

/**
 * What a run checks before it starts: free space on the scratch filesystem for the trees and one copy, O_DIRECT
 * there, whether the page cache can be dropped (root) and whether GNU cp is there.
 *
 * @param directIo    null if O_DIRECT works on the scratch filesystem, else why not
 * @param cacheDrop   how the cold cache is prepared: drop_caches (root) or the fadvise fallback
 * @param cpVersion   GNU cp's first --version line, or null if there is no cp
 * @param freeBytes   usable bytes on the scratch filesystem
 * @param neededBytes bytes the run needs there (trees not yet generated + the largest copy + 2% slack)
 */
record Preflight(String directIo, String cacheDrop, String cpVersion, long freeBytes, long neededBytes) {

    static Preflight check(Path scratch, Collection<Matrix.Tree> trees) throws IOException {
        long missing = 0;
        long largest = 0;
        for (Matrix.Tree t : trees) {
            Path tree = ScratchLayout.tree(scratch, t.files(), t.fileSize());
            if (!Files.exists(Manifest.pathFor(tree))) missing += t.bytes();
            largest = Math.max(largest, t.bytes());
        }
        long needed = (long) ((missing + largest) * 1.02) + (64L << 20);
        long free = Files.getFileStore(scratch).getUsableSpace();
        String cp = Environment.run(scratch, List.of("cp", "--version"));
        return new Preflight(probeDirectIo(scratch), probeCacheDrop(), cp == null ? null : cp.lines().findFirst().orElse(cp),
                free, needed);
    }

    boolean enoughSpace() { return freeBytes >= neededBytes; }

    String spaceMessage(Path scratch) {
        return "scratch " + scratch + " has " + Sizes.format(freeBytes / (1 << 20) * (1 << 20)) + " free; this matrix needs "
                + Sizes.format((neededBytes + (1 << 20) - 1) / (1 << 20) * (1 << 20))
                + " (its source trees not generated yet plus one copy of the largest). Free space, pick a smaller"
                + " matrix (--quick, --suite) or another --dir";
    }

    /** Writes and reads one aligned block with O_DIRECT in the scratch directory. */
    static String probeDirectIo(Path scratch) {
        Path probe = scratch.resolve(".odirect-probe");
        try {
            ByteBuffer buf = ByteBuffer.allocateDirect(2 * 4096).alignedSlice(4096);
            buf.limit(4096);
            try (FileChannel ch = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ, ExtendedOpenOption.DIRECT)) {
                ch.write(buf, 0);
                buf.clear().limit(4096);
                ch.read(buf, 0);
            }
            return null;
        } catch (IOException | UnsupportedOperationException e) {
            return "O_DIRECT does not work on the scratch filesystem (" + e + ")";
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException ignored) {
                // the probe file is left in the scratch directory; harmless
            }
        }
    }

    static String probeCacheDrop() {
        return Files.isWritable(Path.of("/proc/sys/vm/drop_caches"))
                ? "drop_caches (root): cold copies start with an empty page cache"
                : "fadvise DONTNEED fallback (not root, /proc/sys/vm/drop_caches not writable): cold copies drop"
                  + " only the source tree's pages";
    }
}
