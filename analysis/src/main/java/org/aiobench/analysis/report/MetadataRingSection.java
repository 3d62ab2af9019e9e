package org.aiobench.analysis.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.aiobench.analysis.run.Comparison;
import org.aiobench.analysis.run.Result;
import org.aiobench.analysis.run.RunData;
import org.aiobench.analysis.stats.Numbers;
import org.aiobench.vocabulary.Vocabulary;

/**
 * io_uring with the walk's metadata through the ring (issue 24: statx, opens, closes and mkdirat as requests of the
 * ring, files in kernel-allocated fixed-file slots) against the same copy with them as system calls, and against both
 * cps, paired by round: one row per tree, I/O setting and cache state of the basic group's single mode, where opens
 * and closes weigh the most on small files. A programs' time is compared less its start cost.
 */
final class MetadataRingSection implements ReportSection {

    @Override
    public void write(ReportDoc doc, Analysis a) {
        RunData run = a.run;
        List<Result> ring = run.group("basic").stream().filter(r -> "io_uring".equals(r.param("engine"))
                && "ring".equals(r.param("metadata")) && "single".equals(r.param("mode"))).toList();
        if (ring.isEmpty()) return;
        doc.heading(2, "io_uring's metadata through the ring", "metadata-ring");
        doc.para("io_uring copying with the walk's statx, opens, closes and mkdirat as requests of the ring"
                + " (`metadata=ring`, files in fixed-file slots the kernel allocates), against the same copy with them"
                + " as system calls (`metadata=syscalls`) and against both cps, each ratio X / Y paired by round"
                + " (below 1 the ring is faster); the cps less their start costs. Single mode, qd 64, 128K.");
        List<List<String>> rows = new ArrayList<>();
        List<Result> sorted = new ArrayList<>(ring);
        sorted.sort(Comparator.comparing((Result r) -> r.param("fileSize"), Vocabulary.order("fileSize"))
                .thenComparing(r -> r.param("direct")).thenComparing(r -> r.param("cache"), Vocabulary.order("cache")));
        for (Result r : sorted) {
            Map<String, String> at = r.params();
            Result syscalls = run.group("basic").stream().filter(x -> "io_uring".equals(x.param("engine"))
                    && "syscalls".equals(x.param("metadata")) && same(x, r, "mode", "fileSize", "files", "direct",
                    "cache", "fallocate", "qd", "bufferSize", "ringFlags", "regbuf", "regfiles")).findFirst().orElse(null);
            Result plain = run.peersFor(at, Result.TIME).stream()
                    .filter(p -> Vocabulary.CP_PLAIN.equals(p.param("peer"))).findFirst().orElse(null);
            Result cp = run.cpFor(at, Result.TIME);
            rows.add(List.of(r.param("files") + " x " + r.param("fileSize"), Vocabulary.label("direct", r.param("direct")),
                    Vocabulary.label("cache", r.param("cache")),
                    syscalls == null ? Numbers.NONE : withN(Comparison.of(r, Result.TIME, syscalls, Result.TIME, Result.TIME)),
                    plain == null ? Numbers.NONE : withN(Comparison.of(r, Result.TIME, plain, less(plain), Result.TIME)),
                    cp == null ? Numbers.NONE : withN(Comparison.of(r, Result.TIME, cp, less(cp), Result.TIME))));
        }
        doc.table(List.of("tree", "I/O", "cache", "vs metadata=syscalls", "vs " + Vocabulary.CP_PLAIN_LABEL,
                "vs " + Vocabulary.CP_LABEL), rows, 3);
    }

    /** The comparison's cell with the rounds it pairs: "0.912 [0.871, 0.951] faster, n = 10". */
    static String withN(Comparison c) {
        return c.cell() + (c.inRounds() ? ", n = " + c.paired().n() : "");
    }

    private static boolean same(Result a, Result b, String... keys) {
        for (String k : keys) {
            if (a.param(k) == null ? b.param(k) != null : !a.param(k).equals(b.param(k))) return false;
        }
        return true;
    }

    private static String less(Result program) {
        return program.samples().containsKey(Result.TIME_LESS_START) ? Result.TIME_LESS_START : Result.TIME;
    }
}
