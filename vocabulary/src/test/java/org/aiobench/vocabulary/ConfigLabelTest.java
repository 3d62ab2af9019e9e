package org.aiobench.vocabulary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The names of a configuration that other programs and earlier runs read back: they must not drift. */
class ConfigLabelTest {
    private static Map<String, String> params(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    @Test
    void idSortsTheParametersWhateverTheirOrder() {
        // samples.jsonl's config, as every run so far wrote it: compare and history match runs by it
        assertEquals("CpBaseline:cache=warm,fileSize=1M,files=128",
                ConfigLabel.id("CpBaseline", params("files", "128", "fileSize", "1M", "cache", "warm")));
    }

    @Test
    void runLogLinesParseBackToTheirParameters() {
        Map<String, String> p = params("engine", "io_uring", "mode", "single", "ringFlags", "sqpoll,iopoll");
        String line = ConfigLabel.logged("basic", p);
        assertEquals("basic engine=io_uring mode=single ringFlags=sqpoll,iopoll", line);
        assertEquals(p, ConfigLabel.parseKeyValues(line.substring("basic ".length())));
    }

    @Test
    void theCpGroupIsNamedForWhatItIs() {
        Map<String, String> p = params("fileSize", "1M", "files", "128", "cache", "warm");
        assertEquals("cp " + Vocabulary.CP_LABEL + " fileSize=1M files=128 cache=warm", ConfigLabel.listed("cp", p));
        assertEquals(Vocabulary.CP_LABEL + " 1M × 128, warm cache", ConfigLabel.tree("cp", p));
        assertEquals("cp -r 1M", ConfigLabel.distinguishing("cp", p, Set.of("fileSize")));
        assertEquals("cp -r, warm cache", ConfigLabel.words(params("engine", "cp", "cache", "warm")));
    }

    @Test
    void distinguishingShowsOnlyWhatVariesInTheStudysOrder() {
        Map<String, String> a = params("qd", "64", "direct", "true", "engine", "io_uring", "fileSize", "1M",
                "files", "128", "cache", "warm");
        Map<String, String> b = params("qd", "64", "direct", "false", "engine", "libaio", "fileSize", "32K",
                "files", "128", "cache", "warm");
        Map<String, Set<String>> varying = ConfigLabel.varying(List.of(Map.entry("basic", a), Map.entry("basic", b)));
        assertEquals(Set.of("direct", "engine", "fileSize"), varying.get("basic"));
        assertEquals("io_uring 1M O_DIRECT", ConfigLabel.distinguishing("basic", a, varying));
        assertEquals("basic libaio 32K buffered", ConfigLabel.acrossGroups("basic", b, varying));
    }
}
