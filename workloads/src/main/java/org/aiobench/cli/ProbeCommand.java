package org.aiobench.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.aiobench.engines.probe.KernelProbe;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "probe", mixinStandardHelpOptions = true,
        description = {"Print what this kernel offers the engines, found by trying each thing: io_uring setup flags",
                "(accepted, or the errno), feature bits, opcodes (IORING_REGISTER_PROBE), whether IOPOLL I/O really",
                "works, RLIMIT_MEMLOCK, Linux AIO and aio-max-nr, and O_DIRECT with its alignment in --dir.",
                "The checks in --dir create one temporary file there and delete only that file."})
public final class ProbeCommand implements Callable<Integer> {

    @Option(names = "--json", description = "print JSON instead of a table")
    boolean json;

    @Option(names = "--dir", paramLabel = "PATH",
            description = "directory for the O_DIRECT and IOPOLL checks (default: the current directory)")
    Path dir = Path.of(".");

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws JsonProcessingException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--dir " + dir + " is not a directory");
        }
        KernelProbe.Report report = KernelProbe.run(dir);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report.tree()));
        } else {
            out.print(report.toTable());
        }
        out.flush();
        return 0;
    }
}
