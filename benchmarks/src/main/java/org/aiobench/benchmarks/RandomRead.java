package org.aiobench.benchmarks;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Thesis chapter 3/4 baseline (its fio method, ../shared/papers/io_uring-thesis.md; exp_15-17 of the artifact):
 * O_DIRECT random reads of a 1 GiB seeded file, IOPS over queue depth 1 to 128 with every engine, 4K and the
 * thesis' 512-byte blocks. Each asynchronous engine runs one job at iodepth N; sync runs N jobs of one I/O each, so
 * each point has N I/Os in flight. {@link FioReference} runs fio's equivalent job on the same file in the same run.
 *
 * <p>What to look for: IOPS rising with depth until the device saturates (the thesis' Optane flattened near
 * QD 8-16; a virtio disk much earlier), io_uring and libaio on top of each other (the device, not the interface,
 * is the ceiling), POSIX AIO behind them (glibc's threads, created and destroyed as requests come and go); p99
 * latency growing linearly once the device is saturated (Little's law); CPU per I/O falling with depth as batches
 * grow. Against fio: the Java engines should reach fio's IOPS with the same engine (the ratio table); a gap at
 * depth 1 is the loop's own cost per I/O.
 */
@State(Scope.Benchmark)
public class RandomRead extends RandomIoBenchmark {
    @Param({"randread"}) public String rw;
}
