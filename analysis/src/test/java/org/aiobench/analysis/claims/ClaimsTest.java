package org.aiobench.analysis.claims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.aiobench.analysis.SyntheticRun;
import org.aiobench.analysis.claims.ClaimJudge.Outcome;
import org.aiobench.analysis.run.RunData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The copy study's claims: the shipped file, and the judge on runs whose effects are known. */
class ClaimsTest {
    @TempDir
    Path tmp;

    private ClaimJudge.Row judge(SyntheticRun run, String name, String id) throws Exception {
        RunData data = RunData.load(run.write(tmp.resolve(name)));
        return new ClaimJudge(data, Claims.load()).judge().stream().filter(r -> r.claim().id().equals(id))
                .findFirst().orElseThrow();
    }

    @Test
    void theShippedFileHasC1ToC11() {
        List<String> ids = Claims.load().claims().stream().map(Claims.Claim::id).toList();
        assertEquals(List.of("C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "C10", "C11"), ids);
    }

    /** C5: io_uring about 15% ahead of cp -r on medium buffered files (the paper: 0.80 to 0.90). */
    @Test
    void aClaimHoldsOnlyWhereTheEffectHasThePapersSize() throws Exception {
        assertEquals(Outcome.HOLDS, judge(new SyntheticRun().engine("io_uring", 0.85), "c5-holds", "C5").outcome());
        ClaimJudge.Row small = judge(new SyntheticRun().engine("io_uring", 0.95), "c5-small", "C5");
        assertEquals(Outcome.DOES_NOT_HOLD, small.outcome());
        assertTrue(small.why().contains("misses the paper's range 0.800 to 0.900"), small.why());
        ClaimJudge.Row slower = judge(new SyntheticRun().engine("io_uring", 1.10), "c5-slower", "C5");
        assertEquals(Outcome.DOES_NOT_HOLD, slower.outcome());
        assertEquals("measured slower, the paper faster", slower.why());
        ClaimJudge.Row noisy = judge(new SyntheticRun().rounds(5).noise(0.3).engine("io_uring", 0.9).seed(3),
                "c5-noisy", "C5");
        assertEquals(Outcome.INCONCLUSIVE, noisy.outcome(), noisy.parts().toString());
    }

    @Test
    void whatTheRunDidNotMeasureIsSaid() throws Exception {
        ClaimJudge.Row c1 = judge(new SyntheticRun().engine("io_uring", 0.7), "c1", "C1");
        assertEquals(Outcome.NOT_MEASURED, c1.outcome());
        assertEquals("no small (32K) files in this run", c1.why());
        ClaimJudge.Row c8 = judge(new SyntheticRun().engine("io_uring", 0.7), "c8", "C8");
        assertEquals("(1) group `regbuf` not in this run", c8.why());
    }

    /** A claim is data: one more entry, judged with no code of its own. */
    @Test
    void aClaimAddedToTheFileIsJudged() throws Exception {
        String json = """
                {"about": "a test", "sizes": {"medium": ["1M"]}, "claims": [
                  {"id": "X1", "section": "t", "claim": "sync is slower than posixaio", "paper": "made up",
                   "where": {"fileSize": "medium", "cache": "warm", "direct": "false", "mode": "single"},
                   "parts": [{"group": "basic", "x": {"engine": "sync"}, "y": {"engine": "posixaio"},
                              "expect": "slower"}]}]}""";
        Claims claims = Claims.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
        RunData run = RunData.load(new SyntheticRun().engine("sync", 1.2).engine("posixaio", 1.0)
                .write(tmp.resolve("x1")));
        ClaimJudge.Row row = new ClaimJudge(run, claims).judge().get(0);
        assertEquals(Outcome.HOLDS, row.outcome());
        assertTrue(row.parts().get(0).ours().endsWith(" slower"), row.parts().toString());
    }

    @Test
    void aClaimThatCannotBeEvaluatedIsRefusedWhenRead() {
        String json = """
                {"about": "", "sizes": {}, "claims": [{"id": "X2", "claim": "c", "paper": "p",
                  "parts": [{"group": "basic", "x": {"engine": "sync"}, "expect": "quicker"}]}]}""";
        assertThrows(IllegalArgumentException.class,
                () -> Claims.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))));
    }
}
