package org.aiobench.benchmarks;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Thesis sections 4.1.6 and 4.4 (exp 08 and 17; figures 4.14, 4.15 and the SQPOLL thinkcycles figure): think time
 * between reaping and resubmitting ({@code thinkcycles}: fio's busy loop of N iterations, here JMH's consumeCPU token,
 * a few cycles each), iodepth 64, default vs coop_taskrun (the job on the CPU without the device's interrupts) vs
 * SQPOLL (the job there, the SQ thread pinned to the other CPU: {@code placement=split}).
 *
 * <p>What to look for: IOPS falling with think time for the interrupt-driven rings, coop_taskrun's gain not growing
 * with it (exp 08); SQPOLL holding its IOPS flat while the application's think time still leaves it ahead of the
 * device, then falling once the application cannot queue I/O as fast as the device completes it (the thesis' threshold
 * near 64 to 128 thinkcycles on the Optane; on a slower disk it comes later). The x axis is categorical over powers of
 * two, i.e. a log axis.
 */
@State(Scope.Benchmark)
public class ThinkTime extends ThesisJob {
}
