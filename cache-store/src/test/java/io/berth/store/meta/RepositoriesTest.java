package io.berth.store.meta;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.oci.RepositoryName;
import io.berth.store.testing.DatabaseTestBase;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Finding and creating repositories and their projects, on both databases. */
@OnH2AndPostgres
class RepositoriesTest extends DatabaseTestBase {
    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
    private static final RepositoryName APP = RepositoryName.parse("team/sub/app");

    private Transactions tx;

    RepositoriesTest(TestDatabase database) {
        super(database);
    }

    @BeforeEach
    void openTransactions() {
        tx = new Transactions(Database.open(dataSource), Admission.unbounded());
    }

    private long count(String sql) {
        return tx.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private static void assertNameUnknown(Executable call) {
        RegistryException e = assertThrows(RegistryException.class, call);
        assertEquals(ErrorCode.NAME_UNKNOWN, e.code(), e.getMessage());
    }

    @Test
    void ensure_withAutoCreate_createsProjectAndRepositoryOnce() {
        Repositories repositories = new Repositories(true);

        long first = tx.inTransaction(h -> repositories.ensure(h, APP, NOW));
        long second = tx.inTransaction(h -> repositories.ensure(h, APP, NOW));

        assertEquals(first, second);
        assertEquals(Optional.of(first), tx.withHandle(h -> repositories.find(h, APP)));
        assertEquals(List.of("team"), tx.withHandle(h -> h.attach(ProjectDao.class).list(1000, 0)).stream()
                .map(ProjectRow::name).toList());
        assertEquals(1, count("SELECT COUNT(*) FROM repository"));
    }

    @Test
    void ensure_withoutAutoCreate_inUnknownProject_failsWithNameUnknownAndCreatesNothing() {
        Repositories repositories = new Repositories(false);

        assertNameUnknown(() -> tx.inTransaction(h -> repositories.ensure(h, APP, NOW)));
        assertNameUnknown(() -> tx.useTransaction(h -> repositories.checkWritable(h, APP)));

        assertEquals(0, count("SELECT COUNT(*) FROM project"));
        assertEquals(0, count("SELECT COUNT(*) FROM repository"));
    }

    @Test
    void ensure_withoutAutoCreate_inExistingProject_createsRepository() {
        Repositories repositories = new Repositories(false);
        tx.useTransaction(h -> h.attach(ProjectDao.class).createIfAbsent("team", NOW));

        tx.useTransaction(h -> repositories.checkWritable(h, APP));
        long id = tx.inTransaction(h -> repositories.ensure(h, APP, NOW));

        long required = tx.withHandle(h -> repositories.require(h, APP));
        assertEquals(id, required);
    }

    @Test
    void require_unknownRepository_failsWithNameUnknown() {
        Repositories repositories = new Repositories(true);

        assertNameUnknown(() -> tx.withHandle(h -> repositories.require(h, APP)));
    }

    @Test
    void createIfAbsent_twice_keepsOneRowAndTheFirstTimestamp() {
        tx.useTransaction(h -> h.attach(ProjectDao.class).createIfAbsent("team", NOW));
        tx.useTransaction(h -> h.attach(ProjectDao.class).createIfAbsent("team", NOW.plusSeconds(60)));

        List<ProjectRow> projects = tx.withHandle(h -> h.attach(ProjectDao.class).list(1000, 0));
        assertEquals(1, projects.size());
        assertEquals(NOW, projects.get(0).createdAt());
    }
}
