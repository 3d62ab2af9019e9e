package org.aiobench.analysis.run;

import java.nio.file.Path;

/** Input that is not a usable run directory; the message names the file and fits on one line. */
public final class BadInputException extends Exception {
    private static final long serialVersionUID = 1L;

    public BadInputException(Path file, String what) {
        super(file + ": " + what);
    }

    /** Input that is no file: a database (the store) that does not answer, a run it does not hold. */
    public BadInputException(String what) {
        super(what);
    }
}
