package io.berth.gateway.auth.token;

import io.berth.gateway.auth.Grants;
import io.berth.gateway.auth.Principal;
import io.berth.gateway.auth.Role;
import io.berth.gateway.auth.Scope;
import io.berth.gateway.auth.SignInAudit;
import io.berth.gateway.auth.check.ScopeDecisions;
import io.berth.gateway.auth.members.Members;
import io.berth.gateway.auth.projects.Projects;
import io.berth.gateway.auth.users.Passwords;
import io.berth.gateway.auth.users.Users;
import io.berth.gateway.mirror.MirrorNames;
import io.berth.gateway.mirror.MirrorSettings;
import io.berth.gateway.testing.ProxyFixtures;
import io.berth.store.meta.Admission;
import io.berth.store.meta.Database;
import io.berth.store.meta.ProjectDao;
import io.berth.store.meta.Transactions;
import io.berth.store.testing.DatabaseTestBase;
import io.berth.store.testing.MutableClock;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the token service grants for the names mirror-mode clients ask for: a pull decided on the
 * proxy project that serves it and bound to it; other actions on the name as named; with an
 * {@code ns}, pulls only. On both databases.
 */
@OnH2AndPostgres
class MirroredTokensTest extends DatabaseTestBase {
    private static final Principal ANONYMOUS = new Principal.Anonymous();
    private static final Principal ALICE = new Principal.User("alice", false);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private Tokens tokens;
    private TokenService service;
    private Projects projects;

    MirroredTokensTest(TestDatabase database) {
        super(database);
    }

    @BeforeEach
    void proxies() {
        Transactions tx = new Transactions(Database.open(dataSource), Admission.unbounded());
        tokens = new Tokens(SigningKey.generate(), new TokenSettings("berth", "berth", TokenSettings.DEFAULT_LIFETIME,
                TokenSettings.DEFAULT_LEEWAY), clock);
        projects = new Projects(tx, clock);
        Members members = new Members(tx, clock);
        new Users(tx, new Passwords(4), clock).create("alice", "Correct-Horse-42", null, false);
        tx.useTransaction(h -> List.of("hub", "ghcr", "team").forEach(p -> h.attach(ProjectDao.class)
                .createIfAbsent(p, clock.instant())));
        ProxyFixtures.makeProxy(tx, "hub", ProxyFixtures.registryEndpoint(tx, "hub", "docker-hub",
                "https://registry-1.docker.io"));
        ProxyFixtures.makeProxy(tx, "ghcr", ProxyFixtures.registryEndpoint(tx, "ghcr", "v2", "https://ghcr.io"));
        projects.setPublic("hub", true);
        members.addUser("team", "alice", Role.DEVELOPER);
        service = new TokenService(tokens, new ScopeDecisions(projects, members, Grants.ProjectCreation.EVERYONE, true),
                SignInAudit.none(), new MirrorNames(tx, new MirrorSettings("hub", Map.of())));
    }

    @Test
    void mode1_aPullOfANameOfNoProject_isDecidedOnTheDefaultMirror_andBoundToIt() {
        VerifiedToken token = issue(ANONYMOUS, null, "repository:library/nginx:pull");

        assertEquals(List.of("repository:library/nginx:pull"), granted(token));
        assertEquals(Map.of("hub", projects.find("hub").orElseThrow().id()), token.projects());
    }

    @Test
    void mode1_aPushOfTheSameName_staysWithTheProjectItNames_whichItMayCreate() {
        VerifiedToken token = issue(ALICE, null, "repository:library/nginx:pull,push");

        assertEquals(List.of("repository:library/nginx:pull,push"), granted(token));
        assertEquals(Map.of("hub", projects.find("hub").orElseThrow().id(), "library", 0L), token.projects());
    }

    @Test
    void withNs_onlyPullsAreGranted_onTheProxyOfThatHost() {
        VerifiedToken token = issue(ALICE, "docker.io", "repository:team/app:pull,push");

        assertEquals(List.of("repository:team/app:pull"), granted(token), "team/app of docker.io, not the local one");
        assertEquals(Map.of("hub", projects.find("hub").orElseThrow().id()), token.projects());
    }

    @Test
    void withNs_aPrivateProxyGrantsNothingToThoseWhoMayNotRead_andAnUnknownHostNothingToAnyone() {
        assertEquals(List.of(), granted(issue(ALICE, "ghcr.io", "repository:org/app:pull")));
        assertEquals(List.of(), granted(issue(ALICE, "quay.io", "repository:team/app:pull")));
    }

    @Test
    void namesOfProjects_areDecidedAsBefore() {
        VerifiedToken token = issue(ALICE, null, "repository:team/app:pull,push", "registry:catalog:*");

        assertEquals(List.of("repository:team/app:pull,push", "registry:catalog:*"), granted(token));
        assertEquals(Map.of("team", projects.find("team").orElseThrow().id()), token.projects());
    }

    private VerifiedToken issue(Principal who, String namespace, String... asked) {
        List<Scope> scopes = Arrays.stream(asked).map(s -> Scope.parse(s).orElseThrow()).toList();
        return tokens.verify(service.issue(who, scopes, "10.0.0.1", namespace).token());
    }

    private static List<String> granted(VerifiedToken token) {
        return token.access().stream().map(Scope::toString).toList();
    }
}
