package org.aiobench.engines;

/**
 * A configuration this engine or this kernel cannot run (registered buffers on a synchronous engine, a setup
 * flag the kernel rejects ...). Benchmarks skip it and record the message as the reason; the CLI prints it.
 */
public class UnsupportedConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnsupportedConfigurationException(String reason) { super(reason); }

    public UnsupportedConfigurationException(String reason, Throwable cause) { super(reason, cause); }
}
