package io.berth.store.meta;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.RegistryTestBase;
import io.berth.store.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import static io.berth.store.testing.ManifestJson.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Creating and deleting projects as an administrator does, on both databases. */
@OnH2AndPostgres
class ProjectDaoTest extends RegistryTestBase {
    ProjectDaoTest(TestDatabase database) {
        super(database);
    }

    @Test
    void create_makesAProjectWithItsVisibility_listedWithoutRepositories() {
        long id = inTx(dao -> dao.create("team", true, clock.instant()));

        ProjectRow row = inTx(dao -> dao.find("team")).orElseThrow();
        assertEquals(id, row.id());
        assertTrue(row.isPublic());
        assertEquals("local", row.kind());
        assertEquals(0, row.repositoryCount());
        assertEquals(clock.instant(), row.createdAt());
        assertFalse(inTx(dao -> dao.find("nope")).isPresent());
    }

    @Test
    void create_ofAnExistingProject_isAConflict() {
        inTx(dao -> dao.create("team", false, clock.instant()));

        assertFailure(ErrorCode.CONFLICT, () -> inTx(dao -> dao.create("team", true, clock.instant())));
        assertFalse(inTx(dao -> dao.find("team")).orElseThrow().isPublic());
    }

    @Test
    void create_refusesNamesThatCannotStartARepositoryName() {
        for (String bad : List.of("", "Team", "team/web", "-team", "team-", "a b", "x".repeat(256))) {
            assertFailure(ErrorCode.NAME_INVALID, () -> inTx(dao -> dao.create(bad, false, clock.instant())));
        }
        assertEquals(0, count("SELECT COUNT(*) FROM project"));
    }

    @Test
    void deleteEmpty_removesAProjectWithoutRepositories() {
        long id = inTx(dao -> dao.create("team", false, clock.instant()));

        assertEquals(id, (long) inTx(dao -> dao.deleteEmpty("team")));

        assertEquals(Optional.empty(), inTx(dao -> dao.findId("team")));
    }

    @Test
    void deleteEmpty_ofAProjectWithRepositories_refusesAndNamesThem() throws IOException {
        push(repo("team/web"), "latest", image("web"));
        upload(repo("team/blobs-only"), utf8("a blob without a manifest still makes a repository"));

        RegistryException e = assertThrows(RegistryException.class,
                () -> inTx(dao -> dao.deleteEmpty("team")));

        assertEquals(ErrorCode.CONFLICT, e.code());
        assertTrue(e.getMessage().contains("team/blobs-only, team/web"), e.getMessage());
        assertTrue(inTx(dao -> dao.findId("team")).isPresent());
        assertEquals(2, count("SELECT COUNT(*) FROM repository"));
    }

    @Test
    void deleteEmpty_namesAtMostTenRepositories() throws IOException {
        for (int i = 0; i < 12; i++) {
            upload(repo("team/r" + (char) ('a' + i)), utf8("blob " + i));
        }

        RegistryException e = assertThrows(RegistryException.class,
                () -> inTx(dao -> dao.deleteEmpty("team")));

        assertTrue(e.getMessage().contains("team/rj and more"), e.getMessage());
        assertFalse(e.getMessage().contains("team/rk"), e.getMessage());
    }

    @Test
    void deleteEmpty_ofAnUnknownProject_isNotFound() {
        assertFailure(ErrorCode.NO_SUCH_RESOURCE, () -> inTx(dao -> dao.deleteEmpty("nope")));
    }

    @Test
    void aProjectDeletedAndCreatedAgain_isANewProject() {
        long first = inTx(dao -> dao.create("team", false, clock.instant()));
        inTx(dao -> dao.deleteEmpty("team"));

        long second = inTx(dao -> dao.create("team", false, clock.instant()));

        assertTrue(second != first, "a new id, so tokens bound to the old project hold nothing in the new one");
    }

    private <T> T inTx(Function<ProjectDao, T> work) {
        return registry.transactions().inTransaction(h -> work.apply(h.attach(ProjectDao.class)));
    }
}
