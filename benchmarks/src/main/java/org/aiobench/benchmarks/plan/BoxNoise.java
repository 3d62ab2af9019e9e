package org.aiobench.benchmarks.plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * What the last run on this box measured of its noise (its variance.json, written by the analysis module), per group: the
 * variance of one round's comparison split into what the forks add ({@code between}) and what more copies a fork
 * would reduce ({@code within}). With it the plan puts repetitions where they buy the most precision per second (the
 * copies a fork: sqrt(within / between x fork cost / copy cost), Kalibera and Jones 2013, with each configuration's
 * own costs, {@link Matrix#repetitions(Group, Map)}) and the dry run says in advance what a plan will tell apart.
 * Matched by the box: env.json host.machineId.
 *
 * @param run    the run it comes from
 * @param groups per group id, its numbers
 */
public record BoxNoise(Path run, Map<String, GroupNoise> groups) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One group's noise, as variance.json has it. */
    record GroupNoise(double between, double within, double copiesPerFork) {
        /** The variance of one round's comparison with {@code copies} copies a fork. */
        double oneRound(int copies) {
            return between + within / Math.max(1, copies);
        }

        /** The half-width (fraction) of a comparison's 95% interval after {@code rounds} rounds of {@code copies}. */
        double halfWidth(int rounds, int copies) {
            if (rounds < 2) return Double.NaN;
            double t = new TDistribution(null, rounds - 1).inverseCumulativeProbability(0.975);
            return Math.exp(t * Math.sqrt(oneRound(copies) / rounds)) - 1;
        }

        /** The rounds for a half-width of {@code precision} with {@code copies} copies a fork; -1 past 1000. */
        int roundsFor(double precision, int copies) {
            for (int r = 3; r <= 1000; r++) if (halfWidth(r, copies) <= precision) return r;
            return -1;
        }
    }

    /** This box's id as env.json records it (host.machineId), or null. */
    static String thisBox() {
        String id = Host.read(Path.of("/etc/machine-id"));
        return id == null || id.isEmpty() ? null : id;
    }

    /** The newest run in {@code results} with a variance.json of this box; empty when there is none. */
    public static Optional<BoxNoise> latest(Path results) {
        String box = thisBox();
        if (box == null || !Files.isDirectory(results)) return Optional.empty();
        List<Path> runs;
        try (Stream<Path> s = Files.list(results)) {
            runs = s.filter(d -> Files.isRegularFile(d.resolve("variance.json")) && Files.isRegularFile(d.resolve(
                    "env.json"))).sorted(Comparator.comparing((Path d) -> d.resolve("variance.json").toFile()
                    .lastModified()).reversed()).toList();
        } catch (IOException e) {
            return Optional.empty();
        }
        for (Path d : runs) {
            try {
                JsonNode env = JSON.readTree(d.resolve("env.json").toFile());
                if (!box.equals(env.path("host").path("machineId").asText())) continue;
                JsonNode v = JSON.readTree(d.resolve("variance.json").toFile());
                Map<String, GroupNoise> groups = new LinkedHashMap<>();
                for (JsonNode g : v.path("groups")) {
                    if (!g.path("betweenVar").isNumber() || !g.path("withinVar").isNumber()) continue;
                    groups.put(g.path("group").asText(), new GroupNoise(g.path("betweenVar").asDouble(),
                            g.path("withinVar").asDouble(), g.path("copiesPerFork").asDouble(1)));
                }
                if (!groups.isEmpty()) return Optional.of(new BoxNoise(d, groups));
            } catch (IOException e) {
                // a damaged file: try an older run
            }
        }
        return Optional.empty();
    }

    /**
     * Each measured group's within / between variance (a copy's within its fork over a fork's level): the plan fits
     * every configuration's copies a fork to it with that configuration's own costs ({@link Matrix#repetitions(Group,
     * Map)}); infinite where the forks did not vary at all.
     */
    public Map<Group, Double> ratios() {
        Map<Group, Double> out = new LinkedHashMap<>();
        groups.forEach((id, g) -> {
            if (!(g.within() >= 0) || !(g.between() >= 0)) return;
            double r = g.between() > 0 ? g.within() / g.between() : Double.POSITIVE_INFINITY;
            Group x = Group.ofId(id);
            if (x != null) out.put(x, r);
        });
        return out;
    }
}
