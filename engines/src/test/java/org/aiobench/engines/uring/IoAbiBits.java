package org.aiobench.engines.uring;

/** Test-only values. */
final class IoAbiBits {
    private IoAbiBits() {}
    /** A setup bit no kernel defines (bit 30): io_uring_setup rejects it with EINVAL. */
    static final int BOGUS = 1 << 30;
}
