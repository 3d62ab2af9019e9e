package org.aiobench.analysis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.aiobench.analysis.Console;
import org.junit.jupiter.api.Test;

/** The store on SQLite, the default: a file in the results directory, through its JDBC driver. */
class SqliteStoreTest extends StoreContract {
    @Override
    String newStore() {
        return "jdbc:sqlite:" + results.resolve("test.db");
    }

    /** Without --db or AIOBENCH_DB the store is results/aiobench.db, made by the first add. */
    @Test
    void theDefaultStoreIsAFileInTheResultsDirectory() throws Exception {
        Path db = results.resolve(Store.DEFAULT_FILE);
        Console none = store("list");
        assertEquals(2, none.status(), none.out());
        assertTrue(none.err().contains("no store at " + db), none.err());
        assertFalse(Files.exists(db), "reading creates nothing");
        Path r1 = run("r1", "6.1.9", 0.9, 1, "2026-11-01T10:00:00Z");
        Console o = store("add", r1.toString());
        assertEquals(0, o.status(), o.out() + o.err());
        assertTrue(o.out().contains("jdbc:sqlite:" + db + " holds 1 run(s)"), o.out());
        assertTrue(Files.size(db) > 0);
        assertTrue(store("list").out().contains("runs (1):"));
    }

    @Test
    void aBadAddCreatesNoFile() {
        Console o = store("add", tmp.resolve("missing").toString());
        assertEquals(2, o.status());
        assertFalse(Files.exists(results.resolve(Store.DEFAULT_FILE)));
    }
}
