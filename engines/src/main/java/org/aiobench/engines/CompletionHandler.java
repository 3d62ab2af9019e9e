package org.aiobench.engines;

/** Receives each completion reaped from an engine. */
@FunctionalInterface
public interface CompletionHandler {
    /**
     * @param tag    the tag given to {@link IoEngine#queue}
     * @param result bytes transferred or 0 on success, {@code -errno} on failure ({@code -ECANCELED} for a
     *               request whose linked predecessor failed or came up short)
     */
    void complete(long tag, long result);
}
