package io.berth.store.testing;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Assertions;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Databases for tests: an in-memory H2 in PostgreSQL mode (always), and a real PostgreSQL when
 * {@code BERTH_TEST_POSTGRES_URL} names one. Without it, PostgreSQL tests are skipped with a
 * visible message, unless {@code BERTH_E2E_REQUIRED=1} (CI), where they fail instead.
 */
public final class TestDatabases {
    public static final String POSTGRES_URL_ENV = "BERTH_TEST_POSTGRES_URL";
    /**
     * Test sessions do not wait for the WAL flush at commit: what they test is visibility and
     * locking, which this does not change, and a test database need not survive a crash of
     * PostgreSQL itself. On a slow disk that wait dominates the metadata tests.
     */
    static final String NO_COMMIT_FLUSH = "-c synchronous_commit=off";

    private TestDatabases() {
    }

    /** A fresh, empty in-memory H2 database that lives until the JVM exits. */
    public static DataSource h2() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        return ds;
    }

    /**
     * A fresh, empty schema in the PostgreSQL named by {@code BERTH_TEST_POSTGRES_URL}; skips
     * (or fails, when required) the calling test if there is none.
     */
    public static DataSource postgres() {
        String url = postgresUrl();
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "");
        PGSimpleDataSource admin = new PGSimpleDataSource();
        admin.setURL(url);
        try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            Assertions.fail("PostgreSQL at " + url + " is not usable: " + e.getMessage(), e);
        }
        PGSimpleDataSource ds = new PooledPgDataSource();
        ds.setURL(url);
        ds.setCurrentSchema(schema);
        ds.setOptions(NO_COMMIT_FLUSH);
        return ds;
    }

    /** {@code BERTH_TEST_POSTGRES_URL}; skips (or fails, when required) the calling test without one. */
    private static String postgresUrl() {
        String url = System.getenv(POSTGRES_URL_ENV);
        if (url == null || url.isBlank()) {
            Requirements.unavailable(POSTGRES_URL_ENV + " is not set: PostgreSQL tests need a database, e.g."
                    + " jdbc:postgresql://127.0.0.1:5432/berth_test?user=berth&password=berth (scripts/start-postgres)");
        }
        return url;
    }

    /** Prefix of the databases {@link #postgresWithLanguageCollation()} creates. */
    public static final String LANGUAGE_COLLATION_PREFIX = "berth_icu_";

    /**
     * A fresh PostgreSQL database whose default collation is ICU {@code en-US}, as in the official
     * postgres image's {@code en_US.utf8}: it sorts letters case-insensitively and ignores
     * punctuation, unlike the byte order the OCI spec asks of listings.
     */
    public static DataSource postgresWithLanguageCollation() {
        PGSimpleDataSource admin = new PGSimpleDataSource(); // one connection, closed after: not pooled
        admin.setURL(postgresUrl());
        String name = LANGUAGE_COLLATION_PREFIX + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8'"
                    + " LOCALE_PROVIDER icu ICU_LOCALE 'en-US'");
        } catch (SQLException e) {
            Assertions.fail("cannot create a database with ICU collation (the test role needs CREATEDB): "
                    + e.getMessage(), e);
        }
        PGSimpleDataSource ds = new PooledPgDataSource();
        ds.setURL(System.getenv(POSTGRES_URL_ENV));
        ds.setOptions(NO_COMMIT_FLUSH);
        ds.setDatabaseName(name);
        return ds;
    }
}
