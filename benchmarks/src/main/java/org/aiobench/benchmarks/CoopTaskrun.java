package org.aiobench.benchmarks;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Thesis section 4.1 (exp 01 to 07, 09 and 12; figures 4.1 to 4.13, 4.17): IORING_SETUP_COOP_TASKRUN and its
 * relatives. More jobs than CPUs (4 jobs on one CPU here; the thesis ran 16 on one or two), 512-byte O_DIRECT random
 * reads, iodepth per job, ring flags none (the default: completions are task work signalled with an IPI), coop_taskrun
 * (no IPI: the task work waits for the next kernel entry), coop_taskrun+taskrun_flag (the kernel also flags pending
 * task work in the SQ ring) and single_issuer+defer_taskrun (task work runs only when the submitter waits), with the
 * jobs pinned on the CPU that takes the device's interrupts ({@code placement=irq}) or off it ({@code other}), and
 * with pinned CPU hogs beside them ({@code hogs}, exp 04 and 07).
 *
 * <p>What to look for: off the interrupt CPU at iodepth 4 and more, coop_taskrun well ahead of the default (the thesis:
 * about 14% on its Optane, exp 05; 20% in exp 09's same-NUMA placement) because the IPIs that kick a running job into
 * the kernel are gone; on the interrupt CPU no difference (the interrupt itself enters the kernel); at iodepth 1 no
 * difference (the job sleeps, a wake-up needs no IPI). A virtio disk completes far fewer I/Os per second than the
 * Optane, so the IPIs saved per second, and the gain, are smaller.
 */
@State(Scope.Benchmark)
public class CoopTaskrun extends ThesisJob {
}
