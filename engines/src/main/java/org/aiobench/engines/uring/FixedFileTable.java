package org.aiobench.engines.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import org.aiobench.engines.UnsupportedConfigurationException;
import org.aiobench.engines.nat.Errno;
import org.aiobench.engines.nat.NativeException;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.aiobench.engines.uring.IoUringAbi.*;

/**
 * Registered files (IOSQE_FIXED_FILE): one sparse table registered with the ring when the engine is built, so one
 * per copy, and one IORING_REGISTER_FILES_UPDATE per opened descriptor, which puts it into a free slot. A closing
 * descriptor only gives its slot back: the next update of that slot replaces the file (the kernel drops its
 * reference then, or when the ring goes), so no update is spent on closing.
 */
final class FixedFileTable {
    private final Ring ring;
    private final int slots;
    private int[] fdToSlot = new int[0];
    private final int[] free;
    private int freeCount;
    private final MemorySegment update;
    private final MemorySegment updateFd;
    private long updates;

    /** Registers a sparse table of {@code slots} entries. */
    FixedFileTable(Ring ring, Arena arena, int slots, String kernel) {
        this.ring = ring;
        this.slots = slots;
        MemorySegment fds = arena.allocate(JAVA_INT, slots);
        for (int i = 0; i < slots; i++) fds.setAtIndex(JAVA_INT, i, -1);
        int r = ring.register(REGISTER_FILES, fds, slots);
        if (r < 0) {
            String why = -r == Errno.EMFILE ? ": the table needs " + slots + " slots and RLIMIT_NOFILE is lower" : "";
            throw new UnsupportedConfigurationException("regfiles: IORING_REGISTER_FILES of a sparse table of " + slots
                    + " slots failed with " + Errno.describe(-r) + why + " (sparse tables need Linux 5.5; this kernel is "
                    + kernel + ")");
        }
        free = new int[slots];
        for (int i = 0; i < slots; i++) free[i] = slots - 1 - i;
        freeCount = slots;
        update = arena.allocate(FILES_UPDATE_BYTES, 8);
        updateFd = arena.allocate(JAVA_INT);
    }

    /**
     * Puts {@code fd} into a free slot (one FILES_UPDATE).
     *
     * @throws NativeException the update's errno (EEXIST: another thread than a SINGLE_ISSUER ring's submitter)
     */
    void opened(int fd) {
        if (fd < 0) throw new IllegalArgumentException("fileOpened: bad descriptor " + fd);
        if (fd >= fdToSlot.length) {
            int old = fdToSlot.length;
            fdToSlot = Arrays.copyOf(fdToSlot, Math.max(fd + 1, Math.max(64, old * 2)));
            Arrays.fill(fdToSlot, old, fdToSlot.length, -1);
        }
        if (fdToSlot[fd] >= 0) throw new IllegalStateException("fileOpened(" + fd + ") twice without fileClosing");
        if (freeCount == 0) throw new IllegalStateException("regfiles: all " + slots + " registered file slots are in use");
        int slot = free[freeCount - 1];
        update.set(JAVA_INT, FU_OFFSET, slot);
        update.set(JAVA_INT, FU_OFFSET + 4, 0);
        updateFd.set(JAVA_INT, 0, fd);
        update.set(JAVA_LONG, FU_FDS, updateFd.address());
        int r = ring.register(REGISTER_FILES_UPDATE, update, 1);
        if (r < 0) {
            throw new NativeException("io_uring_register(FILES_UPDATE)", -r, null,
                    "registered file slot " + slot + ", fd " + fd);
        }
        updates++;
        freeCount--;
        fdToSlot[fd] = slot;
    }

    /** Gives {@code fd}'s slot back (no syscall: the next update of the slot replaces the file). */
    void closing(int fd) {
        int slot = slotOf(fd);
        if (slot < 0) throw new IllegalStateException("fileClosing(" + fd + ") for a descriptor not given to fileOpened");
        fdToSlot[fd] = -1;
        free[freeCount++] = slot;
    }

    /** The slot holding {@code fd}, or -1. */
    int slotOf(int fd) {
        return fd >= 0 && fd < fdToSlot.length ? fdToSlot[fd] : -1;
    }

    int slots() { return slots; }

    /** FILES_UPDATE calls made so far (one per opened descriptor). */
    long updates() { return updates; }
}
