package org.aiobench.engines.uring;

/**
 * io_uring's user-space ABI (x86-64), every struct offset, flag, opcode and the first kernel having it, defined
 * exactly once. Values: ../shared/reference/linux-io-abi.md sections 2.1-2.9 (liburing's io_uring.h, checked
 * with offsetof). Ring offsets inside the mmapped rings are chosen by the kernel and read from
 * {@code io_uring_params} at run time; the constants here are the offsets of the fields that carry them.
 */
public final class IoUringAbi {
    private IoUringAbi() {}

    // ---- struct io_uring_params (120 bytes) ----------------------------------------------------------------
    public static final int PARAMS_BYTES = 120;
    public static final long P_SQ_ENTRIES = 0, P_CQ_ENTRIES = 4, P_FLAGS = 8, P_SQ_THREAD_CPU = 12,
            P_SQ_THREAD_IDLE = 16, P_FEATURES = 20, P_WQ_FD = 24, P_SQ_OFF = 40, P_CQ_OFF = 80;

    // struct io_sqring_offsets (at P_SQ_OFF)
    public static final long SQO_HEAD = 0, SQO_TAIL = 4, SQO_RING_MASK = 8, SQO_RING_ENTRIES = 12, SQO_FLAGS = 16,
            SQO_DROPPED = 20, SQO_ARRAY = 24, SQO_USER_ADDR = 32;
    // struct io_cqring_offsets (at P_CQ_OFF)
    public static final long CQO_HEAD = 0, CQO_TAIL = 4, CQO_RING_MASK = 8, CQO_RING_ENTRIES = 12, CQO_OVERFLOW = 16,
            CQO_CQES = 20, CQO_FLAGS = 24, CQO_USER_ADDR = 32;

    // ---- struct io_uring_sqe (64 bytes) --------------------------------------------------------------------
    public static final int SQE_BYTES = 64;
    public static final long SQE_OPCODE = 0, SQE_FLAGS = 1, SQE_IOPRIO = 2, SQE_FD = 4, SQE_OFF = 8, SQE_ADDR = 16,
            SQE_LEN = 24, SQE_RW_FLAGS = 28, SQE_USER_DATA = 32, SQE_BUF_INDEX = 40, SQE_PERSONALITY = 42,
            SQE_FILE_INDEX = 44, SQE_ADDR3 = 48, SQE_PAD2 = 56;

    // ---- struct io_uring_cqe (16 bytes) --------------------------------------------------------------------
    public static final int CQE_BYTES = 16;
    public static final long CQE_USER_DATA = 0, CQE_RES = 8, CQE_FLAGS = 12;

    // ---- mmap offsets --------------------------------------------------------------------------------------
    public static final long OFF_SQ_RING = 0L, OFF_CQ_RING = 0x8000000L, OFF_SQES = 0x10000000L;

    // ---- setup flags (io_uring_params.flags) ---------------------------------------------------------------
    public static final int SETUP_IOPOLL = 1, SETUP_SQPOLL = 1 << 1, SETUP_SQ_AFF = 1 << 2, SETUP_CQSIZE = 1 << 3,
            SETUP_CLAMP = 1 << 4, SETUP_ATTACH_WQ = 1 << 5, SETUP_R_DISABLED = 1 << 6, SETUP_SUBMIT_ALL = 1 << 7,
            SETUP_COOP_TASKRUN = 1 << 8, SETUP_TASKRUN_FLAG = 1 << 9, SETUP_SQE128 = 1 << 10,
            SETUP_CQE32 = 1 << 11, SETUP_SINGLE_ISSUER = 1 << 12, SETUP_DEFER_TASKRUN = 1 << 13,
            SETUP_NO_MMAP = 1 << 14, SETUP_REGISTERED_FD_ONLY = 1 << 15, SETUP_NO_SQARRAY = 1 << 16,
            SETUP_HYBRID_IOPOLL = 1 << 17, SETUP_CQE_MIXED = 1 << 18, SETUP_SQE_MIXED = 1 << 19,
            SETUP_SQ_REWIND = 1 << 20;

    /** A named bit with the first kernel that has it ("" where no version is documented). */
    public record Bit(String name, int value, String since) {}

