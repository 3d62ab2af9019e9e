package org.aiobench.benchmarks.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** --pairing fork's plan: which configuration a fork pairs with which (the runner's side is run.PairingTest). */
class PairingPartnerTest {

    @Test
    void twinsAreChosenAsTheReportComparesThem() {
        RunPlan plan = RunPlan.make(Matrix.quick(), List.of(Group.BASIC, Group.REGBUF, Group.RINGFLAGS, Group.CP),
                PlanTest.ENGINES, PlanTest.EVERYTHING, java.util.Set.of(), PlanTest.ROOT);
        int paired = 0, otherWays = 0;
        for (Configuration c : plan.configurations) {
            Configuration p = Pairing.partner(c, plan.configurations);
            Map<String, String> x = c.params();
            switch (c.group()) {
                case BASIC -> {
                    if ("ring".equals(x.get("metadata")) || "file".equals(x.get("aioFds"))) {
                        assertNotNull(p, c.id());
                        assertEquals(x.get("engine"), p.params().get("engine"), c.id());
                        assertEquals("syscalls", p.params().get("metadata"), c.id());
                        assertEquals("dup", p.params().get("aioFds"), c.id());
                        otherWays++;
                    } else if (x.get("engine").equals("sync")) assertNull(p, c.id());
                    else if (p != null) {
                        assertEquals("sync", p.params().get("engine"));
                        assertEquals(x.get("fileSize"), p.params().get("fileSize"));
                        assertEquals(x.get("direct"), p.params().get("direct"));
                        assertEquals(x.get("cache"), p.params().get("cache"));
                        paired++;
                    }
                }
                case REGBUF -> {
                    if (x.get("regbuf").equals("true")) {
                        assertEquals("false", p.params().get("regbuf"), c.id());
                        assertEquals(x.get("direct"), p.params().get("direct"));
                        paired++;
                    } else {
                        assertNull(p, c.id());
                    }
                }
                case CP -> assertNull(p, "cp -r is a process of its own: pairing it bought nothing");
                default -> { }
            }
        }
        assertTrue(paired > 10, paired + " paired");
        assertTrue(otherWays >= 2, otherWays + " metadata=ring / aioFds=file paired with their usual way");
    }
}
