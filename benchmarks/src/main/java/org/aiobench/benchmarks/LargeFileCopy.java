package org.aiobench.benchmarks;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Large files against the best C and the device (issue 24): the engines copy a tree of large files (16 x 100M in the
 * full study, the quick matrix's large tree in --quick) in the same rounds as plain {@code cp -r} (the built-in peer
 * {@code cp-plain}: copy_file_range, whole files), the study's {@code cp -r --reflink=never} (group cp: read/write)
 * and fio's read-and-write-at-once job on the same tree ({@link FioCopyBound}, the device's copy bound), so each
 * engine's ratio to both is a verdict, not two numbers taken at different times.
 *
 * <p>What to look for: copy_file_range as cp does it ({@code cfrRequest=file}) the same as plain cp -r, within 5%
 * (the harness must not lose to the C program using the same system call); the study's one call per 128K pair
 * ({@code cfrRequest=pair}) beside it; the best engine at or above plain cp -r and at or above 0.95 of the bound's
 * speed. Where it is not, the parameters that decide it are here: request size (bufferSize), requests in flight per
 * file (mode, opsPerFile) and across files (qd), fallocate, O_DIRECT.
 */
@State(Scope.Benchmark)
public class LargeFileCopy extends CopyBenchmark {
    @Param({"copy_file_range"}) public String engine;
    @Param({"single"}) public String mode;
    @Param({"100M"}) public String fileSize;
    @Param({"16"}) public String files;
    @Param({"false"}) public String direct;
    @Param({"false"}) public String fallocate;
    @Param({"64"}) public String qd;
    @Param({"4"}) public String opsPerFile;
    @Param({"128K"}) public String bufferSize;
    @Param({"false"}) public String regbuf;
    @Param({"false"}) public String regfiles;
    @Param({"none"}) public String ringFlags;
    @Param({"file"}) public String cfrRequest;
    @Param({"cold"}) public String cache;
}
