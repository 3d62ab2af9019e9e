package org.aiobench.analysis.store;

import java.nio.file.Path;
import java.util.List;
import org.aiobench.analysis.run.BadInputException;
import org.aiobench.analysis.run.RunData;

/** compare --db and history --db: the runs they name, read from the store into the model the directories give. */
public final class StoreRuns {
    private StoreRuns() {}

    /**
     * @param db    the --db value ("" when given alone: $AIOBENCH_DB, else the default store)
     * @param box   the box's name or id, or null (then the runs must all be one box's)
     * @param names kernel releases or run ids (picocli parsed them as paths); empty: every run of the box
     */
    public static List<RunData> select(String db, String box, List<Path> names) throws BadInputException {
        try (Store s = Store.forReading(Store.url(db))) {
            return StoreReader.select(s, box, names.stream().map(Path::toString).toList());
        }
    }
}
