package org.aiobench.engines.nat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** sched_setaffinity(2) for the calling thread: pins a benchmark thread to chosen CPUs. */
public final class Affinity {
    private Affinity() {}

    private static final int CPU_SET_BYTES = 128; // glibc's cpu_set_t: 1024 CPUs

    /** Pins the calling thread to the given CPUs. */
    public static void pinCurrentThread(int... cpus) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment set = a.allocate(CPU_SET_BYTES, 8);
            for (int cpu : cpus) {
                if (cpu < 0 || cpu >= CPU_SET_BYTES * 8) throw new IllegalArgumentException("no such CPU: " + cpu);
                long word = set.get(JAVA_LONG, (cpu / 64) * 8L);
                set.set(JAVA_LONG, (cpu / 64) * 8L, word | (1L << (cpu % 64)));
            }
            Libc.check(Libc.schedSetaffinity(0, set), "sched_setaffinity", null);
        }
    }

    /** The CPUs the calling thread may run on. */
    public static int[] currentThreadCpus() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment set = a.allocate(CPU_SET_BYTES, 8);
            Libc.check(Libc.schedGetaffinity(0, set), "sched_getaffinity", null);
            return java.util.stream.IntStream.range(0, CPU_SET_BYTES * 8)
                    .filter(c -> (set.get(JAVA_LONG, (c / 64) * 8L) & (1L << (c % 64))) != 0).toArray();
        }
    }
}
