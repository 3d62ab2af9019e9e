package org.aiobench.benchmarks.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.aiobench.benchmarks.ThesisJob;
import org.aiobench.workloads.randio.IrqCpus;
import org.aiobench.workloads.randio.JobSpec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The thesis' groups in the plan: selected by --suite, paired flag-on/flag-off, placed, and within the quick budget. */
class ThesisPlanTest {
    static final IrqCpus ONE_IRQ_CPU = IrqCpus.classify("vda via virtio1",
            List.of(new IrqCpus.Vector(36, "virtio1-req.0", List.of(1), new long[2])), List.of(0, 1));
    static final IrqCpus EVERY_CPU = IrqCpus.classify("nvme0n1 via nvme0", List.of(
            new IrqCpus.Vector(51, "nvme0q1", List.of(0), new long[2]),
            new IrqCpus.Vector(52, "nvme0q2", List.of(1), new long[2])), List.of(0, 1));

    @Test
    void suiteThesisNamesEveryThesisGroupAndFioComesAlongWhereItCanMirror() {
        List<Group> all = Group.parseList("thesis");
        assertEquals(List.of(Group.COOP, Group.THINKTIME, Group.ASYNC, Group.ASYNCWRITE, Group.REGFILES, Group.SQPOLL,
                Group.PINGPONG, Group.STALL, Group.THESISFIO), all);
        assertEquals(List.of(Group.SQPOLL, Group.THESISFIO), Group.parseList("sqpoll"));
        assertEquals(List.of(Group.PINGPONG), Group.parseList("pingpong"), "fio has no ping-pong");
        assertTrue(Group.suites().containsAll(all), "the whole study (and --quick) runs them");
        assertTrue(Matrix.quick().configs(Group.COOP, List.of("libaio", "sync")).isEmpty(), "--engines without io_uring");
        assertFalse(Matrix.quick().configs(Group.COOP, List.of("io_uring")).isEmpty());
    }

    /** Every configuration has exactly the @Params of its class (JMH refuses others, and would default missing ones). */
    @Test
    void everyConfigurationNamesExactlyItsBenchmarksParams() throws Exception {
        for (Matrix m : List.of(Matrix.quick(), Matrix.full())) {
            for (Group g : Group.thesis()) {
                Set<String> declared = new TreeSet<>();
                Class<?> c = Class.forName(g.benchmark().substring(0, g.benchmark().lastIndexOf('.')));
                for (Class<?> k = c; k != Object.class; k = k.getSuperclass()) {
                    for (var f : k.getDeclaredFields()) {
                        if (f.getAnnotation(org.openjdk.jmh.annotations.Param.class) != null) declared.add(f.getName());
                    }
                }
                List<Map<String, String>> configs = m.configs(g, List.of(), Group.thesis());
                assertFalse(configs.isEmpty(), g.id());
                for (Map<String, String> p : configs) assertEquals(declared, new TreeSet<>(p.keySet()), g.id() + " " + p);
            }
        }
    }

    /** Each flag-on configuration has its flag-off twin in the same slice: the comparison pairs by round. */
    @Test
    void flagsOnAndOffArePairedInOneSlice() {
        RunPlan plan = RunPlan.make(Matrix.full(), Group.thesis(), List.of("io_uring"), PlanTest.EVERYTHING, Set.of(),
                PlanTest.ROOT);
        int pairs = 0;
        for (Configuration c : plan.configurations) {
            if (c.group() == Group.THESISFIO || c.group() == Group.SQPOLL || c.group() == Group.THINKTIME) continue;
            Map<String, String> off = new HashMap<>(c.params());
            String flag = c.group() == Group.REGFILES ? "regfiles" : "ringFlags";
            String none = flag.equals("regfiles") ? "false" : "none";
            if (off.get(flag).equals(none)) continue;
            off.put(flag, none);
            Configuration twin = new Configuration(c.group(), off);
            assertTrue(plan.configurations.contains(twin), "no flag-off twin of " + c.id());
            for (RunPlan.Slice s : plan.slices) assertEquals(s.configs().contains(c), s.configs().contains(twin), s.name());
            pairs++;
        }
        assertTrue(pairs >= 20, "pairs " + pairs);
        // the thesis is one slice of its own
        assertEquals(1, plan.slices.stream().filter(s -> s.configs().stream().anyMatch(x -> ThesisMatrix.covers(x.group())))
                .count());
    }

    @Test
    void placementsFollowTheInterruptCpusOrAreRefusedWithTheReason() {
        Map<String, String> p = new HashMap<>(Map.of("engine", "io_uring", "iodepth", "64", "runtime", "1s",
                "ringFlags", "coop_taskrun", "placement", "irq"));
        assertNull(ThesisJob.unplaceable(p, ONE_IRQ_CPU));
        assertEquals(List.of(1), ThesisJob.jobSpec(p, ONE_IRQ_CPU).cpus());
        p.put("placement", "other");
        assertEquals(List.of(0), ThesisJob.jobSpec(p, ONE_IRQ_CPU).cpus());
        String why = ThesisJob.unplaceable(p, EVERY_CPU);
        assertNotNull(why);
        assertTrue(why.contains("cannot be told apart"), why);
        // SQPOLL: the job off the interrupt CPU, its SQ thread on it
        p.put("placement", "split");
        p.put("ringFlags", "sqpoll");
        JobSpec split = ThesisJob.jobSpec(p, ONE_IRQ_CPU);
        assertEquals(List.of(0), split.cpus());
        assertEquals(1, split.engineOptions().sqpollCpu());
        assertEquals(0, ThesisJob.jobSpec(Map.of("engine", "io_uring", "runtime", "1s", "ringFlags", "none",
                "placement", "any"), ONE_IRQ_CPU).cpus().size());
    }

    /** The quick thesis part: every experiment, within its share (~5 minutes) of the 20-minute quick run. */
    @Test
    void quickThesisPartFitsItsBudget() {
        Matrix q = Matrix.quick();
        long ms = 0;
        List<String> groups = new ArrayList<>();
        for (Group g : Group.thesis()) {
            List<Map<String, String>> configs = q.configs(g, List.of(), Group.thesis());
            if (g != Group.THESISFIO) assertFalse(configs.isEmpty(), g.id() + " has a quick form");
            for (Map<String, String> p : configs) {
                // fio runs only what it can express: the SQPOLL jobs (its others are skipped, costing nothing)
                if (g == Group.THESISFIO && !p.get("ringFlags").equals("sqpoll")) continue;
                ms += ForkCost.forkMillis(q, new Configuration(g, p));
            }
            groups.add(g.id());
        }
        ms *= q.rounds();
        assertTrue(ms <= 6 * 60_000, "the quick thesis part is planned at " + ms / 1000 + " s: " + groups);
    }
}
