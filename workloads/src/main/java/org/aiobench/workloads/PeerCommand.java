package org.aiobench.workloads;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import org.aiobench.engines.Engines;

/**
 * An external copy program measured beside the engines, as {@code --peer NAME='COMMAND {src} {dst}'} names it: GNU
 * {@code cp -r --reflink=never} is the built-in reference ({@link #CP}), plain {@code cp -r} the built-in second peer
 * ({@link #CP_PLAIN}), any other is the user's (rsync, xcp, a study's own program). The contract: {@code {dst}} does
 * not exist beforehand and must become the copy of {@code {src}}.
 *
 * <p>The command is split once into an argument vector with the shell's quoting rules (blanks separate words;
 * {@code '...'} is literal; in {@code "..."} a backslash escapes {@code " \ $ `}; outside quotes a backslash escapes
 * the next character) and run with that vector, never through a shell: nothing is expanded, so a shell operator, a
 * variable or a glob outside quotes is refused (it would reach the program as a literal word); a pipeline goes into
 * a script passed as the program. The placeholders may be parts of words ({@code {src}/}). The program is resolved
 * once (on PATH unless it names a path) and run by its absolute path, so every copy runs the program that was checked.
 *
 * @param name     the peer's name: the {@code peer} parameter of its configurations and its label in the report
 * @param argv     the argument vector with the placeholders, the program as given
 * @param program  the program's absolute path
 */
public record PeerCommand(String name, List<String> argv, Path program) {
    public static final String SRC = "{src}";
    public static final String DST = "{dst}";

    /** A name is a word JMH and the results can carry as they are: no comma (JMH's -p splits there), no '='. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,39}");

    /**
     * GNU cp as the copy study's reference, copying with read and write through a 128K buffer: {@code --reflink=never}
     * keeps a CoW filesystem from cloning, and coreutils 9 then leaves copy_file_range out too (the kernel may clone
     * there), so it copies as every GNU cp before 9.0 did, the cp of the study's time (coreutils 8.32, 2020).
     */
    public static final String CP_NAME = "cp";
    public static final PeerCommand CP = builtIn(CP_NAME, List.of("cp", "-r", "--reflink=never", SRC, DST));

    /**
     * Plain {@code cp -r}, the cp a reader types: coreutils 9 tries a clone (FICLONE), then copies each file with
     * copy_file_range, whole, after posix_fadvise(SEQUENTIAL). Measured beside {@link #CP} wherever cp is (group
     * peer, by this name), so a run answers both "faster than the study's cp" and "faster than the cp I have".
     */
    public static final String CP_PLAIN_NAME = "cp-plain";
    public static final PeerCommand CP_PLAIN = builtIn(CP_PLAIN_NAME, List.of("cp", "-r", SRC, DST));

    public PeerCommand {
        argv = List.copyOf(argv);
        Objects.requireNonNull(program);
    }

    /** Whether this is the built-in cp reference. */
    public boolean isBuiltIn() {
        return name.equals(CP_NAME) && argv.equals(CP.argv);
    }

    /** Whether this is the built-in plain {@code cp -r} peer. */
    public boolean isPlainCp() {
        return name.equals(CP_PLAIN_NAME) && argv.equals(CP_PLAIN.argv);
    }

    /**
     * Parses and checks {@code NAME=COMMAND} as given on the command line: the name, the command's words, the
     * placeholders and the program (it exists and is executable). A refusal is a {@link CopyException} with
     * {@code badInput()}, one line naming the peer.
     */
    public static PeerCommand parse(String spec) {
        int eq = spec.indexOf('=');
        if (eq < 0) throw bad(spec, "expected NAME='COMMAND {src} {dst}'");
        String name = spec.substring(0, eq).trim();
        return of(name, split(name, spec.substring(eq + 1)));
    }

    /** A peer from its name and argument vector (as env.json and the forks carry it), checked as {@link #parse}. */
    public static PeerCommand of(String name, List<String> argv) {
        if (!NAME.matcher(name).matches()) {
            throw bad(name, "a peer's name is a letter or digit, then letters, digits, '_', '.' or '-' (at most 40)");
        }
        if (Engines.names().contains(name)) throw bad(name, "'" + name + "' is an engine's name; choose another");
        if (argv.isEmpty()) throw bad(name, "no command");
        if (name.equals(CP_NAME) && !argv.equals(CP.argv)) {
            throw bad(name, "'cp' is the built-in peer (cp -r --reflink=never {src} {dst}); give yours another name");
        }
        if (name.equals(CP_PLAIN_NAME) && !argv.equals(CP_PLAIN.argv)) {
            throw bad(name, "'" + CP_PLAIN_NAME + "' is the built-in peer (cp -r {src} {dst}); give yours another name");
        }
        if (argv.get(0).contains(SRC) || argv.get(0).contains(DST)) throw bad(name, "the program cannot be a placeholder");
        for (String p : List.of(SRC, DST)) {
            if (argv.stream().noneMatch(a -> a.contains(p))) {
                throw bad(name, "the command has no " + p + " (the contract: " + DST + " does not exist beforehand and"
                        + " must become the copy of " + SRC + ")");
            }
        }
        return new PeerCommand(name, argv, resolve(name, argv.get(0)));
    }

