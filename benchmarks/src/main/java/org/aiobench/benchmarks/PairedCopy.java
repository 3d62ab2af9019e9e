package org.aiobench.benchmarks;

import java.io.IOException;
import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.aiobench.benchmarks.metrics.CopyMetrics;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Two configurations in one fork, their copies alternating, x y x y ... (issue 20: pairs seconds apart, not minutes):
 * the two sides of a comparison share the fork's JVM, its compiled code, the CPU it landed on and the box's state
 * that minute, so what differs between forks (measured on the test VM: forks of one configuration twice as far apart
 * as the copies inside one fork, the fork's CPU time doubling in a slow one) moves both sides alike and cancels in
 * their ratio. Each side is its own benchmark ({@code BasicCopy}, {@code CpBaseline}, ...) with its own preparation,
 * destination and verification, exactly as in a fork of its own; every copy records which side it was
 * ({@value #SIDE}: 0 for x, 1 for y), by which the runner gives each sample to its configuration with the pairing.
 *
 * <p>{@code x} and {@code y} name a benchmark class and its parameters: {@code org.aiobench.benchmarks.BasicCopy:
 * engine=io_uring;mode=single;...} (semicolons: JMH splits a parameter on commas). The warm-ups alternate too, so both sides reach compiled code.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PairedCopy {
    /** The secondary metric saying which side a copy was: 0 for x, 1 for y. */
    public static final String SIDE = CopyMetrics.PAIR_SIDE;

    @Param({"org.aiobench.benchmarks.CpBaseline:fileSize=1M;files=128;cache=warm"}) public String x;
    @Param({"org.aiobench.benchmarks.CpBaseline:fileSize=1M;files=128;cache=warm"}) public String y;

    private CopyBenchmark[] sides;
    private int invocation;
    private int current;

    @Setup(Level.Trial)
    public void trial() throws IOException {
        sides = new CopyBenchmark[] {side(x, "x"), side(y, "y")};
        for (CopyBenchmark s : sides) s.trial();
    }

    @Setup(Level.Invocation)
    public void prepare() throws IOException, InterruptedException {
        current = invocation++ % 2;
        sides[current].prepare();
    }

    @Benchmark
    public Object copy() throws IOException, InterruptedException {
        return sides[current].copy();
    }

    @TearDown(Level.Invocation)
    public void check() throws IOException {
        sides[current].check();
        CopyMetrics.record(Map.of(SIDE, (double) current));
    }

    @TearDown(Level.Trial)
    public void cleanUp() throws IOException {
        if (sides == null) return;
        for (CopyBenchmark s : sides) s.cleanUp();
    }

    /** "org.aiobench.benchmarks.BasicCopy:engine=io_uring;mode=single": the class and its parameters. */
    public static String spec(String benchmarkClass, Map<String, String> params) {
        StringBuilder b = new StringBuilder(benchmarkClass).append(':');
        params.forEach((k, v) -> {
            if (b.charAt(b.length() - 1) != ':') b.append(';');
            b.append(k).append('=').append(v);
        });
        return b.toString();
    }

    /** The side a spec names, its parameters set, its destination apart from the other side's. */
    static CopyBenchmark side(String spec, String tag) {
        int colon = spec.indexOf(':');
        if (colon < 0) throw new IllegalArgumentException("a side is CLASS:k=v;...: " + spec);
        Map<String, String> params = new LinkedHashMap<>();
        String rest = spec.substring(colon + 1);
        if (!rest.isEmpty()) {
            for (String kv : rest.split(";")) {
                int eq = kv.indexOf('=');
                if (eq < 0) throw new IllegalArgumentException("a parameter is k=v: " + kv + " in " + spec);
                params.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        try {
            Class<?> c = Class.forName(spec.substring(0, colon));
            if (!CopyBenchmark.class.isAssignableFrom(c)) throw new IllegalArgumentException(c + " is no copy benchmark");
            CopyBenchmark b = (CopyBenchmark) c.getDeclaredConstructor().newInstance();
            for (Class<?> k = c; k != null; k = k.getSuperclass()) {
                for (Field f : k.getDeclaredFields()) {
                    if (f.isAnnotationPresent(Param.class) && params.containsKey(f.getName())) {
                        f.setAccessible(true);
                        f.set(b, params.get(f.getName()));
                    }
                }
            }
            b.destinationTag = tag;
            return b;
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot make the side " + spec + ": " + e, e);
        }
    }
}
