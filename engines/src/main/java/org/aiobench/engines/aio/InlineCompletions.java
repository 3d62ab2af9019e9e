package org.aiobench.engines.aio;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

import org.aiobench.engines.Op;
import org.aiobench.engines.nat.Libc;
import org.aiobench.engines.nat.Linux;
import org.aiobench.engines.nat.NativeException;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.aiobench.engines.aio.AioAbi.*;

/**
 * libaio's diagnostic of inline completion, kept out of the engine's submit path: how many requests of each kind
 * (buffered or O_DIRECT, read or write) the kernel had already completed when io_submit returned, read from the
 * completion ring's tail before and after each call without a syscall. Kernel AIO is only asynchronous with
 * O_DIRECT; this says whether a run's requests were. The engine tells it every io_submit and every announced
 * descriptor; nothing is allocated per request.
 */
final class InlineCompletions {
    private static final VarHandle INT_HANDLE = JAVA_INT.varHandle();
    private static final int F_GETFL = 3;
    // int fcntl(int fd, int cmd, ...): called with one (ignored) variadic int, as the linker wants the form spelled out
    private static final MethodHandle FCNTL = Libc.linker().downcallHandle(Libc.find("fcntl"),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), Libc.errnoOption(),
            Linker.Option.firstVariadicArg(2));

    // request categories: read/write x buffered/O_DIRECT
    private static final int BUFFERED_READ = 0, BUFFERED_WRITE = 1, DIRECT_READ = 2, DIRECT_WRITE = 3;
    private static final String[] CATEGORY = {"buffered reads", "buffered writes", "O_DIRECT reads", "O_DIRECT writes"};

    private final int capacity;
    private final MemorySegment ring;       // the aio_ring (header and events), or null if not the layout we know
    private final int ringNr;
    private final long[] submitCall;        // per slot: the io_submit call that took it
    private long callNo;
    private boolean[] announced = new boolean[64]; // per descriptor: announced with fileOpened
    private boolean[] direct = new boolean[64];    // per announced descriptor: opened with O_DIRECT
    private long unannounced;                      // reads and writes on descriptors never announced
    private final long[] submittedBy = new long[4];
    private final long[] inlineBy = new long[4];

    InlineCompletions(int capacity, MemorySegment ring, int ringNr) {
        this.capacity = capacity;
        this.ring = ring;
        this.ringNr = ringNr;
        submitCall = new long[capacity];
    }

    /** Remembers whether the descriptor is O_DIRECT, to tell the two apart. */
    void fileOpened(int f) {
        if (f >= direct.length) {
            int n = Math.max(f + 1, direct.length * 2);
            direct = Arrays.copyOf(direct, n);
            announced = Arrays.copyOf(announced, n);
        }
        MemorySegment st = Libc.state();
        int flags;
        try {
            flags = (int) FCNTL.invokeExact(st, f, F_GETFL, 0);
        } catch (Throwable t) {
            throw t instanceof RuntimeException r ? r : new IllegalStateException(t);
        }
        if (flags < 0) throw new NativeException("fcntl(F_GETFL)", Libc.errno(st), "descriptor " + f);
        direct[f] = (flags & Linux.O_DIRECT) != 0;
        announced[f] = true;
    }

    void fileClosing(int f) {
        if (f >= 0 && f < direct.length) {
            direct[f] = false;
            announced[f] = false;
        }
    }

    /** Before an io_submit of the slots {@code slots[from..to)}: the call's number, stamped on each. */
    long beforeSubmit(int[] slots, int from, int to) {
        long call = ++callNo;
        for (int k = from; k < to; k++) submitCall[slots[k]] = call;
        return call;
    }

    /** The completion ring's tail (the kernel's next event index), read without a syscall; -1 if unknown. */
    int ringTail() {
        return ring == null ? -1 : (int) INT_HANDLE.getAcquire(ring, RING_TAIL);
    }

    /**
     * Counts, by category, the {@code r} requests io_submit call {@code call} took ({@code slots[from..from+r)}), and
     * those of them whose events the kernel had already put in the ring (between the two tails) when io_submit
     * returned: completed inline.
     */
    void afterSubmit(long call, int tailBefore, int tailAfter, int[] slots, int from, int r, Op[] op, int[] fd) {
        for (int k = from; k < from + r; k++) {
            int s = slots[k];
            int c = category(op[s], fd[s]);
            if (c < 0) continue;
            submittedBy[c]++;
            int f = fd[s];
            if (f < 0 || f >= announced.length || !announced[f]) unannounced++;
        }
        if (tailBefore < 0 || tailAfter < 0 || tailAfter >= ringNr) return;
        for (int i = tailBefore; i != tailAfter; i = i + 1 == ringNr ? 0 : i + 1) {
            long data = ring.get(JAVA_LONG, AIO_RING_HEADER + (long) i * IO_EVENT_SIZE + EV_DATA);
            if (data < 0 || data >= capacity) continue;
            int s = (int) data;
            if (submitCall[s] != call) continue; // an earlier call's request completing meanwhile
            int c = category(op[s], fd[s]);
            if (c >= 0) inlineBy[c]++;
        }
    }

    private int category(Op op, int f) {
        boolean known = f >= 0 && f < announced.length && announced[f];
        boolean d = known && direct[f];
        return switch (op) {
            case READ -> d ? DIRECT_READ : BUFFERED_READ;
            case WRITE -> d ? DIRECT_WRITE : BUFFERED_WRITE;
            default -> -1;
        };
    }

    /** How many requests of each kind were complete when io_submit returned, and what that means. */
    String fact() {
        StringBuilder sb = new StringBuilder();
        long bufSub = submittedBy[BUFFERED_READ] + submittedBy[BUFFERED_WRITE];
        long bufIn = inlineBy[BUFFERED_READ] + inlineBy[BUFFERED_WRITE];
        if (bufSub > 0 && bufIn * 2 > bufSub) {
            sb.append("buffered I/O: io_submit completes inline (kernel AIO is only asynchronous with O_DIRECT); ");
        }
        if (submittedBy[DIRECT_WRITE] > 0 && inlineBy[DIRECT_WRITE] * 2 > submittedBy[DIRECT_WRITE]) {
            sb.append("O_DIRECT writes completed inside io_submit too: the filesystem waited for them (ext4 does for"
                    + " writes that extend the file or are unaligned; fallocate first keeps them asynchronous); ");
        }
        sb.append("complete when io_submit returned:");
        String sep = " ";
        for (int c = 0; c < 4; c++) {
            if (submittedBy[c] == 0) continue;
            sb.append(sep).append(CATEGORY[c]).append(' ').append(inlineBy[c]).append(" of ").append(submittedBy[c]);
            sep = ", ";
        }
        if (sep.equals(" ")) sb.append(" no reads or writes submitted");
        if (unannounced > 0) {
            sb.append(" (").append(unannounced).append(" on descriptors never announced with fileOpened, counted as"
                    + " buffered)");
        }
        return sb.toString();
    }
}
