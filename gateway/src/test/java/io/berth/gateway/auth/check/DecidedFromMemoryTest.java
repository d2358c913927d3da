package io.berth.gateway.auth.check;

import io.berth.gateway.auth.AccessRequest;
import io.berth.gateway.auth.Action;
import io.berth.gateway.auth.Authenticator;
import io.berth.gateway.auth.Grants;
import io.berth.gateway.auth.LoginThrottle;
import io.berth.gateway.auth.Role;
import io.berth.gateway.auth.Scope;
import io.berth.gateway.auth.members.Members;
import io.berth.gateway.auth.projects.Projects;
import io.berth.gateway.auth.robots.Robots;
import io.berth.gateway.auth.token.SigningKey;
import io.berth.gateway.auth.token.TokenSettings;
import io.berth.gateway.auth.token.Tokens;
import io.berth.gateway.auth.users.Passwords;
import io.berth.gateway.auth.users.Users;
import io.berth.gateway.mirror.MirrorRoute;
import io.berth.store.Caller;
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

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client's requests after its first are decided where they arrive (the event loop), without the
 * database or a signature check; anything not at hand goes off the loop, and refusals still hold.
 */
class DecidedFromMemoryTest {
    private static final Scope PULL = Scope.repository(RepositoryName.parse("team/app"), Action.PULL);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T12:00:00Z"));
    private final AtomicInteger offTheLoop = new AtomicInteger();
    private Tokens tokens;
    private Projects projects;
    private RegistryAccessCheck check;

    @BeforeEach
    void open() {
        Transactions tx = new Transactions(Database.open(TestDatabases.h2()), Admission.unbounded());
        tx.useTransaction(h -> h.attach(ProjectDao.class).createIfAbsent("team", clock.instant()));
        Users users = new Users(tx, new Passwords(4), clock);
        users.create("alice", "Correct-Horse-42", null, false);
        Members members = new Members(tx, clock);
        members.addUser("team", "alice", Role.DEVELOPER);
        projects = new Projects(tx, clock);
        tokens = new Tokens(SigningKey.generate(), new TokenSettings("berth", "berth", TokenSettings.DEFAULT_LIFETIME,
                TokenSettings.DEFAULT_LEEWAY), clock);
        Executor counting = task -> {
            offTheLoop.incrementAndGet();
            task.run();
        };
        Authenticator authenticator = new Authenticator(users, new Robots(tx, clock), LoginThrottle.defaults());
        check = new RegistryAccessCheck(authenticator, tokens,
                new ScopeDecisions(projects, members, Grants.ProjectCreation.EVERYONE, true),
                new ReadableProjects(projects, members, authenticator),
                new Challenge("http://registry/service/token", "berth"), counting);
    }

    @Test
    void aSecondRequestWithTheSameToken_isDecidedInPlace() {
        String token = tokens.issue("alice", List.of(PULL), Map.of("team", projects.find("team").orElseThrow().id()))
                .token();
        projects.forget("team");

        assertEquals("alice", decide(token).subject());
        assertEquals(1, offTheLoop.get(), "the first request verifies the token and looks the project up");
        assertEquals("alice", decide(token).subject());
        assertEquals(1, offTheLoop.get(), "the second is decided from memory");
    }

    @Test
    void anonymousPullsOfAPublicProject_areDecidedInPlace_onceItWasLookedUp_andPrivateOnesStillRefused() {
        projects.setPublic("team", true);
        assertEquals(Caller.Kind.ANONYMOUS, anonymous(PULL).kind());
        assertEquals(1, offTheLoop.get());
        assertEquals(Caller.Kind.ANONYMOUS, anonymous(PULL).kind());
        assertEquals(1, offTheLoop.get(), "decided from memory");

        Scope push = Scope.repository(RepositoryName.parse("team/app"), Action.PULL, Action.PUSH);
        assertThrows(CompletionException.class, () -> anonymous(push), "a push is never open");

        projects.setPublic("team", false);
        CompletionException e = assertThrows(CompletionException.class, () -> anonymous(PULL));
        assertEquals(401, assertInstanceOf(RegistryException.class, e.getCause()).code().status());
    }

    @Test
    void aTokenSeenBefore_butExpiredSince_isRefusedWithTheChallenge() {
        String token = tokens.issue("alice", List.of(PULL), Map.of("team", projects.find("team").orElseThrow().id()))
                .token();
        decide(token);
        clock.advance(TokenSettings.DEFAULT_LIFETIME.plus(TokenSettings.DEFAULT_LEEWAY).plusSeconds(1));

        CompletionException e = assertThrows(CompletionException.class, () -> decide(token));
        RegistryException refusal = assertInstanceOf(RegistryException.class, e.getCause());
        assertEquals(401, refusal.code().status());
    }

    @Test
    void aTokenThatDoesNotCoverTheRequest_isRefusedEvenFromMemory() {
        String token = tokens.issue("alice", List.of(PULL), Map.of("team", projects.find("team").orElseThrow().id()))
                .token();
        decide(token);
        Scope push = Scope.repository(RepositoryName.parse("team/app"), Action.PULL, Action.PUSH);

        CompletionException e = assertThrows(CompletionException.class, () -> check.check(request(token, push))
                .toCompletableFuture().join());
        assertEquals(401, assertInstanceOf(RegistryException.class, e.getCause()).code().status());
    }

    @Test
    void aMirrorRead_withATokenForTheClientsName_boundToTheServingProject_isDecidedInPlace_andNoOtherIs() {
        // dockerd pulls library/app; the default mirror project team serves it as team/library/app.
        MirrorRoute mirror = new MirrorRoute(RepositoryName.parse("library/app"),
                RepositoryName.parse("team/library/app"), null);
        Scope served = Scope.repository(mirror.served(), Action.PULL);
        Scope asked = Scope.repository(mirror.requested(), Action.PULL);
        long team = projects.find("team").orElseThrow().id();
        String token = tokens.issue("alice", List.of(asked), Map.of("team", team)).token();
        String elsewhere = tokens.issue("alice", List.of(asked), Map.of("library", 0L)).token();

        assertEquals("alice", mirrorRead(token, served, mirror).subject());
        int looked = offTheLoop.get();
        assertEquals("alice", mirrorRead(token, served, mirror).subject());
        assertEquals(looked, offTheLoop.get(), "decided from memory");

        CompletionException e = assertThrows(CompletionException.class, () -> mirrorRead(elsewhere, served, mirror));
        RegistryException refusal = assertInstanceOf(RegistryException.class, e.getCause());
        assertEquals(401, refusal.code().status());
        assertTrue(refusal.headers().get("WWW-Authenticate").contains("scope=\"repository:library/app:pull\""),
                "the challenge names what the client asked for: " + refusal.headers());
    }

    private Caller mirrorRead(String token, Scope served, MirrorRoute mirror) {
        return check.check(new AccessRequest("GET", "/v2/library/app/manifests/latest", List.of("Bearer " + token),
                "registry", null, false, List.of(served), List.of(), mirror)).toCompletableFuture().join();
    }

    private Caller decide(String token) {
        return check.check(request(token, PULL)).toCompletableFuture().join();
    }

    private Caller anonymous(Scope scope) {
        return check.check(new AccessRequest("GET", "/v2/team/app/manifests/latest", List.of(), "registry", null, false,
                List.of(scope))).toCompletableFuture().join();
    }

    private static AccessRequest request(String token, Scope scope) {
        return new AccessRequest("GET", "/v2/team/app/manifests/latest", List.of("Bearer " + token), "registry",
                null, false, List.of(scope));
    }
}
