package org.aiobench.engines.uring;

/**
 * Completions taken off the CQ while submitting: when io_uring_enter answers EAGAIN or EBUSY (no memory for new
 * requests, or a CQ overflow backlog), the engine makes room by taking CQEs off the ring before it tries again.
 * They wait here, in arrival order, for the next reap, which hands them over before anything newer. Preallocated:
 * no request is in here twice, so the engine's capacity bounds it.
 */
final class CompletionStash {
    private final long[] tags;
    private final int[] results;
    private int first;  // next to hand over
    private int end;    // one past the last stashed

    CompletionStash(int capacity) {
        tags = new long[capacity];
        results = new int[capacity];
    }

    /** Keeps one completion for the next reap. */
    void add(long tag, int result) {
        if (end == tags.length) {
            // a reap may be handing the stash over right now (its handler submitted): keep what it has not reached
            int left = end - first;
            System.arraycopy(tags, first, tags, 0, left);
            System.arraycopy(results, first, results, 0, left);
            first = 0;
            end = left;
        }
        tags[end] = tag;
        results[end] = result;
        end++;
    }

    int size() { return end - first; }

    boolean isEmpty() { return first == end; }

    /** The oldest completion's tag and result; {@link #remove()} takes it. */
    long tag() { return tags[first]; }

    int result() { return results[first]; }

    void remove() {
        if (++first == end) first = end = 0;
    }
}