    /** Setup flags in bit order, with the kernel that introduced each (man io_uring_setup; upstream history). */
    public static final Bit[] SETUP_FLAGS = {
        new Bit("IORING_SETUP_IOPOLL", SETUP_IOPOLL, "5.1"),
        new Bit("IORING_SETUP_SQPOLL", SETUP_SQPOLL, "5.1"),
        new Bit("IORING_SETUP_SQ_AFF", SETUP_SQ_AFF, "5.1"),
        new Bit("IORING_SETUP_CQSIZE", SETUP_CQSIZE, "5.5"),
        new Bit("IORING_SETUP_CLAMP", SETUP_CLAMP, "5.6"),
        new Bit("IORING_SETUP_ATTACH_WQ", SETUP_ATTACH_WQ, "5.6"),
        new Bit("IORING_SETUP_R_DISABLED", SETUP_R_DISABLED, "5.10"),
        new Bit("IORING_SETUP_SUBMIT_ALL", SETUP_SUBMIT_ALL, "5.18"),
        new Bit("IORING_SETUP_COOP_TASKRUN", SETUP_COOP_TASKRUN, "5.19"),
        new Bit("IORING_SETUP_TASKRUN_FLAG", SETUP_TASKRUN_FLAG, "5.19"),
        new Bit("IORING_SETUP_SQE128", SETUP_SQE128, "5.19"),
        new Bit("IORING_SETUP_CQE32", SETUP_CQE32, "5.19"),
        new Bit("IORING_SETUP_SINGLE_ISSUER", SETUP_SINGLE_ISSUER, "6.0"),
        new Bit("IORING_SETUP_DEFER_TASKRUN", SETUP_DEFER_TASKRUN, "6.1"),
        new Bit("IORING_SETUP_NO_MMAP", SETUP_NO_MMAP, "6.5"),
        new Bit("IORING_SETUP_REGISTERED_FD_ONLY", SETUP_REGISTERED_FD_ONLY, "6.5"),
        new Bit("IORING_SETUP_NO_SQARRAY", SETUP_NO_SQARRAY, "6.6"),
        new Bit("IORING_SETUP_HYBRID_IOPOLL", SETUP_HYBRID_IOPOLL, "6.13"),
        new Bit("IORING_SETUP_CQE_MIXED", SETUP_CQE_MIXED, "6.18"),
        new Bit("IORING_SETUP_SQE_MIXED", SETUP_SQE_MIXED, ""),
        new Bit("IORING_SETUP_SQ_REWIND", SETUP_SQ_REWIND, "7.0"),
    };

    // ---- SQE flags (sqe->flags) ----------------------------------------------------------------------------
    public static final byte IOSQE_FIXED_FILE = 1, IOSQE_IO_DRAIN = 2, IOSQE_IO_LINK = 4, IOSQE_IO_HARDLINK = 8,
            IOSQE_ASYNC = 16, IOSQE_BUFFER_SELECT = 32, IOSQE_CQE_SKIP_SUCCESS = 64;

    // ---- opcodes -------------------------------------------------------------------------------------------
    public static final byte OP_NOP = 0, OP_READV = 1, OP_WRITEV = 2, OP_FSYNC = 3, OP_READ_FIXED = 4,
            OP_WRITE_FIXED = 5, OP_SYNC_FILE_RANGE = 8, OP_ASYNC_CANCEL = 14, OP_FALLOCATE = 17, OP_OPENAT = 18, OP_CLOSE = 19,
            OP_FILES_UPDATE = 20, OP_STATX = 21, OP_READ = 22, OP_WRITE = 23, OP_FADVISE = 24, OP_MADVISE = 25,
            OP_OPENAT2 = 28, OP_SPLICE = 30, OP_PROVIDE_BUFFERS = 31, OP_TEE = 33, OP_MKDIRAT = 37,
            OP_URING_CMD = 46;
    /** Linux 5.15; not in {@link #OPCODES}, whose names env.json's probe keeps the same across versions. */
    public static final String MKDIRAT_SINCE = "5.15";

    /**
     * sqe->file_index of OPENAT: put the file into the fixed-file slot the kernel picks and complete with its index
     * (IORING_FILE_INDEX_ALLOC, ~0U, Linux 5.19); otherwise slot + 1, or 0 for a descriptor.
     */
    public static final int FILE_INDEX_ALLOC = -1;

