package org.aiobench.analysis.comparison;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.aiobench.analysis.run.RunData;

/**
 * What differs between two sides' environments (env.json, keys in results/README.md), and only that, as mmtests'
 * compare-kernels prints before its tables: the kernel, the CPU and its mitigations, memory, the scratch
 * filesystem and device, the JDK, JMH and aiobench, the matrix, and what the kernel probe found (flags or opcodes one
 * side has and the other lacks). What changes from run to run by nature (the run id, its time, free space, the
 * seed) is not a difference. A side of several runs shows every value its runs had.
 */
final class EnvDifferences {
    /** One item that differs: what it is, and each side's value(s). */
    record Difference(String what, String base, String next) {}

    final List<Difference> items;
    /** Different machines, different matrices, a side of several kernels: compared anyway, said first. */
    final List<String> warnings;

    private EnvDifferences(List<Difference> items, List<String> warnings) {
        this.items = items;
        this.warnings = warnings;
    }

    private static final String NOT_RECORDED = "not recorded";

    /** The items compared, in order: label and where in env.json. */
    private static final List<Map.Entry<String, String>> ITEMS = List.of(
            Map.entry("host", "host.name"),
            Map.entry("machine id", "host.machineId"),
            Map.entry("kernel release", "kernel.release"),
            Map.entry("kernel build", "kernel.version"),
            Map.entry("kernel command line", "kernel.cmdline"),
            Map.entry("CPU model", "cpu.model"),
            Map.entry("CPU count", "cpu.count"),
            Map.entry("CPUs online", "cpu.online"),
            Map.entry("CPU frequency governor", "cpu.governor"),
            Map.entry("memory", "memoryBytes"),
            Map.entry("filesystem", "scratch.fsType"),
            Map.entry("mount point", "scratch.mountPoint"),
            Map.entry("mount options", "scratch.mountOptions"),
            Map.entry("device", "scratch.device"),
            Map.entry("device model", "scratch.deviceModel"),
            Map.entry("I/O scheduler", "scratch.scheduler"),
            Map.entry("rotational", "scratch.rotational"),
            Map.entry("logical block size", "scratch.logicalBlockSize"),
            Map.entry("O_DIRECT on the scratch filesystem", "scratch.directIo"),
            Map.entry("JDK", "jdk"),
            Map.entry("JMH", "jmhVersion"),
            Map.entry("aiobench version", "aiobench.version"),
            Map.entry("aiobench commit", "aiobench.commit"),
            Map.entry("cp", "cp"),
            Map.entry("cold cache", "cacheDrop"),
            Map.entry("engines", "engines"),
            Map.entry("quick matrix", "quick"));

    /** Items that say the two sides were not the same machine. */
    private static final Set<String> MACHINE = Set.of("CPU model", "CPU count", "memory", "device model");

    /** Probe values compared as they are (beside the lists of features, opcodes and setup flags). */
    private static final List<Map.Entry<String, String>> PROBE_ITEMS = List.of(
            Map.entry("io_uring available", "io_uring.available"),
            Map.entry("io_uring_disabled", "io_uring.io_uring_disabled"),
            Map.entry("IOPOLL on the scratch device", "io_uring.iopoll_io.works"),
            Map.entry("Linux AIO", "linux_aio.works"),
            Map.entry("fs.aio-max-nr", "linux_aio.aio_max_nr"),
            Map.entry("RLIMIT_MEMLOCK soft", "memlock.soft_bytes"),
            Map.entry("RLIMIT_MEMLOCK hard", "memlock.hard_bytes"),
            Map.entry("O_DIRECT works (probe)", "o_direct.works"),
            Map.entry("O_DIRECT memory alignment", "o_direct.mem_align"),
            Map.entry("O_DIRECT offset alignment", "o_direct.offset_align"));

