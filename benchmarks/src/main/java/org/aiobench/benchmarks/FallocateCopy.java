package org.aiobench.benchmarks;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Copy report 4.3.1 (the fallocate figure): every engine copies 128 files of 1M in single mode with and without
 * preallocating each destination file, buffered and with O_DIRECT.
 *
 * <p>What to look for: the report measured 10-17% less runtime with fallocate for every engine except POSIX AIO
 * in buffered mode. Preallocation saves block allocation during the writes. Check whether the gain is larger
 * than the spread (error bars are 2 SD of the raw samples).
 */
@State(Scope.Benchmark)
public class FallocateCopy extends CopyBenchmark {
    @Param({"sync", "copy_file_range", "posixaio", "libaio", "io_uring"}) public String engine;
    @Param({"single"}) public String mode;
    @Param({"1M"}) public String fileSize;
    @Param({"128"}) public String files;
    @Param({"false", "true"}) public String direct;
    @Param({"false", "true"}) public String fallocate;
    @Param({"64"}) public String qd;
    @Param({"4"}) public String opsPerFile;
    @Param({"128K"}) public String bufferSize;
    @Param({"false"}) public String regbuf;
    @Param({"false"}) public String regfiles;
    @Param({"none"}) public String ringFlags;
    /** copy_file_range: file (as GNU cp 9, whole files) or pair (the study's one call per 128K pair); pair elsewhere. */
    @Param({"pair", "file"}) public String cfrRequest;
    @Param({"warm", "cold"}) public String cache;
}
