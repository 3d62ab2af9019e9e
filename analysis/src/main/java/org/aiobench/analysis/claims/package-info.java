/**
 * The copy study's claims (claims.json) and where each is judged against a run ({@link
 * org.aiobench.analysis.claims.ClaimJudge}): holds, does not hold, not measured, not testable. Imports {@code run} and
 * {@code stats}.
 */
package org.aiobench.analysis.claims;
