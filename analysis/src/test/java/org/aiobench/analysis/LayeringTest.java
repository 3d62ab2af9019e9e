package org.aiobench.analysis;

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
 * The analysis module's packages import only downward (ARCHITECTURE.md): each may import the packages before it in
 * {@link #ORDER} and none after, and every package is in the order. Read from the sources, so that a new upward import
 * fails here rather than in a reader's head.
 */
class LayeringTest {
    static final List<String> ORDER = List.of("stats", "run", "claims", "figures", "report", "store", "comparison",
            "history");
    private static final Path SRC = Path.of("src/main/java/org/aiobench/analysis");
    private static final Pattern IMPORT = Pattern.compile(
            "^import (?:static )?org\\.aiobench\\.analysis\\.([a-z]+)\\.", Pattern.MULTILINE);

    @Test
    void noPackageImportsUpward() throws IOException {
        List<String> upward = new ArrayList<>(), unplaced = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SRC)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Path rel = SRC.relativize(f);
                if (rel.getNameCount() < 2) {
                    unplaced.add(rel.toString());
                    continue;
                }
                String pkg = rel.getName(0).toString();
                int level = ORDER.indexOf(pkg);
                if (level < 0) {
                    unplaced.add(rel.toString());
                    continue;
                }
                Matcher m = IMPORT.matcher(Files.readString(f));
                while (m.find()) {
                    if (ORDER.indexOf(m.group(1)) > level) upward.add(rel + " imports " + m.group(1));
                }
            }
        }
        assertEquals(List.of(), unplaced, "classes outside the ordered packages");
        assertEquals(List.of(), upward, "imports upward");
    }
}
