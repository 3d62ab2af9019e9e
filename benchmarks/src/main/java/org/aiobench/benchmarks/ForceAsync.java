package org.aiobench.benchmarks;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Thesis section 4.2 (exp 13 and 15): IOSQE_ASYNC on every SQE ({@code ringFlags=async}: each read goes to an io-wq
 * worker instead of being issued inline) against the default, 512-byte O_DIRECT random reads of the scratch file, one
 * job pinned to one CPU ({@code placement=other}) or unpinned ({@code any}). The io-wq workers the kernel created are
 * recorded ({@code ioWqWorkers}) with their CPU ({@code helperCpuSec}).
 *
 * <p>What to look for: pinned, async behind the default (the thesis: 105K against 186K IOPS at iodepth 64: the job
 * and its io-wq workers share the one CPU); unpinned, async ahead at depth (312K against 223K: the workers issue on
 * other CPUs). This machine has two CPUs, so an unpinned job's workers have one other CPU at most.
 */
@State(Scope.Benchmark)
public class ForceAsync extends ThesisJob {
}
