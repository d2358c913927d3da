package io.berth.gateway.auth.ldap;

import io.berth.gateway.auth.Action;
import io.berth.gateway.auth.AuthMode;
import io.berth.gateway.auth.Grants;
import io.berth.gateway.auth.Identity;
import io.berth.gateway.auth.Principal;
import io.berth.gateway.auth.Role;
import io.berth.gateway.auth.Scope;
import io.berth.gateway.auth.token.SigningKey;
import io.berth.gateway.auth.token.TokenService;
import io.berth.gateway.auth.token.TokenSettings;
import io.berth.gateway.auth.users.Passwords;
import io.berth.gateway.auth.users.User;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.meta.Admission;
import io.berth.store.meta.Database;
import io.berth.store.meta.ProjectDao;
import io.berth.store.meta.Transactions;
import io.berth.store.testing.DatabaseTestBase;
import io.berth.store.testing.MutableClock;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Directory mode through {@link Identity}, as the server puts it together: users sign in with
 * their directory password and get a local account, groups give project roles, the local admin
 * and robots sign in locally, and a directory that is down is a 503 that locks no admin out.
 */
@OnH2AndPostgres
class LdapSignInTest extends DatabaseTestBase {
    private static final String ADMIN_PASSWORD = "Local-Admin-42";
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private TestDirectory server;
    private Identity identity;
    private Transactions tx;

    LdapSignInTest(TestDatabase database) {
        super(database);
    }

    @BeforeEach
    void open() throws Exception {
        server = TestDirectory.start();
        tx = new Transactions(Database.open(dataSource), Admission.unbounded());
        LdapSettings ldap = server.settings().withGroupSearch(TestDirectory.GROUPS, "(member={dn})");
        identity = new Identity(tx, SigningKey.generate(), new Identity.Settings(new TokenSettings("berth", "berth",
                TokenSettings.DEFAULT_LIFETIME, TokenSettings.DEFAULT_LEEWAY), null, Grants.ProjectCreation.EVERYONE,
                true, 4, ldap), clock);
        identity.users().create("admin", ADMIN_PASSWORD, null, true);
        tx.useTransaction(h -> h.attach(ProjectDao.class).createIfAbsent("secret", clock.instant()));
    }

    @AfterEach
    void close() {
        identity.close();
        server.close();
    }

    @Test
    void theFirstSignIn_createsADirectoryAccount_withTheDirectorysMail() {
        assertEquals(AuthMode.LDAP, identity.mode());
        Principal.User alice = (Principal.User) signIn("alice", "Alice-Pass-1");

        assertEquals("alice", alice.name());
        assertTrue(alice.groups().contains(TestDirectory.DEVS), alice.groups().toString());
        User account = identity.users().get("alice");
        assertEquals("ldap", account.source());
        assertEquals("alice@example.org", account.email());
        signIn("Alice", "Alice-Pass-1");
        assertEquals(account.id(), identity.users().get("alice").id(), "the same account, by the directory's spelling");
    }

    @Test
    void aDirectoryAccount_neverSignsInWithADatabasePassword() {
        signIn("alice", "Alice-Pass-1");
        String hash = new Passwords(4).hash("Planted-Pass-1"); // as if someone wrote one into the table
        tx.useTransaction(h -> h.createUpdate("UPDATE account SET password_hash = :hash WHERE username = 'alice'")
                .bind("hash", hash).execute());

        assertTrue(identity.users().authenticate("alice", "Planted-Pass-1").isEmpty());
        refused(ErrorCode.UNAUTHORIZED, "alice", "Planted-Pass-1");
        RegistryException change = assertThrows(RegistryException.class,
                () -> identity.users().changePassword("alice", null, "Another-Pass-1", true));
        assertEquals(ErrorCode.INVALID_INPUT, change.code());
    }

    @Test
    void aDatabaseAccountOfADirectoryName_isTakenOver_keepingItsMemberships_andOthersNoLongerSignIn() {
        identity.users().create("bob", "Local-Bob-42", null, false);
        identity.users().create("dave", "Local-Dave-42", null, false);
        identity.members().addUser("secret", "bob", Role.DEVELOPER);

        refused(ErrorCode.UNAUTHORIZED, "bob", "Local-Bob-42");
        refused(ErrorCode.UNAUTHORIZED, "dave", "Local-Dave-42");
        Principal bob = signIn("bob", "Bob-Pass-1");
        assertEquals("ldap", identity.users().get("bob").source());
        Scope push = Scope.parse("repository:secret/app:push").orElseThrow();
        assertTrue(identity.decisions().decide(bob, push).allows(push));
        assertTrue(identity.users().authenticate("bob", "Local-Bob-42").isEmpty(), "its old password is gone");
    }

