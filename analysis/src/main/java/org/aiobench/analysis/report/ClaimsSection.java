package org.aiobench.analysis.report;

import java.util.ArrayList;
import java.util.List;
import org.aiobench.analysis.claims.ClaimJudge;
import org.aiobench.vocabulary.Vocabulary;

/** The copy study's claims (C1 to C10 of claims.json), each judged against this run. */
final class ClaimsSection implements ReportSection {
    @Override
    public void write(ReportDoc doc, Analysis a) {
        doc.heading(2, "The copy study's claims");
        doc.para("Each claim of *A Faster Copy using Asynchronous I/O* against this run, with the comparisons of the "
                + "tables below. A claim holds when every comparison it rests on has the expected verdict and, where"
                + " the paper gives a number, the interval reaches it; it does not hold when a comparison measured "
                + "otherwise. The paper's cp was its own synchronous copy (a copy_file_range loop, engine"
                + " copy_file_range here); the claims' \"cp\" here is `" + Vocabulary.CP_LABEL + "`, GNU cp copying"
                + " with read and write (buffered only), as GNU cp did in the study's time (before coreutils 9.0);"
                + " plain `cp -r` beside it is in the peers table.");
        table(doc, a.claims, "paper", "ours");
    }

    /**
     * The claims table of either study: each claim, what it compares, the paper's words, the measured ratios with
     * their intervals and verdicts, and the claim's verdict; the claims' notes below it.
     */
    static void table(ReportDoc doc, List<ClaimJudge.Row> judged, String paperHeader, String oursHeader) {
        List<List<String>> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (ClaimJudge.Row r : judged) {
            String compared = numbered(r.parts().stream().map(ClaimJudge.PartResult::compared).toList());
            String ours = numbered(r.parts().stream().map(ClaimJudge.PartResult::ours).toList());
            rows.add(List.of(r.claim().id(), r.claim().claim() + " (" + r.claim().section() + ")", compared,
                    r.claim().paper(), ours, r.why().isEmpty() ? r.outcome().word
                            : r.outcome().word + ": " + r.why()));
            if (r.claim().note() != null) notes.add(r.claim().id() + ": " + r.claim().note());
        }
        doc.table(List.of("", "claim", "compared", paperHeader, oursHeader, "verdict"), rows, 0);
        doc.bullets(notes);
    }

    /** "(1) a; (2) b" for several parts, the text alone for one. */
    private static String numbered(List<String> parts) {
        if (parts.size() == 1) return parts.get(0);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) s.append(i == 0 ? "" : "; ").append('(').append(i + 1).append(") ")
                .append(parts.get(i));
        return s.toString();
    }
}
