package org.aiobench.analysis.claims;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The copy study's claims as data: claims.json beside this class (its "about" field explains the format). Adding a
 * claim is adding an entry there; {@link ClaimJudge} evaluates whatever the file holds.
 *
 * @param sizes what "small", "medium" and "large" stand for: the first listed size the run measured
 */
public record Claims(String about, Map<String, List<String>> sizes, List<Claim> claims) {

    /**
     * One claim of the paper.
     *
     * @param paper  the paper's figure or words, as the report shows them
     * @param note   how the comparison here differs from the paper's, or null
     * @param where  parameters both sides of every part share
     * @param metric default metric of the parts ("time" when absent)
     * @param about  default ratio range of the parts
     * @param minEffect default minimum effect of the parts ({@link Part#minEffect}), or null
     * @param requires a condition of {@link #REQUIREMENTS} the claim needs, or null
     */
    public record Claim(String id, String section, String claim, String paper, String note, Map<String, String> where,
                        String metric, List<Double> about, Double minEffect, List<Part> parts, String requires) {}

    /**
     * A condition of the machine a claim needs ({@code requires}), which a run may lack: then the claim is not
     * testable here, with the run's reason, instead of a verdict.
     */
    public static final Set<String> REQUIREMENTS = Set.of(
            // a CPU that takes the scratch device's queue interrupts and one that takes none (env.json irqCpus)
            "irqCpusDistinct");

    /**
     * One comparison a claim rests on: x against y, or, with {@code best}, the best value of that parameter among
     * the configurations that x describes.
     *
     * @param x           one side's parameters; {@code engine=cp} is the cp -r reference
     * @param expect      faster, slower, same (times); less, more, same (sizes)
     * @param about       the range the ratio x/y must reach for the claim's size to hold, or null
     * @param expectValue with {@code best}: the paper's best value
     * @param unlike      why the two sides, though both measured, are not the same measure (the part is then shown
     *                    but not judged), or null
     * @param minEffect   the smallest effect the part calls faster or slower, and the margin of "same", as a fraction;
     *                    below the effect the paper claims, so that a precise measurement of a small claimed effect
     *                    (2.6%, a "slight regression") can hold; null: the claim's, else
     *                    {@link org.aiobench.analysis.stats.Verdict#THRESHOLD_WITHIN_RUN}
     */
    public record Part(String group, String metric, Map<String, String> x, Map<String, String> y, String best,
                       String expect, List<Double> about, Double expectValue, String unlike, Double minEffect) {}

    /** The part's minimum effect: its own, else its claim's, else the within-run threshold. */
    public static double minEffect(Claim c, Part p) {
        return p.minEffect() != null ? p.minEffect() : c.minEffect() != null ? c.minEffect()
                : org.aiobench.analysis.stats.Verdict.THRESHOLD_WITHIN_RUN;
    }

    static final Set<String> EXPECTATIONS = Set.of("faster", "slower", "same", "less", "more");
    private static final String RESOURCE = "claims.json";

    /** The io_uring thesis' claims (T1 to T7), in the same format. */
    public static final String THESIS = "thesis-claims.json";

    /** The claims shipped with the analysis module. */
    public static Claims load() {
        return load(RESOURCE);
    }

    /** A claims file shipped with the analysis module ({@link #RESOURCE}, {@link #THESIS}). */
    public static Claims load(String resource) {
        try (InputStream in = Claims.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("the analysis jar lacks " + resource);
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** Reads a claims file and checks every entry: a claim that cannot be evaluated is a build error, not a row. */
    public static Claims parse(InputStream in) throws IOException {
        Claims c = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .readValue(in, Claims.class);
        for (Claim claim : c.claims()) {
            String at = RESOURCE + " " + claim.id() + ": ";
            if (claim.id() == null || claim.claim() == null || claim.paper() == null || claim.parts() == null
                    || claim.parts().isEmpty()) {
                throw new IllegalArgumentException(at + "needs id, claim, paper and parts");
            }
            if (claim.requires() != null && !REQUIREMENTS.contains(claim.requires())) {
                throw new IllegalArgumentException(at + "requires '" + claim.requires() + "': known " + REQUIREMENTS);
            }
            for (Part p : claim.parts()) {
                if (p.group() == null || p.x() == null) throw new IllegalArgumentException(at + "a part needs group, x");
                double min = minEffect(claim, p);
                List<Double> about = p.about() != null ? p.about() : claim.about();
                if (!(min > 0 && min < 1)) throw new IllegalArgumentException(at + "minEffect must lie between 0 and 1");
                if (about != null && !"same".equals(p.expect())
                        && Math.abs((about.get(0) + about.get(1)) / 2 - 1) <= min) {
                    throw new IllegalArgumentException(at + "minEffect " + min + " is not below the effect the paper "
                            + "claims (the middle of " + about + "): a precise measurement of that effect could not hold");
                }
                if (p.best() == null ? p.y() == null || !EXPECTATIONS.contains(p.expect()) : p.expectValue() == null) {
                    throw new IllegalArgumentException(at + "a part needs y and expect (" + EXPECTATIONS
                            + "), or best and expectValue");
                }
            }
        }
        return c;
    }
}
