package org.aiobench.analysis.run;

/**
 * Whether the run finished, from progress.json.
 *
 * @param text for an incomplete run, what is missing, e.g. "interrupted after 2 of 5 rounds"
 */
public record RunState(Status status, String text) {
    public enum Status { COMPLETE, INCOMPLETE, UNKNOWN }

    public boolean incomplete() {
        return status == Status.INCOMPLETE;
    }
}
