package io.berth.store.meta;

import io.berth.store.testing.DatabaseTestBase;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TimeZone;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Schema migrations, on both databases. */
@OnH2AndPostgres
class DatabaseTest extends DatabaseTestBase {
    private static final List<String> TABLES = List.of(
            "project", "repository", "blob", "repository_blob", "artifact", "artifact_reference", "tag", "upload",
            "event", "event_cursor");

    /**
     * Every version under db/migration and db/vendor (whose versions each database has in step),
     * in order: each database applies all of them exactly once.
     */
    private static final List<String> MIGRATIONS = migrationVersions();

    DatabaseTest(TestDatabase database) {
        super(database);
    }

    private static List<String> migrationVersions() {
        try (Stream<Path> shared = Files.list(Path.of(DatabaseTest.class.getResource("/db/migration").toURI()));
             Stream<Path> vendor = Files.list(Path.of(DatabaseTest.class.getResource("/db/vendor/h2").toURI()))) {
            return Stream.concat(shared, vendor).map(f -> f.getFileName().toString())
                    .filter(n -> n.matches("V\\d+__.*\\.sql")).map(n -> n.substring(1, n.indexOf("__"))).distinct()
                    .sorted(Comparator.comparingInt(Integer::parseInt)).toList();
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot list the migrations", e);
        }
    }

    private long count(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private List<String> appliedVersions(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery(
                "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL ORDER BY installed_rank")
                .mapTo(String.class).list());
    }

    @Test
    void open_onEmptyDatabase_appliesMigrationsAndCreatesEveryTable() {
        Jdbi jdbi = Database.open(dataSource);

        assertEquals(MIGRATIONS, appliedVersions(jdbi));
        for (String table : TABLES) {
            assertEquals(0, count(jdbi, "SELECT COUNT(*) FROM " + table), table);
        }
    }

    @Test
    void open_again_keepsDataAndAppliesNothingTwice() {
        Jdbi first = Database.open(dataSource);
        first.useHandle(h -> h.attach(ProjectDao.class).createIfAbsent("kept", Instant.parse("2025-01-01T00:00:00Z")));

        Jdbi second = Database.open(dataSource);

        assertEquals(MIGRATIONS, appliedVersions(second));
        assertEquals(1, count(second, "SELECT COUNT(*) FROM project WHERE name = 'kept'"));
    }

    @Test
    void migrate_fromSeveralInstancesAtOnce_appliesEachMigrationOnce() throws Exception {
        int instances = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    Database.migrate(dataSource);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(MIGRATIONS, appliedVersions(Database.open(dataSource)));
    }

    @Test
    void timestamps_roundTripAsTheSameInstant() {
        Jdbi jdbi = Database.open(dataSource);
        Instant created = Instant.parse("2025-06-30T23:59:58.123456Z");

        jdbi.useHandle(h -> h.attach(ProjectDao.class).createIfAbsent("time", created));

        assertEquals(created, jdbi.withHandle(h -> h.attach(ProjectDao.class).list(1000, 0)).get(0).createdAt());
    }

    @Test
    void timestamps_roundTripAsTheSameInstantWhateverTheJvmTimeZone() {
        Jdbi jdbi = Database.open(dataSource);
        Instant created = Instant.parse("2025-03-30T01:30:00Z"); // inside a DST change in Europe
        TimeZone original = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("Europe/Berlin"));
            jdbi.useHandle(h -> h.attach(ProjectDao.class).createIfAbsent("written-in-berlin", created));
            TimeZone.setDefault(TimeZone.getTimeZone("America/Los_Angeles"));

            assertEquals(created, jdbi.withHandle(h -> h.attach(ProjectDao.class).list(1000, 0)).get(0).createdAt());
        } finally {
            TimeZone.setDefault(original);
        }
    }

    @Test
    void aFailedStatement_saysWhyAndWhich_butNotTheValuesBoundToIt() {
        Jdbi jdbi = Database.open(dataSource);
        String secret = "sha256:" + "ab".repeat(32);

        JdbiException e = assertThrows(JdbiException.class, () -> jdbi.useHandle(h -> h.createUpdate(
                "INSERT INTO account (username, password_hash, created_at, updated_at) VALUES (NULL, :hash, :now, :now)")
                .bind("hash", secret).bind("now", Instant.now()).execute()));

        assertTrue(e.getMessage().contains("INSERT INTO account"), e.getMessage());
        assertFalse(e.getMessage().contains(secret), e.getMessage());
    }
}
