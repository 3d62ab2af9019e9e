package org.aiobench.vocabulary;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/** The project's names (DESIGN.md "One vocabulary everywhere"): their order on an axis and their labels. */
public final class Vocabulary {
    public static final List<String> ENGINES = List.of("sync", "copy_file_range", "posixaio", "libaio", "io_uring");
    public static final List<String> ASYNC_ENGINES = List.of("posixaio", "libaio", "io_uring");
    static final List<String> MODES = List.of("single", "multi", "batch");
    public static final List<String> FILE_SIZES = List.of("32K", "1M", "100M");
    public static final List<String> BOOLEANS = List.of("false", "true");
    public static final String CP = "cp";
    /**
     * The built-in reference (group cp) for what it is: GNU cp with {@code --reflink=never}, which copies with read
     * and write through a 128K buffer, as every GNU cp before coreutils 9.0 did (the cp of the copy study's time).
     */
    public static final String CP_LABEL = "cp -r --reflink=never";
    /** The built-in second peer: plain {@code cp -r}, the cp a reader types (coreutils 9: copy_file_range). */
    public static final String CP_PLAIN = "cp-plain";
    public static final String CP_PLAIN_LABEL = "cp -r";

    /**
     * Copy parameters added after ids were first recorded, with the value every earlier configuration had
     * (results/README.md): the runner leaves them out of ids at that value, so a configuration keeps the id it had
     * before the parameter existed, and the analysis gives a result read without them that value. cfrRequest=pair:
     * every engine's one request per read/write pair (copy_file_range too, until it asked for whole files as cp
     * does); aioFds=dup: posixaio's own descriptor per concurrent request; metadata=syscalls: the walk by system calls.
     */
    public static final Map<String, String> ADDED_LATER = Map.of("cfrRequest", "pair", "aioFds", "dup",
            "metadata", "syscalls");

    /** The groups whose copies have each of {@link #ADDED_LATER}'s parameters (the others never had them). */
    public static final Map<String, List<String>> ADDED_LATER_IN = Map.of(
            "basic", List.of("cfrRequest", "aioFds", "metadata"),
            "fallocate", List.of("cfrRequest"),
            "memory", List.of("cfrRequest"));

    private Vocabulary() {}

    /** Order of a parameter's values on an axis, in a legend and in the report. */
    public static Comparator<String> order(String param) {
        return switch (param) {
            case "engine" -> listed(List.of("sync", "copy_file_range", "posixaio", "libaio", "io_uring", CP));
            case "mode" -> listed(MODES);
            case "cache" -> listed(List.of("warm", "cold"));
            case "direct", "fallocate", "regbuf", "regfiles" -> listed(BOOLEANS);
            case "fileSize", "bufferSize" -> Comparator.comparingDouble(Vocabulary::bytes).thenComparing(v -> v);
            case "ringFlags" -> Comparator.<String, Boolean>comparing(v -> !v.equals("none")).thenComparing(v -> v);
            default -> Comparator.comparingDouble(Vocabulary::numberOrNaN).thenComparing(v -> v);
        };
    }

    private static Comparator<String> listed(List<String> known) {
        return Comparator.<String>comparingInt(v -> known.contains(v) ? known.indexOf(v) : known.size())
                .thenComparing(v -> v);
    }

    /** "32K" -> 32768; a value that is not a size sorts last. */
    public static double bytes(String size) {
        String s = size.trim().toUpperCase(Locale.ROOT);
        double mult = 1;
        if (s.endsWith("K")) mult = 1 << 10;
        else if (s.endsWith("M")) mult = 1 << 20;
        else if (s.endsWith("G")) mult = 1L << 30;
        if (mult != 1) s = s.substring(0, s.length() - 1);
        try {
            return Double.parseDouble(s) * mult;
        } catch (NumberFormatException e) {
            return Double.MAX_VALUE;
        }
    }

    private static double numberOrNaN(String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return Double.MAX_VALUE;
        }
    }

    /** How a value is shown on a figure. */
    public static String label(String param, String value) {
        return switch (param) {
            case "engine" -> value.equals(CP) ? CP_LABEL : value.equals(CP_PLAIN) ? CP_PLAIN_LABEL : value;
            case "direct" -> value.equals("true") ? "O_DIRECT" : "buffered";
            case "fallocate" -> value.equals("true") ? "fallocate on" : "fallocate off";
            case "regbuf" -> value.equals("true") ? "registered buffers" : "plain buffers";
            case "regfiles" -> value.equals("true") ? "registered files" : "plain files";
            case "cache" -> value + " cache";
            case "fileSize" -> value + " files";
            case "qd" -> "qd " + value;
            default -> param + " " + value;
        };
    }

    /** A value as a piece of a file name. */
    public static String token(String param, String value) {
        String t = switch (param) {
            case "direct" -> value.equals("true") ? "direct" : "buffered";
            case "cache", "fileSize", "engine", "mode" -> value;
            default -> param + "-" + value;
        };
        return t.replaceAll("[^A-Za-z0-9_.-]+", "_");
    }
}
