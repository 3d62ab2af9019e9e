package org.aiobench.benchmarks;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * io_uring setup and SQE flags on the copy (the thesis explored them with fio; the copy report used none):
 * io_uring copies 128 files of 1M in single mode with no flags, COOP_TASKRUN, SINGLE_ISSUER + DEFER_TASKRUN,
 * SQPOLL, IOSQE_ASYNC on every request, each without and with registered files ({@code regfiles}).
 *
 * <p>What to look for: COOP_TASKRUN and DEFER_TASKRUN should cut interruptions (see {@code ctxInvoluntary});
 * SQPOLL trades a polling kernel thread for fewer io_uring_enter calls (the thread,
 * {@code iou-sqp-*}, is a task of this process since Linux 5.12: its CPU time is in {@code helperCpuSec}, beside the
 * copying thread's {@code threadCpu*}); ASYNC forces every request through io-wq workers, which usually costs time for buffered I/O. Flags this
 * kernel rejects are skipped with the kernel's reason.
 */
@State(Scope.Benchmark)
public class RingFlagsCopy extends CopyBenchmark {
    @Param({"io_uring"}) public String engine;
    @Param({"single"}) public String mode;
    @Param({"1M"}) public String fileSize;
    @Param({"128"}) public String files;
    @Param({"false", "true"}) public String direct;
    @Param({"false"}) public String fallocate;
    @Param({"64"}) public String qd;
    @Param({"4"}) public String opsPerFile;
    @Param({"128K"}) public String bufferSize;
    @Param({"false"}) public String regbuf;
    @Param({"false", "true"}) public String regfiles;
    @Param({"none", "coop_taskrun", "single_issuer,defer_taskrun", "sqpoll", "async"}) public String ringFlags;
    @Param({"warm", "cold"}) public String cache;
}
