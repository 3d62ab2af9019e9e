package org.aiobench.engines;

import java.util.EnumSet;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineOptionsTest {
    @Test
    void ringFlagSpecsParseAndPrintAsTheCliSpellsThem() {
        EngineOptions o = EngineOptions.defaults(8).withRingFlagsSpec("coop_taskrun, sqpoll_cpu=1,sqpoll_idle=50");
        assertEquals(EnumSet.of(RingFlag.COOP_TASKRUN, RingFlag.SQPOLL), o.ringFlags());
        assertEquals(1, o.sqpollCpu());
        assertEquals(50, o.sqpollIdleMs());
        assertEquals("coop_taskrun,sqpoll,sqpoll_cpu=1,sqpoll_idle=50", o.ringFlagsLabel());
        EngineOptions none = EngineOptions.defaults(8).withRingFlagsSpec("none");
        assertTrue(none.ringFlags().isEmpty());
        assertEquals("none", none.ringFlagsLabel());
        assertEquals(EngineOptions.DEFAULT_SQPOLL_IDLE_MS, none.sqpollIdleMs());
    }

    @Test
    void badSpecsNameWhatIsWrong() {
        EngineOptions d = EngineOptions.defaults(8);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withRingFlagsSpec("warp"))
                .getMessage().startsWith("unknown ring flag 'warp'"));
        assertEquals("sqpoll_idle needs milliseconds, got 'soon'",
                assertThrows(IllegalArgumentException.class, () -> d.withRingFlagsSpec("sqpoll_idle=soon")).getMessage());
        assertEquals("sqpoll_cpu must be >= 0, got -2",
                assertThrows(IllegalArgumentException.class, () -> d.withRingFlagsSpec("sqpoll_cpu=-2")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> EngineOptions.defaults(0));
    }

    @Test
    void ioUringOnlyOptionsAreRefusedByName() {
        assertTrue(assertThrows(UnsupportedConfigurationException.class,
                () -> EngineOptions.defaults(2).withRegfiles(true).refuseIoUringOptions("libaio"))
                .getMessage().equals("registered files (regfiles) are an io_uring feature; engine libaio has none"));
        assertTrue(assertThrows(UnsupportedConfigurationException.class,
                () -> EngineOptions.defaults(2).withRingFlagsSpec("sqpoll").refuseIoUringOptions("sync"))
                .getMessage().contains("ring flags (sqpoll)"));
    }
}
