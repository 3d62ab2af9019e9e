package org.aiobench.benchmarks.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The copies a fork planned from this box's measured noise (issue 20): fitted per configuration with its own costs,
 * so the noise a run measured on small trees does not put three copies of 1.6 GB in every fork.
 */
class BoxNoiseTest {

    /** The full study's configuration of the sync engine, single mode, warm cache, on 128 files of {@code size}. */
    private static Map<String, String> tree(String size, boolean direct) {
        return Matrix.full().configs(Group.BASIC, java.util.List.of("sync"), java.util.List.of(Group.BASIC)).stream()
                .filter(p -> p.get("fileSize").equals(size) && p.get("direct").equals(String.valueOf(direct))
                        && p.get("mode").equals("single") && p.get("cache").equals("warm")).findFirst().orElseThrow();
    }

    @Test
    void copiesFollowTheVarianceRatioAndEachConfigurationsCost() {
        Matrix full = Matrix.full();
        // measured on this VM (precision10, basic): within 0.152, between 0.128
        Matrix fitted = full.withMeasuredNoise(Map.of(Group.BASIC, 0.152 / 0.128), "run x");
        int small = fitted.repetitions(Group.BASIC, tree("32K", false)).iterations();
        int large = fitted.repetitions(Group.BASIC, tree("100M", false)).iterations();
        assertTrue(small >= 3, small + " copies of 128 x 32K: a fork costs many of its copies");
        assertEquals(1, large, "a copy of 128 x 100M costs more than a JVM's start: one a fork");
        // copies within a fork that do not vary buy nothing: one a fork everywhere
        Matrix quiet = full.withMeasuredNoise(Map.of(Group.BASIC, 0.0), "run y");
        assertEquals(1, quiet.repetitions(Group.BASIC, tree("32K", false)).iterations());
        // forks that do not vary: as many copies as the plan allows
        Matrix noisyCopies = full.withMeasuredNoise(Map.of(Group.BASIC, Double.POSITIVE_INFINITY), "run z");
        assertEquals(Matrix.MOST_MEASURED_COPIES, noisyCopies.repetitions(Group.BASIC, tree("32K", false)).iterations());
        // a group without a measurement keeps the plan's own fit, and so does a matrix with fixed repetitions
        assertEquals(full.repetitions(tree("1M", true)), fitted.repetitions(Group.REGBUF, tree("1M", true)));
        Matrix fixed = full.withRepetitions(1, 1, 2);
        assertEquals(fixed, fixed.withMeasuredNoise(Map.of(Group.BASIC, 5.0), "run"));
        assertTrue(fitted.reductions().get(fitted.reductions().size() - 1).contains("basic 1.19"),
                fitted.reductions().toString());
    }

    @Test
    void theLatestRunOfThisBoxGivesTheRatios(@TempDir Path results) throws Exception {
        String box = BoxNoise.thisBox();
        org.junit.jupiter.api.Assumptions.assumeTrue(box != null, "no /etc/machine-id");
        Path other = Files.createDirectories(results.resolve("other-box"));
        Files.writeString(other.resolve("env.json"), "{\"host\":{\"machineId\":\"not-this-one\"}}");
        Files.writeString(other.resolve("variance.json"),
                "{\"groups\":[{\"group\":\"basic\",\"betweenVar\":1.0,\"withinVar\":9.0}]}");
        Path mine = Files.createDirectories(results.resolve("mine"));
        Files.writeString(mine.resolve("env.json"), "{\"host\":{\"machineId\":\"" + box + "\"}}");
        Files.writeString(mine.resolve("variance.json"), "{\"groups\":[{\"group\":\"basic\",\"betweenVar\":0.128,"
                + "\"withinVar\":0.152},{\"group\":\"cp\",\"betweenVar\":null,\"withinVar\":null},"
                + "{\"group\":\"regbuf\",\"betweenVar\":0.0,\"withinVar\":0.01}]}");
        mine.resolve("variance.json").toFile().setLastModified(System.currentTimeMillis() - 60_000);
        BoxNoise n = BoxNoise.latest(results).orElseThrow();
        assertEquals(mine, n.run(), "another box's noise is not this one's");
        Map<Group, Double> r = n.ratios();
        assertEquals(0.152 / 0.128, r.get(Group.BASIC), 1e-12);
        assertTrue(!r.containsKey(Group.CP), "a group without a comparison measured nothing");
        assertEquals(Double.POSITIVE_INFINITY, r.get(Group.REGBUF));
    }
}
