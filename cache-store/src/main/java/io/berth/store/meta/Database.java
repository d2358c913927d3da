package io.berth.store.meta;

import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

import javax.sql.DataSource;
import java.sql.SQLException;

/** Opens the metadata database: migrates its schema with Flyway and returns a configured JDBI. */
public final class Database {
    private Database() {
    }

    /** Brings the schema up to date; safe to call from several instances at once (Flyway locks). */
    public static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    public static Jdbi open(DataSource dataSource) {
        migrate(dataSource);
        Jdbi jdbi = Jdbi.create(dataSource);
        jdbi.installPlugin(new SqlObjectPlugin());
        jdbi.useHandle(Database::writeCommitsAtOnce);
        return jdbi;
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
