package org.aiobench.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.aiobench.workloads.Manifest;
import org.aiobench.workloads.Progress;
import org.aiobench.workloads.ScratchLock;
import org.aiobench.workloads.Sizes;
import org.aiobench.workloads.TestTree;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "gen-tree", mixinStandardHelpOptions = true,
        description = {"Generate a test tree: FILES files of SIZE bytes of seeded pseudo-random data (really written),",
                "spread over nested subdirectories, with a manifest of checksums beside it (DIR.manifest.json).",
                "An existing tree made by aiobench with the same parameters is checked and reused; one it made with",
                "others, damaged or left incomplete (DIR.aiobench-incomplete) is replaced. Free space is checked first."})
final class GenTreeCommand implements Callable<Integer> {

    @Option(names = "--files", description = "number of files (default: ${DEFAULT-VALUE})", defaultValue = "128")
    int files;

    @Option(names = "--size", description = "bytes per file: 32K, 1M, 100M, 4097 ... (default: ${DEFAULT-VALUE})", defaultValue = "1M")
    String size;

    @Option(names = "--seed", description = "seed of the data and the layout (default: ${DEFAULT-VALUE})", defaultValue = "42")
    long seed;

    @Parameters(paramLabel = "DIR", description = "the directory to create")
    Path dir;

    @Override
    public Integer call() {
        long bytes = Sizes.parse(size, "--size");
        if (files < 1) throw new IllegalArgumentException("--files must be at least 1, got " + files);
        long t0 = System.nanoTime();
        Path parent = dir.toAbsolutePath().normalize().getParent();
        if (parent == null) throw new IllegalArgumentException("gen-tree needs a new directory, not /");
        Manifest m;
        try (ScratchLock lock = ScratchLock.acquire(List.of(parent), List.of())) {
            String experiment = ScratchLock.runningExperiment();
            if (experiment != null) System.out.println("gen-tree: note: " + experiment + ": this disturbs its measurement");
            m = TestTree.ensure(dir, files, bytes, seed, Progress.console("gen-tree", System.out),
                    msg -> System.out.println("gen-tree: " + msg));
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "tree      %s%n", dir.toAbsolutePath());
        System.out.printf(Locale.ROOT, "files     %d x %s = %s, in %d directories, seed %d%n", m.fileCount(),
                Sizes.format(m.fileSize()), Sizes.human(m.totalBytes()), m.directories().size(), m.seed());
        System.out.printf(Locale.ROOT, "manifest  %s%n", Manifest.pathFor(dir));
        System.out.printf(Locale.ROOT, "took      %.2f s%n", s);
        return 0;
    }
}
