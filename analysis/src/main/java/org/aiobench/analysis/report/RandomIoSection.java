package org.aiobench.analysis.report;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.aiobench.analysis.figures.ChartRenderer;
import org.aiobench.analysis.figures.Drawing;
import org.aiobench.analysis.figures.Figure;
import org.aiobench.analysis.figures.FigureBuilder;
import org.aiobench.analysis.figures.FioRatioTable;
import org.aiobench.analysis.figures.RandomIoFigures;
import org.aiobench.analysis.run.Result;
import org.aiobench.analysis.stats.Numbers;
import org.aiobench.analysis.stats.Stats;
import org.aiobench.vocabulary.ConfigLabel;

/**
 * The report's random-I/O section: {@link RandomIoFigures}, each with a table of its numbers and fio's, and the
 * {@link FioRatioTable}s. Left out entirely for a run without random-I/O groups.
 */
final class RandomIoSection implements ReportSection {

    @Override
    public List<Drawing> drawings(Analysis a) {
        if (!RandomIoFigures.present(a.run)) return List.of();
        ChartRenderer renderer = new ChartRenderer(a.run.runId(), a.run.kernelRelease());
        List<Drawing> out = new ArrayList<>();
        for (FigureBuilder.Section s : new RandomIoFigures(a.run).build().sections()) {
            for (Figure f : s.figures()) out.add(renderer.drawing(f));
        }
        return out;
    }

    @Override
    public void write(ReportDoc doc, Analysis a) {
        if (!RandomIoFigures.present(a.run)) return;
        RandomIoFigures.Output o = new RandomIoFigures(a.run).build();
        doc.heading(2, "Random I/O");
        doc.para("The io_uring thesis' fio method: O_DIRECT random I/O of one target file, every engine over the I/Os "
                + "in flight (iodepth of one job; sync: numjobs jobs of one), fio running the same job (dashed, same "
                + "colour) in the same rounds. Points: mean of each configuration's job runs, error bars ± 2 SD; "
                + "\"vs fio\": this configuration against fio's run of the same job, paired by round.");
        for (FigureBuilder.Section s : o.sections()) {
            doc.bullets(s.leftOut());
            for (Figure f : s.figures()) {
                doc.heading(3, f.title(), f.id());
                doc.image(f.id(), f.title(), ChartRenderer.WIDTH);
                boolean fio = f.series().stream().anyMatch(x -> x.startsWith(RandomIoFigures.FIO_SERIES));
                doc.para("Vector: [figures/" + f.id() + ".svg](figures/" + f.id() + ".svg). Group `"
                        + f.def().group() + "`" + (fio ? " and `fio` (dashed), " : ", ") + (f.def().metric().equals(Result.OPS)
                        ? "IOPS (primary metric)" : "`" + f.def().metric() + "` (secondary metric)") + ". Fixed: "
                        + fixedText(f));
                doc.table(header(f), rows(f), 4);
                doc.bullets(f.notes());
            }
        }
        for (FioRatioTable t : o.tables()) {
            doc.heading(3, t.title());
            doc.para(t.intro());
            doc.table(t.header(), t.rows, 4);
        }
    }

    private static String fixedText(Figure f) {
        return ConfigLabel.code(new TreeMap<>(f.fixed()));
    }

    static List<String> header(Figure f) {
        String u = f.unit().name().isEmpty() ? "" : " (" + f.unit().name() + ")";
        return List.of(RandomIoFigures.IN_FLIGHT, "engine", "iodepth", "numjobs", "mean" + u, "SD" + u, "n", "vs fio");
    }

    static List<List<String>> rows(Figure f) {
        List<List<String>> rows = new ArrayList<>();
        for (Figure.Point p : f.points()) {
            Stats s = p.stats();
            rows.add(List.of(p.category(), p.series(), p.params().get("iodepth"), p.params().get("numjobs"),
                    Numbers.num(f.unit().of(s.mean())), Numbers.num(f.unit().of(s.sd())),
                    Integer.toString(s.n()), p.vsBaseline() == null ? Numbers.NONE : p.vsBaseline().cell()));
        }
        return rows;
    }
}
