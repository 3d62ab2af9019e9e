package org.aiobench.engines.nat;

/**
 * A failed libc call or syscall: the call, the errno (number, name, text) and the path involved, if any.
 * The one exception type every native failure raises, so a user always reads "openat(/x/y): ENOENT (No such
 * file or directory)" rather than a bare number.
 */
public final class NativeException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String call;
    private final int errno;
    private final String path;

    public NativeException(String call, int errno, String path) {
        this(call, errno, path, null);
    }

    public NativeException(String call, int errno, String path, String detail) {
        super(format(call, errno, path, detail));
        this.call = call;
        this.errno = errno;
        this.path = path;
    }

    private static String format(String call, int errno, String path, String detail) {
        StringBuilder sb = new StringBuilder(call);
        if (path != null) sb.append('(').append(path).append(')');
        sb.append(": ").append(Errno.name(errno)).append(" (").append(Errno.text(errno)).append(')');
        if (detail != null && !detail.isEmpty()) sb.append(": ").append(detail);
        return sb.toString();
    }

    public String call() { return call; }
    public int errno() { return errno; }
    public String errnoName() { return Errno.name(errno); }
    public String path() { return path; }
}