    @Test
    void wrongPasswords_unknownNames_andFilterSyntax_are401_andCountedByTheThrottle() {
        refused(ErrorCode.UNAUTHORIZED, "alice", "Bob-Pass-1");
        refused(ErrorCode.UNAUTHORIZED, "mallory", "Alice-Pass-1");
        refused(ErrorCode.UNAUTHORIZED, "*)(uid=*", "Alice-Pass-1");
        refused(ErrorCode.UNAUTHORIZED, "alic*", "Alice-Pass-1");
        for (int i = 0; i < 10; i++) {
            refused(ErrorCode.UNAUTHORIZED, "bob", "Guess-" + i);
        }
        refused(ErrorCode.TOOMANYREQUESTS, "bob", "Bob-Pass-1");
    }

    @Test
    void theLocalAdmin_signsInLocally_andTheDirectorysAdminNeverBecomesIt() {
        assertEquals(new Principal.User("admin", true), signIn("admin", ADMIN_PASSWORD));
        refused(ErrorCode.UNAUTHORIZED, "admin", "Directory-Admin-1");
        refused(ErrorCode.UNAUTHORIZED, "ADMIN", "Directory-Admin-1");
        assertTrue(identity.users().find("ADMIN").isEmpty());
    }

    @Test
    void aDirectoryThatIsDown_is503_whileTheLocalAdminAndRobotsStillSignIn() throws Exception {
        tx.useTransaction(h -> h.attach(ProjectDao.class).createIfAbsent("team", clock.instant()));
        String secret = identity.robots().create("ci", "team", null, null, Map.of("team", EnumSet.of(Action.PULL)))
                .secret();
        server.stop();

        for (int i = 0; i < 12; i++) { // past the throttle's limit: a directory that is down is no guess
            assertTrue(refused(ErrorCode.UNAVAILABLE, "alice", "Alice-Pass-1").headers().containsKey("Retry-After"));
        }
        assertEquals(new Principal.User("admin", true), signIn("admin", ADMIN_PASSWORD));
        assertEquals("robot$team+ci", signIn("robot$team+ci", secret).name());

        server.restart();
        assertEquals("alice", signIn("alice", "Alice-Pass-1").name());
    }

    @Test
    void aGroupsRole_isGrantedToItsMembers_andNotToOthers() {
        identity.members().addGroup("secret", "CN=Devs,OU=Groups,DC=example,DC=org", Role.DEVELOPER);
        identity.members().addGroup("secret", "ops", Role.GUEST);
        Scope asked = Scope.parse("repository:secret/app:pull,push").orElseThrow();
        TokenService tokens = new TokenService(identity.tokens(), identity.decisions());

        String alices = tokens.issue(signIn("alice", "Alice-Pass-1"), List.of(asked)).token();
        assertTrue(identity.tokens().verify(alices).covers(asked), "devs are developers: pull and push");
        String carols = tokens.issue(signIn("carol", "Carol-Pass-1"), List.of(asked)).token();
        assertEquals(EnumSet.of(Action.PULL), identity.tokens().verify(carols).access().getFirst().actions());
        String bobs = tokens.issue(signIn("bob", "Bob-Pass-1"), List.of(asked)).token();
        assertTrue(identity.tokens().verify(bobs).access().isEmpty(), "bob is in no group");
    }

    @Test
    void groups_areKeptBriefly_thenAskedAgain() throws Exception {
        identity.members().addGroup("secret", "ops", Role.MAINTAINER);
        Scope push = Scope.parse("repository:secret/app:push").orElseThrow();
        assertTrue(identity.decisions().decide(signIn("carol", "Carol-Pass-1"), push).allows(push));

        server.removeMember(TestDirectory.OPS, "uid=carol,ou=people,dc=example,dc=org");
        clock.advance(Duration.ofMinutes(4));
        assertTrue(identity.decisions().decide(signIn("carol", "Carol-Pass-1"), push).allows(push), "still cached");
        clock.advance(Duration.ofMinutes(2));
        assertFalse(identity.decisions().decide(signIn("carol", "Carol-Pass-1"), push).allows(push));
    }

    @Test
    void aRefreshToken_findsTheDirectoryUserAsTheyAreNow() throws Exception {
        signIn("carol", "Carol-Pass-1");
        Principal.User carol = (Principal.User) identity.authenticator().account("carol");
        assertTrue(carol.groups().contains("ops"));
        assertThrows(RegistryException.class, () -> identity.authenticator().account("bob"), "never signed in");

        server.stop();
        assertEquals(carol, identity.authenticator().account("carol"), "the groups are cached");
        clock.advance(Duration.ofMinutes(6));
        RegistryException down = assertThrows(RegistryException.class, () -> identity.authenticator().account("carol"));
        assertEquals(ErrorCode.UNAVAILABLE, down.code());
    }

    private Principal signIn(String user, String password) {
        return identity.authenticator().basic(basic(user, password), "10.0.0.1");
    }

    private RegistryException refused(ErrorCode code, String user, String password) {
        RegistryException e = assertThrows(RegistryException.class, () -> signIn(user, password));
        assertEquals(code, e.code(), e.getMessage());
        assertFalse(e.getMessage().contains(password));
        return e;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
