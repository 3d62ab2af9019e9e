package org.aiobench.analysis.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A machine, told apart by its environment: env.json {@code host.machineId} (systemd's id of the installation, which
 * survives reboots and kernel changes) where the run recorded one, else its host name and hardware (CPU model and
 * count, memory). Its name is {@code host.name}, else the host in a default run id
 * {@code <date>T<time>-<host>-<kernel>}.
 *
 * @param id the first 16 hex digits of the SHA-256 of the machine id, or of name, CPU model, CPU count and memory
 */
public record Box(String id, String name, String cpuModel, Integer cpuCount, Long memoryBytes) {
    /**
     * A default run id: 2026-11-22T031005-vm-6.18.44 (the kernel as far as its first dash: it has a dot), maybe with
     * -2, -3 when a second run took the same second; the host may hold dashes.
     */
    private static final Pattern DEFAULT_RUN_ID =
            Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{6}-(.+)-\\d+\\.[^-]*(-\\d+)?$");

    public static Box of(JsonNode env, String runId) {
        JsonNode host = env.path("host");
        String name = host.path("name").asText("");
        if (name.isEmpty() || name.startsWith("unknown (")) {
            Matcher m = DEFAULT_RUN_ID.matcher(runId);
            name = m.matches() ? m.group(1) : "unknown host";
        }
        JsonNode cpu = env.path("cpu");
        String model = cpu.path("model").isTextual() ? cpu.path("model").asText() : null;
        Integer count = cpu.path("count").isIntegralNumber() ? cpu.path("count").asInt() : null;
        Long memory = env.path("memoryBytes").isIntegralNumber() ? env.path("memoryBytes").asLong() : null;
        String machine = host.path("machineId").asText("");
        String key = machine.isEmpty() || machine.startsWith("unknown (") ? name + "\n" + model + "\n" + count + "\n"
                + memory : "machine-id\n" + machine;
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return new Box(HexFormat.of().formatHex(h).substring(0, 16), name, model, count, memory);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
    }

    /** "AMD EPYC, 2 CPUs, 23.5 GiB" */
    public String hardware() {
        StringBuilder b = new StringBuilder(cpuModel == null ? "CPU not recorded" : cpuModel);
        if (cpuCount != null) b.append(", ").append(cpuCount).append(cpuCount == 1 ? " CPU" : " CPUs");
        if (memoryBytes != null) b.append(String.format(java.util.Locale.ROOT, ", %.1f GiB", memoryBytes / 1073741824.0));
        return b.toString();
    }
}
