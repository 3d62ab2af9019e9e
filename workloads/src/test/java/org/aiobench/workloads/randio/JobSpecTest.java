package org.aiobench.workloads.randio;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** One vocabulary: the job's parameters parse from the names the CLI, JMH and the results share, and back. */
class JobSpecTest {

    @Test
    void paramsRoundTrip() {
        JobSpec s = JobSpec.fromParams(m("engine", "io_uring", "rw", "randrw", "rwmixread", "70", "bs", "512",
                "iodepth", "64", "numjobs", "2", "direct", "true", "ramp", "1s", "runtime", "2500ms",
                "ringFlags", "coop_taskrun+single_issuer+defer_taskrun", "cpus", "0"));
        assertEquals(512, s.bs());
        assertEquals(2_500_000_000L, s.runtimeNanos());
        assertEquals("coop_taskrun,single_issuer,defer_taskrun", s.ringFlags(), "JMH's '+' joins flags");
        assertEquals(s, JobSpec.fromParams(s.params()));
        assertTrue(s.label().startsWith("rw=randrw, rwmixread=70, bs=512, ioengine=io_uring, iodepth=64, numjobs=2, direct=1"));
        assertEquals(List.of(1, 2, 3, 5), JobSpec.cpusOf("1-3,5"));
    }

    @Test
    void badValuesAreOneLineEach() {
        for (Map<String, String> p : List.of(Map.of("iodepth", "0"), Map.of("bs", "1000"), Map.of("bs", "2M"),
                Map.of("numjobs", "0"), Map.of("rw", "randomread"), Map.of("engine", "nope"), Map.of("runtime", "0"),
                Map.of("runtime", "soon"), Map.of("rwmixread", "101"), Map.of("ringFlags", "sqpol"),
                Map.of("cpus", "4096"), Map.of("direct", "maybe"), Map.of("whatever", "1"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JobSpec.fromParams(p),
                    p.toString());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
    }

    @Test
    void durationsReadAsFioWritesThem() {
        assertEquals(10_000_000_000L, Durations.parse("10", "x"));
        assertEquals(500_000_000L, Durations.parse("500ms", "x"));
        assertEquals(120_000_000_000L, Durations.parse("2m", "x"));
        assertEquals("500ms", Durations.format(500_000_000L));
        assertEquals("3s", Durations.format(3_000_000_000L));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("-1s", "x"));
    }

    @Test
    void offsetsAreUniformOverAlignedBlocksAndSeeded() {
        Offsets a = new Offsets(1, 0, 1 << 20, 4096, Rw.RANDREAD, 0);
        Offsets b = new Offsets(1, 0, 1 << 20, 4096, Rw.RANDREAD, 0);
        Offsets otherJob = new Offsets(1, 1, 1 << 20, 4096, Rw.RANDREAD, 0);
        int[] hits = new int[256];
        boolean differs = false;
        for (int i = 0; i < 256_000; i++) {
            long o = a.next();
            assertEquals(o, b.next(), "the same seed gives the same offsets");
            differs |= o != otherJob.next();
            assertEquals(0, o % 4096);
            hits[(int) (o / 4096)]++;
        }
        assertTrue(differs, "each job has its own stream");
        for (int h : hits) assertEquals(1000, h, 150, "uniform: every block about 1000 times");
        Offsets seq = new Offsets(1, 0, 3 * 4096, 4096, Rw.READ, 0);
        assertEquals(List.of(0L, 4096L, 8192L, 0L), List.of(seq.next(), seq.next(), seq.next(), seq.next()));
    }

    static Map<String, String> m(String... kv) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) out.put(kv[i], kv[i + 1]);
        return out;
    }
}
