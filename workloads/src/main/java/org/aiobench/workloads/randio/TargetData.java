package org.aiobench.workloads.randio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.aiobench.workloads.TestTree;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The data of a random-I/O target: seeded pseudo-random bytes (really written, not fallocated), in which the first
 * 16 bytes of every 512-byte sector are a header, fio's "verify header" idea reduced to what a hot loop can check
 * for free: {@code offset of the sector XOR key} and a stamp (0 as laid out; a write stamps its run's number).
 * A read is checked by comparing one long per sector with the offset it was asked for, which catches reads from
 * the wrong place, stale buffers and short transfers without hashing anything.
 *
 * <p>The read target also has a CRC32C per MiB in its manifest, so a reused target is verified in full.
 */
public final class TargetData {
    private TargetData() {}

    public static final String GENERATOR = "splitmix64-block-v1+sector-headers-v1";
    /** Seed of every target's data, so runs on different machines read the same bytes. */
    public static final long SEED = 20240625L;
    public static final int BLOCK = TestTree.BLOCK;
    public static final int SECTOR = JobSpec.SECTOR;
    /** Bytes 0-7 of a sector: its offset XOR {@link #key}; bytes 8-15: the stamp. */
    public static final int HEADER_BYTES = 16;
    private static final int STREAM = -1; // TestTree's file index used for target data

    /** The header key of data made with {@code seed}. */
    public static long key(long seed) {
        long z = seed * 0x9E3779B97F4A7C15L + 0x7A76_7A76L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        return z ^ (z >>> 31);
    }

    /** The bytes of MiB block {@code block} as laid out, {@code length} of them, into {@code out} (cleared). */
    public static void fillBlock(long seed, long block, ByteBuffer out, int length) {
        TestTree.fillBlock(seed, STREAM, block, out, length);
        out.order(ByteOrder.LITTLE_ENDIAN);
        long key = key(seed);
        long base = block * BLOCK;
        for (int s = 0; s + HEADER_BYTES <= length; s += SECTOR) {
            out.putLong(s, (base + s) ^ key);
            out.putLong(s + 8, 0);
        }
    }

    /** Stamps the headers of a buffer about to be written at {@code offset}. */
    public static void stamp(MemorySegment buf, long at, int length, long offset, long key, long stamp) {
        for (int s = 0; s < length; s += SECTOR) {
            buf.set(JAVA_LONG, at + s, (offset + s) ^ key);
            buf.set(JAVA_LONG, at + s + 8, stamp);
        }
    }

    /**
     * The first sector of {@code length} bytes read from {@code offset} into {@code buf} at {@code at} whose header
     * does not name its own offset, as an offset into the buffer; -1 when all do.
     */
    public static int firstBadSector(MemorySegment buf, long at, int length, long offset, long key) {
        for (int s = 0; s < length; s += SECTOR) {
            if (buf.get(JAVA_LONG, at + s) != ((offset + s) ^ key)) return s;
        }
        return -1;
    }

    /**
     * The record of a target, stored beside it as {@code <target>.manifest.json}.
     *
     * @param purpose "read" (its CRCs are kept: nothing writes it) or "write" (writes change it; only the sector
     *                headers are checked)
     * @param crc32c  CRC32C of each MiB, for the read target
     */
    public record Manifest(int format, String generator, long seed, long size, int blockSize, String purpose,
                           List<Long> crc32c) {
        public static final int FORMAT = 1;
        private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

        public static Path pathFor(Path target) {
            return target.resolveSibling(target.getFileName() + ".manifest.json");
        }

        public void save(Path target) {
            Path f = pathFor(target);
            Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
            try {
                JSON.writeValue(tmp.toFile(), this);
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + f + ": " + e.getMessage(), e);
            }
        }

        /** The manifest beside {@code target}, or null if there is none or it cannot be read. */
        public static Manifest load(Path target) {
            Path f = pathFor(target);
            if (!Files.isRegularFile(f)) return null;
            try {
                Manifest m = JSON.readValue(f.toFile(), Manifest.class);
                return m.format() == FORMAT ? m : null;
            } catch (IOException e) {
                return null;
            }
        }
    }
}
