package org.aiobench.workloads;

import java.util.Locale;

/** Byte sizes as users write them: 4097, 32K, 128K, 1M, 100M, 1G (binary units, as the studies use). */
public final class Sizes {
    private Sizes() {}

    /** Parses a size; throws IllegalArgumentException naming {@code what} for anything not a positive size. */
    public static long parse(String s, String what) {
        if (s == null || s.isBlank()) throw new IllegalArgumentException(what + ": empty size");
        String t = s.trim().toUpperCase(Locale.ROOT);
        if (t.endsWith("IB")) t = t.substring(0, t.length() - 2);
        else if (t.endsWith("B") && t.length() > 1 && !Character.isDigit(t.charAt(t.length() - 2))) t = t.substring(0, t.length() - 1);
        long mul = 1;
        char last = t.charAt(t.length() - 1);
        switch (last) {
            case 'K' -> mul = 1L << 10;
            case 'M' -> mul = 1L << 20;
            case 'G' -> mul = 1L << 30;
            case 'T' -> mul = 1L << 40;
            default -> { }
        }
        String num = mul == 1 ? t : t.substring(0, t.length() - 1);
        long n;
        try {
            n = Long.parseLong(num);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": '" + s + "' is not a size (examples: 4097, 32K, 1M, 100M)");
        }
        if (n <= 0) throw new IllegalArgumentException(what + ": size must be greater than zero, got '" + s + "'");
        if (n > Long.MAX_VALUE / mul) throw new IllegalArgumentException(what + ": '" + s + "' is too large");
        return n * mul;
    }

    public static long parse(String s) { return parse(s, "size"); }

    /** 32K, 1M, 100M when exact; plain bytes otherwise (4097). The inverse of {@link #parse}. */
    public static String format(long bytes) {
        if (bytes > 0 && bytes % (1L << 30) == 0) return bytes / (1L << 30) + "G";
        if (bytes > 0 && bytes % (1L << 20) == 0) return bytes / (1L << 20) + "M";
        if (bytes > 0 && bytes % (1L << 10) == 0) return bytes / (1L << 10) + "K";
        return Long.toString(bytes);
    }

    /** A human reading of a byte count: "1.5 GiB". */
    public static String human(long bytes) {
        if (bytes < 1024) return bytes + " B";
        String[] u = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int i = -1;
        while (v >= 1024 && i < u.length - 1) { v /= 1024; i++; }
        return String.format(Locale.ROOT, "%.1f %s", v, u[i]);
    }
}
