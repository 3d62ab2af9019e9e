package org.aiobench.workloads;

/**
 * A copy that could not be done or could not finish: bad input (missing source, destination inside the
 * source, an existing destination aiobench did not create, O_DIRECT refused ...) or a failed request. The
 * message names the file, the offset and the errno where there is one. {@link #badInput()} tells the CLI to
 * exit with status 2.
 */
public class CopyException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean badInput;

    public CopyException(String message, boolean badInput) {
        super(message);
        this.badInput = badInput;
    }

    public CopyException(String message, boolean badInput, Throwable cause) {
        super(message, cause);
        this.badInput = badInput;
    }

    public static CopyException badInput(String message) { return new CopyException(message, true); }

    public boolean badInput() { return badInput; }
}
