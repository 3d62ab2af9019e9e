package org.aiobench.benchmarks.run;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** env.json's otherLoad names a process that keeps a CPU busy while a run starts. */
class OtherLoadTest {
    @Test
    @SuppressWarnings("unchecked")
    void aBusyProcessIsNamed() throws Exception {
        Process busy = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
        try {
            Thread.sleep(200);
            Map<String, Object> load = OtherLoad.sample(1000);
            List<Map<String, Object>> procs = (List<Map<String, Object>>) load.get("busyProcesses");
            Map<String, Object> found = procs.stream().filter(p -> ((Number) p.get("pid")).longValue() == busy.pid())
                    .findFirst().orElse(null);
            assertNotNull(found, "the busy shell is not listed: " + procs);
            assertTrue(((String) found.get("command")).startsWith("sh -c while"), found.toString());
            String warning = OtherLoad.warning(load);
            assertTrue(warning.contains("pid " + busy.pid() + " sh -c while"), warning);
            assertTrue(((String) load.get("loadAverage")).matches("[0-9.]+ [0-9.]+ [0-9.]+"), load.toString());
        } finally {
            busy.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
