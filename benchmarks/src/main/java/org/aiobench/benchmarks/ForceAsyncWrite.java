package org.aiobench.benchmarks;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Thesis section 4.2 (exp 14): IOSQE_ASYNC under inode lock contention. Two jobs write 512-byte blocks at random
 * offsets of one file with O_DIRECT (a sub-block direct write takes the inode lock exclusively on ext4, so an inline
 * attempt with IOCB_NOWAIT fails with EAGAIN and is punted to io-wq anyway); async against the default, with the
 * io-wq workers the kernel created ({@code ioWqWorkers}) and their CPU. Every job's last writes are read back.
 *
 * <p>What to look for: the thesis' claim is that async gains at high iodepth here (its exp 14 data shows the two
 * within 2%); the number of io-wq workers, which grows with the writes that block on the lock.
 */
@State(Scope.Benchmark)
public class ForceAsyncWrite extends ThesisJob {
}
