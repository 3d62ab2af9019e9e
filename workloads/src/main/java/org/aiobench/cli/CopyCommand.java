package org.aiobench.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.aiobench.workloads.CacheControl;
import org.aiobench.workloads.CacheMode;
import org.aiobench.workloads.CopyMode;
import org.aiobench.workloads.CopyOptions;
import org.aiobench.workloads.CopyResult;
import org.aiobench.workloads.Manifest;
import org.aiobench.workloads.Progress;
import org.aiobench.workloads.CopyPlan;
import org.aiobench.workloads.ScratchLock;
import org.aiobench.workloads.Sizes;
import org.aiobench.workloads.TestTree;
import org.aiobench.workloads.Verifier;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "copy", mixinStandardHelpOptions = true,
        description = {"Copy the tree SRC to DST with one engine, then verify DST (against SRC's manifest when it has one,",
                "else byte for byte against SRC). Prints the untimed preparation's time and the copy's time, bytes, MB/s",
                "and the verification result.",
                "DST must not exist, or be an earlier copy made by aiobench (it is replaced, and said so).",
                "Names are copied as bytes; modes whole (setuid/setgid only where the copy's owner/group is the source's:",
                "there is no chown); hard links become separate files and holes are written as zeros (both counted).",
                "Interrupted (Ctrl-C), it says where the partial copy is: marked as aiobench's, the next copy replaces it.",
                "Another aiobench process writing in DST's directory (or an experiment on it) stops this one."})
final class CopyCommand implements Callable<Integer> {

    @Option(names = "--engine", description = "sync, copy_file_range, posixaio, libaio, io_uring (default: ${DEFAULT-VALUE})", defaultValue = "sync")
    String engine;

    @Option(names = "--mode", description = "single, multi or batch (default: ${DEFAULT-VALUE})", defaultValue = "single")
    String mode;

    @Option(names = "--qd", description = "read/write pairs in flight in every mode; files in flight in single mode (default: ${DEFAULT-VALUE})", defaultValue = "64")
    String qd;

    @Option(names = "--ops-per-file", description = "read/write pairs in flight per file in multi and batch modes: qd pairs over qd/N files (default: ${DEFAULT-VALUE})", defaultValue = "4")
    String opsPerFile;

    @Option(names = "--buffer-size", description = "bytes per read/write (default: ${DEFAULT-VALUE})", defaultValue = "128K")
    String bufferSize;

    @Option(names = "--direct", description = "O_DIRECT on source and destination")
    boolean direct;

    @Option(names = "--fallocate", description = "preallocate each destination file")
    boolean fallocate;

    @Option(names = "--regbuf", description = "io_uring: registered buffers (READ_FIXED/WRITE_FIXED)")
    boolean regbuf;

    @Option(names = "--regfiles", description = "io_uring: registered files (IOSQE_FIXED_FILE)")
    boolean regfiles;

    @Option(names = "--flags", description = "io_uring flags, comma-separated: coop_taskrun, taskrun_flag, single_issuer, defer_taskrun, sqpoll, sqpoll_cpu=N, sqpoll_idle=MS, iopoll, submit_all, async")
    String flags = "none";

    @Option(names = "--aio-poll", description = "posixaio: busy-poll aio_error for completions (the copy study's loop) instead of aio_suspend")
    boolean aioPoll;

    @Option(names = "--cache", description = "source page cache before the copy: warm, cold or as-is (default: ${DEFAULT-VALUE})", defaultValue = "as-is")
    String cache;

    @Parameters(index = "0", paramLabel = "SRC", description = "the tree to copy (only read)")
    Path src;

    @Parameters(index = "1", paramLabel = "DST", description = "where the copy goes")
    Path dst;

    @Override
    public Integer call() {
        CopyOptions o = CopyOptions.defaults(engine)
                .withMode(CopyMode.parse(mode))
                .withQd(positiveInt(qd, "--qd"))
                .withOpsPerFile(positiveInt(opsPerFile, "--ops-per-file"))
                .withBufferSize(intSize(bufferSize, "--buffer-size"))
                .withDirect(direct).withFallocate(fallocate).withRegbuf(regbuf).withRegfiles(regfiles)
                .withRingFlags(flags).withPosixPolling(aioPoll);
        CacheMode cacheMode = CacheMode.parse(cache);
        o.validate(); // values, flags, and the engine built once: refused before anything is touched
        String redundant = o.redundancyReason();
        if (redundant != null) {
            System.out.println("note        " + redundant + "; copying as asked (the experiments leave this combination out)");
        }

        CopyResult r;
        Path dstParent = dst.toAbsolutePath().normalize().getParent();
        try (ScratchLock lock = ScratchLock.acquire(List.of(dstParent == null ? dst : dstParent), List.of(src))) {
            String experiment = ScratchLock.runningExperiment();
            if (experiment != null) {
                System.out.println("note        " + experiment + ": this copy disturbs its measurement, and is disturbed by it");
            }
            Progress progress = Progress.console("copy", System.out);
            InterruptNotice notice = new InterruptNotice();
            try (CopyPlan plan = CopyPlan.prepare(src, dst, o, progress)) {
                notice.arm("holds a partial copy");
                long prepareNanos = plan.prepareNanos();
                String cacheDone = CacheControl.prepare(src, cacheMode);
                CacheControl.syncfs(plan.destination());
                r = plan.run(progress);
                notice.arm("holds a complete copy that was not verified");
                printResult(o, r, cacheDone, prepareNanos);
            } finally {
                notice.disarm();
            }
        }
        return 0;
    }

