package org.aiobench.engines.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.aiobench.engines.uring.IoUringAbi.*;
import static org.junit.jupiter.api.Assertions.*;

/** Every prep helper writes every SQE field: nothing of a slot's previous request may survive. */
class SqeTest {
    static final long AT = 64; // the second SQE of the array, so an off-by-one into a neighbour shows too

    record Expect(byte opcode, int fd, long off, long addr, int len, int opFlags, long userData, short bufIndex) {}

    static void check(Consumer<MemorySegment> prep, Expect e) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sqes = a.allocate(3 * SQE_BYTES, 64);
            sqes.fill((byte) 0xA5); // stale garbage from an earlier request
            prep.accept(sqes);
            assertEquals(e.opcode(), sqes.get(JAVA_BYTE, AT + SQE_OPCODE));
            assertEquals(0, sqes.get(JAVA_BYTE, AT + SQE_FLAGS), "flags cleared by prep");
            assertEquals(0, sqes.get(JAVA_SHORT, AT + SQE_IOPRIO));
            assertEquals(e.fd(), sqes.get(JAVA_INT, AT + SQE_FD));
            assertEquals(e.off(), sqes.get(JAVA_LONG, AT + SQE_OFF));
            assertEquals(e.addr(), sqes.get(JAVA_LONG, AT + SQE_ADDR));
            assertEquals(e.len(), sqes.get(JAVA_INT, AT + SQE_LEN));
            assertEquals(e.opFlags(), sqes.get(JAVA_INT, AT + SQE_RW_FLAGS));
            assertEquals(e.userData(), sqes.get(JAVA_LONG, AT + SQE_USER_DATA));
            assertEquals(e.bufIndex(), sqes.get(JAVA_SHORT, AT + SQE_BUF_INDEX));
            assertEquals(0, sqes.get(JAVA_SHORT, AT + SQE_PERSONALITY));
            assertEquals(0, sqes.get(JAVA_INT, AT + SQE_FILE_INDEX));
            assertEquals(0, sqes.get(JAVA_LONG, AT + SQE_ADDR3));
            assertEquals(0, sqes.get(JAVA_LONG, AT + SQE_PAD2));
            for (long i = 0; i < SQE_BYTES; i++) {
                assertEquals((byte) 0xA5, sqes.get(JAVA_BYTE, i), "SQE before untouched at " + i);
                assertEquals((byte) 0xA5, sqes.get(JAVA_BYTE, 2 * SQE_BYTES + i), "SQE after untouched at " + i);
            }
            Sqe.flags(sqes, AT, (byte) (IOSQE_IO_LINK | IOSQE_ASYNC));
            assertEquals(IOSQE_IO_LINK | IOSQE_ASYNC, sqes.get(JAVA_BYTE, AT + SQE_FLAGS));
            assertEquals(e.opcode(), sqes.get(JAVA_BYTE, AT + SQE_OPCODE), "flags leave the opcode alone");
        }
    }

    @Test
    void everyOpcodeWritesEveryField() {
        check(s -> Sqe.nop(s, AT, 9), new Expect(OP_NOP, -1, 0, 0, 0, 0, 9, (short) 0));
        check(s -> Sqe.read(s, AT, 3, 0x1000, 4096, 8192, 7), new Expect(OP_READ, 3, 8192, 0x1000, 4096, 0, 7, (short) 0));
        check(s -> Sqe.write(s, AT, 4, 0x2000, 512, 1L << 40, -1L), new Expect(OP_WRITE, 4, 1L << 40, 0x2000, 512, 0, -1L, (short) 0));
        check(s -> Sqe.readFixed(s, AT, 5, 0x3000, 100, 0, 12, 1), new Expect(OP_READ_FIXED, 5, 0, 0x3000, 100, 0, 1, (short) 12));
        check(s -> Sqe.writeFixed(s, AT, 6, 0x4000, 200, 4096, 65535, 2), new Expect(OP_WRITE_FIXED, 6, 4096, 0x4000, 200, 0, 2, (short) -1));
        check(s -> Sqe.readv(s, AT, 7, 0x5000, 1, 64, 3), new Expect(OP_READV, 7, 64, 0x5000, 1, 0, 3, (short) 0));
        check(s -> Sqe.writev(s, AT, 8, 0x6000, 2, 128, 4), new Expect(OP_WRITEV, 8, 128, 0x6000, 2, 0, 4, (short) 0));
        check(s -> Sqe.fsync(s, AT, 9, FSYNC_DATASYNC, 5), new Expect(OP_FSYNC, 9, 0, 0, 0, FSYNC_DATASYNC, 5, (short) 0));
        // FALLOCATE: len carries the mode, off the offset, addr the length (liburing io_uring_prep_fallocate)
        check(s -> Sqe.fallocate(s, AT, 10, 1, 4096, 1 << 20, 6), new Expect(OP_FALLOCATE, 10, 4096, 1 << 20, 1, 0, 6, (short) 0));
    }

    @Test
    void abiConstantsMatchTheReference() {
        // linux-io-abi.md 2.5, 2.7, 2.8: a typo here would silently ask the kernel for something else
        assertEquals(8192, SETUP_DEFER_TASKRUN);
        assertEquals(4096, SETUP_SINGLE_ISSUER);
        assertEquals(256, SETUP_COOP_TASKRUN);
        assertEquals(128, SETUP_SUBMIT_ALL);
        assertEquals(22, OP_READ);
        assertEquals(17, OP_FALLOCATE);
        assertEquals(0x10000000L, OFF_SQES);
        assertEquals(0x8000000L, OFF_CQ_RING);
        assertEquals("IORING_SETUP_SQPOLL|IORING_SETUP_SQ_AFF", names(SETUP_FLAGS, 6));
        assertEquals("IORING_FEAT_SINGLE_MMAP|0x80000000", names(FEATURES, 1 | (1 << 31)));
    }
}
