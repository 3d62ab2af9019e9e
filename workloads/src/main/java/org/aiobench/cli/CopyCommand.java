package org.aiobench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.aiobench.workloads.CacheControl;
import org.aiobench.workloads.CacheMode;
import org.aiobench.workloads.CopyException;
import org.aiobench.workloads.CopyMode;
import org.aiobench.workloads.CopyOptions;
import org.aiobench.workloads.CopyResult;
import org.aiobench.workloads.Manifest;
import org.aiobench.workloads.Numbers;
import org.aiobench.workloads.PeerCommand;
import org.aiobench.workloads.PeerProcess;
import org.aiobench.workloads.Scratch;
import org.aiobench.workloads.Progress;
import org.aiobench.workloads.CopyPlan;
import org.aiobench.workloads.ScratchLock;
import org.aiobench.workloads.Sizes;
import org.aiobench.workloads.TestTree;
import org.aiobench.workloads.VerificationException;
import org.aiobench.workloads.Verifier;
import org.aiobench.workloads.WarmupCopies;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "copy", mixinStandardHelpOptions = true,
        description = {"Copy the tree SRC to DST with one engine, then verify DST (against SRC's manifest when it has one,",
                "else byte for byte against SRC). Prints the untimed preparation's time and the copy's time, bytes, MB/s",
                "and the verification result.",
                "DST must not exist, or be an earlier copy made by aiobench (it is replaced, and said so).",
                "Names are copied as bytes; modes whole (setuid/setgid only where the copy's owner/group is the source's:",
                "there is no chown); hard links become separate files and holes are written as zeros (both counted).",
                "Interrupted (Ctrl-C), it says where the partial copy is: marked as aiobench's, the next copy replaces it.",
                "With --peer NAME='COMMAND {src} {dst}' an external program makes the copy instead (run without a shell),",
                "timed from its spawn to its exit, its start cost measured beside it, and verified the same way.",
                "Untimed warm-up copies come first (--warmup): a small tree's single copy in a fresh JVM runs mostly in",
                "the interpreter.",
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

    @Option(names = "--cfr-request", paramLabel = "file|pair", description = "copy_file_range: file (default) asks"
            + " for each whole file as GNU cp 9 does (with its fadvise and its read/write fallback), pair one call per"
            + " read/write pair of --buffer-size, as the copy study's figures were made")
    String cfrRequest;

    @Option(names = "--aio-fds", paramLabel = "dup|file", description = "posixaio: dup (default) gives each concurrent"
            + " request of a file its own dup'd descriptor; file keeps the file's one descriptor for all of them, as the"
            + " copy study's program did, which glibc serialises (multi and batch modes)")
    String aioFds;

    @Option(names = "--metadata", paramLabel = "syscalls|ring", description = "io_uring: ring also sends the walk's"
            + " opens, statx, mkdirat and closes through the ring, files in fixed-file slots the kernel allocates"
            + " (default: syscalls)")
    String metadata;

    @Option(names = "--peer", paramLabel = "NAME='COMMAND {src} {dst}'", description = "copy with this external"
            + " program instead of an engine, e.g. rsync='rsync -r {src}/ {dst}' or cp='cp -r --reflink=never {src} {dst}'"
            + " ({dst} must not exist beforehand and must become the copy of {src}); the engine options do not apply")
    String peer;

    @Option(names = "--warmup", paramLabel = "N", description = "untimed copies before the timed one (default: as"
            + " many as the benchmarks give a tree this small, so that the timed copy runs compiled code: 47 for 128"
            + " x 32K, 6 for 128 x 1M, with --direct copies worth 768 pairs; 2 for a peer, which loads its program;"
            + " none for a tree of that many read/write pairs or more)")
    Integer warmup;

    @Option(names = "--repeat", paramLabel = "N", description = "timed copies after the warm-ups (default: 1); with"
            + " more than one, each verified, and their min, median, max and spread printed, as hyperfine does")
    Integer repeat;

    @Option(names = "--cache", description = "source page cache before the copy: warm, cold or as-is (default: ${DEFAULT-VALUE})", defaultValue = "as-is")
    String cache;

    @Parameters(index = "0", paramLabel = "SRC", description = "the tree to copy (only read)")
    Path src;

    @Parameters(index = "1", paramLabel = "DST", description = "where the copy goes")
    Path dst;

    @Spec
    CommandSpec commandSpec;

    /** Options that configure an engine, which a peer does not have. */
    private static final List<String> ENGINE_OPTIONS = List.of("--engine", "--mode", "--qd", "--ops-per-file",
            "--buffer-size", "--direct", "--fallocate", "--regbuf", "--regfiles", "--flags", "--aio-poll",
            "--cfr-request", "--aio-fds", "--metadata");

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (warmup != null && warmup < 0) throw new IllegalArgumentException("--warmup must be at least 0, got " + warmup);
        if (repeat != null && repeat < 1) throw new IllegalArgumentException("--repeat must be at least 1, got " + repeat);
        if (peer != null) {
            for (String opt : ENGINE_OPTIONS) {
                if (commandSpec.commandLine().getParseResult().hasMatchedOption(opt)) {
                    throw new IllegalArgumentException(opt + " configures an engine; --peer copies with its own program");
                }
            }
            return new PeerCopy(PeerCommand.parse(peer)).call();
        }
        CopyOptions o = CopyOptions.defaults(engine)
                .withMode(CopyMode.parse(mode))
                .withQd(positiveInt(qd, "--qd"))
                .withOpsPerFile(positiveInt(opsPerFile, "--ops-per-file"))
                .withBufferSize(intSize(bufferSize, "--buffer-size"))
                .withDirect(direct).withFallocate(fallocate).withRegbuf(regbuf).withRegfiles(regfiles)
                .withRingFlags(flags).withPosixPolling(aioPoll);
        if (cfrRequest != null) {
            if (!engine.equals("copy_file_range")) {
                throw new IllegalArgumentException("--cfr-request is copy_file_range's; engine " + engine
                        + " makes one request per read/write pair");
            }
            o = o.withCfrRequest(CopyOptions.CfrRequest.parse(cfrRequest));
        }
        if (aioFds != null) o = o.withAioFds(CopyOptions.AioFds.parse(aioFds));
        if (metadata != null) o = o.withMetadata(CopyOptions.Metadata.parse(metadata));
        CacheMode cacheMode = CacheMode.parse(cache);
        o.validate(); // values, flags, and the engine built once: refused before anything is touched
        checkSource(cacheMode);
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
                int warm = warmup != null ? warmup
                        : WarmupCopies.forOneShot(plan.sourceFiles(), plan.sourceBytes(), o.bufferSize(), o.direct(), false);
                for (int i = 0; i < warm; i++) {
                    plan.run(Progress.NONE);
                    plan.resetDestination();
                }
                List<Long> times = new java.util.ArrayList<>();
                String cacheDone = null;
                r = null;
                for (int i = 0; i < repeats(); i++) {
                    if (i > 0) {
                        // the last copy verified, then deleted: every timed copy is checked, the last one printed
                        verifyQuietly();
                        notice.arm("holds a partial copy");
                        plan.resetDestination();
                    }
                    cacheDone = CacheControl.prepare(src, cacheMode);
                    CacheControl.syncfs(plan.destination());
                    r = plan.run(progress);
                    times.add(r.nanos());
                    notice.arm("holds a complete copy that was not verified");
                }
                printResult(o, r, cacheDone, prepareNanos, warm, times);
            } finally {
                notice.disarm();
            }
        }
        return 0;
    }

    /**
     * The source a tree (not a link to one, not a loop), and the cache state reachable on it, before anything is
     * written: a cold cache cannot be reached on a tmpfs or ramfs (its pages are the only copy of the data), and a
     * copy that found that out after its warm-ups would leave its destination behind.
     */
    private void checkSource(CacheMode cacheMode) {
        String notTree = CopyPlan.sourceProblem(src);
        if (notTree != null) throw CopyException.badInput(notTree);
        if (cacheMode != CacheMode.COLD) return;
        String fs;
        try {
            fs = Files.getFileStore(src).type();
        } catch (IOException e) {
            fs = "";
        }
        if (fs.equals("tmpfs") || fs.equals("ramfs")) {
            throw CopyException.badInput("--cache cold: the source " + src + " is on a " + fs + ", whose pages are its"
                    + " only copy and cannot be evicted; use --cache warm, or a source on a disk");
        }
        try {
            CacheControl.reach(src, CacheMode.COLD);
        } catch (IllegalStateException notReached) {
            throw CopyException.badInput("--cache " + notReached.getMessage());
        }
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

    private int repeats() {
        return repeat == null ? 1 : repeat;
    }

    /**
     * The timed copies' times as hyperfine gives them: with one, its time; with more, the median of N, min, max and
     * the spread ((max - min) / median), then each time in order (a drift shows there).
     */
    static List<String> timeLines(List<Long> nanos, String what) {
        if (nanos.size() == 1) {
            return List.of(String.format(Locale.ROOT, "time        %.3f s (%s)", nanos.get(0) / 1e9, what));
        }
        return repeatedTimeLines(nanos, what);
    }

    /** A time as hyperfine shows it: milliseconds below a second. */
    private static String time(double nanos) {
        return nanos < 1e9 ? String.format(Locale.ROOT, "%.2f ms", nanos / 1e6)
                : String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
    }

    private static List<String> repeatedTimeLines(List<Long> nanos, String what) {
        List<Long> sorted = nanos.stream().sorted().toList();
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
        long min = sorted.get(0), max = sorted.get(n - 1);
        StringBuilder each = new StringBuilder();
        for (long t : nanos) each.append(each.isEmpty() ? "" : ", ").append(time(t));
        return List.of(
                String.format(Locale.ROOT, "time        median %s of %d timed copies (%s)", time(median), n, what),
                String.format(Locale.ROOT, "range       min %s, max %s; spread %.1f%% of the median (max - min)",
                        time(min), time(max), 100 * (max - min) / median),
                "times       " + each + " (in the order run)");
    }

    /** The median of the timed copies' times, in nanoseconds. */
    private static double median(List<Long> nanos) {
        List<Long> sorted = nanos.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }

    /** Verifies DST as {@link #verify} does, printing nothing unless it is wrong. */
    private void verifyQuietly() {
        Manifest m = TestTree.manifestOf(src);
        if (m != null) Verifier.verify(dst, m, src, Progress.NONE);
        else Verifier.compareTrees(src, dst, Progress.NONE);
    }

    private void printResult(CopyOptions o, CopyResult r, String cacheDone, long prepareNanos, int warm,
                             List<Long> times) {
        System.out.printf(Locale.ROOT, "copy        %s%n", o.label());
        System.out.printf(Locale.ROOT, "source      %s%n", src.toAbsolutePath());
        System.out.printf(Locale.ROOT, "destination %s%n", dst.toAbsolutePath());
        System.out.printf(Locale.ROOT, "cache       %s%n", cacheDone);
        System.out.printf(Locale.ROOT, "prepared    %.3f s (untimed: checks, preflight walk of the source, destination root,"
                + " O_DIRECT probe, buffers)%n", prepareNanos / 1e9);
        System.out.println(warmupLine(warm, times.size()));
        for (String l : timeLines(times, "the copy: engine setup, walk, reads and writes, closes")) System.out.println(l);
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
        System.out.printf(Locale.ROOT, "throughput  %.1f MB/s%s%n", r.bytes() / 1e6 / (median(times) / 1e9),
                times.size() > 1 ? " (at the median time)" : "");
        System.out.printf(Locale.ROOT, "buffers     %d slots x %s = %s%n", r.slots(), Sizes.format(o.bufferSize()), Sizes.human(r.nativeBytes()));
        for (Map.Entry<String, String> e : r.engineFacts().entrySet()) {
            // how the engine would preallocate: said only when this copy did (--fallocate)
            if (e.getKey().equals("fallocate") && !o.fallocate()) continue;
            System.out.printf(Locale.ROOT, "engine      %s: %s%n", e.getKey(), e.getValue());
        }
        if (r.resumed() > 0) System.out.printf(Locale.ROOT, "resumed     %d short reads or writes%n", r.resumed());
        for (String s : r.skippedSpecial()) System.out.printf(Locale.ROOT, "skipped     %s%n", s);

        verify();
    }

    /** Verifies DST: against SRC's manifest when it has one, else byte for byte against SRC. */
    private void verify() {
        Manifest m = TestTree.manifestOf(src);
        if (m != null) {
            Verifier.verify(dst, m, src, Progress.console("verify", System.out));
            System.out.printf(Locale.ROOT, "verified    OK: %d files identical to the manifest of %s%n", m.files().size(), src);
        } else {
            Verifier.compareTrees(src, dst, Progress.console("verify", System.out));
            System.out.printf(Locale.ROOT, "verified    OK: identical to the source, byte for byte%n");
        }
    }

    static String warmupLine(int warm, int timed) {
        return String.format(Locale.ROOT, "warm-up     %d untimed %s before the timed %s%s", warm,
                warm == 1 ? "copy" : "copies", timed == 1 ? "one" : "ones", warm == 0 ? " (--warmup N for some)" : "");
    }

    /**
     * {@code copy --peer}: the peer copies SRC to DST (which it makes: DST must not exist, or be an earlier copy of
     * aiobench's, deleted first), after its warm-up copies and the cache state, timed from its spawn to its exit; its
     * start cost is measured beside it, on an empty directory in the temporary directory; the copy DST is then marked
     * as aiobench's (so the next copy may replace it) and verified like an engine's. Wrong data names the file
     * (relative to DST) and the first wrong offset, and exits 1.
     */
    private final class PeerCopy {
        private final PeerCommand command;

        PeerCopy(PeerCommand command) {
            this.command = command;
        }

        int call() throws IOException, InterruptedException {
            CacheMode cacheMode = CacheMode.parse(cache);
            checkSource(cacheMode);
            Path target = dst.toAbsolutePath().normalize();
            if (target.startsWith(src.toAbsolutePath().normalize())) {
                throw CopyException.badInput("the destination " + dst + " is inside the source " + src);
            }
            Path parent = target.getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                throw CopyException.badInput("the destination's directory " + parent + " does not exist");
            }
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Scratch.isOwned(target)) {
                throw CopyException.badInput(dst + " exists and was not created by aiobench ("
                        + Scratch.whyNotOwned(target) + "); refusing to delete or overwrite it");
            }
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                List<String> extra = Scratch.unexpected(target, 5);
                if (!extra.isEmpty()) throw CopyException.badInput(Scratch.notOnlyOurs(dst, extra));
            }
            long[] filesBytes = filesAndBytes();
            CopyPlan.requireSpace(target, filesBytes[1], filesBytes[0], "holes counted as written: a peer may"
                    + " write them as zeros");
            try (ScratchLock lock = ScratchLock.acquire(List.of(parent), List.of(src))) {
                String experiment = ScratchLock.runningExperiment();
                if (experiment != null) {
                    System.out.println("note        " + experiment + ": this copy disturbs its measurement, and is"
                            + " disturbed by it");
                }
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    System.out.println("copy: replacing " + dst + ", an earlier copy made by aiobench (it holds only"
                            + " what that copy made)");
                    Scratch.deleteOwned(target);
                }
                int warm = warmup != null ? warmup : defaultWarmups();
                for (int i = 0; i < warm; i++) {
                    runInto(target);
                    Scratch.deleteOwned(target);
                }
                long startNanos = startCost();
                List<Long> times = new java.util.ArrayList<>();
                String cacheDone = null;
                PeerProcess.Run r = null;
                for (int i = 0; i < repeats(); i++) {
                    if (i > 0) {
                        checked(target, false); // every timed copy is verified; the last one's result is printed
                        Scratch.deleteOwned(target);
                    }
                    cacheDone = CacheControl.prepare(src, cacheMode);
                    CacheControl.syncfs(parent);
                    r = runInto(target);
                    times.add(r.nanos());
                }
                print(r, cacheDone, warm, startNanos, times);
                checked(target, true);
            }
            return 0;
        }

        /** Verifies the peer's copy; wrong data is said with its file and offset in the copy. */
        private void checked(Path target, boolean print) {
            try {
                if (print) verify();
                else verifyQuietly();
            } catch (VerificationException wrong) {
                VerificationException at = wrong.within(target);
                System.out.printf(Locale.ROOT, "verified    WRONG DATA: %s (peer %s)%n", at.getMessage(),
                        command.name());
                throw wrong;
            }
        }

        /** The peer's copy into {@code target}, then marked as aiobench's, so that it may be replaced. */
        private PeerProcess.Run runInto(Path target) throws IOException, InterruptedException {
            try {
                return PeerProcess.run(command, src.toAbsolutePath(), target);
            } catch (IOException failed) {
                throw new CopyException(failed.getMessage(), false, failed);
            } finally {
                if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                    Scratch.adoptOwned(target);
                    Scratch.recordContents(target); // all of it is the peer's: the directory was not there before
                }
            }
        }

        private int defaultWarmups() throws IOException {
            long[] fb = filesAndBytes();
            return WarmupCopies.forOneShot(fb[0], fb[1], CopyOptions.defaults("sync").bufferSize(), false, true);
        }

        /** The source's regular files and their bytes: from its manifest, else a walk. */
        private long[] filesAndBytes() throws IOException {
            Manifest m = TestTree.manifestOf(src);
            long files, bytes;
            if (m != null) {
                files = m.files().size();
                bytes = m.totalBytes();
            } else {
                long[] fb = new long[2];
                try (var walk = Files.walk(src)) {
                    walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).forEach(p -> {
                        fb[0]++;
                        try {
                            fb[1] += Files.size(p);
                        } catch (IOException ignored) {
                            // not counted
                        }
                    });
                }
                files = fb[0];
                bytes = fb[1];
            }
            return new long[] {files, bytes};
        }

        /** The peer on an empty directory, in a temporary directory of its own (deleted after). */
        private long startCost() throws IOException, InterruptedException {
            Path tmp = Files.createTempDirectory("aiobench-peer-start");
            try {
                Path empty = Files.createDirectory(tmp.resolve("empty"));
                Path into = Files.createDirectory(tmp.resolve("into"));
                return PeerProcess.startCost(command, empty, into);
            } catch (IOException failed) {
                throw new CopyException("the peer's start cost, on an empty directory: " + failed.getMessage(), false,
                        failed);
            } finally {
                try (var walk = Files.walk(tmp)) {
                    for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
                }
            }
        }

        private void print(PeerProcess.Run r, String cacheDone, int warm, long startNanos, List<Long> times) {
            long bytes = bytesOf(src);
            System.out.printf(Locale.ROOT, "copy        peer %s: %s%n", command.name(), command.commandLine());
            System.out.printf(Locale.ROOT, "program     %s (run with an argument vector, no shell)%n", command.program());
            System.out.printf(Locale.ROOT, "source      %s%n", src.toAbsolutePath());
            System.out.printf(Locale.ROOT, "destination %s%n", dst.toAbsolutePath());
            System.out.printf(Locale.ROOT, "cache       %s%n", cacheDone);
            System.out.println(warmupLine(warm, times.size()));
            for (String l : timeLines(times, "the peer's process, from its spawn to its exit")) System.out.println(l);
            double median = median(times);
            System.out.printf(Locale.ROOT, "start cost  %.3f s (the same command on an empty directory, median of %d);"
                    + " less start cost %.3f s%s%n", startNanos / 1e9, PeerProcess.START_SAMPLES,
                    (median - startNanos) / 1e9, times.size() > 1 ? " (of the median)" : "");
            System.out.printf(Locale.ROOT, "bytes       %d (%s)%n", bytes, Sizes.human(bytes));
            System.out.printf(Locale.ROOT, "throughput  %.1f MB/s%s%n", bytes / 1e6 / (median / 1e9),
                    times.size() > 1 ? " (at the median time)" : "");
            System.out.printf(Locale.ROOT, "cpu         %.3f s user, %.3f s system; %d voluntary, %d involuntary context"
                    + " switches (the peer and what it waited for)%n", r.usage().userMicros() / 1e6,
                    r.usage().systemMicros() / 1e6, r.usage().voluntarySwitches(), r.usage().involuntarySwitches());
            System.out.println(r.maxRssKiB() >= 0 ? String.format(Locale.ROOT, "peak memory %s (the peer's own"
                    + " ru_maxrss, GNU time)", Sizes.human(r.maxRssKiB() * 1024))
                    : "peak memory not measured (no /usr/bin/time)");
        }
    }

    /** Bytes of the regular files under {@code root}, for MB/s (0 where it cannot be walked). */
    private static long bytesOf(Path root) {
        Manifest m = TestTree.manifestOf(root);
        return m != null ? m.totalBytes() : CopyPlan.bytesUnder(root);
    }

    static int positiveInt(String s, String what) {
        int v = Numbers.parseInt(s, what);
        if (v < 1) throw new IllegalArgumentException(what + " must be at least 1, got " + v);
        return v;
    }

    static int intSize(String s, String what) {
        long v = Sizes.parse(s, what);
        if (v > Integer.MAX_VALUE) throw new IllegalArgumentException(what + ": " + s + " is too large");
        return (int) v;
    }
}
