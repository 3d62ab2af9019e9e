package org.aiobench.analysis.stats;

import java.math.BigDecimal;
import java.math.MathContext;

/** How the tables write a number (the report's, compare's, history's): significant digits plainly, a dash for none. */
public final class Numbers {
    /** A cell with nothing to show. */
    public static final String NONE = "–";

    private Numbers() {}

    /** A number with 5 significant digits, plainly written (the tables' precision); "n/a" when not finite. */
    public static String num(double v) {
        return sig(v, 5);
    }

    /** A number with {@code digits} significant digits, plainly written; "n/a" when not finite. */
    public static String sig(double v, int digits) {
        if (!Double.isFinite(v)) return "n/a";
        if (v == 0) return "0";
        return new BigDecimal(v).round(new MathContext(digits)).stripTrailingZeros().toPlainString();
    }
}
