package io.berth.store.testing;

import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Supplier;

/**
 * The two databases every metadata test runs on. {@link #create()} follows {@link TestDatabases}
 * (PostgreSQL skips, or fails under {@code BERTH_E2E_REQUIRED=1}, without a URL); {@link #dispose}
 * drops what a test created so repeated runs do not pile up schemas.
 */
public enum TestDatabase {
    H2(TestDatabases::h2),
    POSTGRES(TestDatabases::postgres),
    POSTGRES_LANGUAGE_COLLATION(TestDatabases::postgresWithLanguageCollation);

    private final Supplier<DataSource> factory;

    TestDatabase(Supplier<DataSource> factory) {
        this.factory = factory;
    }

    /** A fresh, empty database (or schema) of this kind. */
    public DataSource create() {
        return factory.get();
    }

    /** Drops the PostgreSQL schema, or shuts the in-memory H2 database down. */
    public static void dispose(DataSource dataSource) throws SQLException {
        if (dataSource instanceof PGSimpleDataSource pg) {
            if (pg instanceof PooledPgDataSource pooled) {
                pooled.closeAll();
            }
            String schema = pg.getCurrentSchema();
            PGSimpleDataSource admin = new PGSimpleDataSource();
            admin.setURL(System.getenv(TestDatabases.POSTGRES_URL_ENV)); // getURL() leaves the password out
            String drop = pg.getDatabaseName().startsWith(TestDatabases.LANGUAGE_COLLATION_PREFIX)
                    ? "DROP DATABASE IF EXISTS " + pg.getDatabaseName() + " WITH (FORCE)"
                    : "DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE";
            for (int attempt = 1; ; attempt++) {
                try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
                    s.execute(drop);
                    return;
                } catch (SQLException e) {
                    // A backend the test role may not end (an autovacuum worker on a loaded machine)
                    // is gone moments later; a database left behind harms no test, so say so and go on.
                    if (attempt == 5) {
                        System.err.println("could not drop the test database: " + drop + ": " + e.getMessage());
                        return;
                    }
                    sleep(attempt * 500L);
                }
            }
        } else if (dataSource instanceof JdbcDataSource) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
