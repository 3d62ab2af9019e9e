package org.aiobench.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.aiobench.engines.Engines;
import org.aiobench.engines.IoEngine;
import org.aiobench.engines.RingFlag;
import org.aiobench.engines.probe.KernelProbe;
import org.aiobench.workloads.CopyException;
import org.aiobench.workloads.PathProblem;
import org.aiobench.workloads.Progress;
import org.aiobench.workloads.ScratchLock;
import org.aiobench.workloads.Sizes;
import org.aiobench.workloads.randio.FioJob;
import org.aiobench.workloads.randio.JobSpec;
import org.aiobench.workloads.randio.RandomIoJob;
import org.aiobench.workloads.randio.RandomIoReport;
import org.aiobench.workloads.randio.Target;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "randio", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Random (or sequential) I/O with one engine, as fio does it: numjobs threads, each with its own "
                + "engine instance keeping iodepth I/Os of bs bytes in flight, then what fio prints for the job, in fio's "
                + "layout and words (slat/clat/lat, percentiles, bw and iops samples, cpu, IO depths, disk stats; --json: "
                + "fio's JSON field names), and beside it the CPU of the kernel's helper threads, CPU per I/O and the "
                + "reads verified. Each option names its fio option.",
                "",
                "Without FILE the job runs on aiobench's seeded target in --dir (aiobench-scratch/randio/read-<size>.dat, or "
                + "aiobench-scratch/randio/write-<size>.dat for jobs that write), laid out on first use and verified when reused; every "
                + "read is checked against the sector headers of that data. FILE may be a block device (only read "
                + "unless --allow-device-writes) or an existing regular file (only read).", ""})
final class RandioCommand implements Callable<Integer> {
    /** aiobench's own subdirectory of --dir, as the experiment runner's (benchmarks' ScratchLayout.SUBDIRECTORY). */
    static final String SUBDIRECTORY = "aiobench-scratch";

    @Option(names = {"--engine", "--ioengine"}, paramLabel = "NAME",
            description = "sync, posixaio, libaio or io_uring (fio: ioengine=psync|posixaio|libaio|io_uring; default sync)")
    String engine;

    @Option(names = "--rw", paramLabel = "MODE",
            description = "randread, randwrite, read, write or randrw (fio: rw; default randread)")
    String rw;

    @Option(names = "--rwmixread", paramLabel = "PERCENT", description = "reads in randrw (fio: rwmixread; default 50)")
    String rwmixread;

    @Option(names = {"--bs", "--blocksize"}, paramLabel = "SIZE",
            description = "bytes per I/O, 512 to 1M, a multiple of 512 (fio: bs; default 4K)")
    String bs;

    @Option(names = "--iodepth", paramLabel = "N", description = "I/Os in flight per job (fio: iodepth; default 1)")
    String iodepth;

    @Option(names = "--numjobs", paramLabel = "N",
            description = "threads, each with its own engine, ring or AIO context (fio: numjobs; default 1)")
    String numjobs;

    @Option(names = "--direct", description = "O_DIRECT (fio: direct=1)")
    boolean direct;

    @Option(names = "--runtime", paramLabel = "TIME",
            description = "the measured window, e.g. 10s, 500ms (fio: runtime with time_based; default 10s)")
    String runtime;

    @Option(names = {"--ramp", "--ramp_time"}, paramLabel = "TIME",
            description = "I/O before the window, not counted (fio: ramp_time; default 0)")
    String ramp;

    @Option(names = {"--ios", "--number_ios"}, paramLabel = "N",
            description = "end the window after N I/Os per job instead of --runtime (fio: number_ios)")
    String ios;

    @Option(names = "--thinkcycles", paramLabel = "N",
            description = "spin N iterations of x86 PAUSE after each I/O issued, as fio's do_io does (fio: thinkcycles,"
                    + " fio 3.37+)")
    String thinkcycles;

    @Option(names = {"--batch-submit", "--iodepth_batch_submit"}, paramLabel = "N",
            description = "hand a completed slot's next I/O to the kernel once N are queued while others are in"
                    + " flight (fio: iodepth_batch_submit; default 1: at once); 0: all of them with the next wait, in"
                    + " one call")
    String batchSubmit;

    @Option(names = {"--cpus", "--cpus_allowed"}, paramLabel = "LIST",
            description = "pin every job thread to these CPUs, e.g. 0 or 0,2-3 (fio: cpus_allowed)")
    String cpus;

