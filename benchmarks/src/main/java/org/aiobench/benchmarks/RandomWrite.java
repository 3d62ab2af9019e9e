package org.aiobench.benchmarks;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The write side of {@link RandomRead} (the thesis' exp_14 wrote 512-byte blocks to a 1 GiB ext4 file): O_DIRECT
 * random writes over a fully written 1 GiB file (never into holes or unwritten extents), every engine, queue depth
 * 1 to 128, 4K and 512 bytes; each job's last writes are read back and checked. {@link FioReference} runs fio's
 * equivalent on the same file.
 *
 * <p>What to look for: 512-byte writes on a filesystem with 4K blocks are sub-block O_DIRECT writes, which ext4
 * serialises on the inode lock and io_uring punts to io-wq (the artifact's exp_14): their IOPS stop scaling with
 * depth and the helper threads' CPU appears; 4K writes scale like reads until the device's write path saturates.
 */
@State(Scope.Benchmark)
public class RandomWrite extends RandomIoBenchmark {
    @Param({"randwrite"}) public String rw;
}
