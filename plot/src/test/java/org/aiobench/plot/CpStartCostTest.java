package org.aiobench.plot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** cp -r appears as measured and, where its start cost (spawnSec) was measured, less that cost. */
class CpStartCostTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path copyOfHandmade(String as) throws Exception {
        Path src = Path.of("src/test/resources/fixtures/handmade");
        Path dir = tmp.resolve(as);
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : files.toList()) {
                Path to = dir.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(to);
                else Files.copy(p, to);
            }
        }
        return dir;
    }

    @Test
    void cpIsShownLessItsStartCostWhereItWasMeasured() throws Exception {
        Path with = copyOfHandmade("with");
        Path cpJson = with.resolve("jmh/cp.json");
        ArrayNode results = (ArrayNode) JSON.readTree(cpJson.toFile());
        double start = 0.002;
        double lessStart32kWarm = Double.NaN;
        for (var r : results) {
            ArrayNode raw = JSON.createArrayNode();
            double sum = 0;
            int n = 0;
            for (var fork : r.at("/primaryMetric/rawData")) {
                ArrayNode f = raw.addArray();
                for (var v : fork) {
                    f.add(start);
                    sum += v.asDouble() - start;
                    n++;
                }
            }
            ObjectNode spawn = JSON.createObjectNode().put("score", start).put("scoreUnit", "s");
            spawn.set("rawData", raw);
            ((ObjectNode) r.get("secondaryMetrics")).set("spawnSec", spawn);
            if (r.at("/params/fileSize").asText().equals("32K") && r.at("/params/cache").asText().equals("warm")) {
                lessStart32kWarm = sum / n;
            }
        }
        // only the warm results get their start cost: the cold ones show cp as measured alone
        for (var r : results) {
            if (r.at("/params/cache").asText().equals("cold")) ((ObjectNode) r.get("secondaryMetrics")).remove("spawnSec");
        }
        JSON.writeValue(cpJson.toFile(), results);
        PlotMain.render(with);
        String md = Files.readString(with.resolve("report.md"));
        assertTrue(md.contains(" " + ReportWriter.CP_LESS_START + " |"), "a table row for cp -r less its start cost");
        for (String section : md.split("\n## ")) {
            boolean cold = section.lines().findFirst().orElse("").contains("cold");
            if (cold) assertFalse(section.contains(" " + ReportWriter.CP_LESS_START + " |"), "no spawnSec, no such row");
        }
        // the 32K warm cp's mean less 2 ms, in the table's unit (ms for these times)
        assertTrue(md.contains(ReportWriter.num(lessStart32kWarm * 1e3)) || md.contains(ReportWriter.num(lessStart32kWarm)),
                "cp less start for 32K warm: " + lessStart32kWarm);
    }
}
