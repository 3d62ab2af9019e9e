package org.aiobench.workloads;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Reports progress of long work (tree generation, copies, verification). {@link #console} prints one line at most
 * once a second with what is done, the elapsed time and an estimate of what remains; {@link #NONE} is silent
 * (benchmarks use it so nothing is printed inside the timed section).
 */
public interface Progress {
    /** @param done bytes done so far; @param total bytes in all */
    void update(long done, long total);

    /** The work finished. */
    default void finish() {}

    /** A one-line notice about the work (e.g. an earlier copy being replaced); silent unless printed. */
    default void note(String line) {}

    /**
     * The work's clock starts now: what came before (a copy's preparation and its untimed warm-up copies) is not
     * part of the time its estimate of what remains is based on.
     */
    default void start() {}

    Progress NONE = (d, t) -> {};

    static Progress console(String what, PrintStream out) {
        return console(what, out, System::nanoTime);
    }

    /** {@link #console} on the clock {@code nanos} (tests). */
    static Progress console(String what, PrintStream out, java.util.function.LongSupplier nanos) {
        return new Progress() {
            private long start = nanos.getAsLong();
            private long lastPrint = start;
            private boolean printed;

            @Override
            public void start() {
                start = nanos.getAsLong();
                lastPrint = start;
            }

            @Override
            public void update(long done, long total) {
                long now = nanos.getAsLong();
                if (now - lastPrint < 1_000_000_000L) return;
                lastPrint = now;
                printed = true;
                double el = (now - start) / 1e9;
                String eta = done > 0 && total > done
                        ? String.format(Locale.ROOT, ", ~%.0f s left", el * (total - done) / done) : "";
                out.printf(Locale.ROOT, "%s: %s of %s (%.0f%%), %.0f s elapsed%s%n", what, Sizes.human(done),
                        Sizes.human(total), total == 0 ? 100.0 : 100.0 * done / total, el, eta);
            }

            @Override
            public void note(String line) {
                out.printf(Locale.ROOT, "%s: %s%n", what, line);
            }

            @Override
            public void finish() {
                if (printed) out.printf(Locale.ROOT, "%s: done in %.1f s%n", what, (nanos.getAsLong() - start) / 1e9);
            }
        };
    }
}