    @Option(names = "--size", paramLabel = "SIZE",
            description = "bytes the offsets range over; the scratch target's size (fio: size; default 1G, or all of FILE)")
    String size;

    @Option(names = "--regbuf", description = "io_uring: registered buffers (fio: fixedbufs)")
    boolean regbuf;

    @Option(names = "--regfiles", description = "io_uring: registered files (fio: registerfiles)")
    boolean regfiles;

    @Option(names = "--flags", paramLabel = "FLAGS",
            description = "io_uring flags, comma-separated: coop_taskrun, taskrun_flag, single_issuer, defer_taskrun,"
                    + " sqpoll (fio: sqthread_poll), sqpoll_cpu=N (fio: sqthread_poll_cpu), sqpoll_idle=MS, iopoll"
                    + " (fio: hipri), submit_all, async (fio: force_async=1). fio 3.33+ always sets coop_taskrun,"
                    + " single_issuer, defer_taskrun; give those three to run what fio runs")
    String flags;

    @Option(names = "--aio-poll", description = "posixaio: busy-poll aio_error instead of aio_suspend (no fio option)")
    boolean aioPoll;

    @Option(names = "--verify",
            description = "check every read's sector headers in the measured window too (fio: verify); by default"
                    + " reads are checked during the ramp's first half and after the window, none in it, as fio"
                    + " without verify= checks none")
    boolean verify;

    @Option(names = {"--seed", "--randseed"}, paramLabel = "N", description = "seed of the offsets (fio: randseed)")
    String seed;

    @Option(names = "--allow-device-writes",
            description = "let a job that writes write FILE when it is a block device (destroys its data)")
    boolean allowDeviceWrites;

    @Option(names = "--dir", paramLabel = "PATH",
            description = "scratch directory; the target goes into its subdirectory aiobench-scratch/randio/, as the "
                    + "experiments' does (default: scratch/ in the repository)")
    Path dir;

