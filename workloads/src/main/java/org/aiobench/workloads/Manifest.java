package org.aiobench.workloads;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The record of a generated test tree, stored beside it as {@code <tree>.manifest.json}: how it was made
 * (files, size, seed, generator) and a CRC32C per file and per block, so a copy can be verified without the
 * source and a damaged tree is noticed.
 *
 * @param format       manifest format version
 * @param generator    the data generator's name (block-addressable, see {@link TestTree})
 * @param seed         the seed
 * @param fileCount    regular files
 * @param fileSize     bytes per file
 * @param blockSize    bytes per checksummed block
 * @param directories  directories, relative to the tree root, parents first
 * @param files        the files, in generation order
 */
public record Manifest(int format, String generator, long seed, int fileCount, long fileSize, int blockSize,
                       List<String> directories, List<Entry> files) {

    public static final int FORMAT = 1;

    /**
     * @param path   relative to the tree root, '/'-separated
     * @param index  the file's index (its data depends on seed, index and block number only)
     * @param size   bytes
     * @param mode   permission bits
     * @param crc32c CRC32C of the whole file
     * @param blocks CRC32C of each block
     */
    public record Entry(String path, int index, long size, int mode, long crc32c, long[] blocks) {}

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public long totalBytes() {
        return files.stream().mapToLong(Entry::size).sum();
    }

    /** Where the manifest of {@code tree} lives: beside it, {@code <tree>.manifest.json}. */
    public static Path pathFor(Path tree) {
        Path abs = tree.toAbsolutePath().normalize();
        return abs.resolveSibling(abs.getFileName() + ".manifest.json");
    }

    public void save(Path file) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), this);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write manifest " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a manifest; a damaged or foreign file is an error naming it. */
    public static Manifest load(Path file) {
        try {
            Manifest m = JSON.readValue(file.toFile(), Manifest.class);
            if (m.format() != FORMAT || m.files() == null) {
                throw new IllegalArgumentException("manifest " + file + " has format " + m.format() + ", expected " + FORMAT);
            }
            return m;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read manifest " + file + ": " + e.getMessage(), e);
        }
    }
}
