package org.aiobench.analysis.report;

import java.util.List;
import org.aiobench.analysis.figures.Drawing;

/**
 * One section of the report: it writes its blocks into the document and names the figures it shows, which plot
 * draws into figures/ before the report is written. {@link ReportWriter#SECTIONS} lists the sections in report
 * order; a new kind of figure (random I/O, say) is one more class implementing this, added to that list.
 */
interface ReportSection {
    void write(ReportDoc doc, Analysis a);

    /** The figures this section shows ({@link ReportDoc.Image} ids), drawn before the report is written. */
    default List<Drawing> drawings(Analysis a) {
        return List.of();
    }
}
