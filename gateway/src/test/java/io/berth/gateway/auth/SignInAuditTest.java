package io.berth.gateway.auth;

import io.berth.gateway.auth.check.ScopeDecisions;
import io.berth.gateway.auth.members.Members;
import io.berth.gateway.auth.projects.Projects;
import io.berth.gateway.auth.robots.Robots;
import io.berth.gateway.auth.token.SigningKey;
import io.berth.gateway.auth.token.TokenService;
import io.berth.gateway.auth.token.TokenSettings;
import io.berth.gateway.auth.token.Tokens;
import io.berth.gateway.auth.users.Passwords;
import io.berth.gateway.auth.users.Users;
import io.berth.store.audit.AuditEntry;
import io.berth.store.audit.AuditLog;
import io.berth.store.audit.AuditQuery;
import io.berth.store.error.RegistryException;
import io.berth.store.meta.Admission;
import io.berth.store.meta.Database;
import io.berth.store.meta.ProjectDao;
import io.berth.store.meta.Transactions;
import io.berth.store.oci.RepositoryName;
import io.berth.store.testing.MutableClock;
import io.berth.store.testing.TestDatabases;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sign-ins in the audit log: failures with the reason (never the password), docker login, tokens that allow writes. */
class SignInAuditTest {
    private static final String PASSWORD = "Correct-Horse-42";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T12:00:00Z"));
    private AuditLog audit;
    private Authenticator authenticator;
    private TokenService tokens;

    @BeforeEach
    void open() {
        Transactions tx = new Transactions(Database.open(TestDatabases.h2()), Admission.unbounded());
        tx.useTransaction(h -> {
            h.attach(ProjectDao.class).createIfAbsent("team", clock.instant());
            h.attach(ProjectDao.class).createIfAbsent("other", clock.instant());
        });
        Users users = new Users(tx, new Passwords(4), clock);
        users.create("alice", PASSWORD, null, false);
        Members members = new Members(tx, clock);
        members.addUser("team", "alice", Role.DEVELOPER);
        audit = new AuditLog(tx);
        SignInAudit signIns = new SignInAudit(audit, clock);
        authenticator = new Authenticator(users, new Robots(tx, clock), LoginThrottle.defaults(), null, signIns);
        tokens = new TokenService(new Tokens(SigningKey.generate(), new TokenSettings("berth", "berth",
                TokenSettings.DEFAULT_LIFETIME, TokenSettings.DEFAULT_LEEWAY), clock),
                new ScopeDecisions(new Projects(tx, clock), members, Grants.ProjectCreation.EVERYONE, true), signIns);
    }

    @Test
    void aWrongPassword_isAuditedAsAFailedLogin_withoutThePassword() {
        assertThrows(RegistryException.class, () -> authenticator.basic(basic("alice", "Wrong-Horse-1"), "10.0.0.5"));

        AuditEntry line = only(new AuditQuery(null, null, null, "login", false, null, null));
        assertEquals("alice", line.who().subject());
        assertEquals("10.0.0.5", line.who().remoteAddress());
        assertFalse(line.toString().contains("Wrong-Horse-1"));
    }

    @Test
    void dockerLogin_isAuditedAsASuccessfulLogin_andPullTokensAreNot() {
        Principal alice = authenticator.basic(basic("alice", PASSWORD), "10.0.0.5");
        tokens.issue(alice, List.of(), "10.0.0.5");
        tokens.issue(alice, List.of(Scope.repository(RepositoryName.parse("team/app"), Action.PULL)), "10.0.0.5");

        assertEquals(0, audit.find(new AuditQuery(null, null, null, "token", null, null, null), 1, 10).total());
        AuditEntry login = only(new AuditQuery(null, null, null, "login", null, null, null));
        assertTrue(login.success());
    }

    @Test
    void aTokenThatAllowsAPush_isAudited_withWhatItGrants() {
        Principal alice = authenticator.basic(basic("alice", PASSWORD), "10.0.0.5");
        tokens.issue(alice, List.of(Scope.repository(RepositoryName.parse("team/app"), Action.PULL, Action.PUSH),
                Scope.repository(RepositoryName.parse("other/app"), Action.PUSH)), "10.0.0.5");

        AuditEntry token = only(new AuditQuery(null, null, null, "token", null, null, null));
        assertEquals("team/app", token.resource());
        assertEquals("team", token.project());
        assertEquals("repository:team/app:pull,push", token.detail(), "what was granted; nothing in other");
    }

    private AuditEntry only(AuditQuery query) {
        List<AuditEntry> lines = audit.find(query, 1, 10).entries();
        assertEquals(1, lines.size(), lines.toString());
        return lines.getFirst();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