    static EnvDifferences of(List<RunData> base, List<RunData> next) {
        List<Difference> items = new ArrayList<>();
        for (var item : ITEMS) {
            Function<JsonNode, String> value = env -> text(env, item.getValue());
            if (item.getValue().equals("memoryBytes")) value = env -> memory(env.path("memoryBytes"));
            if (item.getValue().equals("aiobench.commit")) value = EnvDifferences::commit;
            add(items, item.getKey(), base, next, value);
        }
        peers(items, base, next);
        mitigations(items, base, next);
        matrix(items, base, next);
        for (var item : PROBE_ITEMS) {
            add(items, item.getKey(), base, next, env -> text(env.path("probe"), item.getValue()));
        }
        probeSets(items, base, next, "io_uring features", "io_uring.features", n -> n.isBoolean() && n.asBoolean());
        probeSets(items, base, next, "io_uring opcodes", "io_uring.opcodes", n -> n.isBoolean() && n.asBoolean());
        probeSets(items, base, next, "io_uring setup flags accepted", "io_uring.setup_flags",
                n -> n.path("accepted").asBoolean(false));

        List<String> warnings = new ArrayList<>();
        List<String> machine = items.stream().map(Difference::what).filter(MACHINE::contains).toList();
        if (!machine.isEmpty()) {
            warnings.add("The two sides look like different machines (" + String.join(", ", machine) + " differ): "
                    + "compared anyway, but a difference may be the machine's rather than the kernel's.");
        }
        List<String> matrix = items.stream().map(Difference::what)
                .filter(w -> w.startsWith("matrix") || w.equals("quick matrix")).toList();
        if (!matrix.isEmpty()) {
            warnings.add("The two sides ran different matrices (" + String.join(", ", matrix) + "): compared anyway, "
                    + "configuration by configuration; those measured on one side only are listed.");
        }
        for (var side : List.of(Map.entry("base", base), Map.entry("new", next))) {
            Set<String> kernels = side.getValue().stream().map(RunData::kernelRelease)
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            if (kernels.size() > 1) {
                warnings.add("The " + side.getKey() + " side's runs are of different kernels (" + String.join(", ",
                        kernels) + "): they are treated as one side.");
            }
        }
        return new EnvDifferences(items, warnings);
    }

    /**
     * The value at a dotted path: a scalar as text, an array joined, an object as JSON with its keys sorted (the
     * same object written by two runs in another key order is the same value); null where absent.
     */
    static String text(JsonNode env, String path) {
        JsonNode n = env;
        for (String part : path.split("\\.")) n = n.path(part);
        if (n.isMissingNode() || n.isNull()) return null;
        if (n.isArray()) {
            List<String> items = new ArrayList<>();
            n.forEach(e -> items.add(e.isValueNode() ? e.asText() : canonical(e)));
            return String.join(", ", items);
        }
        return n.isValueNode() ? n.asText() : canonical(n);
    }

