package org.aiobench.workloads;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A copy that differs from its source: the file, the first differing offset (-1 when not about content), why. Its
 * message is {@code FILE[ at offset N]: WHAT}; a benchmark's fork reports it as JMH does every error, on one line
 * starting with this class's name, and {@link #fromErrorLine} reads it back (the runner records the file and offset
 * of wrong data apart in failures.json).
 */
public class VerificationException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final long offset;
    private final String what;

    public VerificationException(String file, long offset, String what) {
        super(file + (offset >= 0 ? " at offset " + offset : "") + ": " + what);
        this.file = file;
        this.offset = offset;
        this.what = what;
    }

    public String file() { return file; }
    public long offset() { return offset; }
    /** What is wrong with the file ("content differs from the manifest", "missing ..."). */
    public String what() { return what; }

    /** The same difference with the file named relative to {@code tree}, the copy's root (as it is in the source). */
    public VerificationException within(Path tree) {
        Path f = Path.of(file).toAbsolutePath().normalize();
        Path root = tree.toAbsolutePath().normalize();
        String rel = f.startsWith(root) ? root.relativize(f).toString() : file;
        return new VerificationException(rel.isEmpty() ? "." : rel, offset, what);
    }

    private static final Pattern AT_OFFSET = Pattern.compile("(.*) at offset (\\d+): (.*)");

    /**
     * The difference an error line names ({@code org.aiobench.workloads.VerificationException: FILE at offset N:
     * WHAT}, as JMH prints a failed benchmark's exception), or null for any other error.
     */
    public static VerificationException fromErrorLine(String line) {
        String prefix = VerificationException.class.getName() + ": ";
        if (line == null || !line.startsWith(prefix)) return null;
        String m = line.substring(prefix.length());
        Matcher at = AT_OFFSET.matcher(m);
        if (at.matches()) return new VerificationException(at.group(1), Long.parseLong(at.group(2)), at.group(3));
        int colon = m.indexOf(": ");
        return colon < 0 ? new VerificationException(m, -1, "differs") : new VerificationException(m.substring(0, colon),
                -1, m.substring(colon + 2));
    }
}
