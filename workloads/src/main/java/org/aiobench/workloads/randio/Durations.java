package org.aiobench.workloads.randio;

import java.util.Locale;

/** Durations as fio users write them: {@code 10} or {@code 10s} (seconds), {@code 500ms}, {@code 2m}, {@code 1h}. */
public final class Durations {
    private Durations() {}

    /** Nanoseconds; throws IllegalArgumentException naming {@code what} for anything else (negative included). */
    public static long parse(String s, String what) {
        if (s == null || s.isBlank()) throw new IllegalArgumentException(what + ": empty duration");
        String t = s.trim().toLowerCase(Locale.ROOT);
        long unit;
        String num;
        if (t.endsWith("ms")) { unit = 1_000_000L; num = t.substring(0, t.length() - 2); }
        else if (t.endsWith("us")) { unit = 1_000L; num = t.substring(0, t.length() - 2); }
        else if (t.endsWith("s")) { unit = 1_000_000_000L; num = t.substring(0, t.length() - 1); }
        else if (t.endsWith("m")) { unit = 60_000_000_000L; num = t.substring(0, t.length() - 1); }
        else if (t.endsWith("h")) { unit = 3_600_000_000_000L; num = t.substring(0, t.length() - 1); }
        else { unit = 1_000_000_000L; num = t; }
        double v;
        try {
            v = Double.parseDouble(num);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": '" + s + "' is not a duration (examples: 10s, 500ms, 2m)");
        }
        if (!(v >= 0) || v * unit > Long.MAX_VALUE / 2) {
            throw new IllegalArgumentException(what + ": '" + s + "' is out of range");
        }
        return Math.round(v * unit);
    }

    /** "10s", "500ms", "2.5s": the shortest exact form {@link #parse} reads back. */
    public static String format(long nanos) {
        if (nanos % 1_000_000_000L == 0) return nanos / 1_000_000_000L + "s";
        if (nanos % 1_000_000L == 0) return nanos / 1_000_000L + "ms";
        return String.format(Locale.ROOT, "%.6fs", nanos / 1e9);
    }
}
