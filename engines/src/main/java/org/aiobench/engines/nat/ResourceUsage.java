package org.aiobench.engines.nat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** getrusage(2): CPU time, peak RSS and context switches of this process, a thread, or the waited-for children. */
public record ResourceUsage(long userMicros, long systemMicros, long maxRssKiB, long minorFaults, long majorFaults,
                            long blocksIn, long blocksOut, long voluntarySwitches, long involuntarySwitches) {

    public static ResourceUsage self() { return of(Linux.RUSAGE_SELF); }
    public static ResourceUsage thread() { return of(Linux.RUSAGE_THREAD); }
    public static ResourceUsage children() { return of(Linux.RUSAGE_CHILDREN); }

    public static ResourceUsage of(int who) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment r = a.allocate(Linux.RUSAGE_BYTES, 8);
            Libc.check(Libc.getrusage(who, r), "getrusage", null);
            return new ResourceUsage(
                    r.get(JAVA_LONG, Linux.RU_UTIME_SEC) * 1_000_000 + r.get(JAVA_LONG, Linux.RU_UTIME_USEC),
                    r.get(JAVA_LONG, Linux.RU_STIME_SEC) * 1_000_000 + r.get(JAVA_LONG, Linux.RU_STIME_USEC),
                    r.get(JAVA_LONG, Linux.RU_MAXRSS), r.get(JAVA_LONG, Linux.RU_MINFLT),
                    r.get(JAVA_LONG, Linux.RU_MAJFLT), r.get(JAVA_LONG, Linux.RU_INBLOCK),
                    r.get(JAVA_LONG, Linux.RU_OUBLOCK), r.get(JAVA_LONG, Linux.RU_NVCSW),
                    r.get(JAVA_LONG, Linux.RU_NIVCSW));
        }
    }

    /** The difference {@code this - before} of the counters (max RSS is kept as the later value). */
    public ResourceUsage minus(ResourceUsage before) {
        return new ResourceUsage(userMicros - before.userMicros, systemMicros - before.systemMicros, maxRssKiB,
                minorFaults - before.minorFaults, majorFaults - before.majorFaults, blocksIn - before.blocksIn,
                blocksOut - before.blocksOut, voluntarySwitches - before.voluntarySwitches,
                involuntarySwitches - before.involuntarySwitches);
    }
}
