package org.aiobench.workloads;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.aiobench.engines.Engines;
import org.aiobench.engines.IoEngine;
import org.aiobench.engines.Op;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A source file that grows or shrinks while it is copied (issue 10: it ended as "size differs from the source's"
 * when it was the manifest's size that differed): the copy stops and says which file changed during the copy.
 * The change is made by an engine wrapper when the copy queues the file's first read, after it was opened.
 */
class ChangingSourceTest {
    private static final int SIZE = 300_000;
    @TempDir Path work;

    /** Runs {@code change} once, when the first read is queued. */
    static final class ChangingSource extends ForwardingEngine {
        private Runnable change;

        ChangingSource(IoEngine real, Runnable change) {
            super(real);
            this.change = change;
        }

        @Override
        public void queue(Op op, long tag, int fd, MemorySegment buffer, long length, long offset, int flags) {
            if (change != null && op == Op.READ) {
                change.run();
                change = null;
            }
            super.queue(op, tag, fd, buffer, length, offset, flags);
        }
    }

    static String[] engines() {
        return Engines.names().toArray(String[]::new);
    }

    private CopyException copyWhile(String engine, Runnable change) throws IOException {
        Path src = Files.createDirectories(work.resolve("src"));
        Files.write(src.resolve("growing.bin"), new byte[SIZE]);
        Path dst = work.resolve("dst");
        try (CopyPlan p = CopyPlan.prepare(src, dst, CopyOptions.defaults(engine).withQd(2).withBufferSize(64 * 1024))) {
            p.withEngineFactory(eo -> new ChangingSource(Engines.create(engine, eo), change));
            CopyException e = assertThrows(CopyException.class, () -> p.run(Progress.NONE));
            assertFalse(e.badInput());
            assertTrue(e.getMessage().contains("holds a partial copy"), e.getMessage());
            return e;
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void aFileAppendedToDuringItsCopyIsNamed(String engine) throws IOException {
        Path file = work.resolve("src/growing.bin");
        CopyException e = copyWhile(engine, () -> append(file, 100));
        assertTrue(e.getMessage().contains("the source " + file + " changed during the copy: it had " + SIZE
                + " bytes when the copy opened it and " + (SIZE + 100) + " when it was copied"), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void aFileTruncatedDuringItsCopyIsNamed(String engine) throws IOException {
        Path file = work.resolve("src/growing.bin");
        CopyException e = copyWhile(engine, () -> truncate(file, 1000));
        assertTrue(e.getMessage().contains("the source " + file + " changed during the copy"), e.getMessage());
    }

    private static void append(Path f, int bytes) {
        try {
            Files.write(f, new byte[bytes], StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void truncate(Path f, long size) {
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.setLength(size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
