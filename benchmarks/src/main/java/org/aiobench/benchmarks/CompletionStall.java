package org.aiobench.benchmarks;

import org.aiobench.benchmarks.metrics.RandomIoMetrics;
import org.aiobench.workloads.randio.CrossThreadCompletion;
import org.aiobench.workloads.randio.RandomIoReport;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Thesis section 4.1.10 (exp 11's main-fail; figure 4.22, table 4.2): the case where COOP_TASKRUN breaks things. The
 * submitter (on the CPU without the device's interrupts) submits one read and then spins in user space without
 * entering the kernel; the observer (on the interrupt CPU) polls the CQ and measures how long the completion takes to
 * become visible ({@link CrossThreadCompletion#stall}), bounded by a 20 ms timeout. Ring flags none, coop_taskrun,
 * coop_taskrun+taskrun_flag and single_issuer+defer_taskrun. {@code latMeanUs}, {@code latP50Us}, {@code latMaxUs}:
 * the time to visibility; the score is its inverse (completions seen per second of waiting); {@code stallTimeouts}:
 * trials that hit the timeout, {@code trials}: trials measured. fio has no such job.
 *
 * <p>What to look for: the default in microseconds (the IPI kicks the spinning submitter into the kernel, where its
 * task work posts the completion); coop_taskrun in milliseconds, up to one timer tick (the thesis: 2.1 ms average, 4 ms
 * bound at 250 Hz); taskrun_flag the same (the flag is only a hint the spinning submitter never reads);
 * defer_taskrun never, until the submitter enters the kernel (every trial times out). When the submitter is on the
 * interrupt CPU itself, the interrupt's return to user space runs the task work and no flag delays it.
 */
@State(Scope.Benchmark)
public class CompletionStall extends ThesisJob {
    @Override
    protected RandomIoReport measuredRun() {
        RandomIoReport r = CrossThreadCompletion.stall(spec, target, pair[0], pair[1], CrossThreadCompletion.STALL_TIMEOUT_NANOS);
        RandomIoMetrics.recordExtra("stallTimeouts", Double.parseDouble(r.facts().get("timeouts")));
        RandomIoMetrics.recordExtra("trials", Double.parseDouble(r.facts().get("trials")));
        return r;
    }

    @Override
    protected void warmup() {}
}
