package org.aiobench.benchmarks.plan;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.aiobench.vocabulary.Vocabulary;

/**
 * Which configuration a fork measures beside another in one JVM, their copies alternating ({@code --pairing fork},
 * {@link org.aiobench.benchmarks.PairedCopy}): the twin it is compared with, where both are engines. Measured on the
 * test VM, an engine against itself in one fork varied by SD 0.080 of the log ratio, in two forks back to back by
 * 0.377 (10 rounds each, io_uring 128 x 32K: 22 times the variance): what differs between forks (the JIT's decisions,
 * the CPU the fork landed on) moves two engines in one JVM alike. Against cp -r, a process of its own, the same
 * pairing bought nothing (SD 0.564 in one fork, 0.507 apart, 12 rounds), so cp -r is not paired.
 *
 * <p>The twins are the comparisons the report judges between engines of one JVM: a flag against the same copy
 * without it (fallocate off, plain buffers, ring flags none and plain files; io_uring's metadata through the ring
 * against the walk by system calls, POSIX AIO on one descriptor a file against one per request), every engine against
 * the synchronous one in the basic group (the study's own "cp" for O_DIRECT claims, and the baseline any engine beats or not).
 */
public final class Pairing {
    private Pairing() {}

    /** How the runner pairs: "round" (each configuration its own fork, paired by round) or "fork". */
    public enum Mode {
        ROUND, FORK;

        public static Mode parse(String s) {
            return switch (s.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "round" -> ROUND;
                case "fork" -> FORK;
                default -> throw new IllegalArgumentException("--pairing: 'round' or 'fork', not '" + s + "'");
            };
        }
    }

    /** The twin {@code x} is measured with in one fork, among {@code plan}; null where it has none. */
    static Configuration partner(Configuration x, List<Configuration> plan) {
        Map<String, String> want = twinParams(x);
        if (want == null) return null;
        for (Configuration c : plan) {
            if (c.group() == x.group() && c != x && c.params().equals(want)) return c;
        }
        return null;
    }

    /** The twin's parameters: x's with the compared one at its baseline; null where x is itself a baseline. */
    private static Map<String, String> twinParams(Configuration x) {
        Map<String, String> p = new LinkedHashMap<>(x.params());
        switch (x.group()) {
            case BASIC -> {
                // issue 24's other ways against the same engine's usual way, the comparison the report makes
                for (String k : List.of("metadata", "aioFds")) {
                    String usual = Vocabulary.ADDED_LATER.get(k);
                    if (p.containsKey(k) && !usual.equals(p.get(k))) {
                        p.put(k, usual);
                        return p;
                    }
                }
                if (Objects.equals(p.get("engine"), "sync")) return null;
                p.put("engine", "sync");
                p.put("mode", "single");
                // sync's requests are per pair
                if (p.containsKey("cfrRequest")) p.put("cfrRequest", Vocabulary.ADDED_LATER.get("cfrRequest"));
            }
            case FALLOCATE -> {
                if (!"true".equals(p.get("fallocate"))) return null;
                p.put("fallocate", "false");
            }
            case REGBUF -> {
                if (!"true".equals(p.get("regbuf"))) return null;
                p.put("regbuf", "false");
            }
            case RINGFLAGS -> {
                if ("none".equals(p.get("ringFlags")) && !"true".equals(p.get("regfiles"))) return null;
                p.put("ringFlags", "none");
                p.put("regfiles", "false");
            }
            default -> {
                return null;
            }
        }
        return p;
    }
}
