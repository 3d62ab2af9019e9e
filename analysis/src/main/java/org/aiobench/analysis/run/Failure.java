package org.aiobench.analysis.run;

import java.util.Map;

/**
 * A configuration that failed (wrong data, an exception): an entry of failures.json, or for a run made before rounds
 * a FAILED line of run.log.
 *
 * @param round     0 when the run has no rounds
 * @param error     the first line of the error
 * @param wrongData where its copy first differed from the source, or null when it failed otherwise (or the run
 *                  did not say)
 */
public record Failure(int round, String group, String config, Map<String, String> params, String error,
                      WrongData wrongData) {

    /**
     * A copy that was wrong: the file (as named in the tree), the first wrong offset (-1 when not about the content:
     * a file missing, or one too many), what was wrong.
     */
    public record WrongData(String file, long offset, String what) {
        /** "file-3.dat at offset 4100: content differs from the manifest" */
        public String text() {
            return file + (offset >= 0 ? " at offset " + offset : "") + ": " + what;
        }
    }

    /** True when every given parameter that this entry names has the given value (as {@link Skipped#matches}). */
    public boolean matches(String group, Map<String, String> wanted) {
        return this.group.equals(group) && Skipped.agrees(params, wanted);
    }
}
