package org.aiobench.analysis.run;

import java.util.Comparator;
import java.util.List;
import org.aiobench.analysis.stats.RoundSeries;

/**
 * How the box moved during a run, seen through the reference configuration measured in every round: cp -r (the
 * A/A control's configuration when that is a cp -r one, else the cp -r that matches the control's file size and cache
 * state, else the cp -r configuration measured in the most rounds, the first by id on a tie); without cp -r, the
 * A/A control's configuration.
 *
 * @param reference the reference configuration
 * @param others    every other cp -r configuration measured in rounds (drawn beside the reference)
 */
public record Drift(Result reference, List<Result> others) {

    /** The reference's drift: the largest of its round means over the smallest. */
    public double ratio() {
        return series().drift();
    }

    public RoundSeries series() {
        return reference.series(Result.TIME);
    }

    /** Null when no configuration was measured in at least two rounds. */
    public static Drift of(RunData run) {
        List<Result> cps = run.group("cp").stream().filter(r -> r.inRounds(Result.TIME)).toList();
        String controlId = run.controlConfig();
        Result control = run.groups.values().stream().flatMap(List::stream)
                .filter(r -> r.config().equals(controlId) && r.inRounds(Result.TIME)).findFirst().orElse(null);
        Comparator<Result> mostRounds = Comparator.<Result>comparingInt(r -> r.series(Result.TIME).rounds().size())
                .reversed().thenComparing(Result::config);
        Result ref = control != null && control.isCp() ? control : null;
        if (ref == null && control != null) {
            Result cp = run.cpFor(control.params(), Result.TIME);
            if (cps.contains(cp)) ref = cp;
        }
        if (ref == null) ref = cps.stream().min(mostRounds).orElse(control);
        if (ref == null || ref.series(Result.TIME).rounds().size() < 2) return null;
        Result chosen = ref;
        return new Drift(ref, cps.stream().filter(r -> r != chosen).toList());
    }
}
