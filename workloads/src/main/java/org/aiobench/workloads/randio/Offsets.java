package org.aiobench.workloads.randio;

/**
 * Where a job's I/Os go. Random jobs: uniform over the target's {@code bs}-aligned blocks, with replacement (a
 * block may come again before every block came once; fio's {@code norandommap=1}, which the fio reference job sets
 * too), drawn from SplitMix64 seeded per job and mapped into range by a multiply-high (Lemire's method without the
 * rejection step: the bias is at most blocks / 2^64). Sequential jobs: block after block from offset 0, wrapping at the end.
 * randrw draws a second number per I/O to decide read or write ({@code rwmixread} percent reads).
 *
 * <p>Two longs of state and no allocation: it runs once per I/O in the hot loop.
 */
final class Offsets {
    private long state;
    private final long blocks;
    private final long bs;
    private final boolean random;
    private final int readPercent;
    private long next;

    Offsets(long seed, int job, long targetSize, int bs, Rw rw, int rwmixread) {
        this.state = seed ^ (0x9E3779B97F4A7C15L * (job + 1));
        this.blocks = targetSize / bs;
        this.bs = bs;
        this.random = rw.random();
        this.readPercent = rw == Rw.RANDRW ? rwmixread : rw.reads() ? 100 : 0;
        this.next = 0; // sequential jobs all start at offset 0, as fio's do (no offset_increment)
    }

    private long splitMix() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The byte offset of the next I/O. */
    long next() {
        if (random) return Math.unsignedMultiplyHigh(splitMix(), blocks) * bs;
        long b = next;
        next = b + 1 == blocks ? 0 : b + 1;
        return b * bs;
    }

    /** Whether the next I/O reads. */
    boolean nextIsRead() {
        if (readPercent == 100) return true;
        if (readPercent == 0) return false;
        return Math.unsignedMultiplyHigh(splitMix(), 100) < readPercent;
    }
}
