package org.aiobench.engines.nat;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Downcalls to libc. Each handle is a static final invoked exactly; every call that can fail captures errno
 * in the same downcall ({@code captureCallState}), never by a second call.
 *
 * <p>Two styles: the raw methods return the result or {@code -errno} (the kernel's convention, as in a CQE's
 * res) and never allocate, for the engines' hot paths; the {@code checked*} helpers throw {@link NativeException}
 * naming the call and path, for setup code.
 */
public final class Libc {
    private Libc() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_OPT = Linker.Option.captureCallState("errno");

    /** One errno capture area per thread: allocated once, so the raw calls allocate nothing. */
    private static final ThreadLocal<MemorySegment> STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE));

    private static MethodHandle errnoCall(String name, FunctionDescriptor fd, Linker.Option... extra) {
        Linker.Option[] opts = new Linker.Option[extra.length + 1];
        opts[0] = ERRNO_OPT;
        System.arraycopy(extra, 0, opts, 1, extra.length);
        return LINKER.downcallHandle(find(name), fd, opts);
    }

    private static MethodHandle plainCall(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(find(name), fd);
    }

    public static MemorySegment find(String name) {
        return LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
    }

    /** Whether libc exports a symbol (used to pick libc.so.6 or librt for POSIX AIO). */
    public static boolean has(String name) {
        return LIBC.find(name).isPresent();
    }

    public static Linker linker() { return LINKER; }
    public static Linker.Option errnoOption() { return ERRNO_OPT; }

    /** The calling thread's errno capture segment, for other bindings (libaio, POSIX AIO) built on this layer. */
    public static MemorySegment state() { return STATE.get(); }

    public static int errno(MemorySegment state) { return (int) ERRNO.get(state, 0L); }

    private static final MethodHandle OPENAT = errnoCall("openat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(3));
    private static final MethodHandle CLOSE = errnoCall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle DUP = errnoCall("dup", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle PREAD = errnoCall("pread64",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle PWRITE = errnoCall("pwrite64",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle STATX = errnoCall("statx",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle FALLOCATE = errnoCall("fallocate",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle FTRUNCATE = errnoCall("ftruncate",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    // posix_fadvise returns the error number instead of setting errno
    private static final MethodHandle FADVISE = plainCall("posix_fadvise",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    private static final MethodHandle COPY_FILE_RANGE = errnoCall("copy_file_range",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle MKDIR = errnoCall("mkdir", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle FCHMOD = errnoCall("fchmod", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    // the *at calls take a directory descriptor and a name in it: names are bytes, never decoded
    private static final MethodHandle MKDIRAT = errnoCall("mkdirat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle FCHMODAT = errnoCall("fchmodat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle SYMLINKAT = errnoCall("symlinkat",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    private static final MethodHandle READLINKAT = errnoCall("readlinkat",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
    private static final MethodHandle SYNCFS = errnoCall("syncfs", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle FSYNC = errnoCall("fsync", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle MMAP = errnoCall("mmap",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = errnoCall("munmap", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle MINCORE = errnoCall("mincore",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, ADDRESS));
    private static final MethodHandle SYSCALL = errnoCall("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    private static final MethodHandle GETRUSAGE = errnoCall("getrusage", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle SCHED_SETAFFINITY = errnoCall("sched_setaffinity",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));
    private static final MethodHandle SCHED_GETAFFINITY = errnoCall("sched_getaffinity",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));
    private static final MethodHandle FLOCK = errnoCall("flock", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle STRERROR = plainCall("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

    // ---- raw calls: result or -errno -------------------------------------------------------------------

    public static int openat(int dirfd, MemorySegment cPath, int flags, int mode) {
        MemorySegment st = STATE.get();
        try {
            int r = (int) OPENAT.invokeExact(st, dirfd, cPath, flags, mode);
            return r < 0 ? -errno(st) : r;
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static int close(int fd) {
        MemorySegment st = STATE.get();
        try {
            int r = (int) CLOSE.invokeExact(st, fd);
            return r < 0 ? -errno(st) : r;
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static int dup(int fd) {
        MemorySegment st = STATE.get();
        try {
            int r = (int) DUP.invokeExact(st, fd);
            return r < 0 ? -errno(st) : r;
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static long pread(int fd, MemorySegment buf, long len, long offset) {
        MemorySegment st = STATE.get();
        try {
            long r = (long) PREAD.invokeExact(st, fd, buf, len, offset);
            return r < 0 ? -errno(st) : r;
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static long pwrite(int fd, MemorySegment buf, long len, long offset) {
        MemorySegment st = STATE.get();
        try {
            long r = (long) PWRITE.invokeExact(st, fd, buf, len, offset);
            return r < 0 ? -errno(st) : r;
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static int statx(int dirfd, MemorySegment cPath, int flags, int mask, MemorySegment statxBuf) {
        MemorySegment st = STATE.get();
        try {
            int r = (int) STATX.invokeExact(st, dirfd, cPath, flags, mask, statxBuf);
            return r < 0 ? -errno(st) : r;
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static int fallocate(int fd, int mode, long offset, long len) {
        MemorySegment st = STATE.get();
        try {
            int r = (int) FALLOCATE.invokeExact(st, fd, mode, offset, len);
            return r < 0 ? -errno(st) : r;
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static int ftruncate(int fd, long len) {
        MemorySegment st = STATE.get();
        try {
            int r = (int) FTRUNCATE.invokeExact(st, fd, len);
            return r < 0 ? -errno(st) : r;
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** posix_fadvise: 0 or -error (it returns the error number rather than setting errno). */
    public static int fadvise(int fd, long offset, long len, int advice) {
        try {
            int r = (int) FADVISE.invokeExact(fd, offset, len, advice);
            return -r;
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** copy_file_range with in/out offsets in native longs (updated by the kernel). */
    public static long copyFileRange(int fdIn, MemorySegment offIn, int fdOut, MemorySegment offOut, long len, int flags) {
        MemorySegment st = STATE.get();
        try {
            long r = (long) COPY_FILE_RANGE.invokeExact(st, fdIn, offIn, fdOut, offOut, len, flags);
            return r < 0 ? -errno(st) : r;
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static int mkdir(MemorySegment cPath, int mode) {
        MemorySegment st = STATE.get();
        try {
            int r = (int) MKDIR.invokeExact(st, cPath, mode);
            return r < 0 ? -errno(st) : r;
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static int fchmod(int fd, int mode) {
        MemorySegment st = STATE.get();
        try {
            int r = (int) FCHMOD.invokeExact(st, fd, mode);
            return r < 0 ? -errno(st) : r;
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static int mkdirat(int dirfd, MemorySegment cName, int mode) {
        MemorySegment st = STATE.get();
        try {
            int r = (int) MKDIRAT.invokeExact(st, dirfd, cName, mode);
            return r < 0 ? -errno(st) : r;
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** fchmodat(2) with flags 0 (glibc refuses AT_SYMLINK_NOFOLLOW before Linux 6.6's fchmodat2): follows a link. */
    public static int fchmodat(int dirfd, MemorySegment cName, int mode) {
        MemorySegment st = STATE.get();
        try {
            int r = (int) FCHMODAT.invokeExact(st, dirfd, cName, mode, 0);
            return r < 0 ? -errno(st) : r;
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static int symlinkat(MemorySegment cTarget, int dirfd, MemorySegment cName) {
        MemorySegment st = STATE.get();
        try {
            int r = (int) SYMLINKAT.invokeExact(st, cTarget, dirfd, cName);
            return r < 0 ? -errno(st) : r;
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** readlinkat(2): the target's length in {@code buf} (not NUL-terminated), or -errno. */
    public static long readlinkat(int dirfd, MemorySegment cName, MemorySegment buf) {
        MemorySegment st = STATE.get();
        try {
            long r = (long) READLINKAT.invokeExact(st, dirfd, cName, buf, buf.byteSize());
            return r < 0 ? -errno(st) : r;
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** getdents64(2) into {@code buf} (struct linux_dirent64 records, read by {@link Dirents}): bytes, 0 at the end, or -errno. */
    public static int getdents64(int fd, MemorySegment buf) {
        return (int) syscall(Linux.SYS_getdents64, fd, buf.address(), buf.byteSize(), 0, 0, 0);
    }

    public static int syncfs(int fd) {
        MemorySegment st = STATE.get();
        try {
            int r = (int) SYNCFS.invokeExact(st, fd);
            return r < 0 ? -errno(st) : r;
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static int fsync(int fd) {
        MemorySegment st = STATE.get();
        try {
            int r = (int) FSYNC.invokeExact(st, fd);
            return r < 0 ? -errno(st) : r;
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** mmap: the address, or -errno (MAP_FAILED is turned into -errno). */
    public static long mmap(long addr, long len, int prot, int flags, int fd, long offset) {
        MemorySegment st = STATE.get();
        try {
            long r = (long) MMAP.invokeExact(st, addr, len, prot, flags, fd, offset);
            return r == Linux.MAP_FAILED ? -errno(st) : r;
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static int munmap(long addr, long len) {
        MemorySegment st = STATE.get();
        try {
            int r = (int) MUNMAP.invokeExact(st, addr, len);
            return r < 0 ? -errno(st) : r;
        } catch (Throwable t) { throw rethrow(t); }
    }

    /**
     * mincore(2): one byte per page of the mapping at {@code addr} into {@code vec}, bit 0 set when the page is in
     * memory (for a file mapping: in the page cache). 0 or -errno.
     */
    public static int mincore(long addr, long len, MemorySegment vec) {
        MemorySegment st = STATE.get();
        try {
            int r = (int) MINCORE.invokeExact(st, addr, len, vec);
            return r < 0 ? -errno(st) : r;
        } catch (Throwable t) { throw rethrow(t); }
    }

    /**
     * The variadic {@code syscall(2)}: glibc turns the kernel's -errno into -1 + errno; this turns it back,
     * so the result is the kernel's own (>= 0, or -errno).
     */
    public static long syscall(long nr, long a1, long a2, long a3, long a4, long a5, long a6) {
        MemorySegment st = STATE.get();
        try {
            long r = (long) SYSCALL.invokeExact(st, nr, a1, a2, a3, a4, a5, a6);
            return r == -1 ? -errno(st) : r;
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static int getrusage(int who, MemorySegment rusage) {
        MemorySegment st = STATE.get();
        try {
            int r = (int) GETRUSAGE.invokeExact(st, who, rusage);
            return r < 0 ? -errno(st) : r;
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static int schedSetaffinity(int pid, MemorySegment cpuSet) {
        MemorySegment st = STATE.get();
        try {
            int r = (int) SCHED_SETAFFINITY.invokeExact(st, pid, cpuSet.byteSize(), cpuSet);
            return r < 0 ? -errno(st) : r;
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static int schedGetaffinity(int pid, MemorySegment cpuSet) {
        MemorySegment st = STATE.get();
        try {
            int r = (int) SCHED_GETAFFINITY.invokeExact(st, pid, cpuSet.byteSize(), cpuSet);
            return r < 0 ? -errno(st) : r;
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** flock(2): a lock on the open file description, released when its last descriptor closes (or the process dies). */
    public static int flock(int fd, int operation) {
        MemorySegment st = STATE.get();
        try {
            int r = (int) FLOCK.invokeExact(st, fd, operation);
            return r < 0 ? -errno(st) : r;
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static String strerror(int errno) {
        try {
            MemorySegment p = (MemorySegment) STRERROR.invokeExact(errno);
            return p.reinterpret(1024).getString(0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    // ---- checked helpers: throw NativeException naming the call and the path -----------------------------

    /** Throws if {@code r} is negative (a -errno from a raw call); returns it otherwise. */
    public static long check(long r, String call, String path) {
        if (r < 0) throw new NativeException(call, (int) -r, path);
        return r;
    }

    public static int check(int r, String call, String path) {
        if (r < 0) throw new NativeException(call, -r, path);
        return r;
    }

    /** openat(AT_FDCWD, path, flags, mode), retried on EINTR, throwing on failure. */
    public static int open(String path, int flags, int mode) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = a.allocateFrom(path);
            int r;
            do { r = openat(Linux.AT_FDCWD, c, flags | Linux.O_CLOEXEC, mode); } while (r == -Errno.EINTR);
            return check(r, "openat", path);
        }
    }

    /** Closes, ignoring EINTR (Linux releases the descriptor anyway); throws on EBADF and others. */
    public static void closeChecked(int fd, String path) {
        int r = close(fd);
        if (r < 0 && r != -Errno.EINTR) throw new NativeException("close", -r, path);
    }
}
