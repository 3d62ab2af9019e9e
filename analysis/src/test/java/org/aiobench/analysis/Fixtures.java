package org.aiobench.analysis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The checked-in run directories (src/test/resources/fixtures, see its README), copied where a test may write. */
public final class Fixtures {
    public static final Path DIR = Path.of("src/test/resources/fixtures");

    private Fixtures() {}

    /** Copies fixture {@code name} to {@code dir} (created) and returns dir. */
    public static Path copy(String name, Path dir) throws IOException {
        Path src = DIR.resolve(name);
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : files.toList()) {
                Path to = dir.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(to);
                else Files.copy(p, to);
            }
        }
        return dir;
    }
}
