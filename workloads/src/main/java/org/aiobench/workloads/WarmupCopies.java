package org.aiobench.workloads;

/**
 * How many untimed copies come before a timed one, so that the timed copy measures what a user thinks: the copy, not
 * the JVM's interpreter. The benchmarks (CopySpec.warmupsFor, per configuration) and the one-shot {@code copy}
 * command both ask here.
 *
 * <p>Measured with -XX:+PrintCompilation on this harness (JDK 25, io_uring and sync, 128 x 32K and 128 x 1M): the
 * per-pair methods (RecursiveCopy.fill and complete, Slot.complete, the engine's queue and reap) reach C2 after about
 * 5,000 read->write pairs (the 32K tree, 128 pairs a copy, got there in its 38th copy; the 1M tree, 1,024 pairs, in
 * its 6th). A copy of a small tree in a fresh JVM runs mostly in the interpreter: 71 to 81 ms for 128 x 32K through
 * {@code copy}, 35 to 46 ms for the same copies inside JMH after warm-up.
 */
public final class WarmupCopies {
    private WarmupCopies() {}

    /** Read->write pairs the JIT must have seen before the copy loop runs compiled code. */
    public static final int WARM_PAIRS = 6000;
    /**
     * Read->write pairs before an O_DIRECT copy reaches its steady time. Every pair waits on the device, so the code
     * that runs between the waits is a small part of the copy even before C2 has compiled it. Measured on a 2-core VM
     * (JDK 25, one fork each, copies in order): sync 128 x 32K direct 112, 79, 70, 60, 59, 54 ms (steady from about
     * the 5th copy, 640 pairs); io_uring 128 x 32K direct 87, 35, 31, 29 ms; io_uring 128 x 1M direct 343, 287, 326,
     * 274 ms (steady from the 2nd, 1,024 pairs), where a buffered copy needs 6,000 pairs.
     */
    public static final int WARM_PAIRS_DIRECT = 768;
    /** The most warm-up copies a configuration gets (the 32K tree needs 47). */
    public static final int MAX_WARMUPS = 50;
    /**
     * An external program (cp, a peer): one copy loads its program into the page cache, one more runs the JVM's spawn
     * path compiled.
     */
    public static final int EXTERNAL = 2;

    /** Read->write pairs of one copy of {@code files} files of {@code fileSize} bytes in {@code bufferSize} chunks. */
    public static long pairsPerCopy(long files, long fileSize, long bufferSize) {
        long chunksPerFile = Math.max(1, (fileSize + bufferSize - 1) / bufferSize);
        return Math.max(1, files * chunksPerFile);
    }

    /**
     * An engine's copy of this tree in a benchmark fork: enough copies for {@link #WARM_PAIRS} pairs
     * ({@link #WARM_PAIRS_DIRECT} with O_DIRECT), at least 1 and at most {@link #MAX_WARMUPS}: buffered 47 for
     * 128 x 32K, 6 for 128 x 1M, 12 for 8 x 8M, 1 for 128 x 100M; O_DIRECT 6 for 128 x 32K, 1 for 128 x 1M.
     */
    public static int forEngine(long files, long fileSize, long bufferSize, boolean direct) {
        long pairs = pairsPerCopy(files, fileSize, bufferSize);
        long target = direct ? WARM_PAIRS_DIRECT : WARM_PAIRS;
        return (int) Math.max(1, Math.min(MAX_WARMUPS, (target + pairs - 1) / pairs));
    }

    /**
     * The one-shot {@code copy}'s default: as a benchmark fork for a small tree (one copy under {@link #WARM_PAIRS}
     * pairs, where the interpreter is most of the time), none for a larger one, which reaches compiled code within its
     * first {@link #WARM_PAIRS} pairs ({@link #WARM_PAIRS_DIRECT} with O_DIRECT) and which another copy would double
     * in time. {@code files} and {@code bytes} are the source's (from the preflight walk); its mean file size stands
     * for every file's.
     */
    public static int forOneShot(long files, long bytes, long bufferSize, boolean direct, boolean external) {
        long meanSize = files == 0 ? 0 : (bytes + files - 1) / files;
        if (pairsPerCopy(Math.max(1, files), meanSize, bufferSize) >= (direct ? WARM_PAIRS_DIRECT : WARM_PAIRS)) return 0;
        return external ? EXTERNAL : forEngine(Math.max(1, files), meanSize, bufferSize, direct);
    }
}
