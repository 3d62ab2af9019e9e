package org.aiobench.engines.nat;

/**
 * Flag values, syscall numbers and struct offsets of libc and the kernel (x86-64), defined once.
 * Values: ../shared/reference/linux-io-abi.md (checked against the headers of this kind of machine).
 * io_uring's own layouts live in {@code org.aiobench.engines.uring.IoUringAbi}.
 */
public final class Linux {
    private Linux() {}

    // open(2)
    public static final int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0x40, O_EXCL = 0x80,
            O_TRUNC = 0x200, O_DIRECT = 0x4000, O_DIRECTORY = 0x10000, O_NOFOLLOW = 0x20000,
            O_NOATIME = 0x40000, O_CLOEXEC = 0x80000, O_DSYNC = 0x1000, O_PATH = 0x200000;
    public static final int AT_FDCWD = -100;
    public static final int AT_SYMLINK_NOFOLLOW = 0x100, AT_EMPTY_PATH = 0x1000;
    public static final int W_OK = 2; // access(2)

    // fallocate(2), posix_fadvise(2)
    public static final int FALLOC_FL_KEEP_SIZE = 1, FALLOC_FL_PUNCH_HOLE = 2;
    public static final int POSIX_FADV_NORMAL = 0, POSIX_FADV_SEQUENTIAL = 2, POSIX_FADV_WILLNEED = 3,
            POSIX_FADV_DONTNEED = 4;

    // mmap(2)
    public static final int PROT_READ = 1, PROT_WRITE = 2;
    public static final int MAP_SHARED = 0x01, MAP_PRIVATE = 0x02, MAP_ANONYMOUS = 0x20, MAP_POPULATE = 0x8000;
    public static final long MAP_FAILED = -1L;

    // flock(2)
    public static final int LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;

    // getrusage(2)
    public static final int RUSAGE_SELF = 0, RUSAGE_CHILDREN = -1, RUSAGE_THREAD = 1;

    // x86-64 syscall numbers (arch/x86/entry/syscalls/syscall_64.tbl)
    public static final long SYS_access = 21, SYS_pread64 = 17, SYS_pwrite64 = 18, SYS_io_setup = 206, SYS_io_destroy = 207,
            SYS_io_getevents = 208, SYS_io_submit = 209, SYS_io_cancel = 210, SYS_copy_file_range = 326,
            SYS_statx = 332, SYS_getdents64 = 217, SYS_io_uring_setup = 425, SYS_io_uring_enter = 426, SYS_io_uring_register = 427;

    // struct statx (256 bytes)
    public static final int STATX_SIZE = 256;
    public static final int STATX_TYPE = 0x1, STATX_MODE = 0x2, STATX_SIZE_MASK = 0x200, STATX_BASIC_STATS = 0x7ff,
            STATX_BTIME = 0x800, STATX_DIOALIGN = 0x2000;
    public static final long STX_MASK = 0, STX_BLKSIZE = 4, STX_NLINK = 16, STX_UID = 20, STX_GID = 24, STX_MODE = 28,
            STX_INO = 32, STX_SIZE = 40, STX_BLOCKS = 48, STX_BTIME = 80, STX_MTIME = 112, STX_DEV_MAJOR = 136,
            STX_DEV_MINOR = 140, STX_DIO_MEM_ALIGN = 152, STX_DIO_OFFSET_ALIGN = 156;
    /** struct statx_timestamp: seconds (s64), then nanoseconds (u32). */
    public static final long STX_TS_NSEC = 8;
    public static final int S_IFMT = 0xF000, S_IFREG = 0x8000, S_IFDIR = 0x4000, S_IFLNK = 0xA000, S_IFIFO = 0x1000,
            S_IFCHR = 0x2000, S_IFBLK = 0x6000, S_IFSOCK = 0xC000;
    public static final int S_ISUID = 04000, S_ISGID = 02000, S_ISVTX = 01000;
    /** st_blocks counts 512-byte units whatever the filesystem's block size. */
    public static final int STAT_BLOCK_BYTES = 512;
    /** The longest path the kernel takes (with its NUL), and the longest name. */
    public static final int PATH_MAX = 4096, NAME_MAX = 255;

    // struct rusage (144 bytes): two timevals then longs
    public static final int RUSAGE_BYTES = 144;
    public static final long RU_UTIME_SEC = 0, RU_UTIME_USEC = 8, RU_STIME_SEC = 16, RU_STIME_USEC = 24,
            RU_MAXRSS = 32, RU_MINFLT = 64, RU_MAJFLT = 72, RU_INBLOCK = 88, RU_OUBLOCK = 96, RU_NVCSW = 128,
            RU_NIVCSW = 136;

    // struct iovec
    public static final int IOVEC_BYTES = 16;
    public static final long IOV_BASE = 0, IOV_LEN = 8;

    /** The page size of x86-64 (mincore reports residency per page). */
    public static final int PAGE_SIZE = 4096;

    // prctl(2)
    public static final int PR_SET_NAME = 15, PR_GET_NAME = 16;
    public static final long SYS_gettid = 186, SYS_prctl = 157;

    /** The alignment every aiobench buffer gets: page size, enough for O_DIRECT on any block device. */
    public static final int BUFFER_ALIGN = 4096;
}