    /**
     * What an interrupted copy leaves, said on stderr by a shutdown hook (Ctrl-C, kill): the JVM runs hooks on
     * SIGINT and SIGTERM, while the copy itself stops where it is. Armed only while DST holds a copy in progress.
     */
    private final class InterruptNotice {
        private volatile String state;
        private Thread hook;

        void arm(String what) {
            state = what;
            if (hook != null) return;
            hook = new Thread(() -> {
                String s = state;
                if (s != null) {
                    System.err.println("copy: interrupted: " + dst.toAbsolutePath() + " " + s + "; it is marked as"
                            + " aiobench's, and the next copy to it replaces it (or delete it: rm -r " + dst + ")");
                    System.err.flush();
                }
            }, "copy-interrupted");
            Runtime.getRuntime().addShutdownHook(hook);
        }

        void disarm() {
            state = null;
            if (hook == null) return;
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs, and says nothing: the copy is finished
            }
        }
    }

    private void printResult(CopyOptions o, CopyResult r, String cacheDone, long prepareNanos) {
        System.out.printf(Locale.ROOT, "copy        %s%n", o.label());
        System.out.printf(Locale.ROOT, "source      %s%n", src.toAbsolutePath());
        System.out.printf(Locale.ROOT, "destination %s%n", dst.toAbsolutePath());
        System.out.printf(Locale.ROOT, "cache       %s%n", cacheDone);
        System.out.printf(Locale.ROOT, "prepared    %.3f s (untimed: checks, preflight walk of the source, destination root,"
                + " O_DIRECT probe, buffers)%n", prepareNanos / 1e9);
        System.out.printf(Locale.ROOT, "time        %.3f s (the copy: engine setup, walk, reads and writes, closes)%n", r.seconds());
        System.out.printf(Locale.ROOT, "bytes       %d (%s) in %d files, %d directories, %d symlinks%n", r.bytes(),
                Sizes.human(r.bytes()), r.files(), r.directories(), r.symlinks());
        if (r.linkedFiles() > 0) {
            System.out.printf(Locale.ROOT, "hard links  %d %s more than one name (st_nlink > 1): each name is copied as a"
                    + " separate file%n", r.linkedFiles(), r.linkedFiles() == 1 ? "file has" : "files have");
        }
        if (r.sparseFiles() > 0) {
            System.out.printf(Locale.ROOT, "holes       %d %s fewer blocks than bytes (sparse, or compressed by the"
                    + " filesystem): the copy writes the holes as zeros%n", r.sparseFiles(),
                    r.sparseFiles() == 1 ? "file has" : "files have");
        }
        if (r.otherOwners() > 0) {
            System.out.printf(Locale.ROOT, "owner       %d source %s another owner or group: the copy belongs to uid %d,"
                    + " gid %d (aiobench does not chown)%n", r.otherOwners(),
                    r.otherOwners() == 1 ? "entry has" : "entries have", r.copyUid(), r.copyGid());
        }
        if (r.setIdDropped() > 0) {
            System.out.printf(Locale.ROOT, "mode        setuid/setgid left off %d %s whose copy has another owner or group"
                    + " than the source's (as cp -p does when it cannot keep the owner)%n", r.setIdDropped(),
                    r.setIdDropped() == 1 ? "entry" : "entries");
        }
        System.out.printf(Locale.ROOT, "throughput  %.1f MB/s%n", r.mbPerSec());
        System.out.printf(Locale.ROOT, "buffers     %d slots x %s = %s%n", r.slots(), Sizes.format(o.bufferSize()), Sizes.human(r.nativeBytes()));
        for (Map.Entry<String, String> e : r.engineFacts().entrySet()) {
            System.out.printf(Locale.ROOT, "engine      %s: %s%n", e.getKey(), e.getValue());
        }
        if (r.resumed() > 0) System.out.printf(Locale.ROOT, "resumed     %d short reads or writes%n", r.resumed());
        for (String s : r.skippedSpecial()) System.out.printf(Locale.ROOT, "skipped     %s%n", s);

        Manifest m = TestTree.manifestOf(src);
        if (m != null) {
            Verifier.verify(dst, m, src, Progress.console("verify", System.out));
            System.out.printf(Locale.ROOT, "verified    OK: %d files identical to the manifest of %s%n", m.files().size(), src);
        } else {
            Verifier.compareTrees(src, dst, Progress.console("verify", System.out));
            System.out.printf(Locale.ROOT, "verified    OK: identical to the source, byte for byte%n");
        }
    }

    static int positiveInt(String s, String what) {
        int v;
        try {
            v = Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": '" + s + "' is not a number");
        }
        if (v < 1) throw new IllegalArgumentException(what + " must be at least 1, got " + v);
        return v;
    }

    static int intSize(String s, String what) {
        long v = Sizes.parse(s, what);
        if (v > Integer.MAX_VALUE) throw new IllegalArgumentException(what + ": " + s + " is too large");
        return (int) v;
    }
}
