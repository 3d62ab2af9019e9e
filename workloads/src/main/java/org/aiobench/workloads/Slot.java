package org.aiobench.workloads;

import java.lang.foreign.MemorySegment;

import org.aiobench.engines.IoEngine;
import org.aiobench.engines.Links;
import org.aiobench.engines.Op;
import org.aiobench.engines.nat.Errno;

/**
 * One buffer slot and the chunk it carries from a source descriptor to a destination descriptor, as named states.
 * A chunk is {@code length} bytes at {@code offset}; it starts as a read linked to its write ({@link IoEngine#LINK}:
 * the write runs only if the read returned every byte). A short read continues from where it ended, so an error
 * in the middle of a buffer surfaces with its errno; a short write continues likewise.
 *
 * <pre>
 * IDLE           --start-->                              READ_DUE
 * READ_DUE       --issue, nothing read yet-->            PAIR_IN_FLIGHT (the read linked to the write)
 *                --issue, the rest or an O_DIRECT tail-> READING
 * PAIR_IN_FLIGHT --both in full-->                       IDLE (done)
 *                --read short (the write cancelled)-->   READ_DUE (the rest)
 *                --a kernel copy stopped early-->        READ_DUE (the rest, as a pair again)
 *                --read in full, write short-->          WRITE_DUE (the rest)
 * READING        --short--> READ_DUE       --in full-->  WRITE_DUE
 * WRITE_DUE      --issue-->                              WRITING
 * WRITING        --short--> WRITE_DUE      --in full-->  IDLE (done)
 * any error      -->                                     IDLE (failed: errno, file and offset in the message)
 * </pre>
 *
 * A kernel copy (copy_file_range) reads and writes as one: when it stops early both results say how far it got,
 * and the rest goes as a pair again, never as a write of a buffer the kernel did not fill. Only such an engine gets
 * chunks longer than the buffer (a whole file), and they always travel as pairs.
 *
 * <p>"Due" states are issued by the copy at its next fill, not from inside a completion. Tags: {@code 2 x index} for
 * the read, {@code 2 x index + 1} for the write. Nothing here allocates on the way of a chunk that goes through in
 * one pair; a continuation slices the buffer.
 */
final class Slot {
    /** Where the slot's chunk stands. */
    enum State {
        /** No chunk. */
        IDLE,
        /** The (rest of the) read is to be issued: as a linked pair when the whole chunk is still to be read. */
        READ_DUE,
        /** A read linked to its write: both in flight. */
        PAIR_IN_FLIGHT,
        /** A read alone in flight: the rest of a short read, or an O_DIRECT tail. */
        READING,
        /** The chunk is read; the (rest of the) write is to be issued. */
        WRITE_DUE,
        /** A write alone in flight. */
        WRITING
    }

    /** What the copy does with the slot after a completion. */
    enum Step {
        /** Nothing yet: the other half of the pair is still in flight. */
        WAIT,
        /** Issue the slot at the next fill (its state is READ_DUE or WRITE_DUE). */
        ISSUE,
        /** The chunk is copied; the slot is IDLE. */
        DONE,
        /** The chunk failed ({@link #failure()} says why); the slot is IDLE and nothing of it is in flight. */
        FAILED
    }

    /** Continuations that make no progress before the chunk fails (a zero-length write, say). */
    static final int MAX_STALLS = 16;

    final int index;
    final MemorySegment buffer;
    private final int align;

    State state = State.IDLE;
    /** The file place the chunk belongs to (the copy's index). */
    int owner = -1;
    long offset;
    /** Bytes of data in the chunk. */
    long length;
    /** Bytes transferred: the length, or for an O_DIRECT tail the length rounded up to a whole block. */
    long ioLength;
    /** Bytes of the chunk read so far, from its start. */
    private long read;
    /** Bytes of the chunk written so far, from its start. */
    private long written;
    private long pairRead, pairWrite;
    private int arrived;
    /** 0, or {@link IoEngine#FIXED_FILE} when the chunk's files are fixed-file slots. */
    private int fileFlag;
    private int stalls;
    private String failure;
    /** Short reads and writes continued, over the slot's life. */
    long resumed;

    /** @param align the O_DIRECT block (1 without O_DIRECT): a continuation starts at a multiple of it */
    Slot(int index, MemorySegment buffer, int align) {
        this.index = index;
        this.buffer = buffer;
        this.align = align;
    }

    long readTag() { return 2L * index; }

    long writeTag() { return 2L * index + 1; }

    /**
     * Gives the slot a chunk: {@code length} bytes at {@code offset}, {@code ioLength} of them transferred; {@code
     * fileFlag} is {@link IoEngine#FIXED_FILE} when the descriptors given to {@link #issue} are fixed-file slots.
     */
    void start(int owner, long offset, long length, long ioLength, int fileFlag) {
        this.fileFlag = fileFlag;
        if (state != State.IDLE) throw new IllegalStateException("slot " + index + " is " + state);
        this.owner = owner;
        this.offset = offset;
        this.length = length;
        this.ioLength = ioLength;
        read = 0;
        written = 0;
        stalls = 0;
        failure = null;
        state = State.READ_DUE;
    }

