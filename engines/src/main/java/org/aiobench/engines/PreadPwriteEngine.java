package org.aiobench.engines;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Synchronous pread/pwrite with the workload's buffer: the baseline every asynchronous engine is measured
 * against. Requests run in queue order inside {@code submit()}.
 */
public final class PreadPwriteEngine extends SynchronousEngine {

    public PreadPwriteEngine(EngineOptions options) {
        super(options);
    }

    @Override public String name() { return "sync"; }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(false, false, false, false, true, false);
    }

    @Override
    protected int execute(int i, long[] results) {
        results[i] = runOne(i);
        return 1;
    }

    @Override
    public Map<String, String> facts() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("io", "pread64/pwrite64, one request at a time in submit()");
        return m;
    }
}
