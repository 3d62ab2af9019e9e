package org.aiobench.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.*;

class ProbeCommandTest {
    Path dir;
    StringWriter out = new StringWriter();

    @BeforeEach
    void setUp() throws IOException {
        Path base = Path.of("target", "test-scratch").toAbsolutePath();
        Files.createDirectories(base);
        dir = Files.createTempDirectory(base, "probe");
    }

    @AfterEach
    void tearDown() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    int run(String... args) {
        CommandLine cl = new CommandLine(new ProbeCommand());
        cl.setOut(new PrintWriter(out));
        return cl.execute(args);
    }

    @Test
    void jsonHasEverySection() throws IOException {
        assertEquals(0, run("--json", "--dir", dir.toString()));
        JsonNode n = new ObjectMapper().readTree(out.toString());
        assertEquals(Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim(), n.at("/kernel/release").asText());
        assertTrue(n.at("/io_uring/setup_flags/IORING_SETUP_DEFER_TASKRUN/accepted").isBoolean(), out.toString());
        assertTrue(n.at("/io_uring/opcodes/IORING_OP_READ_FIXED").isBoolean());
        assertTrue(n.at("/io_uring/iopoll_io/works").isBoolean());
        assertTrue(n.at("/linux_aio/works").isBoolean());
        assertEquals(dir.toAbsolutePath().toString(), n.at("/o_direct/dir").asText());
        assertTrue(n.at("/o_direct/works").asBoolean(), out.toString());
        assertFalse(n.at("/memlock/soft_bytes").isMissingNode());
    }

    @Test
    void tableByDefault() {
        assertEquals(0, run("--dir", dir.toString()));
        String s = out.toString();
        assertTrue(s.startsWith("kernel "), s);
        assertTrue(s.contains("IORING_SETUP_SQPOLL") && s.contains("O_DIRECT") && s.contains("Linux AIO"), s);
    }

    @Test
    void missingDirIsBadInput() {
        CommandLine cl = new CommandLine(new ProbeCommand());
        cl.setExecutionExceptionHandler((ex, c, p) -> {
            assertInstanceOf(IllegalArgumentException.class, ex);
            assertTrue(ex.getMessage().contains("is not a directory"), ex.getMessage());
            return 2;
        });
        assertEquals(2, cl.execute("--dir", dir.resolve("nope").toString()));
    }

    @Test
    void helpNamesTheOptions() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString().contains("--json") && out.toString().contains("--dir=PATH"), out.toString());
    }
}
