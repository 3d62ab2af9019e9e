package org.aiobench.analysis.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.aiobench.analysis.run.BadInputException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;

/**
 * aiobench's store: one relational schema for a lab's runs, on SQLite (a file in the results directory, embedded, the
 * default) or PostgreSQL (a lab's server), through JDBC alone, with one code path for both. The schema is versioned by
 * Flyway's migrations ({@code org/aiobench/analysis/store/migration}); a database whose schema is newer than this
 * aiobench's is refused, never written.
 */
public final class Store implements AutoCloseable {
    /** The environment variable that names the store when --db is not given. */
    public static final String ENV = "AIOBENCH_DB";
    /** The system property the script sets to the repository's results directory (the default store's place). */
    public static final String RESULTS_PROPERTY = "aiobench.results";
    /** The default store's file in the results directory. */
    public static final String DEFAULT_FILE = "aiobench.db";
    static final String MIGRATIONS = "classpath:org/aiobench/analysis/store/migration";
    /** How long a server may take to answer before the store is said not to answer. */
    private static final int CONNECT_TIMEOUT_SECONDS = 10;

    // Flyway logs through java.util.logging here (it finds no other logging library): its progress is not ours to
    // print, its warnings are. The logger is held so that its level is not lost when it is collected.
    private static final Logger FLYWAY_LOG = Logger.getLogger("org.flywaydb");

    static {
        FLYWAY_LOG.setLevel(Level.WARNING);
    }

    final String url;
    final Connection connection;
    /** The results directory: where a stored run's files are, or would be (outputs go beside them). */
    final Path results;

    private Store(String url, Connection connection, Path results) {
        this.url = url;
        this.connection = connection;
        this.results = results;
    }

    /** The results directory the script names, else ./results. */
    public static Path resultsDir() {
        return Path.of(System.getProperty(RESULTS_PROPERTY, "results"));
    }

    /**
     * The store's JDBC URL: {@code given} (a jdbc: URL, or a path to an SQLite file), else {@value #ENV}, else the
     * SQLite file {@value #DEFAULT_FILE} in the results directory.
     */
    public static String url(String given) {
        String v = given;
        if (v == null || v.isBlank()) v = System.getenv(ENV);
        if (v == null || v.isBlank()) v = resultsDir().resolve(DEFAULT_FILE).toString();
        v = v.strip();
        if (v.startsWith("jdbc:")) {
            if (!v.startsWith("jdbc:sqlite:") && !v.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("--db " + v + ": the store is SQLite (jdbc:sqlite:FILE, or a file"
                        + " path) or PostgreSQL (jdbc:postgresql://HOST[:PORT]/DATABASE)");
            }
            return v;
        }
        return "jdbc:sqlite:" + v;
    }

