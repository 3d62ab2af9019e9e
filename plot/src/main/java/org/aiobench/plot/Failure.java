package org.aiobench.plot;

import java.util.Map;

/**
 * A configuration that failed (wrong data, an exception): an entry of failures.json, or for a run made before rounds
 * a FAILED line of run.log.
 *
 * @param round 0 when the run has no rounds
 * @param error the first line of the error
 */
public record Failure(int round, String group, String config, Map<String, String> params, String error) {

    /** True when every given parameter that this entry names has the given value (as {@link Skipped#matches}). */
    public boolean matches(String group, Map<String, String> wanted) {
        return this.group.equals(group) && Skipped.agrees(params, wanted);
    }
}
