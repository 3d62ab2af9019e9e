package org.aiobench.workloads;

import java.util.Locale;

/** The copy study's three ways of keeping I/O in flight (report section 3). */
public enum CopyMode {
    /** One read->write pair per file in flight; qd files at once. */
    SINGLE,
    /** opsPerFile pairs per file in flight; qd files at once. */
    MULTI,
    /** Fill every slot, submit the batch, wait for all of it, then refill (io_uring_submit_and_wait, lio_listio). */
    BATCH;

    public String cliName() { return name().toLowerCase(Locale.ROOT); }

    public static CopyMode parse(String s) {
        for (CopyMode m : values()) if (m.cliName().equalsIgnoreCase(s.trim())) return m;
        throw new IllegalArgumentException("unknown mode '" + s + "' (known: single, multi, batch)");
    }
}
