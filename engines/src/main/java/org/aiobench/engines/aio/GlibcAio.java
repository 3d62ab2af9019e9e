package org.aiobench.engines.aio;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import org.aiobench.engines.nat.Libc;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.aiobench.engines.aio.AioAbi.*;

/**
 * glibc's POSIX AIO as {@link PosixAioEngine} calls it: the functions, bound once per process (from libc.so.6 since
 * glibc 2.34, else librt.so.1), and aio_init, which is process-wide and takes effect once, before glibc's first
 * request: the first engine to issue one sets the pool, and what it set is recorded for every engine's facts.
 */
final class GlibcAio {
    private GlibcAio() {}

    static final String LIBRARY;
    static final String UNAVAILABLE; // why POSIX AIO cannot be bound here, or null
    static final MethodHandle AIO_INIT, AIO_READ, AIO_WRITE, AIO_FSYNC, AIO_ERROR, AIO_RETURN, AIO_SUSPEND,
            LIO_LISTIO;
    static {
        Linker linker = Libc.linker();
        Linker.Option errno = Libc.errnoOption();
        String lib = Libc.has("aio_read") ? "libc.so.6" : "librt.so.1"; // glibc 2.34 moved POSIX AIO into libc
        String why = null;
        MethodHandle[] h = new MethodHandle[8];
        try {
            SymbolLookup lookup = lib.equals("libc.so.6") ? linker.defaultLookup()
                    : SymbolLookup.libraryLookup(lib, Arena.global());
            // none is critical: aio_suspend and lio_listio block, and even aio_error takes glibc's request mutex.
            // Only lio_listio (once per batch round) captures errno: the linker's capture costs an allocation per
            // call unless the JIT removes it, and the per-request calls do not need it (a refused aio_read leaves
            // its error in the aiocb, and a failed aio_suspend only means "look again")
            h[0] = linker.downcallHandle(find(lookup, lib, "aio_init"), FunctionDescriptor.ofVoid(ADDRESS));
            h[1] = linker.downcallHandle(find(lookup, lib, "aio_read"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
            h[2] = linker.downcallHandle(find(lookup, lib, "aio_write"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
            h[3] = linker.downcallHandle(find(lookup, lib, "aio_fsync"),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
            h[4] = linker.downcallHandle(find(lookup, lib, "aio_error"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
            h[5] = linker.downcallHandle(find(lookup, lib, "aio_return"), FunctionDescriptor.of(JAVA_LONG, ADDRESS));
            h[6] = linker.downcallHandle(find(lookup, lib, "aio_suspend"),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
            h[7] = linker.downcallHandle(find(lookup, lib, "lio_listio"),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS), errno);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            why = "POSIX AIO is not available: libc.so.6 has no aio_read (glibc before 2.34) and " + lib
                    + " could not be bound: " + e.getMessage();
        }
        LIBRARY = lib;
        UNAVAILABLE = why;
        AIO_INIT = h[0];
        AIO_READ = h[1];
        AIO_WRITE = h[2];
        AIO_FSYNC = h[3];
        AIO_ERROR = h[4];
        AIO_RETURN = h[5];
        AIO_SUSPEND = h[6];
        LIO_LISTIO = h[7];
    }

    private static MemorySegment find(SymbolLookup lookup, String lib, String name) {
        return lookup.find(name).orElseThrow(() -> new UnsatisfiedLinkError(lib + " has no symbol " + name));
    }

    /** glibc's idle helper threads exit after this many seconds without work (the study's value, glibc's default). */
    static final int IDLE_TIME_SECONDS = 1;

    // aio_init is process-wide and applies once: what the first engine set
    private static boolean initDone;
    private static int initThreads, initNum, initRequestedBy;

    /** aio_init with the pool for {@code maxInFlight} requests, if no engine of this process called it yet. */
    static synchronized void init(int maxInFlight) {
        if (initDone) return;
        int threads = maxInFlight == Integer.MAX_VALUE ? maxInFlight : maxInFlight + 1;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment init = a.allocate(AIOINIT_SIZE, 8); // zeroed: locks, usedba, debug, numusers unused
            init.set(JAVA_INT, AIOINIT_THREADS, threads);
            init.set(JAVA_INT, AIOINIT_NUM, maxInFlight);
            init.set(JAVA_INT, AIOINIT_IDLE_TIME, IDLE_TIME_SECONDS);
            AIO_INIT.invokeExact(init);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        initDone = true;
        initThreads = threads;
        // glibc rounds aio_num down to whole rows of request slots, at least one
        initNum = maxInFlight < GLIBC_ENTRIES_PER_ROW ? GLIBC_ENTRIES_PER_ROW : maxInFlight & ~(GLIBC_ENTRIES_PER_ROW - 1);
        initRequestedBy = maxInFlight;
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

    /** What glibc's pool runs with, and who set it; {@code capacity}: the asking engine's maxInFlight. */
    static synchronized String initFact(int capacity) {
        if (!initDone) return "not called yet: it runs before this process's first POSIX AIO request";
        String s = "threads=" + initThreads + ", num=" + initNum + ", idle_time=" + IDLE_TIME_SECONDS
                + "s, set by the first posixaio engine of this process to issue a request (maxInFlight="
                + initRequestedBy + ": threads = maxInFlight + 1, num = maxInFlight rounded down to rows of "
                + GLIBC_ENTRIES_PER_ROW + " as glibc does; the copy study used qd + 1 and qd). threads is a"
                + " limit: glibc starts one only for a request that finds no idle one. aio_init takes effect"
                + " only before glibc's first request, so later engines run with these values";
        if (capacity + 1 > initThreads) {
            s += "; this engine (maxInFlight=" + capacity + ") would have asked for " + (capacity + 1) + " threads";
        }
        return s;
    }
}
