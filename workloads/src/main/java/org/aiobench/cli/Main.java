package org.aiobench.cli;

import java.io.PrintWriter;

import org.aiobench.engines.UnsupportedConfigurationException;
import org.aiobench.engines.nat.NativeException;
import org.aiobench.workloads.CopyException;
import org.aiobench.workloads.VerificationException;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line behind run-experiments.sh: gen-tree, copy, randio, probe. Exit status 0 on success, 2 for bad input
 * or an unsupported configuration (one line saying what is wrong, nothing written), 1 when work that was
 * started failed (a request error, a copy that does not verify).
 */
@Command(name = "aiobench", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Asynchronous file I/O benchmark harness (sync, copy_file_range, posixaio, libaio, io_uring).",
        subcommands = {GenTreeCommand.class, CopyCommand.class, RandioCommand.class, ProbeCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit status (for tests). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println(ex.getCommandLine().getCommandName() + ": " + ex.getMessage());
            err.println("(see " + ex.getCommandLine().getCommandName() + " --help)");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            PrintWriter err = c.getErr();
            String name = c.getCommandName();
            if (ex instanceof CopyException ce && ce.badInput()
                    || ex instanceof IllegalArgumentException
                    || ex instanceof UnsupportedConfigurationException) {
                err.println(name + ": " + ex.getMessage());
                return 2;
            }
            if (ex instanceof VerificationException) {
                err.println(name + ": VERIFICATION FAILED: " + ex.getMessage());
                return 1;
            }
            if (ex instanceof CopyException || ex instanceof NativeException
                    || ex instanceof java.io.UncheckedIOException) {
                err.println(name + ": " + ex.getMessage());
                return 1;
            }
            // anything else is a fault of aiobench's or of the machine: one line, not a stack trace (the trace
            // with AIOBENCH_DEBUG=1)
            if (System.getenv("AIOBENCH_DEBUG") != null) ex.printStackTrace(err);
            err.println(name + ": " + (ex.getMessage() != null ? ex.getMessage() : ex.toString())
                    + (ex.getMessage() != null && !(ex instanceof RuntimeException) ? " (" + ex.getClass().getSimpleName() + ")" : ""));
            return 1;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[]{"aiobench " + (v == null ? "(development build)" : v),
                    "JDK " + Runtime.version() + ", " + System.getProperty("os.name") + " " + System.getProperty("os.version")};
        }
    }
}
