package org.aiobench.workloads.randio;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a job does, named as fio's {@code rw} option names it. */
public enum Rw {
    RANDREAD("randread", true),
    RANDWRITE("randwrite", true),
    READ("read", false),
    WRITE("write", false),
    /** Random reads and writes mixed by {@code rwmixread}. */
    RANDRW("randrw", true);

    private final String fioName;
    private final boolean random;

    Rw(String fioName, boolean random) {
        this.fioName = fioName;
        this.random = random;
    }

    /** The name in the CLI, the JMH parameters, the results and fio's job. */
    public String fioName() { return fioName; }

    /** Offsets drawn at random (otherwise sequential, wrapping at the end of the target). */
    public boolean random() { return random; }

    public boolean reads() { return this != RANDWRITE && this != WRITE; }

    public boolean writes() { return this == RANDWRITE || this == WRITE || this == RANDRW; }

    public static Rw parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        for (Rw r : values()) if (r.fioName.equals(t)) return r;
        throw new IllegalArgumentException("--rw: unknown '" + s + "' (" + names() + ")");
    }

    public static String names() {
        return Arrays.stream(values()).map(Rw::fioName).collect(Collectors.joining(", "));
    }
}
