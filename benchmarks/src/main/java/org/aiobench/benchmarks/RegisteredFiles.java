package org.aiobench.benchmarks;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Thesis section 4.3 (exp 16): registered files ({@code regfiles=true}: the file in the ring's fixed table and
 * IOSQE_FIXED_FILE on every SQE, so the kernel takes no file reference per request) against the default, 512-byte
 * O_DIRECT random reads, one job pinned off the interrupt CPU, iodepth 1 to 64.
 *
 * <p>What to look for: a small gain (the thesis: 2.6% at iodepth 64 on a raw device, less on ext4) that grows with
 * the requests per second; on a virtio disk, whose ceiling is far below the Optane's, the saving per request may
 * not show above the noise.
 */
@State(Scope.Benchmark)
public class RegisteredFiles extends ThesisJob {
}
