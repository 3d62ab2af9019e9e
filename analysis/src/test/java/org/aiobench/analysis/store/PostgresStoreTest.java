package org.aiobench.analysis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.aiobench.analysis.Console;
import org.junit.jupiter.api.Test;

/**
 * The store on PostgreSQL, a real server ({@link TestPostgres}: ./run-experiments.sh test and .ci/run start a
 * throwaway cluster), a database of its own per test. Skipped, saying why, where no server could be started.
 */
class PostgresStoreTest extends StoreContract {
    @Override
    String newStore() throws Exception {
        return TestPostgres.newDatabase();
    }

    @Override
    void dropStore(String url) throws Exception {
        if (url != null) TestPostgres.drop(url);
    }

    @Test
    void wrongCredentialsAreOneLine() {
        String wrong = db.replaceAll("password=[^&]*", "password=wrong");
        assertTrue(!wrong.equals(db), "the test server's URL names a password: " + db);
        Console o = Console.capture(() -> StoreMain.run("list", "--db", wrong));
        assertEquals(2, o.status(), o.out() + o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertTrue(o.err().contains("password authentication failed"), o.err());
        assertTrue(!o.err().contains("password=wrong"), "the password is not shown: " + o.err());
    }

    /** An empty database is no store: reading it says so instead of creating the schema. */
    @Test
    void anEmptyDatabaseIsNoStore() {
        Console o = Console.capture(() -> StoreMain.run("list", "--db", db));
        assertEquals(2, o.status(), o.out() + o.err());
        assertTrue(o.err().contains("holds no aiobench store"), o.err());
    }
}
