package org.aiobench.engines.aio;

import java.util.Arrays;

import org.aiobench.engines.nat.Libc;

/**
 * The descriptor each POSIX AIO request runs on. glibc runs the requests of one descriptor one after the other, so
 * each request of a file issued while another of the same file is in flight gets its own dup'd descriptor, kept
 * until the file closes; with {@code fdPerFile} (the copy study's way) every request runs on its file's own
 * descriptor and glibc queues a file's concurrent requests behind each other. Only descriptors announced with
 * fileOpened are managed; a request on another runs on it as is. What it did is counted for the engine's facts.
 */
final class RequestDescriptors {
    /** The descriptors one file's requests run on: the workload's own first, then dups as concurrency needs them. */
    private static final class FileDescriptors {
        int[] fds;
        int[] busy;
        int count;

        FileDescriptors(int fd) {
            fds = new int[] {fd, -1, -1, -1};
            busy = new int[4];
            count = 1;
        }
    }

    private final boolean fdPerFile;
    // per-slot: the descriptor the request runs on, and its index in its file's descriptor set (-1: not dup-managed)
    private final int[] runFd;
    private final int[] runIdx;
    private FileDescriptors[] files = new FileDescriptors[64];

    private long dupsMade, dupFailures, unregisteredRequests;
    private int maxPerFile;
    /** With fdPerFile: the most requests queued on one descriptor at once (glibc ran them one at a time). */
    private int maxQueuedOnOne;

    RequestDescriptors(int capacity, boolean fdPerFile) {
        this.fdPerFile = fdPerFile;
        runFd = new int[capacity];
        runIdx = new int[capacity];
    }

    void fileOpened(int f) {
        if (f >= files.length) files = Arrays.copyOf(files, Math.max(f + 1, files.length * 2));
        files[f] = new FileDescriptors(f);
    }

    /** Whether {@code f} is announced and not yet closing. */
    boolean announced(int f) {
        return f >= 0 && f < files.length && files[f] != null;
    }

    /** Whether a request is still in flight on one of {@code f}'s descriptors. */
    boolean busy(int f) {
        FileDescriptors d = files[f];
        for (int i = 0; i < d.count; i++) if (d.busy[i] != 0) return true;
        return false;
    }

    /** Closes {@code f}'s dups (nothing of it in flight) and forgets it. */
    void fileClosed(int f) {
        closeDups(files[f]);
        files[f] = null;
    }

    /** At close, nothing in flight: every dup closed. */
    void closeAll() {
        for (FileDescriptors d : files) if (d != null) closeDups(d);
        Arrays.fill(files, null);
    }

    private static void closeDups(FileDescriptors d) {
        for (int i = 1; i < d.count; i++) Libc.close(d.fds[i]);
        d.count = 1;
    }

    /** Picks the descriptor slot {@code s} (a request on file {@code f}) runs on, dup'ing if needed; returns it. */
    int acquire(int s, int f) {
        FileDescriptors d = f >= 0 && f < files.length ? files[f] : null;
        if (d == null) {
            unregisteredRequests++;
            runFd[s] = f;
            runIdx[s] = -1;
            return f;
        }
        int idx = -1;
        if (fdPerFile) {
            idx = 0; // the study's way: the file's one descriptor, whatever else of it is in flight
            if (d.busy[0] + 1 > maxQueuedOnOne) maxQueuedOnOne = d.busy[0] + 1;
        }
        for (int i = 0; i < d.count && idx < 0; i++) {
            if (d.busy[i] == 0) idx = i;
        }
        if (idx < 0) {
            int nf = Libc.dup(f);
            if (nf >= 0) {
                if (d.count == d.fds.length) {
                    d.fds = Arrays.copyOf(d.fds, d.count * 2);
                    d.busy = Arrays.copyOf(d.busy, d.count * 2);
                }
                idx = d.count++;
                d.fds[idx] = nf;
                d.busy[idx] = 0;
                dupsMade++;
                if (d.count > maxPerFile) maxPerFile = d.count;
            } else {
                // out of descriptors: share the least busy one (glibc queues behind it) rather than fail
                dupFailures++;
                idx = 0;
                for (int i = 1; i < d.count; i++) if (d.busy[i] < d.busy[idx]) idx = i;
            }
        }
        d.busy[idx]++;
        if (maxPerFile == 0) maxPerFile = 1;
        runFd[s] = d.fds[idx];
        runIdx[s] = idx;
        return runFd[s];
    }

    /** Slot {@code s}'s request (on file {@code f}) is no longer in flight: its descriptor is free for the next. */
    void release(int s, int f) {
        int idx = runIdx[s];
        if (idx < 0) return;
        files[f].busy[idx]--;
    }

    /** The facts' line on descriptors. */
    String fact() {
        String unannounced = unregisteredRequests > 0 ? "; " + unregisteredRequests + " requests on descriptors never"
                + " announced with fileOpened ran on them as is (serialized per descriptor)" : "";
        return fdPerFile
                ? "one descriptor per file, as the copy study's program: glibc serializes requests per descriptor, so"
                  + " a file's concurrent requests ran one after the other; at most " + maxQueuedOnOne
                  + " requests were on one descriptor at once" + unannounced
                : "glibc serializes requests per descriptor, so each request of a file issued while"
                  + " another of it is in flight ran on its own dup'd descriptor: " + dupsMade + " dups, at most "
                  + maxPerFile + " descriptors of one file" + (dupFailures > 0 ? "; dup failed " + dupFailures
                  + " times (those requests shared a descriptor)" : "") + unannounced;
    }
}