    /** Writes objects with their keys sorted, so that key order never makes two values differ. */
    private static final ObjectMapper SORTED = JsonMapper.builder()
            .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED).build();

    /** JSON text of {@code n} with every object's keys in sorted order. */
    static String canonical(JsonNode n) {
        try {
            return SORTED.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a tree read from JSON always writes
        }
    }

    /** In GiB to a tenth: two kernels reserve slightly different amounts of the same RAM. */
    private static String memory(JsonNode bytes) {
        if (!bytes.canConvertToLong() || bytes.asLong() <= 0) return null;
        return String.format(Locale.ROOT, "%.1f GiB", bytes.asLong() / (double) (1L << 30));
    }

    private static String commit(JsonNode env) {
        String c = text(env, "aiobench.commit");
        if (c == null) return null;
        return c + (env.path("aiobench").path("dirty").asBoolean(false) ? " (with uncommitted changes)" : "");
    }

    /** Each side's values, in run order, once each; "not recorded" where a run has none. */
    private static String values(List<RunData> runs, Function<JsonNode, String> value) {
        Set<String> v = new LinkedHashSet<>();
        for (RunData r : runs) {
            String s = value.apply(r.env);
            v.add(s == null || s.isBlank() ? NOT_RECORDED : s);
        }
        return String.join(" | ", v);
    }

    private static void add(List<Difference> out, String what, List<RunData> base, List<RunData> next,
                            Function<JsonNode, String> value) {
        String b = values(base, value), n = values(next, value);
        if (!b.equals(n)) out.add(new Difference(what, b, n));
    }

    /**
     * env.json peers, one item per peer whose command or program (its SHA-256) differs: the configurations of a peer
     * are matched by its name, so a changed command or a rebuilt program under the same name is said here.
     */
    private static void peers(List<Difference> out, List<RunData> base, List<RunData> next) {
        Set<String> names = new TreeSet<>();
        for (RunData r : base) r.env.path("peers").forEach(p -> names.add(p.path("name").asText()));
        for (RunData r : next) r.env.path("peers").forEach(p -> names.add(p.path("name").asText()));
        for (String name : names) {
            // runs made before peers were recorded measured the same cp: only its absence, not a difference
            boolean older = Stream.concat(base.stream(), next.stream()).anyMatch(r -> !r.env.has("peers"));
            if (name.equals("cp") && older) continue;
            add(out, "peer " + name, base, next, env -> {
                for (JsonNode p : env.path("peers")) {
                    if (!name.equals(p.path("name").asText())) continue;
                    String sha = p.path("sha256").asText("");
                    return text(p, "command") + (sha.length() >= 12 ? " (program sha256 " + sha.substring(0, 12) + ")" : "");
                }
                return null;
            });
        }
    }

    /** cpu.vulnerabilities, one item per mitigation that differs; one line where a side did not record them. */
    private static void mitigations(List<Difference> out, List<RunData> base, List<RunData> next) {
        boolean b = base.stream().allMatch(r -> r.env.path("cpu").path("vulnerabilities").isObject());
        boolean n = next.stream().allMatch(r -> r.env.path("cpu").path("vulnerabilities").isObject());
        if (!b || !n) {
            if (b != n) {
                out.add(new Difference("CPU mitigations", b ? "recorded" : NOT_RECORDED, n ? "recorded"
                        : NOT_RECORDED));
            }
            return;
        }
        Set<String> names = new TreeSet<>();
        for (RunData r : concat(base, next)) r.env.path("cpu").path("vulnerabilities").fieldNames()
                .forEachRemaining(names::add);
        for (String name : names) {
            add(out, "CPU mitigation " + name, base, next, env -> text(env.path("cpu").path("vulnerabilities"), name));
        }
    }

    /** env.json matrix, one item per key that differs. */
    private static void matrix(List<Difference> out, List<RunData> base, List<RunData> next) {
        Set<String> keys = new TreeSet<>();
        for (RunData r : concat(base, next)) r.env.path("matrix").fieldNames().forEachRemaining(keys::add);
        for (String k : keys) add(out, "matrix." + k, base, next, env -> text(env.path("matrix"), k));
    }

    /**
     * Names under a probe object that one side has and the other lacks (a name counts for a side when every run of it
     * has it); only names both sides' probes know, so a newer probe that knows more flags is no difference.
     */
    private static void probeSets(List<Difference> out, List<RunData> base, List<RunData> next, String what,
                                  String path, Predicate<JsonNode> has) {
        Set<String> known = null;
        for (RunData r : concat(base, next)) {
            Set<String> k = new TreeSet<>();
            probeNode(r, path).fieldNames().forEachRemaining(k::add);
            if (known == null) known = k;
            else known.retainAll(k);
        }
        if (known == null || known.isEmpty()) return;
        Set<String> b = supported(base, path, has, known), n = supported(next, path, has, known);
        Set<String> onlyB = new TreeSet<>(b), onlyN = new TreeSet<>(n);
        onlyB.removeAll(n);
        onlyN.removeAll(b);
        if (onlyB.isEmpty() && onlyN.isEmpty()) return;
        out.add(new Difference(what + " only one side has", onlyB.isEmpty() ? "–" : String.join(", ", onlyB),
                onlyN.isEmpty() ? "–" : String.join(", ", onlyN)));
    }

    private static Set<String> supported(List<RunData> runs, String path, Predicate<JsonNode> has,
                                         Set<String> known) {
        Set<String> out = new TreeSet<>(known);
        for (RunData r : runs) {
            JsonNode node = probeNode(r, path);
            out.removeIf(name -> !has.test(node.path(name)));
        }
        return out;
    }

    private static JsonNode probeNode(RunData r, String path) {
        JsonNode n = r.env.path("probe");
        for (String part : path.split("\\.")) n = n.path(part);
        return n;
    }

    private static List<RunData> concat(List<RunData> a, List<RunData> b) {
        List<RunData> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** For compare.json: every difference as {what, base, new}. */
    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("warnings", warnings);
        // in this order in every compare.json (Map.of's order changes from one JVM to the next)
        m.put("differences", items.stream().map(d -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("what", d.what());
            row.put("base", d.base());
            row.put("new", d.next());
            return row;
        }).toList());
        return m;
    }
}
