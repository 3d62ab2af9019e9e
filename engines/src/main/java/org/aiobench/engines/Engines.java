package org.aiobench.engines;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The engines by name: the one place a name (CLI, JMH parameter, results) becomes an engine. */
public final class Engines {
    private Engines() {}

    private static final Map<String, Function<EngineOptions, IoEngine>> FACTORIES = new LinkedHashMap<>();
    static {
        FACTORIES.put("sync", PreadPwriteEngine::new);
        FACTORIES.put("copy_file_range", CopyFileRangeEngine::new);
        FACTORIES.put("posixaio", org.aiobench.engines.aio.PosixAioEngine::new);
        FACTORIES.put("libaio", org.aiobench.engines.aio.LibaioEngine::new);
        FACTORIES.put("io_uring", org.aiobench.engines.uring.IoUringEngine::new);
    }

    /** Every engine name, in the order figures and reports list them. */
    public static List<String> names() { return List.copyOf(FACTORIES.keySet()); }

    /**
     * Builds an engine.
     *
     * @throws IllegalArgumentException          for an unknown name (the message lists the known ones)
     * @throws UnsupportedConfigurationException for options this engine or kernel cannot honour
     */
    public static IoEngine create(String name, EngineOptions options) {
        Function<EngineOptions, IoEngine> f = FACTORIES.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown engine '" + name + "' (known: " + String.join(", ", names()) + ")");
        }
        return f.apply(options);
    }
}
