package org.aiobench.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How many warm-up copies a tree gets. */
class WarmupCopiesTest {

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
        Map<String, String> direct32K = copy("32K", 128);
        direct32K.put("direct", "true");
        assertEquals(6, CopySpec.warmupsFor(direct32K), "O_DIRECT: the device's wait is most of a copy, 768 pairs");
        Map<String, String> direct1M = copy("1M", 128);
        direct1M.put("direct", "true");
        assertEquals(1, CopySpec.warmupsFor(direct1M));
        assertEquals(CopySpec.CP_WARMUPS, CopySpec.warmupsFor(Map.of("fileSize", "32K", "files", "128", "cache", "warm")));
    }
}
