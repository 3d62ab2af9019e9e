package org.aiobench.analysis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** A box is its host name and hardware; runs that did not record a host name have it in their default id. */
class BoxTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode env(String host, String cpu) {
        return env(host, null, cpu);
    }

    private static ObjectNode env(String host, String machineId, String cpu) {
        ObjectNode env = JSON.createObjectNode();
        if (host != null) {
            ObjectNode h = env.putObject("host").put("name", host);
            if (machineId != null) h.put("machineId", machineId);
        }
        env.putObject("cpu").put("model", cpu).put("count", 2);
        env.put("memoryBytes", 25276502016L);
        return env;
    }

    @Test
    void theHostNameComesFromEnvJsonElseFromTheDefaultRunId() {
        assertEquals("lab-a", Box.of(env("lab-a", "EPYC"), "nightly").name());
        assertEquals("vm", Box.of(env(null, "EPYC"), "2026-11-22T031005-vm-6.18.44").name());
        assertEquals("lab-a", Box.of(env(null, "EPYC"), "2026-11-22T031005-lab-a-6.18.44-2").name());
        assertEquals("unknown host", Box.of(env(null, "EPYC"), "q4").name());
    }

    @Test
    void aMachineIdIsTheBoxWhateverItsHardwareOrName() {
        Box a = Box.of(env("vm", "0123abcd", "EPYC"), "r1"), b = Box.of(env("vm2", "0123abcd", "Xeon"), "r2");
        assertEquals(a.id(), b.id(), "one installation, renamed and moved to other hardware");
        assertNotEquals(a.id(), Box.of(env("vm", "4567ef01", "EPYC"), "r3").id(), "a clone's own machine id");
        assertEquals(Box.of(env("vm", "EPYC"), "r4").id(),
                Box.of(env("vm", "unknown (no /etc/machine-id)", "EPYC"), "r5").id(), "no machine id: name and hardware");
    }

    @Test
    void theSameNameWithOtherHardwareIsAnotherBox() {
        Box a = Box.of(env("vm", "EPYC"), "r1"), b = Box.of(env("vm", "Xeon"), "r2"), c = Box.of(env("vm", "EPYC"), "r3");
        assertNotEquals(a.id(), b.id());
        assertEquals(a.id(), c.id());
        assertEquals("EPYC, 2 CPUs, 23.5 GiB", a.hardware());
    }
}