    /** The URL without a password (user and password may be given as URL parameters). */
    static String shown(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    /**
     * Opens the store for adding runs: created where it does not exist yet (an SQLite file, or the schema in an empty
     * PostgreSQL database), migrated to this aiobench's schema.
     */
    public static Store forWriting(String url) throws BadInputException {
        return open(url, true);
    }

    /** Opens an existing store for reading (migrating an older schema first); a store that does not exist is bad input. */
    public static Store forReading(String url) throws BadInputException {
        return open(url, false);
    }

    private static Store open(String url, boolean create) throws BadInputException {
        String shown = shown(url);
        Path file = sqliteFile(url);
        if (file != null) {
            if (!create && !Files.isRegularFile(file)) {
                throw new BadInputException("no store at " + file + " (add runs with: ./run-experiments.sh store add"
                        + " RUN...)");
            }
            if (create && file.getParent() != null && !Files.isDirectory(file.getParent())) {
                throw new BadInputException("the store " + file + ": its directory " + file.getParent()
                        + " does not exist");
            }
        }
        Connection c = connect(url, shown);
        try {
            migrate(url, shown, create, c);
            c.setAutoCommit(false);
            return new Store(url, c, resultsDir());
        } catch (BadInputException | RuntimeException e) {
            closeQuietly(c);
            throw e;
        } catch (SQLException e) {
            closeQuietly(c);
            throw new BadInputException("the store " + shown + ": " + oneLine(e));
        }
    }

    /** The SQLite file of a jdbc:sqlite: URL (null for PostgreSQL or an in-memory database). */
    static Path sqliteFile(String url) {
        if (!url.startsWith("jdbc:sqlite:")) return null;
        String rest = url.substring("jdbc:sqlite:".length());
        int q = rest.indexOf('?');
        if (q >= 0) rest = rest.substring(0, q);
        if (rest.startsWith("file:")) rest = rest.substring("file:".length());
        if (rest.isEmpty() || rest.equals(":memory:")) return null;
        return Path.of(rest);
    }

    private static Connection connect(String url, String shown) throws BadInputException {
        Properties p = new Properties();
        if (url.startsWith("jdbc:sqlite:")) {
            p.setProperty("foreign_keys", "true");
            // another aiobench adding runs at the same moment: wait for it instead of failing at once
            p.setProperty("busy_timeout", "30000");
        } else {
            if (!url.contains("connectTimeout=")) p.setProperty("connectTimeout", "" + CONNECT_TIMEOUT_SECONDS);
            if (!url.contains("loginTimeout=")) p.setProperty("loginTimeout", "" + CONNECT_TIMEOUT_SECONDS);
        }
        try {
            return DriverManager.getConnection(url, p);
        } catch (SQLException e) {
            throw new BadInputException("the store " + shown + ": cannot connect: " + oneLine(e));
        }
    }

    /**
     * Brings the schema to this aiobench's version with Flyway. A schema newer than ours (a migration we do not know
     * applied) is refused: this aiobench would misread it. Reading a database without our schema is bad input.
     */
    private static void migrate(String url, String shown, boolean create, Connection c)
            throws BadInputException, SQLException {
        Flyway flyway = Flyway.configure(Store.class.getClassLoader()).dataSource(url, null, null)
                .locations(MIGRATIONS).load();
        try {
            MigrationInfoService info = flyway.info();
            MigrationInfo[] applied = info.applied();
            String newer = Arrays.stream(applied).filter(m -> m.getState().name().startsWith("FUTURE"))
                    .map(m -> m.getVersion() + " (" + m.getDescription() + ")").reduce((x, y) -> y).orElse(null);
            if (newer != null) {
                MigrationInfo ours = info.all().length == 0 ? null : Arrays.stream(info.all())
                        .filter(m -> m.getState().isResolved()).reduce((x, y) -> y).orElse(null);
                throw new BadInputException("the store " + shown + " has schema version " + newer + ", newer than"
                        + " this aiobench's " + (ours == null ? "?" : ours.getVersion()) + ": update aiobench to"
                        + " use it; nothing written");
            }
            if (!create && applied.length == 0) {
                throw new BadInputException("the database " + shown + " holds no aiobench store (add runs with:"
                        + " ./run-experiments.sh store add --db URL RUN...)");
            }
            if (info.pending().length > 0) flyway.migrate();
        } catch (FlywayException e) {
            throw new BadInputException("the store " + shown + ": cannot bring its schema to this aiobench's: "
                    + oneLine(e));
        }
    }

    /** The first line of an exception's message, with its cause's where that says more. */
    static String oneLine(Throwable e) {
        Throwable t = e;
        String msg = t.getMessage();
        while ((msg == null || msg.isBlank()) && t.getCause() != null) {
            t = t.getCause();
            msg = t.getMessage();
        }
        if (msg == null) return e.getClass().getSimpleName();
        return msg.strip().lines().findFirst().orElse("").strip();
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing after a failure: the failure is what is reported
        }
    }

    /** The URL as shown (without a password). */
    public String shownUrl() {
        return shown(url);
    }

    @Override
    public void close() {
        closeQuietly(connection);
    }
}
