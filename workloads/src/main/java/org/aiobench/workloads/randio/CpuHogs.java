package org.aiobench.workloads.randio;

import java.util.ArrayList;
import java.util.List;

import org.aiobench.engines.nat.Affinity;

/**
 * Busy threads pinned beside a job (the thesis' {@code busy.c}, {@code while (x++ || y++);}, exp 04, 06, 07): each
 * spins in user space, never sleeping and never entering the kernel, on the one CPU it is pinned to, so the job
 * threads of that CPU share it with them. Pinned, unlike exp 04's hogs, which were started by a shell loop and not
 * all stopped (paper-artifacts 2.8). Closing stops and joins them.
 */
public final class CpuHogs implements AutoCloseable {
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stop;
    /** What the loops computed, so the JIT keeps them. */
    private volatile long sink;

    private CpuHogs() {}

    /** {@code perCpu} hogs on each CPU of {@code cpus} (none when perCpu is 0). */
    public static CpuHogs start(List<Integer> cpus, int perCpu) {
        CpuHogs h = new CpuHogs();
        for (int cpu : cpus) {
            for (int i = 0; i < perCpu; i++) {
                h.threads.add(Thread.ofPlatform().daemon().name("cpu-hog-" + cpu + "-" + i).start(() -> h.spin(cpu)));
            }
        }
        return h;
    }

    /** Hogs started. */
    public int count() { return threads.size(); }

    private void spin(int cpu) {
        Affinity.pinCurrentThread(cpu);
        long x = 0;
        while (!stop) x++;
        sink = x;
    }

    @Override
    public void close() {
        stop = true;
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    long sink() { return sink; }
}
