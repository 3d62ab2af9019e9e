package org.aiobench.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How many warm-up copies a tree gets, and when a configuration's samples count as trending. */
class WarmupAndTrendTest {

    static Map<String, String> copy(String fileSize, int files) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("engine", "io_uring");
        p.put("mode", "single");
        p.put("fileSize", fileSize);
        p.put("files", Integer.toString(files));
        p.put("direct", "false");
        p.put("fallocate", "false");
        p.put("qd", "64");
        p.put("opsPerFile", "4");
        p.put("bufferSize", "128K");
        p.put("regbuf", "false");
        p.put("regfiles", "false");
        p.put("ringFlags", "none");
        p.put("cache", "warm");
        return p;
    }

    @Test
    void smallTreesGetMoreWarmupCopies() {
        assertEquals(47, CopySpec.warmupsFor(copy("32K", 128)), "128 pairs a copy");
        assertEquals(6, CopySpec.warmupsFor(copy("1M", 128)), "1024 pairs a copy");
        assertEquals(12, CopySpec.warmupsFor(copy("8M", 8)), "the quick matrix's large tree");
        assertEquals(1, CopySpec.warmupsFor(copy("100M", 128)));
        assertEquals(CopySpec.MAX_WARMUPS, CopySpec.warmupsFor(copy("4K", 3)), "capped");
        assertEquals(CopySpec.CP_WARMUPS, CopySpec.warmupsFor(Map.of("fileSize", "32K", "files", "128", "cache", "warm")));
    }

    @Test
    void aSteadyOrNoisyRunHasNoTrend() {
        assertNull(SampleTrend.warning(new double[] {0.10, 0.11, 0.09, 0.10, 0.11, 0.10, 0.09, 0.10}));
        assertNull(SampleTrend.warning(new double[] {0.10, 0.30, 0.05, 0.25, 0.08, 0.20}), "noise, no direction");
        assertNull(SampleTrend.warning(new double[] {0.5, 0.1, 0.1}), "too few samples");
        // a real but small drift (2% over the run) is not worth a warning
        assertNull(SampleTrend.warning(new double[] {1.000, 1.003, 1.006, 1.009, 1.012, 1.015, 1.018, 1.020}));
    }

    @Test
    void aWarmingRunTrendsDown() {
        String w = SampleTrend.warning(new double[] {0.20, 0.17, 0.15, 0.13, 0.12, 0.11, 0.10, 0.10});
        assertNotNull(w);
        assertTrue(w.startsWith("samples trend down by "), w);
        String up = SampleTrend.warning(new double[] {0.10, 0.11, 0.12, 0.135, 0.15, 0.16});
        assertNotNull(up);
        assertTrue(up.startsWith("samples trend up by "), up);
    }
}
