package org.aiobench.analysis.stats;

import java.util.Locale;

/** A verdict's practical threshold as people write it: a percentage ("5", "5%", "2.5"), the fraction within. */
public final class Threshold {
    private Threshold() {}

    /** "5", "5%" or "2.5" percent, as a fraction; between 0 and 100 percent, else IllegalArgumentException. */
    public static double parse(String s) {
        String v = s.strip();
        if (v.endsWith("%")) v = v.substring(0, v.length() - 1).strip();
        double p;
        try {
            p = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--threshold takes a percentage such as 5 or 2.5%, not '" + s + "'");
        }
        if (!(p > 0 && p < 100)) {
            throw new IllegalArgumentException("--threshold must lie between 0 and 100 percent, not " + s);
        }
        return p / 100;
    }

    /** "5%": three significant digits, trailing zeros dropped. */
    public static String text(double fraction) {
        return String.format(Locale.ROOT, "%.3g%%", 100 * fraction).replaceAll("\\.?0+%$", "%");
    }
}
