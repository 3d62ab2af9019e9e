package org.aiobench.analysis.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.aiobench.analysis.figures.Drawing;
import org.aiobench.analysis.run.BadInputException;
import org.aiobench.analysis.run.RunFiles;

/**
 * What plot wrote into a run directory, in plot-files.json: each file (relative to the run directory) with its
 * SHA-256 as written. plot replaces or deletes only a file listed there whose content is still what it wrote; any
 * other file in its way (a user's figure, a report edited since) makes it stop before writing anything. compare and
 * history keep the same record of their own output directory ({@link #COMPARE_RECORD}).
 */
public final class PlotOutputs {
    public static final String RECORD = "plot-files.json";
    /** compare's and history's record in their output directory: apart from plot's, so neither deletes the other's. */
    public static final String COMPARE_RECORD = "compare-files.json";

    private final Path dir;
    private final String record;
    private final Map<String, String> written;

    private PlotOutputs(Path dir, String record, Map<String, String> written) {
        this.dir = dir;
        this.record = record;
        this.written = written;
    }

    public static PlotOutputs read(Path dir) throws BadInputException {
        return read(dir, RECORD);
    }

    public static PlotOutputs read(Path dir, String record) throws BadInputException {
        Path f = dir.resolve(record);
        Map<String, String> m = new TreeMap<>();
        if (Files.exists(f)) {
            JsonNode files = RunFiles.read(f).path("files");
            if (!files.isObject()) throw new BadInputException(f, "no 'files' object");
            files.properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
        }
        return new PlotOutputs(dir, record, m);
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
                        ? "changed since " + who() + " wrote it; move it away to render again, nothing written"
                        : "exists and " + who() + " did not write it (not in " + record + "); move it away, nothing "
                        + "written");
            }
        }
    }

    /** Makes a text file's content; called after the figures are written (HTML embeds them). */
    public interface Text {
        String make() throws IOException;
    }

    /**
     * Writes the drawings into figures/ and then each text file, in order, after checking that none is in the way;
     * deletes the files of an earlier rendering that this one does not write, and records what it wrote.
     */
    public void writeAll(List<Drawing> drawings, Map<String, Text> texts) throws BadInputException, IOException {
        List<String> files = new ArrayList<>();
        for (Drawing d : drawings) for (String f : d.files()) files.add("figures/" + f);
        files.addAll(texts.keySet());
        checkFree(files);
        Path figures = dir.resolve("figures");
        try {
            removeStale(files);
            if (!drawings.isEmpty()) Files.createDirectories(figures);
            for (Drawing d : drawings) {
                d.write(figures);
                for (String f : d.files()) wrote("figures/" + f);
            }
            for (var e : texts.entrySet()) {
                Files.writeString(dir.resolve(e.getKey()), e.getValue().make(), StandardCharsets.UTF_8);
                wrote(e.getKey());
            }
        } finally {
            save();
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

    private String who() {
        return record.equals(RECORD) ? "plot" : "compare or history";
    }

    void wrote(String rel) throws IOException {
        written.put(rel, sha256(dir.resolve(rel)));
    }

    /** Written through a temporary file and a rename, so an interrupted plot leaves the old record whole. */
    void save() throws IOException {
        ObjectNode root = RunFiles.JSON.createObjectNode();
        root.put("about", "files written by ./run-experiments.sh " + who() + ", with their SHA-256; it replaces only "
                + "these");
        ObjectNode files = root.putObject("files");
        written.forEach(files::put);
        Path tmp = dir.resolve(record + ".tmp");
        RunFiles.JSON.writer(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), root);
        Files.move(tmp, dir.resolve(record), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
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
