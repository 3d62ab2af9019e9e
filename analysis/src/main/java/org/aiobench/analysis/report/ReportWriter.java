package org.aiobench.analysis.report;

import java.util.ArrayList;
import java.util.List;
import org.aiobench.analysis.figures.Drawing;

/**
 * The report: its sections in order, rendered as report.md and a self-contained report.html from one
 * {@link ReportDoc}. To add a section, add it to {@link #SECTIONS}.
 */
final class ReportWriter {
    /** The report's sections, in order: what must not be missed first, the environment last. */
    static final List<ReportSection> SECTIONS = List.of(
            new RunSections.Summary(),
            new RunSections.Failures(),
            new RunSections.Control(),
            new ClaimsSection(),
            new RunSections.DriftSection(),
            new FigureSections.Figures(),
            new PeerSection(),
            new LargeFileSection(),
            new MetadataRingSection(),
            new RandomIoSection(),
            new ThesisSection(),
            new FigureSections.GroupTables(),
            new PrecisionSection(),
            new RunSections.Trends(),
            new RunSections.SkippedSection(),
            new RunSections.Environment());

    private ReportWriter() {}

    static ReportDoc document(Analysis a) {
        ReportDoc doc = new ReportDoc();
        for (ReportSection s : SECTIONS) s.write(doc, a);
        return doc;
    }

    static List<Drawing> drawings(Analysis a) {
        List<Drawing> out = new ArrayList<>();
        for (ReportSection s : SECTIONS) out.addAll(s.drawings(a));
        return out;
    }
}
