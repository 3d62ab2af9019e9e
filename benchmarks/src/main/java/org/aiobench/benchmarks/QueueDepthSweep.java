package org.aiobench.benchmarks;

import org.aiobench.engines.Engines;
import org.aiobench.engines.IoEngine;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Copy report 4.4 (the queue-depth figures, buffered and O_DIRECT): the asynchronous engines copy 128 files of 1M
 * in single mode with 1 to 256 files in flight.
 *
 * <p>What to look for: the report saw the buffered copy best at queue depth 8 and flat beyond it, and the O_DIRECT
 * copy improving up to about 64. Its queue depth meant request slots for POSIX AIO but SQEs (half as many
 * read/write pairs) for io_uring; here {@code qd} is files in flight for every engine, so the curves are
 * comparable at the same x. Depths above the file count (128) cannot add concurrency. Synchronous engines are
 * listed so that every engine appears in the results, and refused with the reason below (the copy study had no
 * queue depth for cp either).
 */
@State(Scope.Benchmark)
public class QueueDepthSweep extends CopyBenchmark {
    @Param({"sync", "copy_file_range", "posixaio", "libaio", "io_uring"}) public String engine;
    @Param({"single"}) public String mode;
    @Param({"1M"}) public String fileSize;
    @Param({"128"}) public String files;
    @Param({"false", "true"}) public String direct;
    @Param({"false"}) public String fallocate;
    @Param({"1", "2", "4", "8", "16", "32", "64", "128", "256"}) public String qd;
    @Param({"4"}) public String opsPerFile;
    @Param({"128K"}) public String bufferSize;
    @Param({"false"}) public String regbuf;
    @Param({"false"}) public String regfiles;
    @Param({"none"}) public String ringFlags;
    @Param({"warm", "cold"}) public String cache;

    /** Why a queue-depth sweep does not apply to this engine, or null. */
    public static String notApplicable(IoEngine engine) {
        return engine.capabilities().synchronous()
                ? "the queue-depth sweep is for asynchronous engines; " + engine.name()
                  + " completes every request inside submit(), so qd adds no concurrency"
                : null;
    }

    @Override
    protected String notApplicable(CopySpec spec) {
        try (IoEngine e = Engines.create(spec.options().engine(), spec.options().engineOptions())) {
            return notApplicable(e);
        }
    }
}
