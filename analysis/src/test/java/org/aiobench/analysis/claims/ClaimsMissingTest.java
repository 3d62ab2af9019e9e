package org.aiobench.analysis.claims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.aiobench.analysis.SyntheticRun;
import org.aiobench.analysis.claims.ClaimJudge.Outcome;
import org.aiobench.analysis.run.RunData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23: a claim that finds no configuration says which one it needed ("io_uring not in this run" was read as
 * "io_uring did not run", while io_uring had run on other trees), and why it is missing when skipped.json says.
 */
class ClaimsMissingTest {
    @TempDir
    Path tmp;

    private ClaimJudge.Row c5(Path dir) throws Exception {
        return new ClaimJudge(RunData.load(dir), Claims.load()).judge().stream()
                .filter(r -> r.claim().id().equals("C5")).findFirst().orElseThrow();
    }

    @Test
    void aMissingConfigurationIsNamedWhole() throws Exception {
        Path dir = new SyntheticRun().engine("sync", 1.0).write(tmp.resolve("no-io_uring"));
        ClaimJudge.Row row = c5(dir);
        assertEquals(Outcome.NOT_MEASURED, row.outcome());
        assertTrue(row.why().contains("(`basic` "), row.why());
        assertTrue(row.why().contains("io_uring"), row.why());
        assertTrue(row.why().contains("no such configuration in this run"), row.why());
    }

    @Test
    void aConfigurationTheQuickMatrixCutSaysTheCut() throws Exception {
        Path dir = new SyntheticRun().engine("sync", 1.0).write(tmp.resolve("cut"));
        Files.writeString(dir.resolve("skipped.json"), """
                [{"group": "basic", "benchmark": "org.aiobench.benchmarks.BasicCopy.copy",
                  "params": {"engine": "io_uring", "mode": "single", "fileSize": "1M", "files": "128",
                             "direct": "false", "cache": "warm"},
                  "reason": "left out by --quick: basic: the large tree buffered only"}]""");
        ClaimJudge.Row row = c5(dir);
        assertTrue(row.why().contains("skipped: left out by --quick: basic: the large tree buffered only"), row.why());
        assertTrue(row.why().contains("(`basic` "), row.why());
    }
}
