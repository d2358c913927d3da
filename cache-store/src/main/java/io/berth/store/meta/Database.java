package io.berth.store.meta;

import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementException;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/** Opens the metadata database: migrates its schema with Flyway and returns a configured JDBI. */
public final class Database {
    private Database() {
    }

    /**
     * Brings the schema up to date; safe to call from several instances at once (Flyway locks).
     * {@code db/migration} holds the schema both databases share; {@code db/vendor/<database>}
     * the few statements that must differ, versioned in step.
     */
    public static void migrate(DataSource dataSource) {
        String vendor = vendor(dataSource);
        Flyway flyway = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration", "classpath:db/vendor/" + vendor)
                .load();
        if (vendor.equals("h2")) {
            // Flyway has no lock on H2 that covers creating its history table: concurrent first
            // migrations collide on it (seen ~3% of runs). An embedded database has one process,
            // so a lock within the JVM is enough; PostgreSQL uses Flyway's advisory lock.
            synchronized (H2_MIGRATIONS) {
                flyway.migrate();
            }
        } else {
            flyway.migrate();
        }
    }

    private static final Object H2_MIGRATIONS = new Object();

    /** {@code h2} or {@code postgresql}: the folder of the database's own migrations. */
    private static String vendor(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            String product = connection.getMetaData().getDatabaseProductName();
            return switch (product) {
                case "H2" -> "h2";
                case "PostgreSQL" -> "postgresql";
                default -> throw new IllegalStateException("unsupported database " + product
                        + ": Berth runs on H2 (embedded) or PostgreSQL");
            };
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to the database: " + e.getMessage(), e);
        }
    }

    public static Jdbi open(DataSource dataSource) {
        migrate(dataSource);
        Jdbi jdbi = Jdbi.create(dataSource);
        jdbi.installPlugin(new SqlObjectPlugin());
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(Database::withoutBoundValues);
        jdbi.useHandle(Database::writeCommitsAtOnce);
        return jdbi;
    }

    /**
     * A failed statement's message as logged: the database's reason and the SQL, but not the
     * values bound to it (JDBI's default), which may be password hashes or robot secrets' hashes.
     */
    static String withoutBoundValues(StatementException e) {
        StatementContext context = e.getStatementContext();
        String sql = context == null ? null : context.getRenderedSql();
        return e.getShortMessage() + (sql == null ? "" : " [statement: \"" + sql + "\"]");
    }

    /**
     * H2 writes committed transactions out up to half a second later by default, so a killed
     * process would lose pushes it had already acknowledged. The setting is persistent, and
     * applied whatever URL the operator configured.
     */
    private static void writeCommitsAtOnce(Handle handle) {
        try {
            if ("H2".equals(handle.getConnection().getMetaData().getDatabaseProductName())) {
                handle.execute("SET WRITE_DELAY 0");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the database's product name", e);
        }
    }
}
