package org.aiobench.benchmarks.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.aiobench.workloads.Sizes;

/**
 * The io_uring thesis' experiments in a run's matrix (groups coop, thinktime, async, asyncwrite, regfiles, sqpoll,
 * pingpong, stall and their fio reference thesisfio): which configurations each measures, at the thesis' scale
 * ({@link #full()}: its sweeps, 512-byte reads, short runs) or reduced ({@link #quick()}: the points its claims rest
 * on). Every configuration is an io_uring job on the random-I/O read target (asyncwrite: a write target of its own
 * size), with the parameters of {@link org.aiobench.benchmarks.ThesisJob}.
 *
 * @param depths         iodepth sweep of coop, async, asyncwrite, regfiles (quick: the shallow and the deep point)
 * @param sqpollDepths   iodepth sweep of sqpoll (the thesis went to 128)
 * @param thinkcycles    think-time sweep of thinktime, at iodepth 64
 * @param pingPongDepths round trips in flight of pingpong
 * @param coopJobs       jobs of coop, on one CPU (more jobs than CPUs)
 * @param hogsPerCpu     busy threads per CPU in coop's hog variant
 * @param bs             block size (the thesis' 512 bytes)
 * @param writeSize      the target of asyncwrite (one file both jobs write)
 * @param ramp           each run's ramp
 * @param runtime        each run's measured window
 * @param everyPoint     coop: every flag at every depth and placement, hogs at every depth (else the quick cut)
 */
