package org.aiobench.engines;

/** What a queued request does. Field use per op is documented on {@link IoEngine#queue}. */
public enum Op {
    /** Read {@code length} bytes at {@code offset} into the buffer. Result: bytes read (0 at end of file). */
    READ,
    /** Write {@code length} bytes of the buffer at {@code offset}. Result: bytes written. */
    WRITE,
    /** fsync the descriptor. Result: 0. */
    FSYNC,
    /** fallocate(fd, mode 0, offset, length): allocate and extend. Result: 0. */
    FALLOCATE,
    /** Nothing; completes with 0. Measures the engine's own overhead. */
    NOP
}
