package org.aiobench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.*;

/** randio as a user meets it: a summary a fio user reads, --json, --help with fio's names, and bad input. */
class RandioCommandTest {
    private static CliTest.Run cli(String... args) {
        return CliTest.cli(args);
    }

    @TempDir Path work;

    /** On the project's disk (O_DIRECT needs a real filesystem; /tmp may be tmpfs). */
    private static Path scratch() throws IOException {
        Path p = Path.of("target", "randio-cli").toAbsolutePath();
        Files.createDirectories(p);
        return p;
    }

    @Test
    void printsIopsBandwidthLatencyAndCpuLikeFio() throws IOException {
        for (String engine : List.of("sync", "libaio")) {
            CliTest.Run r = cli("randio", "--engine", engine, "--rw", "randread", "--bs", "4K", "--iodepth", "4", "--direct",
                    "--runtime", "600ms", "--size", "4M", "--dir", scratch().toString());
            assertEquals(0, r.status(), r.err());
            assertTrue(r.out().matches("(?s).*\n  read: IOPS=[0-9.]+k?, BW=.*"), r.out());
            assertTrue(r.out().contains("    clat percentiles ("), r.out());
            assertTrue(r.out().contains("50.00th=[") && r.out().contains("99.90th=["), r.out());
            assertTrue(r.out().contains("  cpu          : usr="), r.out());
            assertTrue(r.out().contains("  IO depths    : 1="), r.out());
            assertTrue(r.out().contains("  cpu per I/O  : "), r.out());
            assertTrue(r.out().contains("fio equivalent: fio --name=aiobench-randio --ioengine="
                    + (engine.equals("sync") ? "psync" : engine)), r.out());
        }
    }

    @Test
    void jsonHasTheSameNumbers() throws IOException {
        CliTest.Run r = cli("randio", "--engine", "io_uring", "--iodepth", "8", "--direct", "--runtime", "600ms", "--size", "4M",
                "--dir", scratch().toString(), "--json");
        Assumptions.assumeTrue(r.status() != 2 || !r.err().contains("io_uring"), "io_uring cannot run here: " + r.err());
        assertEquals(0, r.status(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        // fio's field names, where fio has the field
        assertEquals("aiobench-randio", j.at("/jobs/0/jobname").asText());
        assertEquals("io_uring", j.at("/jobs/0/job options/ioengine").asText());
        assertTrue(j.at("/jobs/0/read/iops").asDouble() > 0);
        assertTrue(j.at("/jobs/0/read/lat_ns/percentile/99.000000").asLong()
                >= j.at("/jobs/0/read/lat_ns/percentile/50.000000").asLong());
        assertTrue(j.at("/jobs/0/read/clat_ns/N").asLong() > 0);
        assertTrue(j.at("/jobs/0/iodepth_level/8").asDouble() > 0);
        assertEquals("io_uring", j.at("/aiobench/job/engine").asText());
        assertFalse(j.at("/aiobench/cpu/perIoUs").isMissingNode());
        assertTrue(j.at("/aiobench/fioEquivalent").asText().startsWith("fio "));
    }

    @Test
    void helpNamesFiosOptions() {
        CliTest.Run r = cli("randio", "--help");
        assertEquals(0, r.status());
        for (String fio : List.of("ioengine", "rw", "bs", "iodepth", "numjobs", "direct=1", "runtime", "ramp_time",
                "number_ios", "thinkcycles", "cpus_allowed", "fixedbufs", "registerfiles", "sqthread_poll", "rwmixread")) {
            assertTrue(r.out().contains("fio: " + fio) || r.out().contains("(fio: " + fio) || r.out().contains(fio),
                    "--help names fio's " + fio);
        }
    }

    @Test
    void badInputIsOneLineExitTwoAndWritesNothing() throws IOException {
        Path dir = work.resolve("scratch");
        Files.createDirectories(dir);
        Path missing = work.resolve("no-such-file");
        for (String[] args : List.of(
                new String[] {"--iodepth", "0"},
                new String[] {"--bs", "1000", "--direct"},
                new String[] {"--bs", "3M"},
                new String[] {"--engine", "nope"},
                new String[] {"--rw", "randomread"},
                new String[] {"--runtime", "soon"},
                new String[] {"--size", "100K"},
                new String[] {"--flags", "sqpol"},
                new String[] {"--engine", "sync", "--flags", "sqpoll"},
                new String[] {missing.toString()},
                new String[] {"--rw", "randwrite", Path.of("pom.xml").toAbsolutePath().toString()})) {
            String[] full = Stream.concat(Stream.of("randio", "--dir", dir.toString()), Stream.of(args)).toArray(String[]::new);
            CliTest.Run r = cli(full);
            assertEquals(2, r.status(), String.join(" ", args) + ": " + r.out() + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            try (Stream<Path> s = Files.list(dir)) {
                assertEquals(0, s.count(), String.join(" ", args) + " wrote into the scratch directory");
            }
        }
    }

    /** A job that writes is refused on a block device unless writes are allowed in as many words. */
    @Test
    void aDeviceIsNotWrittenWithoutAllowDeviceWrites() throws IOException {
        Path dev = null;
        try (Stream<Path> s = Files.list(Path.of("/dev"))) {
            for (Path p : s.toList()) {
                if (Files.isReadable(p) && !Files.isDirectory(p) && "b".equals(type(p))) { dev = p; break; }
            }
        }
        Assumptions.assumeTrue(dev != null, "no readable block device here");
        CliTest.Run r = cli("randio", "--rw", "randwrite", "--runtime", "100ms", dev.toString());
        assertEquals(2, r.status(), r.out() + r.err());
        assertTrue(r.err().contains("--allow-device-writes"), r.err());
    }

    private static String type(Path p) {
        try {
            int mode = (Integer) Files.getAttribute(p, "unix:mode");
            return (mode & 0xF000) == 0x6000 ? "b" : "-";
        } catch (IOException | UnsupportedOperationException e) {
            return "-";
        }
    }
}
