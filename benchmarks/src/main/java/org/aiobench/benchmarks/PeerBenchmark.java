package org.aiobench.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.aiobench.benchmarks.metrics.CopyMetrics;
import org.aiobench.workloads.PeerCommand;
import org.aiobench.workloads.PeerProcess;
import org.aiobench.workloads.Scratch;

/**
 * An external copy program measured as a user meets it, a peer of the engines: {@link PeerCommand} run as a process
 * on the same trees, in the same rounds, with the same untimed preparation (the last copy deleted, syncfs, the
 * source's cache state reached and checked) and the same verification against the manifest as the engines. The time
 * is from the spawn to the exit ({@link PeerProcess}); CPU time and context switches are the peer's (and its own
 * children's), its peak memory is its own ru_maxrss where GNU time is installed; a process has no native-bytes,
 * thread or helper figures.
 *
 * <p>The contract of a peer command is that {@code {dst}} does not exist beforehand and must become the copy of
 * {@code {src}}: {@code {dst}} is the tree's name inside the destination root, which aiobench creates (and so may
 * delete) untimed before each copy. What starting the peer costs is measured beside it, untimed, before every copy:
 * the same command through the same spawn path on an empty directory (median of three), recorded as
 * {@code spawnSec}; the report sets the peer's time less that beside the engines', which run in a JVM already
 * started. The cold cache evicts only the source's pages, so the peer's program stays as resident as in a warm run.
 *
 * <p>A peer whose copy differs from the manifest fails its fork with the file (relative to the tree) and the first
 * wrong offset; the runner records that as wrong data and goes on.
 */
public abstract class PeerBenchmark extends CopyBenchmark {
    private Path emptySource;
    private Path startTarget;
    private long startNanos;
    private PeerCommand command;

    /** The peer this benchmark runs. */
    protected abstract PeerCommand peer();

    @Override
    protected CopySpec spec(Map<String, String> params) {
        return CopySpec.ofCp(params);
    }

    /** No plan: the peer has its own. An empty directory and a place to copy it to, for the start cost. */
    @Override
    protected void prepareTrial(Path src, Path dst) throws IOException {
        command = peer();
        Path start = dst.resolveSibling("peer-start");
        Scratch.deleteOwned(start);
        Scratch.createOwned(start);
        emptySource = Files.createDirectory(start.resolve("empty"));
        startTarget = Files.createDirectory(start.resolve("into"));
    }

    @Override
    protected Object begin() {
        return null; // the peer's own usage is measured around its process
    }

    /** The destination root made again, empty (the peer makes {@code {dst}} inside it); then the start cost. */
    @Override
    protected void resetDestination(Path dst) throws IOException, InterruptedException {
        Scratch.deleteOwned(dst);
        Scratch.createOwned(dst);
        startNanos = PeerProcess.startCost(command, emptySource, startTarget);
    }

    @Override
    protected Object timedCopy(Path src, Path dst) throws IOException, InterruptedException {
        return PeerProcess.run(command, src, copiedTree(dst, src));
    }

    @Override
    protected void record(Object before, Object result) {
        PeerProcess.Run r = (PeerProcess.Run) result;
        Map<String, Double> m = CopyMetrics.process(r.usage(), r.maxRssKiB() < 0 ? -1 : r.maxRssKiB() * 1024);
        m.put(CopyMetrics.MB_PER_SEC, spec.treeBytes() / 1e6 / r.seconds());
        m.put(CopyMetrics.SPAWN, startNanos / 1e9);
        m.put(CopyMetrics.RESIDENT, residentFraction);
        CopyMetrics.record(m);
    }

    @Override
    protected void cleanUpTrial() {
        if (emptySource != null) Scratch.deleteOwned(emptySource.getParent());
    }

    /** {@code {dst}}: the tree's own name inside the destination root. */
    @Override
    protected Path copiedTree(Path dst, Path src) {
        return dst.resolve(src.getFileName());
    }
}
