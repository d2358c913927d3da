package io.berth.gateway.auth.users;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.meta.Admission;
import io.berth.store.meta.Database;
import io.berth.store.meta.Transactions;
import io.berth.store.testing.DatabaseTestBase;
import io.berth.store.testing.MutableClock;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** User accounts on both databases: the password policy, sign-in, and the built-in admin's protection. */
@OnH2AndPostgres
class UsersTest extends DatabaseTestBase {
    private static final String GOOD = "Correct-Horse-42";
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private Transactions tx;
    private Users users;

    UsersTest(TestDatabase database) {
        super(database);
    }

    @BeforeEach
    void openUsers() {
        tx = new Transactions(Database.open(dataSource), Admission.unbounded());
        users = new Users(tx, new Passwords(4), clock);
    }

    @Test
    void createdUser_signsInWithTheirPassword_andNotWithAnother() {
        User alice = users.create("alice", GOOD, "alice@example.org", false);

        assertEquals(Optional.of(alice), users.authenticate("alice", GOOD));
        assertEquals(Optional.empty(), users.authenticate("alice", GOOD + "!"));
        assertEquals(Optional.empty(), users.authenticate("nobody", GOOD));
        assertFalse(alice.sysadmin());
        assertEquals("database", alice.source());
    }

    @Test
    void aDirectoryUser_getsAnAccountWithoutAPassword_andWritesOnlyWhatChanged() {
        User erin = users.signedInFromDirectory("erin", "erin@example.org");
        assertEquals("ldap", erin.source());
        assertEquals(Optional.empty(), users.authenticate("erin", ""));

        clock.advance(Duration.ofHours(1));
        assertEquals(erin, users.signedInFromDirectory("erin", null), "no mail in the directory keeps the known one");
        assertEquals(erin, users.signedInFromDirectory("erin", "not mail"), "nor does a broken one");
        assertEquals("erin@example.net", users.signedInFromDirectory("erin", "erin@example.net").email());
    }

    @Test
    void aDirectoryNameThatCannotBeAUserName_orIsTheAdmins_is401() {
        for (String name : List.of("John Smith", "ADMIN", "admin", "a:b")) {
            RegistryException e = assertThrows(RegistryException.class, () -> users.signedInFromDirectory(name, null));
            assertEquals(ErrorCode.UNAUTHORIZED, e.code(), name);
        }
        assertTrue(users.find("ADMIN").isEmpty());
    }

    @Test
    void onlyAHashOfThePassword_isStored() {
        users.create("alice", GOOD, null, false);

        String stored = tx.withHandle(h -> h.createQuery("SELECT password_hash FROM account").mapTo(String.class).one());
        assertFalse(stored.contains(GOOD));
        assertTrue(stored.startsWith("$2a$"), "a bcrypt hash: " + stored.substring(0, 4));
    }

    @ParameterizedTest
    @ValueSource(strings = {"short1A", "alllowercase1", "ALLUPPERCASE1", "NoDigitsHere", ""})
    void weakPasswords_areRefusedWithWhatTheyNeed_andNothingIsCreated(String weak) {
        RegistryException e = assertFailure(ErrorCode.INVALID_INPUT, () -> users.create("alice", weak, null, false));

        assertTrue(e.getMessage().contains("upper-case letter, a lower-case letter and a digit"), e.getMessage());
        if (!weak.isEmpty()) {
            assertFalse(e.getMessage().contains(weak), "the message never repeats the password");
        }
        assertTrue(users.find("alice").isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "robot$ci", "a:b", "with space", "-dash", "ünïcode"})
    void invalidNames_areRefused(String name) {
        assertFailure(ErrorCode.INVALID_INPUT, () -> users.create(name, GOOD, null, false));
    }

    @Test
    void aTakenName_isAConflict() {
        users.create("alice", GOOD, null, false);

        assertFailure(ErrorCode.CONFLICT, () -> users.create("alice", GOOD, null, true));
    }

    @Test
    void concurrentCreationsOfOneName_makeOneUser_andTheOthersConflict() throws Exception {
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<Boolean>> attempts = java.util.stream.IntStream.range(0, 6)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                        try {
                            users.create("bob", GOOD, null, false);
                            return true;
                        } catch (RegistryException e) {
                            assertEquals(ErrorCode.CONFLICT, e.code());
                            return false;
                        }
                    }, threads)).toList();
            assertEquals(1, attempts.stream().filter(CompletableFuture::join).count());
        }
        assertEquals(1, users.list(1, 10).total());
    }

    @Test
    void changingOnesOwnPassword_needsTheOldOne_anAdminNeedsNot() {
        users.create("alice", GOOD, null, false);

        assertFailure(ErrorCode.INVALID_INPUT, () -> users.changePassword("alice", "Wrong-Old-1", "Newer-Pass-7", false));
        users.changePassword("alice", GOOD, "Newer-Pass-7", false);
        assertTrue(users.authenticate("alice", "Newer-Pass-7").isPresent());
        assertTrue(users.authenticate("alice", GOOD).isEmpty());

        users.changePassword("alice", null, "Reset-By-Admin-9", true);
        assertTrue(users.authenticate("alice", "Reset-By-Admin-9").isPresent());
        assertFailure(ErrorCode.INVALID_INPUT, () -> users.changePassword("alice", null, "weak", true));
    }

    @Test
    void theBuiltInAdmin_cannotBeDeletedOrDemoted() {
        users.create(Users.ADMIN, GOOD, null, true);

        assertFailure(ErrorCode.INVALID_INPUT, () -> users.delete(Users.ADMIN));
        assertFailure(ErrorCode.INVALID_INPUT, () -> users.setSysadmin(Users.ADMIN, false));
        assertTrue(users.get(Users.ADMIN).sysadmin());
    }

    @Test
    void unknownUsers_areNotFound_whateverIsAsked() {
        assertFailure(ErrorCode.NO_SUCH_RESOURCE, () -> users.get("ghost"));
        assertFailure(ErrorCode.NO_SUCH_RESOURCE, () -> users.delete("ghost"));
        assertFailure(ErrorCode.NO_SUCH_RESOURCE, () -> users.setSysadmin("ghost", true));
        assertFailure(ErrorCode.NO_SUCH_RESOURCE, () -> users.changePassword("ghost", null, GOOD, true));
    }

    @Test
    void listing_isPagedByName_withTheTotal() {
        for (String name : List.of("carol", "alice", "bob")) {
            users.create(name, GOOD, null, false);
        }

        Users.Listing second = users.list(2, 2);

        assertEquals(List.of("carol"), second.users().stream().map(User::username).toList());
        assertEquals(3, second.total());
    }

    @Test
    void promotingAUser_makesThemASystemAdmin() {
        users.create("alice", GOOD, null, false);
        clock.advance(java.time.Duration.ofMinutes(1));

        users.setSysadmin("alice", true);

        User alice = users.get("alice");
        assertTrue(alice.sysadmin());
        assertTrue(alice.updatedAt().isAfter(alice.createdAt()));
    }

    private static RegistryException assertFailure(ErrorCode code, Executable call) {
        RegistryException e = assertThrows(RegistryException.class, call);
        assertEquals(code, e.code(), e.getMessage());
        return e;
    }
}
