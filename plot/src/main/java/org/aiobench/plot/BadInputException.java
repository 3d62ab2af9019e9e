package org.aiobench.plot;

import java.nio.file.Path;

/** Input that is not a usable run directory; the message names the file and fits on one line. */
public final class BadInputException extends Exception {
    private static final long serialVersionUID = 1L;

    public BadInputException(Path file, String what) {
        super(file + ": " + what);
    }
}
