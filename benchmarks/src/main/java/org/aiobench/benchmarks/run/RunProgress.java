package org.aiobench.benchmarks.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * progress.json: where a run stands, so that {@code --resume} continues at the round and the configuration where it
 * stopped. {@code current} is the round being measured (or next to be) and the forks of it already finished, as
 * {@link Schedule.Entry#id}s; the samples of those forks are in samples.jsonl. Every change is written at once.
 */
final class RunProgress {
    /** running: a process measures (or was killed without the chance to say so); interrupted: it was stopped. */
    enum State {
        RUNNING, INTERRUPTED, COMPLETE;

        String json() { return name().toLowerCase(Locale.ROOT); }

        static State parse(String s) { return valueOf(s.toUpperCase(Locale.ROOT)); }
    }

    static final String FILE = "progress.json";

    private State state;
    /** The rounds planned: fewer once a run stopped early (precision reached, budget spent), more once extended. */
    private int rounds;
    /** Why a complete run stopped before its planned rounds ("precision", "budget"), or null. */
    private String stoppedBy;
    private int roundsDone;
    private int currentRound;
    private String currentStarted;
    private final List<String> done;
    final long seed;
    final String matrix;
    final List<String> args;
    private RunRecord record;

    private RunProgress(State state, int rounds, int roundsDone, int currentRound, String currentStarted,
                        List<String> done, long seed, String matrix, List<String> args, String stoppedBy) {
        this.stoppedBy = stoppedBy;
        this.state = state;
        this.rounds = rounds;
        this.roundsDone = roundsDone;
        this.currentRound = currentRound;
        this.currentStarted = currentStarted;
        this.done = new ArrayList<>(done);
        this.seed = seed;
        this.matrix = matrix;
        this.args = List.copyOf(args);
    }

    /** A new run's progress, written to {@code record} at once. */
    static RunProgress start(RunRecord record, int rounds, long seed, String matrix, List<String> args) throws IOException {
        RunProgress p = new RunProgress(State.RUNNING, rounds, 0, 1, null, List.of(), seed, matrix, args, null);
        p.record = record;
        p.write();
        return p;
    }

    /** The progress of the run in {@code dir}; null when it is not the progress of a run in rounds (an older layout). */
    static RunProgress read(Path dir) throws IOException {
        JsonNode n = RunRecord.JSON.readTree(dir.resolve(FILE).toFile());
        if (!n.has("rounds") || !n.has("seed") || !n.path("args").isArray()) return null;
        List<String> args = new ArrayList<>();
        n.path("args").forEach(a -> args.add(a.asText()));
        List<String> done = new ArrayList<>();
        n.path("current").path("done").forEach(d -> done.add(d.asText()));
        JsonNode cur = n.path("current");
        int roundsDone = n.path("roundsDone").asInt();
        return new RunProgress(State.parse(n.path("state").asText("running")), n.path("rounds").asInt(), roundsDone,
                cur.isObject() ? cur.path("round").asInt(roundsDone + 1) : roundsDone + 1,
                cur.path("started").isTextual() ? cur.path("started").asText() : null, done,
                n.path("seed").asLong(), n.path("matrix").asText(), args,
                n.path("stoppedBy").isTextual() ? n.path("stoppedBy").asText() : null);
    }

    /** A resumed run: writes to {@code record} again, running. */
    synchronized void resume(RunRecord record) throws IOException {
        this.record = record;
        state = State.RUNNING;
        write();
    }

    synchronized State state() { return state; }

    synchronized int rounds() { return rounds; }

    /** Why the run stopped before its planned rounds, or null. */
    synchronized String stoppedBy() { return stoppedBy; }

    /** Stops a run after the rounds done, complete, saying why ("precision", "budget"). */
    synchronized void stopEarly(String why) throws IOException {
        rounds = roundsDone;
        currentRound = roundsDone + 1;
        stoppedBy = why;
        state = State.COMPLETE;
        write();
    }

    /** A run stopped early, extended to {@code newRounds} planned rounds: running again from the next round. */
    synchronized void extend(int newRounds) {
        rounds = newRounds;
        currentRound = roundsDone + 1;
        done.clear();
        currentStarted = null;
        stoppedBy = null;
        state = State.RUNNING;
    }

    /** The round to measure next (rounds + 1 when complete). */
    synchronized int currentRound() { return currentRound; }

    synchronized int roundsDone() { return roundsDone; }

    /** When the current round began (null if it has not). */
    synchronized String currentStarted() { return currentStarted; }

    /** The forks of the current round already finished. */
    synchronized List<String> done() { return List.copyOf(done); }

    /** Round {@code round} begins, or goes on after a resume (its finished forks are kept). */
    synchronized void beginRound(int round) throws IOException {
        if (round != currentRound) {
            currentRound = round;
            done.clear();
            currentStarted = null;
        }
        if (currentStarted == null) currentStarted = Samples.iso(Instant.now());
        write();
    }

    /** A fork of the current round finished (measured, failed or skipped); its records are written before. */
    synchronized void done(String entryId) throws IOException {
        if (!done.contains(entryId)) done.add(entryId);
        write();
    }

    synchronized void finishRound() throws IOException {
        roundsDone = currentRound;
        currentRound++;
        done.clear();
        currentStarted = null;
        write();
    }

    synchronized void complete() throws IOException {
        state = State.COMPLETE;
        write();
    }

    /** Stopped (a signal, another JMH run): a later --resume goes on from here. */
    synchronized void interrupted() {
        if (state != State.RUNNING) return;
        state = State.INTERRUPTED;
        try {
            write();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write() throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", state.json());
        m.put("rounds", rounds);
        m.put("roundsDone", roundsDone);
        if (stoppedBy != null) m.put("stoppedBy", stoppedBy);
        if (currentRound <= rounds) {
            Map<String, Object> cur = new LinkedHashMap<>();
            cur.put("round", currentRound);
            if (currentStarted != null) cur.put("started", currentStarted);
            cur.put("done", List.copyOf(done));
            m.put("current", cur);
        }
        m.put("seed", seed);
        m.put("matrix", matrix);
        m.put("args", args);
        record.writeJson(FILE, m);
    }

    static boolean exists(Path dir) { return Files.isRegularFile(dir.resolve(FILE)); }
}
