package org.aiobench.benchmarks;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.aiobench.benchmarks.metrics.CopyMetrics;
import org.aiobench.benchmarks.metrics.StartTimeProfiler;
import org.aiobench.engines.UnsupportedConfigurationException;
import org.aiobench.workloads.CacheControl;
import org.aiobench.workloads.CopyPlan;
import org.aiobench.workloads.CopyResult;
import org.aiobench.workloads.Manifest;
import org.aiobench.workloads.Progress;
import org.aiobench.workloads.Scratch;
import org.aiobench.workloads.TestTree;
import org.aiobench.workloads.VerificationException;
import org.aiobench.workloads.Verifier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every copy experiment shares: one recursive copy of a seeded test tree per invocation, timed by JMH as a
 * single shot. Subclasses declare the {@code @Param}s (all of results/README.md; a group fixes the ones it does
 * not vary) and say in their Javadoc what they reproduce.
 *
 * <p>Untimed, once per trial: the copy is prepared ({@link CopyPlan#prepare}: the checks and preflight walk of
 * the source, the destination root, the O_DIRECT probe, the buffers, which every copy of the trial reuses).
 * Untimed, around every copy: the previous copy is deleted and the destination root made again, the scratch
 * filesystem is synced (so the last copy's writeback does not land in this one), the source's cache state is
 * prepared and checked ({@link CacheControl#reach}: warm all resident, cold none, else the trial fails). After
 * every copy the destination is verified against the tree's manifest; wrong data throws, which fails this
 * benchmark (JMH reports it; the runner logs it as FAILED and goes on).
 *
 * <p>The timed section is {@link CopyPlan#run}: building the engine (as the study's programs did), the walk, the
 * copy of every file and the engine's close. The copy's own clock ({@link CopyResult#nanos()}, behind
 * {@code mbPerSec}) covers the same span. Secondary metrics ({@link CopyMetrics}) need
 * {@link CopyMetricsProfiler}. How many warm-up copies a configuration needs: {@link CopySpec#warmupsFor}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 1)
@Measurement(iterations = 5)
public abstract class CopyBenchmark {
    private Path scratch;
    private Path source;
    private Path destination;
    private Manifest manifest;
    protected CopySpec spec;
    /**
     * Names this benchmark's destination apart from another's in the same JVM ({@link PairedCopy} runs two): "" for
     * the one destination of a fork.
     */
    String destinationTag = "";
    private CopyPlan plan;
    /** The source's resident fraction before this invocation's copy. */
    protected double residentFraction;
    private Object before;
    private Object last;

    /** The {@code @Param} fields of this benchmark by name, with their values for this trial. */
    public final Map<String, String> params() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Class<?> c = getClass(); c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.isAnnotationPresent(Param.class)) {
                    try {
                        f.setAccessible(true);
                        m.putIfAbsent(f.getName(), String.valueOf(f.get(this)));
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return m;
    }

    /** Why this experiment does not apply to a configuration the engine can run, or null. */
    protected String notApplicable(CopySpec spec) {
        return null;
    }

    /** Turns this benchmark's parameters into a spec (the peers override it). */
    protected CopySpec spec(Map<String, String> params) {
        return CopySpec.of(params);
    }

    @Setup(Level.Trial)
    public void trial() throws IOException {
        spec = spec(params());
        if (spec.options() != null) {
            // an unsupported or redundant combination fails here with its reason, before anything is timed
            // (the experiment runner skips these without starting JMH)
            spec.options().validate();
            String redundant = spec.options().redundancyReason();
            if (redundant != null) throw new UnsupportedConfigurationException(redundant);
            String na = notApplicable(spec);
            if (na != null) throw new UnsupportedConfigurationException(na);
        }
        scratch = ScratchLayout.scratch();
        source = ScratchLayout.tree(scratch, spec.files(), spec.fileSize());
        Files.createDirectories(source.getParent());
        // the runner ensured (generated or fully verified) the tree once per run; here only its manifest is read,
        // and every copy's verification would show a source that changed since
        Manifest m = TestTree.manifestOf(source);
        if (m == null || m.fileCount() != spec.files() || m.fileSize() != spec.fileSize()
                || m.seed() != ScratchLayout.SEED || !Files.isDirectory(source)) {
            m = TestTree.ensure(source, spec.files(), spec.fileSize(), ScratchLayout.SEED);
        }
        manifest = m;
        destination = ScratchLayout.destination(scratch, destinationTag);
        Scratch.deleteOwned(destination);
        prepareTrial(source, destination);
    }

    /** Untimed, once per trial: the copy plan (the peers override it). */
    protected void prepareTrial(Path src, Path dst) throws IOException {
        plan = CopyPlan.prepare(src, dst, spec.options());
    }

    @Setup(Level.Invocation)
    public void prepare() throws IOException, InterruptedException {
        resetDestination(destination);
        CacheControl.syncfs(scratch);
        residentFraction = CacheControl.reach(source, spec.cache()).residentFraction();
        before = begin();
        StartTimeProfiler.mark(); // the sample's place in time (samples.jsonl start)
    }

    @Benchmark
    public Object copy() throws IOException, InterruptedException {
        return last = timedCopy(source, destination);
    }

    /** The timed copy of {@code src} into the empty destination root; returns what {@link #record} needs. */
    protected Object timedCopy(Path src, Path dst) throws IOException, InterruptedException {
        return plan.run(Progress.NONE);
    }

    /** Untimed, before each copy: the last copy deleted, the destination root made again, empty. */
    protected void resetDestination(Path dst) throws IOException, InterruptedException {
        plan.resetDestination();
    }

    /** Samples taken right before the copy. */
    protected Object begin() {
        return CopyMetrics.begin();
    }

    /** Records the copy's secondary metrics from what {@link #begin} and {@link #timedCopy} returned. */
    protected void record(Object before, Object result) {
        CopyResult r = (CopyResult) result;
        Map<String, Double> m = CopyMetrics.end((CopyMetrics.Before) before);
        m.put(CopyMetrics.MB_PER_SEC, r.mbPerSec());
        m.put(CopyMetrics.NATIVE_BYTES, (double) nativeBytes(r));
        m.put(CopyMetrics.RESIDENT, residentFraction);
        m.put(CopyMetrics.PAIRS_IN_FLIGHT, (double) r.slots());
        m.put(CopyMetrics.FILES_IN_FLIGHT, (double) r.filesInFlight());
        CopyMetrics.record(m);
    }

    /**
     * The copy's buffers plus the memory an engine reports having mapped for itself (facts ending in
     * {@code mapped_bytes}, e.g. io_uring's {@code ring.mapped_bytes}).
     */
    static long nativeBytes(CopyResult r) {
        long n = r.nativeBytes();
        for (Map.Entry<String, String> f : r.engineFacts().entrySet()) {
            if (f.getKey().endsWith("mapped_bytes")) {
                try {
                    n += Long.parseLong(f.getValue().trim());
                } catch (NumberFormatException ignored) {
                    // not a number: not counted
                }
            }
        }
        return n;
    }

    /** Where the copied tree is, below the destination (cp puts it one level down). */
    protected Path copiedTree(Path dst, Path src) {
        return dst;
    }

    /** What the last timed copy returned (null when it threw), taken once. */
    protected final Object takeLast() {
        Object r = last;
        last = null;
        return r;
    }

    @TearDown(Level.Invocation)
    public void check() throws IOException {
        Object r = takeLast();
        if (r == null) return; // the copy threw; JMH reports that
        record(before, r);
        Path copy = copiedTree(destination, source);
        try {
            Verifier.verify(copy, manifest);
        } catch (VerificationException wrong) {
            throw wrong.within(copy); // the file as it is named in the tree, for failures.json and the report
        }
    }

    @TearDown(Level.Trial)
    public void cleanUp() throws IOException {
        if (plan != null) plan.close();
        plan = null;
        if (destination != null) Scratch.deleteOwned(destination);
        cleanUpTrial();
    }

    /** What a subclass made for the trial, deleted at its end. */
    protected void cleanUpTrial() {}
}