    @Option(names = "--json", description = "print the results as JSON instead of the summary")
    boolean json;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
            description = "a block device or an existing file instead of aiobench's target")
    Path file;

    @Spec
    CommandSpec commandSpec;

    /** The options given, by their JMH parameter names ({@link JobSpec#PARAMS}). */
    Map<String, String> params() {
        Map<String, String> p = new LinkedHashMap<>();
        put(p, "engine", engine);
        put(p, "rw", rw);
        put(p, "rwmixread", rwmixread);
        put(p, "bs", bs);
        put(p, "iodepth", iodepth);
        put(p, "numjobs", numjobs);
        if (direct) p.put("direct", "true");
        put(p, "runtime", runtime);
        put(p, "ramp", ramp);
        put(p, "ios", ios);
        put(p, "thinkcycles", thinkcycles);
        put(p, "batchSubmit", batchSubmit);
        put(p, "cpus", cpus);
        if (regbuf) p.put("regbuf", "true");
        if (regfiles) p.put("regfiles", "true");
        put(p, "ringFlags", flags);
        if (aioPoll) p.put("aioPoll", "true");
        put(p, "seed", seed);
        if (verify) p.put("verify", "true");
        return p;
    }

    private static void put(Map<String, String> p, String k, String v) {
        if (v != null) p.put(k, v);
    }

    @Override
    public Integer call() {
        // everything is checked before anything is written
        JobSpec spec = JobSpec.fromParams(params());
        long bytes = size == null ? 0 : Sizes.parse(size, "--size");
        PrintWriter out = commandSpec.commandLine().getOut();
        boolean polled = spec.engineOptions().has(RingFlag.IOPOLL);
        if (polled && !spec.direct()) {
            throw new IllegalArgumentException("--flags iopoll needs --direct: the kernel polls only O_DIRECT I/O (fio:"
                    + " hipri needs direct=1)");
        }
        if (file != null) {
            Target target = Target.given(file, bytes, spec.rw().writes(), allowDeviceWrites);
            target.checkJob(spec);
            checkEngine(spec);
            if (polled) checkPolling(KernelProbe.iopollFailure(file), file);
            return report(spec, target, out);
        }
        long s = bytes == 0 ? Target.DEFAULT_SIZE : bytes;
        Target.checkSize(s);
        Path userDir = scratchDirectory();
        // the experiment runner's layout (ScratchLayout): aiobench works in its own subdirectory of --dir, so a
        // randio run and the experiments share one target file
        Path scratch = userDir.resolve(SUBDIRECTORY);
        Path existing = Files.isDirectory(userDir) ? userDir : userDir.getParent(); // the default may be made yet
        Target.checkJobBefore(spec, s, existing);
        checkEngine(spec);
        if (polled) checkPolling(KernelProbe.iopollFailureIn(existing), existing);
        List<Path> made = new java.util.ArrayList<>(); // what this command creates: removed again if it is refused
        for (Path p : List.of(userDir, scratch, Target.scratchDir(scratch))) {
            if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) made.add(0, p);
        }
        try (ScratchLock lock = ScratchLock.acquire(List.of(Target.scratchDir(scratch)), List.of())) {
            String experiment = ScratchLock.runningExperiment();
            if (experiment != null && !json) {
                out.println("note: " + experiment + ": this job disturbs its measurement, and is disturbed by it");
            }
            Target target;
            try {
                Target.checkSpace(scratch, s, spec.rw().writes(), existing);
                try {
                    Files.createDirectories(scratch);
                } catch (java.io.IOException e) {
                    throw CopyException.badInput("cannot create " + scratch + ": " + e.getMessage());
                }
                Progress progress = json ? Progress.NONE : Progress.console("randio target (lay out or verify)", System.out);
                target = Target.ensureScratch(scratch, s, spec.rw().writes(), progress,
                        line -> { if (!json) out.println(line); });
            } catch (CopyException | IllegalArgumentException refused) {
                removeEmpty(made);
                throw refused;
            }
            return report(spec, target, out);
        }
    }

    /**
     * The scratch directory: --dir must exist (a mistyped one is refused rather than filled with a 1 GiB target);
     * the default, scratch/ in the repository, is created when missing if its parent exists.
     */
    private Path scratchDirectory() {
        if (dir != null) {
            Path d = dir.toAbsolutePath().normalize();
            if (!Files.isDirectory(d)) {
                String why = PathProblem.of(d);
                throw CopyException.badInput("--dir " + dir + ": " + (why != null ? why : "it is not a directory")
                        + "; aiobench writes only into a directory that exists (mkdir -p " + dir + " first)");
            }
            return d;
        }
        Path d = Path.of(System.getProperty("aiobench.scratch", "scratch")).toAbsolutePath().normalize();
        if (!Files.isDirectory(d) && (d.getParent() == null || !Files.isDirectory(d.getParent()))) {
            throw CopyException.badInput("the scratch directory " + d + ": neither it nor its parent directory exists;"
                    + " give --dir");
        }
        return d; // created with the target when missing, removed again if the command is refused
    }

    /** The kernel refuses this engine or its flags: said now, before the target is laid out. */
    private static void checkEngine(JobSpec spec) {
        try (IoEngine probe = Engines.create(spec.engine(), spec.engineOptions())) {
            probe.capabilities();
        }
    }

    private static void checkPolling(String failure, Path where) {
        if (failure != null) {
            throw CopyException.badInput("--flags iopoll cannot work here (" + where + "): " + failure);
        }
    }

    /** Deletes the directories of {@code made} (innermost first) that are still empty: a refused command leaves nothing. */
    private static void removeEmpty(List<Path> made) {
        for (Path p : made) {
            try (var s = Files.list(p)) {
                if (s.findAny().isPresent()) return;
            } catch (java.io.IOException e) {
                continue; // never made after all
            }
            try {
                // the target's directory is marked as aiobench's: deleted with its record
                if (org.aiobench.workloads.Scratch.isOwned(p)) {
                    org.aiobench.workloads.Scratch.deleteOwned(p);
                } else {
                    Files.delete(p);
                }
            } catch (java.io.IOException | RuntimeException e) {
                return; // left: an empty directory
            }
        }
    }

    private int report(JobSpec spec, Target target, PrintWriter out) {
        RandomIoReport r = RandomIoJob.run(spec, target);
        if (json) {
            ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            var root = r.toJson(m, FioJob.jobOptions(spec, target));
            ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("aiobench")).put("fioEquivalent",
                    FioJob.equivalent(spec, target));
            out.println(root.toPrettyString());
        } else {
            out.print(r.summary());
            out.println("  fio equivalent: " + FioJob.equivalent(spec, target));
        }
        out.flush();
        return 0;
    }
}
