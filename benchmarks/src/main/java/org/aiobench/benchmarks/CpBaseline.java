package org.aiobench.benchmarks;

import org.aiobench.workloads.PeerCommand;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The external reference of the copy report's figures (its "cp"), the built-in peer {@code cp}: GNU
 * {@code cp -r --reflink=never {src} {dst}} measured as every peer is ({@link PeerBenchmark}: spawn to exit, its start
 * cost beside it as {@code spawnSec}, its own CPU, context switches and peak memory, verified against the manifest).
 * It is the A/A control and the denominator of the report's ratios, so it keeps its own class, group {@code cp} and
 * configuration ids ({@code CpBaseline:cache=warm,fileSize=1M,files=128}) across versions.
 *
 * <p>What to look for: the study's own "cp" was a copy_file_range loop (compare {@code engine=copy_file_range}); GNU
 * cp also uses copy_file_range where it can, so the two should be close, and the process start is part of what a
 * user pays. {@code --reflink=never} keeps a CoW filesystem from cloning instead of copying.
 */
@State(Scope.Benchmark)
public class CpBaseline extends PeerBenchmark {
    @Param({"32K", "1M", "100M"}) public String fileSize;
    @Param({"128"}) public String files;
    @Param({"warm", "cold"}) public String cache;

    @Override
    protected PeerCommand peer() {
        return PeerCommand.CP;
    }
}
