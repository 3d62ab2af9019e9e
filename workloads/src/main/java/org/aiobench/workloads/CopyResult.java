package org.aiobench.workloads;

import java.util.List;
import java.util.Map;

/**
 * What a copy did and how long it took.
 *
 * @param nanos          wall time of the timed run ({@link CopyPlan#run}): engine setup, the walk, every read and
 *                       write, closes, modes, the engine's close; not the preparation
 * @param bytes          bytes of regular files copied
 * @param files          regular files copied
 * @param directories    directories created (the destination root included)
 * @param symlinks       symbolic links recreated
 * @param skippedSpecial special files (fifos, sockets, devices) not copied, with what they are
 * @param engineFacts    what the engine reports of itself (ring sizes, fallbacks ...)
 * @param nativeBytes    native memory the copy allocated for buffers (the engine's own is in its facts)
 * @param slots          buffer slots: the read->write pairs in flight at most (qd, in every mode)
 * @param filesInFlight  files open at once at most (qd in single mode, qd / opsPerFile in multi and batch)
 * @param resumed        short reads and writes continued from where they ended
 * @param linkedFiles    regular files with more than one hard link (st_nlink &gt; 1): each name was copied as a
 *                       file of its own
 * @param sparseFiles    regular files with fewer blocks than bytes (holes, or the filesystem's compression): their
 *                       copies have the holes written as zeros
 * @param setIdDropped   files and directories whose setuid or setgid bit was left off because the copy's owner or
 *                       group is not the source's ({@link TreeWalk#modeOfCopy})
 * @param otherOwners    files and directories whose owner or group in the source is not the copy's
 * @param copyUid        the owner of the copy (the user who ran it: aiobench does not chown)
 * @param copyGid        the copy's group
 */
public record CopyResult(long nanos, long bytes, int files, int directories, int symlinks,
                         List<String> skippedSpecial, Map<String, String> engineFacts, long nativeBytes, int slots,
                         int filesInFlight, long resumed, int linkedFiles, int sparseFiles, int setIdDropped,
                         int otherOwners, int copyUid, int copyGid) {

    public double seconds() { return nanos / 1e9; }

    /** 10^6 bytes per second, as the report and fio's MB/s. */
    public double mbPerSec() { return nanos == 0 ? 0 : bytes / 1e6 / seconds(); }
}
