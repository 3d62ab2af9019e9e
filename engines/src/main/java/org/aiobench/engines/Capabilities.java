package org.aiobench.engines;

/**
 * What an engine can do, so a workload or benchmark can skip a configuration with a reason instead of failing.
 *
 * @param nativeLinks   linked requests are ordered by the kernel (IOSQE_IO_LINK); otherwise the engine issues a
 *                      linked request when its predecessor completes
 * @param fixedBuffers  registered buffers (READ_FIXED / WRITE_FIXED)
 * @param fixedFiles    registered files (IOSQE_FIXED_FILE)
 * @param batchWait     submit and wait for completions in one call
 * @param synchronous   requests complete inside {@code submit()}
 * @param kernelCopy    a linked read->write pair is carried out by the kernel without the buffer (copy_file_range)
 */
public record Capabilities(boolean nativeLinks, boolean fixedBuffers, boolean fixedFiles, boolean batchWait,
                           boolean synchronous, boolean kernelCopy) {
}
