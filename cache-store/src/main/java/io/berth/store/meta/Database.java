package io.berth.store.meta;

import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

import javax.sql.DataSource;

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
        return jdbi;
    }
}
