package org.aiobench.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;

import org.aiobench.workloads.randio.CrossThreadCompletion;
import org.aiobench.workloads.randio.Durations;
import org.aiobench.workloads.randio.JobSpec;
import org.aiobench.workloads.randio.RandomIoReport;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Thesis sections 4.1.7 to 4.1.10 (exp 11; figures 4.19 and 4.20): completions reaped by another thread. Two threads,
 * two rings ({@link CrossThreadCompletion#pingPong}): thread A (on the CPU without the device's interrupts) submits on
 * ring 1, thread B (on the interrupt CPU) waits on ring 1 and answers on ring 2, A waits on ring 2; iodepth round trips
 * in flight, ring flags none vs coop_taskrun vs coop_taskrun+taskrun_flag. The score is round trips per second;
 * {@code latMeanUs} and {@code latP99Us} are the time per round trip. fio has no such job.
 *
 * <p>What to look for: no difference between the flags (figure 4.20): both threads sleep in io_uring_enter while they
 * wait, and waking a sleeping task needs no IPI, so COOP_TASKRUN has nothing to save.
 */
@State(Scope.Benchmark)
public class CompletionPingPong extends ThesisJob {
    @Override
    protected RandomIoReport measuredRun() {
        return CrossThreadCompletion.pingPong(spec, target, pair[0], pair[1]);
    }

    @Override
    protected void warmup() {
        CrossThreadCompletion.pingPong(withRuntimeOfRamp(), target, pair[0], pair[1]);
    }

    /** The spec with the ramp as its runtime and no ramp of its own (at least 100 ms): what a warmup runs. */
    JobSpec withRuntimeOfRamp() {
        Map<String, String> p = new LinkedHashMap<>(spec.params());
        p.put("runtime", Durations.format(Math.max(spec.rampNanos(), 100_000_000L)));
        p.put("ramp", "0s");
        return JobSpec.fromParams(p);
    }
}
