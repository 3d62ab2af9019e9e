package org.aiobench.benchmarks.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 23: what README.md promises of --quick is what the program plans, and the dry run shows what applies. */
class ReadmeAgreesTest {
    private static final Path README = Path.of("..", "README.md");

    private static RunnerTests.Outcome dryRun(String... more) {
        List<String> args = new ArrayList<>(List.of("--quick", "--dry-run", "--dir", RunnerTests.SCRATCH.toString(),
                "--repo", ".."));
        args.addAll(List.of(more));
        RunnerTests.Outcome o = RunnerTests.run(args);
        assertTrue(o.status() == 0, o.all());
        return o;
    }

    @Test
    void theQuickTimeInTheReadmeIsTheDryRunsEstimate() throws IOException {
        String readme = Files.readString(README);
        assertFalse(readme.contains("within 20 minutes"), "README promises --quick within 20 minutes");
        Matcher said = Pattern.compile("`--dry-run` plans about (\\d+) minutes").matcher(readme);
        assertTrue(said.find(), "README says what --dry-run plans for --quick");
        Matcher planned = Pattern.compile("planned: \\d+ fork\\(s\\) in 3 round\\(s\\), roughly (\\d+)m(\\d+)s")
                .matcher(dryRun().out());
        assertTrue(planned.find(), "the dry run's estimate");
        double minutes = Integer.parseInt(planned.group(1)) + Integer.parseInt(planned.group(2)) / 60.0;
        // the plan depends a little on the machine (O_DIRECT, fio, free CPUs for the thesis' placements)
        assertTrue(Math.abs(minutes - Integer.parseInt(said.group(1))) <= 5, "README: about " + said.group(1)
                + " minutes; the dry run here: " + minutes);
        RunnerTests.Outcome help = RunnerTests.run(List.of("--help"));
        assertFalse(help.out().contains("within 20 minutes"), help.out());
    }

    @Test
    void theDryRunListsOnlyReductionsThatApply() {
        String out = dryRun("--suite", "randread").out();
        assertTrue(out.contains("reduced: random I/O: randread only"), out);
        assertFalse(out.contains("reduced: basic:"), out);
        assertFalse(out.contains("reduced: large files"), out);
        assertFalse(out.contains("reduced: thesis experiments"), out);
    }
}
