package org.aiobench.analysis.report;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.aiobench.analysis.claims.ClaimJudge;
import org.aiobench.analysis.claims.Claims;
import org.aiobench.analysis.figures.ChartRenderer;
import org.aiobench.analysis.figures.Drawing;
import org.aiobench.analysis.figures.Figure;
import org.aiobench.analysis.figures.ThesisFigures;
import org.aiobench.analysis.run.Result;
import org.aiobench.analysis.run.RunData;
import org.aiobench.analysis.stats.Numbers;
import org.aiobench.analysis.stats.Stats;
import org.aiobench.vocabulary.ConfigLabel;

/**
 * The report's io_uring thesis section: the T1 to T7 verdicts ({@code thesis-claims.json}, judged like the copy
 * study's claims), then {@link ThesisFigures}, each with a table of its numbers, the comparison with the default ring
 * and with fio's run. Left out for a run without the thesis' groups.
 */
final class ThesisSection implements ReportSection {

    @Override
    public List<Drawing> drawings(Analysis a) {
        if (!ThesisFigures.present(a.run)) return List.of();
        ChartRenderer renderer = new ChartRenderer(a.run.runId(), a.run.kernelRelease());
        return new ThesisFigures(a.run).build().stream().map(renderer::drawing).toList();
    }

    @Override
    public void write(ReportDoc doc, Analysis a) {
        if (!ThesisFigures.present(a.run)) return;
        doc.heading(2, "The io_uring thesis' experiments");
        doc.para("The experiments of *io_uring* (MSc thesis, papers/io_uring-thesis.md) at the scale of this machine:"
                + " io_uring's ring and SQE flags under CPU placement relative to the scratch device's interrupts, CPU"
                + " hogs, think time and completion on another thread. Every configuration ran in the same rounds as"
                + " the others, so each comparison pairs by round. " + irqText(a.run));
        writeClaims(doc, a);
        for (Figure f : new ThesisFigures(a.run).build()) {
            doc.heading(3, f.title(), f.id());
            doc.image(f.id(), f.title(), ChartRenderer.WIDTH);
            doc.para("Vector: [figures/" + f.id() + ".svg](figures/" + f.id() + ".svg). Thesis section " + f.def().section()
                    + "; group `" + f.def().group() + "`, " + (f.def().metric().equals(Result.OPS) ? "IOPS" : "`"
                    + f.def().metric() + "`") + ", mean ± 2 SD of the job runs. Fixed: " + fixedText(f));
            doc.table(header(f), rows(f), 3);
            doc.bullets(f.notes());
        }
    }

    private static void writeClaims(ReportDoc doc, Analysis a) {
        doc.heading(3, "The thesis' claims (T1 to T7)");
        doc.para("Each claim against this run: measured effect (ratio x/y of the per-round medians, geometric mean over"
                + " rounds), its 95% bootstrap interval over rounds, the rounds paired, and the verdict; a claim whose"
                + " condition this machine cannot create says so instead.");
        // parts numbered as in the copy study's table, which the verdicts' "(1) ..." refer to
        ClaimsSection.table(doc, new ClaimJudge(a.run, Claims.load(Claims.THESIS)).judge(), "thesis",
                "measured: ratio [95% interval] verdict (rounds)");
    }

    /** What env.json says of the interrupt CPUs. */
    static String irqText(RunData run) {
        var irq = run.env.path("irqCpus");
        if (irq.isMissingNode()) return "The run did not record the scratch device's interrupt CPUs.";
        if (irq.path("distinct").asBoolean(false)) {
            return "Scratch device " + irq.path("device").asText() + ": its queue interrupts go to CPU(s) "
                    + irq.path("irqCpus") + " (placement irq), CPU(s) " + irq.path("otherCpus") + " take none (other).";
        }
        return "Scratch device " + irq.path("device").asText() + ": the interrupt CPUs cannot be told apart ("
                + irq.path("reason").asText() + "); the placements that need them were skipped.";
    }

    private static String fixedText(Figure f) {
        return ConfigLabel.code(new TreeMap<>(f.fixed()));
    }

    private static List<String> header(Figure f) {
        String u = f.unit().name().isEmpty() ? "" : " (" + f.unit().name() + ")";
        List<String> h = new ArrayList<>(List.of(f.categoryParam(), f.seriesParam(), "numjobs", "mean" + u, "SD" + u,
                "n"));
        if (f.def().baseline() != null) h.add(f.def().baseline().header(f.def()));
        h.add("vs fio");
        return h;
    }

    private static List<List<String>> rows(Figure f) {
        List<List<String>> rows = new ArrayList<>();
        for (Figure.Point p : f.points()) {
            Stats s = p.stats();
            List<String> row = new ArrayList<>(List.of(p.category(), p.series(), p.params().get("numjobs"),
                    Numbers.num(f.unit().of(s.mean())), Numbers.num(f.unit().of(s.sd())),
                    Integer.toString(s.n())));
            if (f.def().baseline() != null) row.add(p.vsBaseline() == null ? Numbers.NONE : p.vsBaseline().cell());
            row.add(p.vsCp() == null ? Numbers.NONE : p.vsCp().cell());
            rows.add(row);
        }
        return rows;
    }
}