    private static PeerCommand builtIn(String name, List<String> argv) {
        Path p = onPath(argv.get(0));
        return new PeerCommand(name, argv, p != null ? p : Path.of(argv.get(0)));
    }

    /** Whether the program is there and executable now (the built-in cp is checked by the run's preflight). */
    public boolean installed() {
        return program.isAbsolute() && executableFile(program);
    }

    /** The argument vector to run for copying {@code src} to {@code dst}: the program's path, placeholders filled. */
    public List<String> argv(Path src, Path dst) {
        List<String> out = new ArrayList<>(argv.size());
        out.add(program.toString());
        for (String a : argv.subList(1, argv.size())) out.add(a.replace(SRC, src.toString()).replace(DST, dst.toString()));
        return out;
    }

    /** The command as one line a shell would split back into {@link #argv} (for logs and messages). */
    public String commandLine() {
        StringBuilder sb = new StringBuilder();
        for (String a : argv) {
            if (!sb.isEmpty()) sb.append(' ');
            sb.append(a.matches("[A-Za-z0-9_./{}=:,+@%^-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return sb.toString();
    }

    /** {@code NAME=COMMAND} as the command line takes it (how --resume gives a run its peers again). */
    public String spec() {
        return name + "=" + commandLine();
    }

    /**
     * Splits {@code command} into words with the shell's quoting rules, expanding nothing; refuses what a shell
     * would have interpreted outside quotes.
     */
    static List<String> split(String name, String command) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < command.length()) {
            char c = command.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n') {
                if (inWord) words.add(w.toString());
                w.setLength(0);
                inWord = false;
                i++;
            } else if (c == '\'') {
                int end = command.indexOf('\'', i + 1);
                if (end < 0) throw bad(name, "unterminated ' in the command");
                w.append(command, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i++;
                while (true) {
                    if (i >= command.length()) throw bad(name, "unterminated \" in the command");
                    char d = command.charAt(i);
                    if (d == '"') break;
                    if (d == '\\' && i + 1 < command.length() && "\"\\$`".indexOf(command.charAt(i + 1)) >= 0) {
                        w.append(command.charAt(i + 1));
                        i += 2;
                        continue;
                    }
                    if (d == '$' || d == '`') throw bad(name, "'" + d + "' inside \"...\": nothing is expanded (no"
                            + " shell runs the command); quote it with '...' or put the command in a script");
                    w.append(d);
                    i++;
                }
                inWord = true;
                i++;
            } else if (c == '\\') {
                if (i + 1 >= command.length()) throw bad(name, "a trailing \\ in the command");
                w.append(command.charAt(i + 1));
                inWord = true;
                i += 2;
            } else if ("|&;<>()`$*?~".indexOf(c) >= 0) {
                throw bad(name, "'" + c + "' outside quotes: the command runs without a shell, so operators,"
                        + " redirections, variables and globs are not interpreted; put them in a script and pass"
                        + " the script as the peer (or quote the character)");
            } else {
                w.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) words.add(w.toString());
        return words;
    }

    /** The program's absolute path: a path as given (relative to the working directory), else found on PATH. */
    private static Path resolve(String name, String program) {
        if (program.isEmpty()) throw bad(name, "empty program name");
        if (program.contains("/")) {
            Path p = Path.of(program).toAbsolutePath().normalize();
            if (!Files.exists(p)) throw bad(name, "the program " + program + " does not exist");
            if (!executableFile(p)) throw bad(name, "the program " + program + " is not an executable file");
            return p;
        }
        Path p = onPath(program);
        if (p == null) throw bad(name, "the program '" + program + "' is not on PATH (" + System.getenv("PATH") + ")");
        return p;
    }

    private static Path onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, program).toAbsolutePath();
            if (executableFile(p)) return p;
        }
        return null;
    }

    private static boolean executableFile(Path p) {
        return Files.isRegularFile(p) && Files.isExecutable(p) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
    }

    private static CopyException bad(String peer, String why) {
        return CopyException.badInput("--peer " + peer + ": " + why);
    }
}
