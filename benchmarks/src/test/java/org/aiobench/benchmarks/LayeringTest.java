package org.aiobench.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The benchmarks module's packages import only downward (package-info.java, ARCHITECTURE.md): {@code run -> plan ->
 * benchmarks -> metrics}. Each may use the packages below it in {@link #ORDER} and none above, by import or by a
 * qualified name in code. Read from the sources, so that an upward import fails here.
 */
class LayeringTest {
    /** Bottom first; "" is org.aiobench.benchmarks itself, the JMH benchmark classes. */
    static final List<String> ORDER = List.of("metrics", "", "plan", "run");
    private static final Path SRC = Path.of("src/main/java/org/aiobench/benchmarks");
    /** A use of a class of the module: its package below org.aiobench.benchmarks ("" for the root), then the class. */
    private static final Pattern USE = Pattern.compile("org\\.aiobench\\.benchmarks\\.(?:([a-z]+)\\.)?[A-Z]");

    @Test
    void noPackageImportsUpward() throws IOException {
        List<String> upward = new ArrayList<>(), unplaced = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SRC)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Path rel = SRC.relativize(f);
                String pkg = rel.getNameCount() < 2 ? "" : rel.getName(0).toString();
                int level = ORDER.indexOf(pkg);
                if (level < 0 || rel.getNameCount() > 2) {
                    unplaced.add(rel.toString());
                    continue;
                }
                for (String line : Files.readAllLines(f)) {
                    String code = line.strip();
                    if (code.startsWith("*") || code.startsWith("/*") || code.startsWith("//")) continue;
                    Matcher m = USE.matcher(code);
                    while (m.find()) {
                        String used = m.group(1) == null ? "" : m.group(1);
                        if (ORDER.indexOf(used) > level) upward.add(rel + " uses " + (used.isEmpty() ? "the benchmarks" : used));
                    }
                }
            }
        }
        assertEquals(List.of(), unplaced, "classes outside the ordered packages");
        assertEquals(List.of(), upward, "uses upward");
    }
}
