package org.aiobench.analysis.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL server the store's tests use: a real one, named by {@value #ENV} (a JDBC URL with a superuser;
 * ./run-experiments.sh test and .ci/run start a throwaway cluster and set it). Each test gets a database of its own,
 * dropped afterwards. Without a server the tests that need one are skipped, saying why.
 */
final class TestPostgres {
    static final String ENV = "AIOBENCH_TEST_PG";
    private static final List<String> CREATED = new ArrayList<>();

    private TestPostgres() {}

    /** The server's URL, or the test is skipped with the reason. */
    static String server() {
        String url = System.getenv(ENV);
        Assumptions.assumeTrue(url != null && !url.isBlank(), "needs a PostgreSQL server, and none could be started "
                + "here: " + ENV + " is not set (./run-experiments.sh test and .ci/run start a throwaway cluster "
                + "where PostgreSQL is installed: apt-get install postgresql)");
        return url;
    }

    /** A new, empty database on the server; its JDBC URL (with the server's user and password). */
    static String newDatabase() throws SQLException {
        String server = server();
        String name = "aiobench_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(server); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        synchronized (CREATED) {
            CREATED.add(name);
        }
        return withDatabase(server, name);
    }

    /** The server URL with another database: jdbc:postgresql://HOST:PORT/DB?params */
    static String withDatabase(String server, String db) {
        int slash = server.indexOf('/', "jdbc:postgresql://".length());
        int q = server.indexOf('?', slash);
        return server.substring(0, slash + 1) + db + (q < 0 ? "" : server.substring(q));
    }

    /** Drops a database a test made (FORCE: a connection a failed test left open does not keep it). */
    static void drop(String url) throws SQLException {
        String server = server();
        String db = url.substring(url.indexOf('/', "jdbc:postgresql://".length()) + 1).replaceAll("\\?.*", "");
        try (Connection c = DriverManager.getConnection(server); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        }
    }
}
