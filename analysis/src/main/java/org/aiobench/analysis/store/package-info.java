/**
 * The store: run directories into SQLite or PostgreSQL and out again ({@link org.aiobench.analysis.store.StoreMain}),
 * read back as {@link org.aiobench.analysis.run.RunData} for compare and history ({@link
 * org.aiobench.analysis.store.StoreRuns}). Imports {@code report} (the verdicts it keeps), {@code run} and {@code stats}.
 */
package org.aiobench.analysis.store;
