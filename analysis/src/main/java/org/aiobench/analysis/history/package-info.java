/**
 * {@code history}: every run in kernel order, each configuration's level per kernel against the first, and where it
 * changed ({@link org.aiobench.analysis.history.History}); its report and figure. The top of the module: imports
 * {@code comparison} for its statistics across runs.
 */
package org.aiobench.analysis.history;
