package org.aiobench.workloads;

import java.math.BigInteger;

/** Whole numbers as users write them on the command line: a number too large is said to be too large. */
public final class Numbers {
    private Numbers() {}

    /**
     * Parses an int; {@code what} names the option in the message ("--qd: '12x' is not a whole number", "--qd:
     * 99999999999 is too large (at most 2147483647)").
     */
    public static int parseInt(String s, String what) {
        long v = parseLong(s, what);
        if (v > Integer.MAX_VALUE) throw new IllegalArgumentException(what + ": " + s.trim() + " is too large (at most "
                + Integer.MAX_VALUE + ")");
        if (v < Integer.MIN_VALUE) throw new IllegalArgumentException(what + ": " + s.trim() + " is too small");
        return (int) v;
    }

    /** Parses a long, as {@link #parseInt}. */
    public static long parseLong(String s, String what) {
        String t = s == null ? "" : s.trim();
        if (!t.matches("[-+]?[0-9]+")) throw new IllegalArgumentException(what + ": '" + s + "' is not a whole number");
        BigInteger b = new BigInteger(t);
        if (b.bitLength() > 63) {
            throw new IllegalArgumentException(what + ": " + t + (b.signum() > 0 ? " is too large (at most "
                    + Long.MAX_VALUE + ")" : " is too small"));
        }
        return b.longValue();
    }
}
