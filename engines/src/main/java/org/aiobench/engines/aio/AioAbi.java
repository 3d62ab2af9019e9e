package org.aiobench.engines.aio;

/**
 * Struct layouts and constants of Linux native AIO ({@code include/uapi/linux/aio_abi.h}) and glibc POSIX AIO
 * ({@code rt/aio.h}), x86-64, defined once. Values: shared/reference/linux-io-abi.md sections 2.11 and 2.12
 * (offsets checked with offsetof against Debian 12 headers).
 */
final class AioAbi {
    private AioAbi() {}

    // ---- Linux native AIO ------------------------------------------------------------------------------

    /** struct iocb (64 bytes, little-endian field order). */
    static final int IOCB_SIZE = 64;
    static final long IOCB_DATA = 0, IOCB_KEY = 8, IOCB_RW_FLAGS = 12, IOCB_LIO_OPCODE = 16, IOCB_REQPRIO = 18,
            IOCB_FILDES = 20, IOCB_BUF = 24, IOCB_NBYTES = 32, IOCB_OFFSET = 40, IOCB_RESERVED2 = 48,
            IOCB_FLAGS = 56, IOCB_RESFD = 60;

    /** iocb opcodes. There is no fallocate opcode, and io_submit rejects IOCB_CMD_NOOP with EINVAL. */
    static final short IOCB_CMD_PREAD = 0, IOCB_CMD_PWRITE = 1, IOCB_CMD_FSYNC = 2;

    /** struct io_event (32 bytes). */
    static final int IO_EVENT_SIZE = 32;
    static final long EV_DATA = 0, EV_OBJ = 8, EV_RES = 16, EV_RES2 = 24;

    /** struct aio_ring header at the address io_setup returns as the context (fio's userspace_reap reads it). */
    static final int AIO_RING_HEADER = 32;
    static final long RING_NR = 4, RING_HEAD = 8, RING_TAIL = 12, RING_MAGIC = 16;
    static final int AIO_RING_MAGIC = 0xa10a10a1;

    /** The kernel's per-context limit: io_setup fails with EINVAL above 0x10000000 / sizeof(io_event) events. */
    static final long MAX_CONTEXT_EVENTS = 0x10000000L / IO_EVENT_SIZE;

    /** struct timespec. */
    static final int TIMESPEC_SIZE = 16;

    // ---- glibc POSIX AIO -------------------------------------------------------------------------------

    /** struct aiocb (168 bytes; aiocb64 has the same layout on x86-64). */
    static final int AIOCB_SIZE = 168;
    static final long AIOCB_FILDES = 0, AIOCB_LIO_OPCODE = 4, AIOCB_REQPRIO = 8, AIOCB_BUF = 16, AIOCB_NBYTES = 24,
            AIOCB_SIGEVENT = 32, AIOCB_ERROR_CODE = 112, AIOCB_RETURN_VALUE = 120, AIOCB_OFFSET = 128;
    /** struct sigevent inside the aiocb: sigev_notify at +12. */
    static final long AIOCB_SIGEV_NOTIFY = AIOCB_SIGEVENT + 12;
    static final int SIGEV_NONE = 1;

    static final int LIO_READ = 0, LIO_WRITE = 1, LIO_NOP = 2;
    static final int LIO_WAIT = 0;

    /** aio_fsync(O_SYNC, ...): a full fsync. */
    static final int O_SYNC = 0x101000;

    /** struct aioinit (32 bytes). */
    static final int AIOINIT_SIZE = 32;
    static final long AIOINIT_THREADS = 0, AIOINIT_NUM = 4, AIOINIT_IDLE_TIME = 24;
    /** glibc allocates request slots in rows of this many; aio_init rounds aio_num down to a multiple of it. */
    static final int GLIBC_ENTRIES_PER_ROW = 32;
}
