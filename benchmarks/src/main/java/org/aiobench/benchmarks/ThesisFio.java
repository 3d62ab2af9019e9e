package org.aiobench.benchmarks;

import org.aiobench.workloads.randio.JobSpec;
import org.aiobench.workloads.randio.RandomIoReport;
import org.aiobench.workloads.randio.Target;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * fio beside the thesis experiments, as {@link FioReference} is beside randread: fio runs the same job (placement,
 * ring flags, hogs spinning in this JVM beside it) on the same target in the same rounds, where fio can express it.
 * fio 3.33+ sets coop_taskrun, single_issuer and defer_taskrun on every io_uring ring and has no option to leave them
 * out, so the thesis' default ring (no flags), coop_taskrun alone and taskrun_flag cannot be run by fio; thinkcycles
 * needs fio 3.37; fio has no ping-pong. Those configurations are skipped with the reason; SQPOLL runs
 * (sqthread_poll, sqthread_poll_cpu) are what remains.
 */
@State(Scope.Benchmark)
public class ThesisFio extends ThesisJob {
    @Override
    protected void check(JobSpec s, Target t) {
        FioReference.checkFio(s);
    }

    @Override
    protected RandomIoReport measuredRun() {
        return FioReference.runFio(spec, target, getClass(), params);
    }

    @Override
    protected void warmup() {}
}
