package org.aiobench.benchmarks;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Copy report 4.2 (4.2.1 small, 4.2.2 medium, 4.2.3 large files: the runtime figures per file size, with and
 * without O_DIRECT): every engine in every mode copies 128 files of 32K, 1M and 100M, queue depth 64, 128K buffers.
 *
 * <p>What to look for: whether io_uring beats the synchronous copy in buffered mode for small files (the report
 * says by about 30%) and whether that lead shrinks as files grow; whether POSIX AIO gains from O_DIRECT (the report
 * claims it becomes asynchronous only then: glibc runs it in threads either way, so any gain is the page cache
 * being bypassed); whether multi and batch modes help at all (batching adds a barrier per round). The report had
 * a broken io_uring link (reads and writes unordered) and zero-filled sources, so differences from its figures
 * are expected and worth explaining. A cold cache makes the reads hit the device, which the study never measured.
 */
@State(Scope.Benchmark)
public class BasicCopy extends CopyBenchmark {
    @Param({"sync", "copy_file_range", "posixaio", "libaio", "io_uring"}) public String engine;
    @Param({"single", "multi", "batch"}) public String mode;
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
    /** posixaio in multi and batch modes: dup (a descriptor per concurrent request) or file (the study's one). */
    @Param({"dup", "file"}) public String aioFds;
    /** io_uring: the walk's opens, statx, mkdirat and closes by system calls or through the ring. */
    @Param({"syscalls", "ring"}) public String metadata;
    @Param({"warm", "cold"}) public String cache;
}
