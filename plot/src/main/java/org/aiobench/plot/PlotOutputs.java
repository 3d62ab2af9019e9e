package org.aiobench.plot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * What plot wrote into a run directory, in plot-files.json: each file (relative to the run directory) with its
 * SHA-256 as written. plot replaces or deletes only a file listed there whose content is still what it wrote; any
 * other file in its way (a user's figure, a report edited since) makes it stop before writing anything.
 */
final class PlotOutputs {
    static final String RECORD = "plot-files.json";

    private final Path dir;
    private final Map<String, String> written;

    private PlotOutputs(Path dir, Map<String, String> written) {
        this.dir = dir;
        this.written = written;
    }

    static PlotOutputs read(Path dir) throws BadInputException {
        Path f = dir.resolve(RECORD);
        Map<String, String> m = new TreeMap<>();
        if (Files.exists(f)) {
            JsonNode files = RunFiles.read(f).path("files");
            if (!files.isObject()) throw new BadInputException(f, "no 'files' object");
            files.properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
        }
        return new PlotOutputs(dir, m);
    }

    /** True when the file is plot's own: recorded, and unchanged since. */
    private boolean ours(String rel) throws IOException {
        String hash = written.get(rel);
        return hash != null && hash.equals(sha256(dir.resolve(rel)));
    }

    /** Refuses, before anything is written, when one of these files exists and is not plot's own. */
    void checkFree(Collection<String> files) throws BadInputException, IOException {
        Path figures = dir.resolve("figures");
        if (Files.exists(figures) && !Files.isDirectory(figures)) {
            throw new BadInputException(figures, "is not a directory; plot writes its figures there, nothing written");
        }
        for (String rel : files) {
            Path p = dir.resolve(rel);
            if (Files.exists(p) && !ours(rel)) {
                throw new BadInputException(p, written.containsKey(rel)
                        ? "changed since plot wrote it; move it away to render again, nothing written"
                        : "exists and plot did not write it (not in " + RECORD + "); move it away, nothing written");
            }
        }
    }

    /** Deletes the files of an earlier rendering that this one does not write, where they are unchanged. */
    void removeStale(Collection<String> keep) throws IOException {
        for (String rel : Map.copyOf(written).keySet()) {
            if (keep.contains(rel)) continue;
            Path p = dir.resolve(rel);
            if (!Files.exists(p)) written.remove(rel);
            else if (ours(rel)) {
                Files.delete(p);
                written.remove(rel);
            }
        }
    }

    void wrote(String rel) throws IOException {
        written.put(rel, sha256(dir.resolve(rel)));
    }

    /** Written through a temporary file and a rename, so an interrupted plot leaves the old record whole. */
    void save() throws IOException {
        ObjectNode root = RunFiles.JSON.createObjectNode();
        root.put("about", "files written by ./run-experiments.sh plot, with their SHA-256; plot replaces only these");
        ObjectNode files = root.putObject("files");
        written.forEach(files::put);
        Path tmp = dir.resolve(RECORD + ".tmp");
        RunFiles.JSON.writer(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), root);
        Files.move(tmp, dir.resolve(RECORD), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String sha256(Path p) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (NoSuchFileException e) {
            return "";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
