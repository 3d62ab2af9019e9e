package org.aiobench.benchmarks.run;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** What the runner's tests share: the tiny matrix, running the runner in this JVM, cleaning up. */
final class RunnerTests {
    static final Path BASE = Path.of("target", "runner-test").toAbsolutePath();
    static final Path SCRATCH = BASE.resolve("scratch");
    /**
     * Trees of 3 files of 4K, one measured copy per fork, JMH in this JVM, 2 rounds; random I/O on a 4M target at
     * 1 and 4 I/Os in flight, 300 ms runs.
     */
    static final List<String> TINY = List.of("--sizes", "4K", "--files", "3", "--caches", "warm", "--qd", "1,2",
            "--forks", "0", "--warmups", "0", "--iterations", "1", "--rounds", "2", "--iodepth", "1,4", "--bs", "4K",
            "--ramp", "0", "--runtime", "300ms", "--target-size", "4M", "--dir", SCRATCH.toString(),
            "--repo", Path.of("..").toString());

    private RunnerTests() {}

    record Outcome(int status, String out, String err) {
        String all() { return out + err; }
    }

    static Outcome run(List<String> args) {
        // JMH allows one benchmark run per machine (a lock in /tmp); these in-process runs of a few KiB may
        // overlap a real run without harming it
        System.setProperty("jmh.ignoreLock", "true");
        try {
            Files.createDirectories(SCRATCH); // --dir must exist
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = ExperimentRunner.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The tiny matrix's options, those named in {@code args} replaced by theirs, then {@code args}. */
    static List<String> tinyWith(String... args) {
        List<String> given = List.of(args);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < TINY.size(); i += 2) {
            if (!given.contains(TINY.get(i))) out.addAll(TINY.subList(i, i + 2));
        }
        out.addAll(given);
        return out;
    }

    /** The tiny matrix into {@code results}, plus {@code more} options. */
    static Outcome runTiny(Path results, String... more) throws IOException {
        Files.createDirectories(BASE); // --dir must exist or have an existing parent
        List<String> args = new ArrayList<>(TINY);
        args.addAll(List.of("--results", results.toString()));
        args.addAll(List.of(more));
        return run(args);
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(x);
        }
    }
}