    /** Queues what is due: the linked pair, the rest of the read, or the rest of the write. */
    void issue(IoEngine engine, int srcFd, int dstFd) {
        switch (state) {
            case READ_DUE -> {
                if (read == written && ioLength == length) {
                    // the whole chunk, or what a kernel copy left of it (read and written alike)
                    arrived = 0;
                    engine.queue(Op.READ, readTag(), srcFd, buffer, length - read, offset + read, IoEngine.LINK | fileFlag);
                    engine.queue(Op.WRITE, writeTag(), dstFd, buffer, length - read, offset + read, fileFlag);
                    state = State.PAIR_IN_FLIGHT;
                } else {
                    engine.queue(Op.READ, readTag(), srcFd, read == 0 ? buffer : buffer.asSlice(read), ioLength - read,
                            offset + read, fileFlag);
                    state = State.READING;
                }
            }
            case WRITE_DUE -> {
                engine.queue(Op.WRITE, writeTag(), dstFd, written == 0 ? buffer : buffer.asSlice(written),
                        ioLength - written, offset + written, fileFlag);
                state = State.WRITING;
            }
            default -> throw new IllegalStateException("slot " + index + " has nothing due, it is " + state);
        }
    }

    /** The files a chunk goes between, named only for a failure's message. */
    interface Files {
        String source();

        String destination();
    }

    /** One of the slot's requests completed with {@code res}; {@code files} are named in a failure's message. */
    Step complete(boolean isWrite, long res, Files files) {
        switch (state) {
            case PAIR_IN_FLIGHT -> {
                if (isWrite) pairWrite = res; else pairRead = res;
                if (++arrived < 2) return Step.WAIT;
                long r = pairRead;
                long w = pairWrite;
                long at = offset + read;
                if (r < 0) return fail("read of " + files.source() + " at offset " + at + ": " + Errno.describe((int) -r));
                if (w < 0 && w != Links.CANCELED) {
                    return fail("write of " + files.destination() + " at offset " + at + ": " + Errno.describe((int) -w));
                }
                long want = length - read;
                if (r < want && w == r && r > 0) {
                    // a kernel copy that stopped early: as far as it read, it wrote; the rest as a pair again
                    read += r;
                    written = read;
                    resumed++;
                    state = State.READ_DUE;
                    return Step.ISSUE;
                }
                if (r == 0) return readSome(0, files); // the source ended early: it changed during the copy
                if (r < want && length > buffer.byteSize()) {
                    // only a kernel copy gets a chunk beyond its buffer, and it never leaves half a pair
                    return fail("copy of " + files.source() + " at offset " + at + " stopped after " + r + " of " + want
                            + " bytes with the write " + (w == Links.CANCELED ? "cancelled" : "at " + w + " bytes"));
                }
                if (r < want) return readSome(r, files); // the write was cancelled (Links)
                read = length;
                return wrote(Math.max(0, w), files);
            }
            case READING -> {
                if (isWrite) throw new IllegalStateException("slot " + index + ": a write completed while reading");
                if (res < 0) {
                    return fail("read of " + files.source() + " at offset " + (offset + read) + ": "
                            + Errno.describe((int) -res));
                }
                return readSome(res, files);
            }
            case WRITING -> {
                if (!isWrite) throw new IllegalStateException("slot " + index + ": a read completed while writing");
                if (res < 0) {
                    return fail("write of " + files.destination() + " at offset " + (offset + written) + ": "
                            + Errno.describe((int) -res));
                }
                return wrote(res, files);
            }
            default -> throw new IllegalStateException("slot " + index + ": a completion arrived while " + state);
        }
    }

    /** {@code got} more bytes arrived from where the read stood. */
    private Step readSome(long got, Files files) {
        long have = read + got;
        if (got == 0) {
            return fail("the source " + files.source() + " changed during the copy: it ended at offset " + (offset + have)
                    + ", short of the size it had when the copy opened it");
        }
        if (have >= length) {
            read = length;
            stalls = 0;
            state = State.WRITE_DUE;
            return Step.ISSUE;
        }
        // a short read: the rest from where it ended (with O_DIRECT from the start of the block it ended in)
        long resume = have / align * align;
        if (resume <= read && ++stalls > MAX_STALLS) {
            return fail("read of " + files.source() + " at offset " + (offset + read) + " made no progress " + MAX_STALLS
                    + " times");
        }
        read = resume;
        resumed++;
        state = State.READ_DUE;
        return Step.ISSUE;
    }

    /** {@code w} more bytes were written from where the write stood. */
    private Step wrote(long w, Files files) {
        written += w;
        if (written >= ioLength) {
            state = State.IDLE;
            return Step.DONE;
        }
        // a short write (the filesystem filling up: the next write then says ENOSPC)
        if (w == 0 && ++stalls > MAX_STALLS) {
            return fail("write of " + files.destination() + " at offset " + (offset + written) + " made no progress "
                    + MAX_STALLS + " times");
        }
        resumed++;
        state = State.WRITE_DUE;
        return Step.ISSUE;
    }

    private Step fail(String why) {
        failure = why;
        state = State.IDLE;
        return Step.FAILED;
    }

    /** Why the last chunk failed. */
    String failure() { return failure; }

    /** Empties the slot for a new copy (nothing of it may be in flight). */
    void reset() {
        state = State.IDLE;
        owner = -1;
        resumed = 0;
        failure = null;
    }
}