public record ThesisMatrix(List<Integer> depths, List<Integer> sqpollDepths, List<Long> thinkcycles,
                           List<Integer> pingPongDepths, int coopJobs, int hogsPerCpu, String bs, long writeSize,
                           String ramp, String runtime, boolean everyPoint) {

    static final String NONE = "none", COOP = "coop_taskrun", COOP_FLAG = "coop_taskrun+taskrun_flag",
            DEFER = "single_issuer+defer_taskrun";
    static final List<String> COOP_FLAGS = List.of(NONE, COOP, COOP_FLAG, DEFER);

    public static ThesisMatrix full() {
        List<Long> tc = new ArrayList<>();
        tc.add(0L);
        for (long t = 1; t <= 4096; t *= 2) tc.add(t);
        return new ThesisMatrix(List.of(1, 2, 4, 8, 16, 32, 64), List.of(1, 2, 4, 8, 16, 32, 64, 128), List.copyOf(tc),
                List.of(1, 2, 4, 8, 16, 32, 64), 4, 2, "512", Sizes.parse("1G"), "1s", "5s", true);
    }

    /** What {@link #quick()} leaves out, for the quick matrix's reductions. */
    static final String QUICK_REDUCTION = "thesis experiments: iodepth 1 and 64 only (sqpoll too), thinkcycles 0, 64,"
            + " 4096 (coop_taskrun at 0 and 4096 only); coop_taskrun+taskrun_flag, defer_taskrun and the CPU hogs at"
            + " iodepth 64 off the interrupt CPU only, the on-interrupt-CPU placement at iodepth 64 only; async,"
            + " asyncwrite and regfiles at iodepth 64 only;"
            + " ping-pong at 1 round trip in flight; asyncwrite on a 64M file; 0.2 s ramp + 0.6 s per run";

    public static ThesisMatrix quick() {
        return new ThesisMatrix(List.of(1, 64), List.of(1, 64), CUT_THINKCYCLES, List.of(1), 4, 2, "512",
                Sizes.parse("64M"), "200ms", "600ms", false);
    }

    /** The think times of the cut form: none, where SQPOLL still keeps up, far beyond it. */
    static final List<Long> CUT_THINKCYCLES = List.of(0L, 64L, 4096L);

    /**
     * This matrix with the random-I/O options of the command line (null: as it is): depths set make the cut form
     * ({@link #quick()}'s choice of points) at those depths; block size, ramp, runtime and the write target's size
     * as given.
     */
    ThesisMatrix with(List<Integer> iodepths, List<String> bss, String rampTime, String runTime, Long size) {
        boolean cut = iodepths != null;
        return new ThesisMatrix(cut ? List.copyOf(iodepths) : depths, cut ? List.copyOf(iodepths) : sqpollDepths,
                cut ? CUT_THINKCYCLES : thinkcycles, cut ? List.of(iodepths.get(0)) : pingPongDepths, coopJobs,
                hogsPerCpu, bss != null ? bss.get(0) : bs, size != null ? size : writeSize,
                rampTime != null ? rampTime : ramp, runTime != null ? runTime : runtime, everyPoint && !cut);
    }

    /** Whether a group is one of the thesis' groups. */
    public static boolean covers(Group g) {
        return switch (g) {
            case COOP, THINKTIME, ASYNC, ASYNCWRITE, REGFILES, SQPOLL, PINGPONG, STALL, THESISFIO -> true;
            default -> false;
        };
    }

    /** The groups whose jobs fio can mirror (thesisfio runs the configurations of those selected). */
    static final List<Group> MIRRORED = List.of(Group.COOP, Group.THINKTIME, Group.ASYNC, Group.ASYNCWRITE,
            Group.REGFILES, Group.SQPOLL);

    /** The configurations of thesis group {@code g} in a run of {@code groups}; reads use a target of {@code readSize}. */
    List<Map<String, String>> configs(Group g, long readSize, List<Group> groups) {
        List<Map<String, String>> out = new ArrayList<>();
        int deep = depths.get(depths.size() - 1);
        switch (g) {
            case COOP -> {
                for (String placement : List.of("other", "irq")) for (int d : depths) for (String f : COOP_FLAGS) {
                    boolean main = f.equals(NONE) || f.equals(COOP);
                    boolean cut = !everyPoint && (placement.equals("irq") ? d != deep || !main : !main && d != deep);
                    if (!cut) out.add(job(readSize, d).put("numjobs", coopJobs).put("placement", placement).put("ringFlags", f).map);
                }
                for (int d : depths) for (String f : List.of(NONE, COOP)) {
                    if (everyPoint || d == deep) {
                        out.add(job(readSize, d).put("numjobs", coopJobs).put("placement", "other").put("ringFlags", f)
                                .put("hogs", hogsPerCpu).map);
                    }
                }
            }
            case THINKTIME -> {
                for (long t : thinkcycles) {
                    out.add(job(readSize, 64).put("thinkcycles", t).put("placement", "other").map);
                    boolean ends = t == thinkcycles.get(0) || t == thinkcycles.get(thinkcycles.size() - 1);
                    if (everyPoint || ends) {
                        out.add(job(readSize, 64).put("thinkcycles", t).put("placement", "other").put("ringFlags", COOP).map);
                    }
                    out.add(job(readSize, 64).put("thinkcycles", t).put("placement", "split").put("ringFlags", "sqpoll").map);
                }
            }
            case ASYNC -> {
                for (String placement : List.of("other", "any")) for (int d : everyPoint ? depths : List.of(deep))
                    for (String f : List.of(NONE, "async")) {
                        out.add(job(readSize, d).put("placement", placement).put("ringFlags", f).map);
                    }
            }
            case ASYNCWRITE -> {
                for (int d : everyPoint ? depths : List.of(deep)) for (String f : List.of(NONE, "async")) {
                    out.add(job(writeSize, d).put("rw", "randwrite").put("numjobs", 2).put("ringFlags", f).map);
                }
            }
            case REGFILES -> {
                for (int d : everyPoint ? depths : List.of(deep)) for (boolean r : List.of(false, true)) {
                    out.add(job(readSize, d).put("placement", "other").put("regfiles", r).map);
                }
            }
            case SQPOLL -> {
                for (int d : sqpollDepths) {
                    out.add(job(readSize, d).put("placement", "split").put("ringFlags", "sqpoll").map);
                    out.add(job(readSize, d).put("placement", "both").put("numjobs", 2).map);
                }
            }
            case PINGPONG -> {
                for (int d : pingPongDepths) for (String f : List.of(NONE, COOP, COOP_FLAG)) {
                    out.add(job(readSize, d).put("placement", "cross").put("ringFlags", f).map);
                }
            }
            case STALL -> {
                for (String f : COOP_FLAGS) out.add(job(readSize, 1).put("placement", "cross").put("ringFlags", f).map);
            }
            case THESISFIO -> {
                boolean alone = groups.stream().noneMatch(MIRRORED::contains);
                // the same job in two groups (sqpoll at depth 64, thinktime's sqpoll at 0 thinkcycles) runs once
                java.util.Set<Map<String, String>> jobs = new java.util.LinkedHashSet<>();
                for (Group m : MIRRORED) if (alone || groups.contains(m)) jobs.addAll(configs(m, readSize, groups));
                out.addAll(jobs);
            }
            default -> { }
        }
        return out;
    }

    /** A thesis job's parameters (every @Param of ThesisJob), before the group's own choices. */
    private P job(long size, int iodepth) {
        return new P().put("engine", "io_uring").put("rw", "randread").put("bs", bs).put("iodepth", iodepth)
                .put("numjobs", 1).put("direct", true).put("size", Sizes.format(size)).put("ramp", ramp)
                .put("runtime", runtime).put("ringFlags", NONE).put("regfiles", false).put("thinkcycles", 0)
                .put("placement", "any").put("hogs", 0);
    }

    private static final class P {
        final Map<String, String> map = new LinkedHashMap<>();
        P put(String k, Object v) { map.put(k, String.valueOf(v)); return this; }
    }
}
