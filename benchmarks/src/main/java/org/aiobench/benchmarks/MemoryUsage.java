package org.aiobench.benchmarks;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Copy report 4.5 (the memory figure): peak memory of every engine copying 128 files of 32K, 1M and 100M in single
 * mode, buffered and with O_DIRECT. The number to read is the secondary metric {@code peakRssBytes} (peak RSS
 * during the copy minus the RSS before it, the peak reset with clear_refs), next to {@code nativeBytes}, the native
 * memory the engine and workload allocated; the time is recorded too.
 *
 * <p>What to look for: the report found memory depending on file size only, with POSIX AIO jumping from small to
 * medium files in buffered mode. Here the buffers are bounded by qd x buffer size for every engine, so the peak
 * should not grow with file size; growth points at per-file state or at glibc's AIO threads. The report measured
 * the whole process (ru_maxrss); a JVM has a large fixed RSS, so the copy's own increase is reported instead. The
 * buffers are mapped when the copy is prepared, before the timed run: they are in {@code nativeBytes}, and
 * {@code peakRssBytes} is what the run itself adds (the engine's rings, contexts, glibc's AIO threads).
 */
@State(Scope.Benchmark)
public class MemoryUsage extends CopyBenchmark {
    @Param({"sync", "copy_file_range", "posixaio", "libaio", "io_uring"}) public String engine;
    @Param({"single"}) public String mode;
    @Param({"32K", "1M", "100M"}) public String fileSize;
    @Param({"128"}) public String files;
    @Param({"false", "true"}) public String direct;
    @Param({"false"}) public String fallocate;
    @Param({"64"}) public String qd;
    @Param({"4"}) public String opsPerFile;
    @Param({"128K"}) public String bufferSize;
    @Param({"false"}) public String regbuf;
    @Param({"false"}) public String regfiles;
    @Param({"none"}) public String ringFlags;
    /** copy_file_range: file (as GNU cp 9, whole files) or pair (the study's one call per 128K pair); pair elsewhere. */
    @Param({"pair", "file"}) public String cfrRequest;
    @Param({"warm"}) public String cache;
}
