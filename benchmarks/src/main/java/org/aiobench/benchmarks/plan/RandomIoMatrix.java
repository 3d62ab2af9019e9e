package org.aiobench.benchmarks.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.aiobench.benchmarks.RandomIoBenchmark;
import org.aiobench.workloads.Sizes;
import org.aiobench.workloads.randio.Target;

/**
 * The random-I/O groups' part of a run's matrix: what {@code randread}, {@code randwrite} and their fio reference
 * ({@code fio}) measure. One measured JMH iteration is one timed job run (its ramp, then its runtime); a warmup
 * iteration runs the ramp alone. Each round runs every configuration once, as for the copies.
 *
 * @param targetSize  the target's size (the scratch file the jobs read or write)
 * @param rws         the directions measured: randread, randwrite (the fio group mirrors them)
 * @param iodepths    the sweep: I/Os in flight (iodepth of one job; numjobs of sync)
 * @param fewerDepths engines measured at fewer depths than the sweep's (the quick matrix's cut), by engine
 * @param bss         block sizes
 * @param ramp        each run's ramp (fio's ramp_time)
 * @param runtime     each run's measured window
 * @param warmups     JMH warmup iterations per fork (ramp-only runs)
 * @param iterations  JMH measured iterations per fork: job runs
 * @param reductions  what this leaves out of the full study, in words
 * @param thesis      the thesis' experiments, on the same read target
 */
public record RandomIoMatrix(long targetSize, List<String> rws, List<Integer> iodepths,
                             Map<String, List<Integer>> fewerDepths, List<String> bss, String ramp, String runtime,
                             int warmups, int iterations, List<String> reductions, ThesisMatrix thesis) {

    /** The engines of the random-I/O experiments (the thesis' four, by their aiobench names). */
    public static final List<String> ENGINES = List.of("sync", "posixaio", "libaio", "io_uring");

    public static RandomIoMatrix full() {
        return new RandomIoMatrix(Target.DEFAULT_SIZE, List.of("randread", "randwrite"),
                List.of(1, 2, 4, 8, 16, 32, 64, 128), Map.of(), List.of("4K", "512"), "1s", "3s", 1, 1, List.of(),
                ThesisMatrix.full());
    }

    /** What {@link #quick()} leaves out, for the quick matrix's list of reductions. */
    static final String QUICK_REDUCTION = "random I/O: randread only (no randwrite), 4K only, io_uring and libaio at"
            + " 1, 8 and 64 I/Os in flight, sync and posixaio at 1; 0.5 s ramp + 1 s per run";

    public static RandomIoMatrix quick() {
        return new RandomIoMatrix(Target.DEFAULT_SIZE, List.of("randread"), List.of(1, 8, 64),
                Map.of("sync", List.of(1), "posixaio", List.of(1)), List.of("4K"), "500ms", "1s", 1, 1, List.of(),
                ThesisMatrix.quick());
    }

    RandomIoMatrix with(Long size, List<Integer> depths, List<String> blockSizes, String rampTime, String runTime) {
        List<String> r = new ArrayList<>(reductions);
        if (size != null) r.add("random I/O target size set on the command line: " + Sizes.format(size));
        if (depths != null) r.add("random I/O depths set on the command line: " + depths + " for every engine (the"
                + " thesis' experiments at these depths, cut as in --quick)");
        if (blockSizes != null) r.add("random I/O block sizes set on the command line: " + blockSizes);
        if (rampTime != null || runTime != null) {
            r.add("random I/O ramp/runtime set on the command line: " + (rampTime != null ? rampTime : ramp) + " / "
                    + (runTime != null ? runTime : runtime));
        }
        return new RandomIoMatrix(size != null ? size : targetSize, rws, depths != null ? depths : iodepths,
                depths != null ? Map.of() : fewerDepths, blockSizes != null ? blockSizes : bss,
                rampTime != null ? rampTime : ramp, runTime != null ? runTime : runtime, warmups, iterations,
                List.copyOf(r), thesis.with(depths, blockSizes, rampTime, runTime, size));
    }

    /** Whether a group is one of the random-I/O groups. */
    public static boolean covers(Group g) {
        return g == Group.RANDREAD || g == Group.RANDWRITE || g == Group.FIO || ThesisMatrix.covers(g);
    }

    /** Whether a configuration's parameters are a random-I/O job's (they have no tree). */
    static boolean isJob(Map<String, String> params) {
        return params.containsKey("iodepth") && params.containsKey("runtime") && params.containsKey("rw");
    }

    /**
     * The parameter sets of a random-I/O group (every {@code @Param} of its class): each engine of {@code engines}
     * that is a random-I/O engine, at each depth and block size; sync with numjobs = depth at iodepth 1
     * ({@link RandomIoBenchmark#notApplicable}). The fio group mirrors the directions of {@code groups} (both
     * when it runs alone).
     */
    List<Map<String, String>> configs(Group g, List<String> engines, List<Group> groups) {
        List<String> dirs = switch (g) {
            case RANDREAD -> rws.contains("randread") ? List.of("randread") : List.of();
            case RANDWRITE -> rws.contains("randwrite") ? List.of("randwrite") : List.of();
            default -> {
                List<String> d = new ArrayList<>();
                boolean alone = !groups.contains(Group.RANDREAD) && !groups.contains(Group.RANDWRITE);
                if (rws.contains("randread") && (alone || groups.contains(Group.RANDREAD))) d.add("randread");
                if (rws.contains("randwrite") && (alone || groups.contains(Group.RANDWRITE))) d.add("randwrite");
                yield d;
            }
        };
        List<Map<String, String>> out = new ArrayList<>();
        for (String rw : dirs) for (String e : engines) {
            if (!ENGINES.contains(e)) continue;
            for (String bs : bss) for (int depth : fewerDepths.getOrDefault(e, iodepths)) {
                boolean sync = e.equals("sync");
                Map<String, String> p = new LinkedHashMap<>();
                p.put("engine", e);
                p.put("rw", rw);
                p.put("bs", bs);
                p.put("iodepth", Integer.toString(sync ? 1 : depth));
                p.put("numjobs", Integer.toString(sync ? depth : 1));
                p.put("direct", "true");
                p.put("size", Sizes.format(targetSize));
                p.put("ramp", ramp);
                p.put("runtime", runtime);
                out.add(p);
            }
        }
        return out;
    }
}