    /** Opcodes the probe names, with the kernel that introduced each (man io_uring_enter). */
    public static final Bit[] OPCODES = {
        new Bit("IORING_OP_NOP", OP_NOP, "5.1"),
        new Bit("IORING_OP_READV", OP_READV, "5.1"),
        new Bit("IORING_OP_WRITEV", OP_WRITEV, "5.1"),
        new Bit("IORING_OP_FSYNC", OP_FSYNC, "5.1"),
        new Bit("IORING_OP_READ_FIXED", OP_READ_FIXED, "5.1"),
        new Bit("IORING_OP_WRITE_FIXED", OP_WRITE_FIXED, "5.1"),
        new Bit("IORING_OP_SYNC_FILE_RANGE", OP_SYNC_FILE_RANGE, "5.2"),
        new Bit("IORING_OP_ASYNC_CANCEL", OP_ASYNC_CANCEL, "5.5"),
        new Bit("IORING_OP_FALLOCATE", OP_FALLOCATE, "5.6"),
        new Bit("IORING_OP_OPENAT", OP_OPENAT, "5.6"),
        new Bit("IORING_OP_CLOSE", OP_CLOSE, "5.6"),
        new Bit("IORING_OP_FILES_UPDATE", OP_FILES_UPDATE, "5.6"),
        new Bit("IORING_OP_STATX", OP_STATX, "5.6"),
        new Bit("IORING_OP_READ", OP_READ, "5.6"),
        new Bit("IORING_OP_WRITE", OP_WRITE, "5.6"),
        new Bit("IORING_OP_FADVISE", OP_FADVISE, "5.6"),
        new Bit("IORING_OP_MADVISE", OP_MADVISE, "5.6"),
        new Bit("IORING_OP_OPENAT2", OP_OPENAT2, "5.6"),
        new Bit("IORING_OP_SPLICE", OP_SPLICE, "5.7"),
        new Bit("IORING_OP_PROVIDE_BUFFERS", OP_PROVIDE_BUFFERS, "5.7"),
        new Bit("IORING_OP_TEE", OP_TEE, "5.8"),
        new Bit("IORING_OP_URING_CMD", OP_URING_CMD, "5.19"),
    };

    // FSYNC flags (sqe->fsync_flags)
    public static final int FSYNC_DATASYNC = 1;

    // ASYNC_CANCEL flags (sqe->cancel_flags, the rw_flags word); ALL 5.19, FD 5.19, ANY 5.19 (ANY implies ALL:
    // every request of the ring, whatever its user_data). The CQE's res is how many were found, or -errno
    public static final int ASYNC_CANCEL_ALL = 1, ASYNC_CANCEL_FD = 1 << 1, ASYNC_CANCEL_ANY = 1 << 2;

    // ---- CQE flags -----------------------------------------------------------------------------------------
    public static final int CQE_F_BUFFER = 1, CQE_F_MORE = 2;

    // ---- io_uring_enter flags ------------------------------------------------------------------------------
    public static final int ENTER_GETEVENTS = 1, ENTER_SQ_WAKEUP = 2, ENTER_SQ_WAIT = 4, ENTER_EXT_ARG = 8,
            ENTER_REGISTERED_RING = 16;
    /** The legacy sigset size io_uring_enter expects with a sigmask argument (_NSIG/8). */
    public static final long ENTER_SIGSET_BYTES = 8;

    // ---- SQ ring flags word --------------------------------------------------------------------------------
    public static final int SQ_NEED_WAKEUP = 1, SQ_CQ_OVERFLOW = 2, SQ_TASKRUN = 4;

    // ---- features (io_uring_params.features) ---------------------------------------------------------------
    public static final int FEAT_SINGLE_MMAP = 1, FEAT_NODROP = 1 << 1, FEAT_SUBMIT_STABLE = 1 << 2,
            FEAT_RW_CUR_POS = 1 << 3, FEAT_CUR_PERSONALITY = 1 << 4, FEAT_FAST_POLL = 1 << 5,
            FEAT_POLL_32BITS = 1 << 6, FEAT_SQPOLL_NONFIXED = 1 << 7, FEAT_EXT_ARG = 1 << 8,
            FEAT_NATIVE_WORKERS = 1 << 9, FEAT_RSRC_TAGS = 1 << 10, FEAT_CQE_SKIP = 1 << 11,
            FEAT_LINKED_FILE = 1 << 12, FEAT_REG_REG_RING = 1 << 13, FEAT_RECVSEND_BUNDLE = 1 << 14,
            FEAT_MIN_TIMEOUT = 1 << 15, FEAT_RW_ATTR = 1 << 16, FEAT_NO_IOWAIT = 1 << 17;

