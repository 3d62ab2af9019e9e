package org.aiobench.analysis.stats;

import java.util.List;

/** Verdict counts over cells. */
public record VerdictCounts(int slower, int faster, int same, int unknown, int exploratory) {
    public static VerdictCounts of(List<RatioCell> cells) {
        int[] c = new int[4];
        int exploratory = 0;
        for (RatioCell x : cells) {
            c[x.verdict().ordinal()]++;
            if (x.judgement().exploratory()) exploratory++;
        }
        return new VerdictCounts(c[Verdict.SLOWER.ordinal()], c[Verdict.FASTER.ordinal()], c[Verdict.SAME.ordinal()],
                c[Verdict.UNKNOWN.ordinal()], exploratory);
    }

    public String text() {
        return slower + " slower, " + faster + " faster, " + same + " same, " + unknown + " unknown"
                + (exploratory > 0 ? " (" + exploratory + " of the verdicts exploratory)" : "");
    }
}
