package org.aiobench.workloads;

/** A copy that differs from its source: the file, the first differing offset (-1 when not about content), why. */
public class VerificationException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final long offset;

    public VerificationException(String file, long offset, String what) {
        super(file + (offset >= 0 ? " at offset " + offset : "") + ": " + what);
        this.file = file;
        this.offset = offset;
    }

    public String file() { return file; }
    public long offset() { return offset; }
}
