package org.aiobench.workloads.randio;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The interrupt CPUs of the scratch device, from sample /proc/interrupts text and affinities. */
class IrqCpusTest {
    static final String VIRTIO = """
                       CPU0       CPU1
              24:          1          0  IO-APIC   5-edge      ACPI:Ged
              35:          0          1 PCI-MSIX-0000:00:02.0   0-edge      virtio1-config
              36:          0   37702756 PCI-MSIX-0000:00:02.0   1-edge      virtio1-req.0
              38:          0        391 PCI-MSIX-0000:00:03.0   1-edge      virtio2-input.0
             NMI:          0          0   Non-maskable interrupts
             LOC:    2565466    2768134   Local timer interrupts
            """;

    static final String NVME = """
                       CPU0       CPU1       CPU2       CPU3
              50:         10          0          0          0  PCI-MSIX-0000:01:00.0    0-edge      nvme0q0
              51:       5000          0          0          0  PCI-MSIX-0000:01:00.0    1-edge      nvme0q1
              52:          0       6000          0          0  PCI-MSIX-0000:01:00.0    2-edge      nvme0q2
              53:          0          0          0         70  PCI-MSIX-0000:02:00.0    1-edge      nvme1q1
              54:          0          0          0         70  PCI-MSIX-0000:01:00.0    3-edge      nvme10q1
            """;

    @Test
    void parsesNumberedLinesWithTheirCountsAndNames() {
        List<IrqCpus.Line> lines = IrqCpus.parseInterrupts(VIRTIO);
        assertEquals(List.of(24, 35, 36, 38), lines.stream().map(IrqCpus.Line::irq).toList());
        IrqCpus.Line req = lines.get(2);
        assertEquals("virtio1-req.0", req.name());
        assertArrayEquals(new long[] {0, 37702756}, req.counts());
    }

    @Test
    void findsTheQueueVectorsOfTheDevice() {
        assertTrue(IrqCpus.isQueueVector("virtio1-req.0", "virtio1"));
        assertTrue(IrqCpus.isQueueVector("virtio1-request", "virtio1"));
        assertFalse(IrqCpus.isQueueVector("virtio1-config", "virtio1"));
        assertFalse(IrqCpus.isQueueVector("virtio10-req.0", "virtio1"));
        List<String> nvme0 = IrqCpus.parseInterrupts(NVME).stream().map(IrqCpus.Line::name)
                .filter(n -> IrqCpus.isQueueVector(n, "nvme0")).toList();
        assertEquals(List.of("nvme0q1", "nvme0q2"), nvme0, "the admin queue and other controllers left out");
    }

    @Test
    void oneQueueOnOneCpuLeavesTheOtherOffTheInterruptPath() {
        IrqCpus c = IrqCpus.classify("vda via virtio1", List.of(new IrqCpus.Vector(36, "virtio1-req.0", List.of(1),
                new long[] {0, 5})), List.of(0, 1));
        assertTrue(c.distinct(), c.reason());
        assertEquals(1, c.irqCpu());
        assertEquals(0, c.otherCpu());
        assertEquals(true, c.describe().get("distinct"));
    }

    @Test
    void aQueuePerCpuOrAnAffinityOverAllCpusCannotBeToldApart() {
        IrqCpus perCpu = IrqCpus.classify("nvme0n1 via nvme0", List.of(
                new IrqCpus.Vector(51, "nvme0q1", List.of(0), new long[2]),
                new IrqCpus.Vector(52, "nvme0q2", List.of(1), new long[2])), List.of(0, 1));
        assertFalse(perCpu.distinct());
        assertTrue(perCpu.reason().contains("cannot be told apart"), perCpu.reason());
        IrqCpus spread = IrqCpus.classify("vda via virtio1", List.of(new IrqCpus.Vector(36, "virtio1-req.0",
                List.of(0, 1), new long[2])), List.of(0, 1));
        assertFalse(spread.distinct());
        IrqCpus none = IrqCpus.classify("vda via virtio1", List.of(), List.of(0, 1));
        assertFalse(none.distinct());
        assertTrue(none.reason().contains("no queue interrupt"), none.reason());
        assertEquals(false, none.describe().get("distinct"));
    }

    @Test
    void aFileOnNoBlockDeviceSaysSo() {
        IrqCpus c = IrqCpus.of(Path.of("/proc/self/status"));
        assertFalse(c.distinct());
        assertNotNull(c.reason());
    }

    @Test
    void thisMachinesScratchDeviceIsDescribedEitherWay() {
        IrqCpus c = IrqCpus.of(Path.of(".").toAbsolutePath());
        assertEquals(c.distinct(), c.reason() == null);
        if (c.distinct()) assertFalse(c.irq().contains(c.otherCpu()));
    }

    @Test
    void hogsSpinPinnedUntilClosed() throws Exception {
        int cpu = org.aiobench.engines.nat.Affinity.currentThreadCpus()[0];
        CpuHogs h = CpuHogs.start(List.of(cpu), 2);
        assertEquals(2, h.count());
        // half a second for the pinned loops to get their CPU: on a loaded machine 50 ms was not always enough
        Thread.sleep(500);
        h.close();
        assertTrue(h.sink() > 0, "the loops ran");
    }
}
