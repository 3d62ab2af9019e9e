package org.aiobench.engines;

import java.lang.foreign.MemorySegment;
import java.util.Map;

/**
 * One way of doing file I/O, driven like fio's ioengine ops: {@code queue} prepares requests, {@code submit}
 * hands them to the kernel, {@code reap} waits for completions. Workloads drive every engine through this
 * interface alone and never ask which one they have.
 *
 * <p>Rules every engine follows:
 * <ul>
 *   <li>At most {@link EngineOptions#maxInFlight()} requests are queued or in flight (not yet reaped) at once;
 *       one more is an {@link IllegalStateException} (a workload bug, not a kernel condition).</li>
 *   <li>A request queued with {@link #LINK} is followed by the next queued request only after it completes in
 *       full: a failed or short result completes the rest of the chain with {@code -ECANCELED}. Engines with
 *       {@link Capabilities#nativeLinks()} let the kernel order them; the others issue the successor when the
 *       predecessor completes. A chain ends at the first request without LINK and never spans a submit.</li>
 *   <li>Buffers belong to the workload: it calls {@link #useBuffers} once, before the first request, with the one
 *       aligned region all its buffers are slices of.</li>
 *   <li>Files belong to the workload: it calls {@link #fileOpened} after opening a descriptor it will use and
 *       {@link #fileClosing} before closing it, with nothing of that file in flight.</li>
 *   <li>The hot path ({@code queue}, {@code submit}, {@code reap}) allocates nothing per request.</li>
 * </ul>
 */
public interface IoEngine extends AutoCloseable {

    /** Flag for {@link #queue}: the next queued request runs after this one, only if this one completes in full. */
    int LINK = 1;

    /**
     * Flag for {@link #queue}: {@code fd} is a fixed-file slot an open of {@link #metadataOps()} returned, not a
     * descriptor (only where {@link MetadataOps#fixedSlots()}).
     */
    int FIXED_FILE = 2;

    /** The engine's name as in the CLI, JMH parameters and results: sync, copy_file_range, posixaio, libaio, io_uring. */
    String name();

    Capabilities capabilities();

    /**
     * The region all of the workload's buffers are slices of, {@code slotSize} bytes per slot (engines with
     * registered buffers register one buffer per slot). Called once, before the first request.
     */
    default void useBuffers(MemorySegment region, long slotSize) {}

    /** A descriptor the workload opened and will use in requests (engines with registered files register it). */
    default void fileOpened(int fd) {}

    /** A descriptor the workload is about to close; nothing of it is queued or in flight. */
    default void fileClosing(int fd) {}

    /**
     * Queues one request.
     *
     * @param op     what to do
     * @param tag    returned with the completion; workloads use a slot index
     * @param fd     the descriptor
     * @param buffer for READ and WRITE: a slice of the region given to {@link #useBuffers}, at least
     *               {@code length} bytes; ignored (may be null) for the other ops
     * @param length bytes to transfer (READ, WRITE) or to allocate (FALLOCATE)
     * @param offset file offset
     * @param flags  0, {@link #LINK}, and {@link #FIXED_FILE} where the engine has fixed-file slots
     */
    void queue(Op op, long tag, int fd, MemorySegment buffer, long length, long offset, int flags);

    /** Hands everything queued to the kernel; returns how many requests were submitted. */
    int submit();

    /**
     * Waits until at least {@code min} completions are available (0: do not wait), then hands every available
     * completion to the handler. Returns how many were handed over.
     */
    int reap(int min, CompletionHandler handler);

    /** Submit and wait in one step where the engine can (io_uring_enter with min_complete, lio_listio LIO_WAIT). */
    default int submitAndReap(int min, CompletionHandler handler) {
        submit();
        return reap(min, handler);
    }

    /** Requests queued or in flight and not yet reaped. */
    int inFlight();

    /**
     * The walk's metadata as requests of this engine ({@link EngineOptions#ringMetadata()}), or null: engines that
     * cannot queue them leave the walk to system calls.
     */
    default MetadataOps metadataOps() {
        return null;
    }

    /**
     * What the engine decided that a reader of the results should know: ring sizes, fallbacks taken and why,
     * how POSIX AIO spread requests over descriptors ... Keys and values are plain strings.
     */
    Map<String, String> facts();

    /** Releases every kernel resource (rings, contexts, threads, descriptors of its own). Idempotent. */
    @Override
    void close();
}
