package org.aiobench.engines.nat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * One reusable native buffer for a NUL-terminated file name or relative path given as bytes (the kernel's names
 * are bytes, not text), so the *at calls need no allocation: {@link #of} for one name, {@link #clear} then
 * {@link #append} for a path of names. PATH_MAX bytes with the NUL.
 */
public final class CName {
    private final MemorySegment buf;
    private int length;

    public CName(Arena arena) {
        buf = arena.allocate(Linux.PATH_MAX);
    }

    /** {@code name}, NUL-terminated. */
    public MemorySegment of(byte[] name) {
        clear();
        if (!append(name)) throw new IllegalArgumentException("a name of " + name.length + " bytes is longer than PATH_MAX");
        return terminated();
    }

    public void clear() {
        length = 0;
    }

    /** Adds {@code name}, after a '/' unless it is the first; false (and nothing added) when it would not fit. */
    public boolean append(byte[] name) {
        int sep = length == 0 ? 0 : 1;
        if (length + sep + name.length + 1 > buf.byteSize()) return false;
        if (sep == 1) buf.set(JAVA_BYTE, length++, (byte) '/');
        MemorySegment.copy(name, 0, buf, JAVA_BYTE, length, name.length);
        length += name.length;
        return true;
    }

    /** What was appended, NUL-terminated ("." when nothing was). */
    public MemorySegment terminated() {
        if (length == 0) buf.set(JAVA_BYTE, length++, (byte) '.');
        buf.set(JAVA_BYTE, length, (byte) 0);
        return buf;
    }
}