    public static final Bit[] FEATURES = {
        new Bit("IORING_FEAT_SINGLE_MMAP", FEAT_SINGLE_MMAP, "5.4"),
        new Bit("IORING_FEAT_NODROP", FEAT_NODROP, "5.5"),
        new Bit("IORING_FEAT_SUBMIT_STABLE", FEAT_SUBMIT_STABLE, "5.5"),
        new Bit("IORING_FEAT_RW_CUR_POS", FEAT_RW_CUR_POS, "5.6"),
        new Bit("IORING_FEAT_CUR_PERSONALITY", FEAT_CUR_PERSONALITY, "5.6"),
        new Bit("IORING_FEAT_FAST_POLL", FEAT_FAST_POLL, "5.7"),
        new Bit("IORING_FEAT_POLL_32BITS", FEAT_POLL_32BITS, "5.9"),
        new Bit("IORING_FEAT_SQPOLL_NONFIXED", FEAT_SQPOLL_NONFIXED, "5.11"),
        new Bit("IORING_FEAT_EXT_ARG", FEAT_EXT_ARG, "5.11"),
        new Bit("IORING_FEAT_NATIVE_WORKERS", FEAT_NATIVE_WORKERS, "5.12"),
        new Bit("IORING_FEAT_RSRC_TAGS", FEAT_RSRC_TAGS, "5.13"),
        new Bit("IORING_FEAT_CQE_SKIP", FEAT_CQE_SKIP, "5.17"),
        new Bit("IORING_FEAT_LINKED_FILE", FEAT_LINKED_FILE, "5.17"),
        new Bit("IORING_FEAT_REG_REG_RING", FEAT_REG_REG_RING, "6.3"),
        new Bit("IORING_FEAT_RECVSEND_BUNDLE", FEAT_RECVSEND_BUNDLE, ""),
        new Bit("IORING_FEAT_MIN_TIMEOUT", FEAT_MIN_TIMEOUT, ""),
        new Bit("IORING_FEAT_RW_ATTR", FEAT_RW_ATTR, ""),
        new Bit("IORING_FEAT_NO_IOWAIT", FEAT_NO_IOWAIT, ""),
    };

    // ---- io_uring_register opcodes -------------------------------------------------------------------------
    public static final int REGISTER_BUFFERS = 0, UNREGISTER_BUFFERS = 1, REGISTER_FILES = 2, UNREGISTER_FILES = 3,
            REGISTER_EVENTFD = 4, REGISTER_FILES_UPDATE = 6, REGISTER_PROBE = 8, REGISTER_ENABLE_RINGS = 12,
            REGISTER_IOWQ_MAX_WORKERS = 19, REGISTER_RING_FDS = 20, UNREGISTER_RING_FDS = 21;

    // struct io_uring_files_update (16 bytes): offset u32 @0, resv u32 @4, fds (int*) @8
    public static final int FILES_UPDATE_BYTES = 16;
    public static final long FU_OFFSET = 0, FU_FDS = 8;

    // struct io_uring_rsrc_update (16 bytes) for REGISTER_RING_FDS: offset u32 @0 (-1: the kernel picks a slot and
    // writes it back), resv u32 @4, data u64 @8 (the ring's descriptor)
    public static final int RSRC_UPDATE_BYTES = 16;
    public static final long RU_OFFSET = 0, RU_DATA = 8;

    // struct io_uring_probe (16 bytes + ops[] of 8 bytes each)
    public static final int PROBE_BYTES = 16, PROBE_OP_BYTES = 8, PROBE_MAX_OPS = 256;
    public static final long PROBE_LAST_OP = 0, PROBE_OPS_LEN = 1, PROBE_OPS = 16;
    public static final long PROBE_OP_OP = 0, PROBE_OP_FLAGS = 2;
    public static final int IO_URING_OP_SUPPORTED = 1;

    /** Largest SQ the kernel accepts without CLAMP (IORING_MAX_ENTRIES). */
    public static final int MAX_ENTRIES = 32768;
    /** Largest CQ (IORING_MAX_CQ_ENTRIES). */
    public static final int MAX_CQ_ENTRIES = 2 * MAX_ENTRIES;

    /** The names of the set bits of {@code value} from {@code table}, "0x.." for unknown bits, "none" for 0. */
    public static String names(Bit[] table, int value) {
        StringBuilder sb = new StringBuilder();
        int rest = value;
        for (Bit b : table) {
            if ((value & b.value()) != 0) {
                if (!sb.isEmpty()) sb.append('|');
                sb.append(b.name());
                rest &= ~b.value();
            }
        }
        if (rest != 0) sb.append(sb.isEmpty() ? "" : "|").append("0x").append(Integer.toHexString(rest));
        return sb.isEmpty() ? "none" : sb.toString();
    }

    /** The entry for a single bit, or null. */
    public static Bit bit(Bit[] table, int value) {
        for (Bit b : table) if (b.value() == value) return b;
        return null;
    }
}
