package org.aiobench.benchmarks.run;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The runner's console output, each line wrapped at word boundaries to the terminal's width so that it can be read
 * and posted as it is (a progress line with a thesis configuration's label, the plan's reductions, a skip's reason
 * ran to 400 columns). Continuation lines are indented. run.log keeps every line whole, one event a line.
 */
final class TerminalLines extends PrintStream {
    static final String INDENT = "    ";

    private final int columns;

    TerminalLines(OutputStream out, int columns) {
        super(out, true, StandardCharsets.UTF_8);
        this.columns = Math.max(40, columns);
    }

    /**
     * The terminal's width: the system property {@code aiobench.columns}, else the environment's {@code COLUMNS}
     * (run-experiments.sh exports it when its output is a terminal), else 0: not a terminal, lines left whole.
     */
    static int columns() {
        for (String v : new String[] {System.getProperty("aiobench.columns"), System.getenv("COLUMNS")}) {
            if (v == null) continue;
            try {
                int c = Integer.parseInt(v.trim());
                if (c > 0) return c;
            } catch (NumberFormatException ignored) {
                // not a width
            }
        }
        return 0;
    }

    @Override
    public void println(String line) {
        for (String l : wrap(line == null ? "null" : line, columns)) super.println(l);
    }

    @Override
    public void println(Object o) {
        println(String.valueOf(o));
    }

    /** {@code text}'s lines, each cut at the last space within {@code width} (a longer word is cut where it must). */
    static List<String> wrap(String text, int width) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            String rest = line;
            String prefix = "";
            // a line that is itself indented keeps its indent, and continues further in
            String lead = rest.substring(0, rest.length() - rest.stripLeading().length());
            while (prefix.length() + rest.length() > width) {
                int room = width - prefix.length();
                int cut = rest.lastIndexOf(' ', room);
                if (cut <= lead.length()) cut = room; // no space to break at: cut the word
                out.add(prefix + rest.substring(0, cut).stripTrailing());
                rest = rest.substring(cut).stripLeading();
                prefix = lead + INDENT;
                lead = "";
            }
            out.add(prefix + rest);
        }
        return out;
    }
}
