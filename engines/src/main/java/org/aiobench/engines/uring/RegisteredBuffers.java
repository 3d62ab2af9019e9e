package org.aiobench.engines.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;

import org.aiobench.engines.UnsupportedConfigurationException;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.aiobench.engines.uring.IoUringAbi.*;

/**
 * Registered buffers (regbuf: READ_FIXED/WRITE_FIXED): the workload's buffer region cut into equal slots, each one
 * registered buffer (IORING_REGISTER_BUFFERS), registered again when the workload hands over another region. A
 * request's buffer must lie inside one slot; its index is the SQE's buf_index, found by arithmetic, not looked up.
 */
final class RegisteredBuffers {
    /** Registered buffers the kernel accepts (IORING_MAX_REG_BUFFERS). */
    private static final int MAX_REG_BUFFERS = 1 << 14;

    private final Ring ring;
    private final String kernel;
    private long base, slot;
    private int count;
    private boolean registered;

    RegisteredBuffers(Ring ring, String kernel) {
        this.ring = ring;
        this.kernel = kernel;
    }

    /** Registers {@code region}'s slots of {@code slotSize} bytes (the engine checked that one fits). */
    void register(MemorySegment region, long slotSize) {
        base = region.address();
        slot = slotSize;
        count = (int) Math.min(Integer.MAX_VALUE, region.byteSize() / slotSize);
        if (count > MAX_REG_BUFFERS) {
            throw new UnsupportedConfigurationException("regbuf: " + count + " buffer slots exceed the kernel's "
                    + MAX_REG_BUFFERS + " registered buffers");
        }
        if (slotSize > (1L << 30)) {
            throw new UnsupportedConfigurationException("regbuf: a registered buffer is at most 1 GiB, slot is "
                    + slotSize + " bytes");
        }
        if (registered) {
            ring.register(UNREGISTER_BUFFERS, null, 0);
            registered = false;
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment iov = a.allocate(16L * count, 8);
            for (int i = 0; i < count; i++) {
                iov.set(JAVA_LONG, 16L * i, base + i * slotSize);
                iov.set(JAVA_LONG, 16L * i + 8, slotSize);
            }
            int r = ring.register(REGISTER_BUFFERS, iov, count);
            if (r < 0) throw SetupErrors.registerBuffers(-r, count, slotSize, kernel);
        }
        registered = true;
    }

    /** The registered buffer holding {@code length} bytes at {@code addr}. */
    int index(long addr, long length) {
        if (!registered) {
            throw new IllegalStateException("regbuf: useBuffers was not called before the first request");
        }
        long index = (addr - base) / slot;
        if (addr < base || index >= count || addr + length > base + (index + 1) * slot) {
            throw new IllegalStateException("regbuf: buffer at 0x" + Long.toHexString(addr) + " (" + length
                    + " bytes) is not inside one slot of the region given to useBuffers");
        }
        return (int) index;
    }

    void facts(Map<String, String> m) {
        m.put("regbuf.buffers", Integer.toString(registered ? count : 0));
        m.put("regbuf.bytes", Long.toString(registered ? count * slot : 0));
    }
}
