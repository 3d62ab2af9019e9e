package org.aiobench.analysis.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aiobench.analysis.figures.FigureBuilder;
import org.aiobench.analysis.run.Comparison;
import org.aiobench.analysis.run.Failure;
import org.aiobench.analysis.run.Result;
import org.aiobench.analysis.run.RunData;
import org.aiobench.analysis.run.Unit;
import org.aiobench.analysis.stats.Numbers;
import org.aiobench.analysis.stats.Stats;
import org.aiobench.vocabulary.Vocabulary;

/**
 * The peers: external copy programs given with {@code --peer} (rsync, a study's own program ...), measured exactly
 * as cp -r is, on its trees and cache states, in the same rounds. One table: cp -r first, then every peer on every
 * tree and cache state, with its time as measured, its start cost and its time less that, and its ratio to cp -r
 * paired by round (both less their start costs). A peer whose copy was wrong in any round is shown as wrong data,
 * with the first wrong file and offset, and no time: a wrong copy has no speed.
 */
final class PeerSection implements ReportSection {

    @Override
    public void write(ReportDoc doc, Analysis a) {
        RunData run = a.run;
        List<String> names = run.peerNames();
        if (names.isEmpty()) return;
        doc.heading(2, "Peers", "peers");
        doc.para("External programs measured beside the engines exactly as " + Vocabulary.CP_LABEL + " is (`--peer NAME='COMMAND {src} "
                + "{dst}'`): the same trees, cache states and rounds, timed from the spawn to the exit, with their start"
                + " cost (the same command on an empty directory) beside them, and every copy verified against the"
                + " manifest. \"vs " + Vocabulary.CP_LABEL + "\" pairs each round's medians of the peer and of " + Vocabulary.CP_LABEL + ", both less their start"
                + " costs; below 1 the peer is faster. A peer that wrote wrong data in any round is shown as wrong data"
                + " with the first wrong file and offset, not as a time.");
        List<String> commands = new ArrayList<>();
        for (String n : names) {
            String c = run.peerCommand(n);
            commands.add("`" + n + "`: " + (c == null ? "command not recorded" : "`" + c + "`"));
        }
        doc.bullets(commands);
        if (names.contains(Vocabulary.CP_PLAIN)) {
            doc.para("Two cps: `" + Vocabulary.CP_LABEL + "` (group cp, the reference of every ratio) copies with read"
                    + " and write through a 128K buffer, as GNU cp did before coreutils 9.0, the cp of the copy study's"
                    + " time; plain `" + Vocabulary.CP_PLAIN_LABEL + "` (peer `" + Vocabulary.CP_PLAIN + "`) is the cp a"
                    + " reader types, which since coreutils 9.0 copies each file with copy_file_range, whole. The study's"
                    + " own \"cp\" in its figures was its copy_file_range program: engine copy_file_range here.");
        }

        Map<String, Row> rows = new LinkedHashMap<>();
        for (Result cp : run.group("cp")) rows.put(cp.config(), new Row(cp.params(), cp, List.of()));
        List<Result> peers = new ArrayList<>(run.group(Result.PEER_GROUP));
        peers.sort(Comparator.comparing((Result r) -> r.param("peer")).thenComparing(Result::config));
        for (Result p : peers) rows.put(p.config(), new Row(p.params(), p, run.wrongData(Result.PEER_GROUP, p.params())));
        for (Failure f : run.failures) {
            if (f.wrongData() == null || !f.group().equals(Result.PEER_GROUP) || rows.containsKey(f.config())) continue;
            rows.put(f.config(), new Row(f.params(), null, run.wrongData(Result.PEER_GROUP, f.params())));
        }
        List<Row> ordered = new ArrayList<>(rows.values());
        ordered.sort(Comparator.comparing((Row r) -> r.result != null && r.result.isCp() ? "" : r.params.get("peer"))
                .thenComparing(r -> r.params.getOrDefault("fileSize", ""), Vocabulary.order("fileSize"))
                .thenComparing(r -> r.params.getOrDefault("cache", ""), Vocabulary.order("cache")));
        double largest = rows.values().stream().filter(r -> r.result != null && r.wrong.isEmpty())
                .mapToDouble(r -> Stats.of(r.result.samples().get(Result.TIME)).mean()).max().orElse(0);
        Unit u = Unit.forMetric(Result.TIME, largest);
        String un = " (" + u.name() + ")";
        List<List<String>> table = new ArrayList<>();
        for (Row r : ordered) table.add(r.cells(run, u));
        doc.table(List.of("program", "fileSize", "files", "cache", "mean" + un, "SD" + un, "n", "start cost" + un,
                "less start cost" + un, "MB/s", "vs " + Vocabulary.CP_LABEL, "verified"), table, 4);
    }

    /** One configuration of cp -r or a peer: its result (null when every copy was wrong), its wrong copies. */
    private record Row(Map<String, String> params, Result result, List<Failure> wrong) {
        public List<String> cells(RunData run, Unit u) {
            String program = result != null && result.isCp() ? Vocabulary.CP_LABEL
                    : Vocabulary.CP_PLAIN.equals(params.get("peer")) ? Vocabulary.CP_PLAIN_LABEL + " (" + Vocabulary.CP_PLAIN + ")"
                    : params.get("peer");
            List<String> c = new ArrayList<>(List.of(program, params.getOrDefault("fileSize", Numbers.NONE),
                    params.getOrDefault("files", Numbers.NONE), params.getOrDefault("cache", Numbers.NONE)));
            if (!wrong.isEmpty()) {
                Failure first = wrong.get(0);
                for (int i = 0; i < 7; i++) c.add(i == 0 ? FigureBuilder.WRONG_DATA : Numbers.NONE);
                c.add("**WRONG DATA** in " + wrong.size() + " round(s) (first: round " + first.round() + ", "
                        + first.wrongData().text() + ")");
                return c;
            }
            Stats s = Stats.of(result.samples().get(Result.TIME));
            c.addAll(List.of(Numbers.num(u.of(s.mean())), Numbers.num(u.of(s.sd())), Integer.toString(s.n()),
                    mean(result, Result.START_COST, u), mean(result, Result.TIME_LESS_START, u),
                    result.samples().containsKey("mbPerSec") ? Numbers.num(result.mbPerSecAtMean(Result.TIME))
                            : Numbers.NONE));
            Result cp = result.isCp() ? null : run.cpFor(result.params(), Result.TIME);
            c.add(cp == null ? Numbers.NONE : Comparison.of(result, cp, Result.TIME).cell());
            long failed = run.failures.stream().filter(f -> f.config().equals(result.config())).count();
            c.add("every copy" + (failed == 0 ? "" : "; " + failed + " fork(s) failed otherwise (Failed configurations)"));
            return c;
        }

        private static String mean(Result r, String metric, Unit u) {
            double[] v = r.samples().get(metric);
            if (v == null) return Numbers.NONE;
            double m = Arrays.stream(v).average().orElse(Double.NaN);
            return Numbers.num(u == null ? m : u.of(m));
        }
    }
}
