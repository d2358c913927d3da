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
            String schema = pg.getCurrentSchema();
            PGSimpleDataSource admin = new PGSimpleDataSource();
            admin.setURL(System.getenv(TestDatabases.POSTGRES_URL_ENV)); // getURL() leaves the password out
            try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
                if (pg.getDatabaseName().startsWith(TestDatabases.LANGUAGE_COLLATION_PREFIX)) {
                    s.execute("DROP DATABASE IF EXISTS " + pg.getDatabaseName() + " WITH (FORCE)");
                } else {
                    s.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
                }
            }
        } else if (dataSource instanceof JdbcDataSource) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            }
        }
    }
}
