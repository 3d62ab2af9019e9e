package org.aiobench.benchmarks;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Thesis section 4.4 (exp 17; its SQPOLL figures): one job with IORING_SETUP_SQPOLL, the application pinned to one CPU
 * and the SQ thread to the other ({@code ringFlags=sqpoll}, {@code placement=split}), against two interrupt-driven jobs
 * on those two CPUs ({@code ringFlags=none}, {@code numjobs=2}, {@code placement=both}): the same two CPUs busy.
 * IOPS, latency (mean and p99) and the CPU of the job threads and of the SQ thread ({@code helperCpuSec}).
 *
 * <p>What to look for: at iodepth 64 and more SQPOLL at the IOPS of the two jobs with about half their latency (the
 * thesis: 151 against 299 µs at 423K IOPS) - by Little's law, since the two jobs keep twice as many I/Os in flight;
 * at low depth the two jobs ahead (twice the I/Os in flight). The SQ thread burns its whole CPU.
 */
@State(Scope.Benchmark)
public class SqPoll extends ThesisJob {
}
