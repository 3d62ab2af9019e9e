package org.aiobench.workloads;

import java.util.Locale;

/** The page-cache state of the source before a copy. */
public enum CacheMode {
    /** Source read into the page cache first. */
    WARM,
    /** Source dropped from the page cache (drop_caches as root, else posix_fadvise DONTNEED). */
    COLD,
    /** Left as it is (the CLI's default; never used by benchmarks). */
    ASIS;

    public String cliName() { return this == ASIS ? "as-is" : name().toLowerCase(Locale.ROOT); }

    public static CacheMode parse(String s) {
        for (CacheMode m : values()) if (m.cliName().equalsIgnoreCase(s.trim())) return m;
        throw new IllegalArgumentException("unknown cache state '" + s + "' (known: warm, cold, as-is)");
    }
}
