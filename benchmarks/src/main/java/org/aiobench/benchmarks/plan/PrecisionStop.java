package org.aiobench.benchmarks.plan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Rounds until decided (issue 20): with {@code --precision}, after every full cycle of rounds (every slice measured
 * again) from the third on, the run asks the analysis module ({@code PrecisionMain}, which reads only the run directory)
 * how many of its judged comparisons (each configuration against cp -r and against its figure's baseline, the A/A
 * control) are neither decided (slower, faster, same) nor within the precision; none left, the run stops. With
 * {@code --budget}, it stops before a round that would end past the budget. Either way it says why, and which
 * comparisons stayed open; {@code --resume RUN --budget T} (or {@code --precision P}) extends it later.
 */
public final class PrecisionStop {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Fewer full cycles than this are not checked: an interval from two rounds means little. */
    static final int MIN_CYCLES = 3;

    /** Why a run stopped before its last planned round. */
    public enum Reason {
        PRECISION("precision"), BUDGET("budget");

        public final String word;

        Reason(String word) {
            this.word = word;
        }
    }

    /** What the last check found: open comparisons, widest and median half-widths, the A/A control's. */
    public record Check(int judged, int open, double widest, double median, String control, double controlHalfWidth,
                 List<String> openOnes) {
        String line(double precision) {
            return String.format(Locale.ROOT, "precision: %d of %d judged comparisons neither decided nor within "
                    + "±%s (median ±%.1f%%, widest ±%.1f%%)%s", open, judged, pct(precision), 100 * median,
                    100 * widest, control == null ? "" : String.format(Locale.ROOT, "; A/A control %s, ±%.1f%%",
                    control, 100 * controlHalfWidth));
        }
    }

    /** With --precision or --budget and no --rounds: the most rounds a configuration may take. */
    public static final int MAX_ROUNDS_UNTIL_DECIDED = 100;

    public final Double precision;
    public final Long budgetMillis;
    private final Path analysisJar;
    private Check last;
    /** Asks what the run has decided: the analysis module in a process of its own, or a test's answer. */
    private final java.util.function.Function<Path, Check> checker;

    public PrecisionStop(Double precision, Long budgetMillis, Path analysisJar) {
        this(precision, budgetMillis, analysisJar, null);
    }

    /** With another way to ask what is decided (tests: the benchmarks module is built before the analysis module). */
    public PrecisionStop(Double precision, Long budgetMillis, Path analysisJar, java.util.function.Function<Path, Check> checker) {
        this.precision = precision;
        this.budgetMillis = budgetMillis;
        this.analysisJar = analysisJar;
        this.checker = checker;
    }

    public boolean active() {
        return precision != null || budgetMillis != null;
    }

    /** The last check, or null. */
    public Check last() {
        return last;
    }

    /**
     * After a round: whether to stop now and why (null: go on).
     *
     * @param roundsDone    rounds finished
     * @param cycle         rounds a full cycle of the slices takes
     * @param elapsedMillis this session's time so far
     * @param roundMillis   what one more round is expected to take
     */
    public Reason after(int roundsDone, int cycle, long elapsedMillis, long roundMillis, Path runDir, Consumer<String> say)
            throws IOException, InterruptedException {
        if (precision != null && roundsDone % cycle == 0 && roundsDone >= MIN_CYCLES * cycle) {
            last = check(runDir);
            if (last != null) {
                say.accept(last.line(precision));
                if (last.open() == 0) return Reason.PRECISION;
            }
        }
        if (budgetMillis != null && elapsedMillis + roundMillis > budgetMillis) return Reason.BUDGET;
        return null;
    }

    /** PrecisionMain's answer for the run so far; null where it could not be asked (said in the run log). */
    public Check check(Path runDir) throws IOException, InterruptedException {
        if (checker != null) return checker.apply(runDir);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path out = Files.createTempFile("aiobench-precision", ".json");
        try {
            Process p = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED",
                    "-Djava.awt.headless=true", "-cp", analysisJar.toString(), "org.aiobench.analysis.report.PrecisionMain",
                    runDir.toString(), Double.toString(100 * precision))
                    .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return null;
            }
            if (p.exitValue() != 0) return null;
            JsonNode n = JSON.readTree(Files.readString(out, StandardCharsets.UTF_8));
            List<String> open = new ArrayList<>();
            n.path("open").forEach(o -> open.add(o.path("what").asText() + (o.has("halfWidth")
                    ? String.format(Locale.ROOT, " (±%.1f%%)", 100 * o.path("halfWidth").asDouble()) : "")
                    + (o.has("roundsThatWouldDecide") ? ", ~" + o.path("roundsThatWouldDecide").asInt()
                    + " rounds would decide it" : "")));
            JsonNode c = n.path("control");
            return new Check(n.path("judged").asInt(), n.path("undecided").asInt(), n.path("widestHalfWidth")
                    .asDouble(Double.NaN), n.path("medianHalfWidth").asDouble(Double.NaN),
                    c.isMissingNode() ? null : c.path("verdict").asText(), c.path("halfWidth").asDouble(Double.NaN),
                    open);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    public static String pct(double f) {
        return String.format(Locale.ROOT, "%.3g%%", 100 * f).replaceAll("\\.?0+%$", "%");
    }
}
