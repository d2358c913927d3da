package io.berth.gateway.auth.token;

import io.berth.gateway.auth.Action;
import io.berth.gateway.auth.Grants;
import io.berth.gateway.auth.Principal;
import io.berth.gateway.auth.Role;
import io.berth.gateway.auth.Scope;
import io.berth.gateway.auth.check.ScopeDecisions;
import io.berth.gateway.auth.members.Members;
import io.berth.gateway.auth.projects.Projects;
import io.berth.gateway.auth.users.Passwords;
import io.berth.gateway.auth.users.Users;
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
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The token endpoint's decisions: the intersection of what was asked and what is held, per scope. */
@OnH2AndPostgres
class TokenServiceTest extends DatabaseTestBase {
    private static final Principal ANONYMOUS = new Principal.Anonymous();
    private static final Principal ALICE = new Principal.User("alice", false);
    private static final Principal ADMIN = new Principal.User("admin", true);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private Tokens tokens;
    private Transactions tx;
    private Members members;
    private Projects projects;

    TokenServiceTest(TestDatabase database) {
        super(database);
    }

    @BeforeEach
    void open() {
        tx = new Transactions(Database.open(dataSource), Admission.unbounded());
        tokens = new Tokens(SigningKey.generate(), new TokenSettings("berth", "berth", TokenSettings.DEFAULT_LIFETIME,
                TokenSettings.DEFAULT_LEEWAY), clock);
        members = new Members(tx, clock);
        projects = new Projects(tx, clock);
        tx.useTransaction(h -> {
            h.attach(ProjectDao.class).createIfAbsent("library", clock.instant());
            h.attach(ProjectDao.class).createIfAbsent("team", clock.instant());
        });
        projects.setPublic("library", true);
        new Users(tx, new Passwords(4), clock).create("alice", "Correct-Horse-42", null, false);
    }

    @Test
    void anonymous_mayPullPublicProjects_only() {
        assertEquals(List.of("repository:library/alpine:pull"), granted(ANONYMOUS, "repository:library/alpine:pull,push",
                "repository:team/app:pull"));
    }

    @Test
    void aMember_getsWhatTheyAskedFor_asFarAsTheirRoleAllows() {
        members.addUser("team", "alice", Role.GUEST);
        assertEquals(List.of("repository:team/app:pull"), granted(ALICE, "repository:team/app:pull,push"));

        members.changeRole("team", "alice", Role.DEVELOPER);
        assertEquals(List.of("repository:team/app:pull,push"), granted(ALICE, "repository:team/app:pull,push,delete"));
        assertEquals(List.of("repository:team/app:pull"), granted(ALICE, "repository:team/app:pull"),
                "never more than was asked");
    }

    @Test
    void aRobot_getsOnlyItsOwnActions() {
        Principal robot = new Principal.Robot("robot$team+ci", Map.of("team", EnumSet.of(Action.PULL)));

        assertEquals(List.of("repository:team/app:pull"), granted(robot, "repository:team/app:pull,push"));
        assertEquals(List.of(), granted(robot, "repository:team/app:delete"));
    }

    @Test
    void theCatalog_isForEveryone_whoListsWhatTheyMayRead() {
        assertEquals(List.of("registry:catalog:*"), granted(ADMIN, "registry:catalog:*"));
        assertEquals(List.of("registry:catalog:*"), granted(ALICE, "registry:catalog:*"));
        assertEquals(List.of("registry:catalog:*"), granted(ANONYMOUS, "registry:catalog:*"));
    }

    @Test
    void aPushIntoANewProject_isGrantedOnlyToThoseWhoMayCreateIt() {
        Principal robot = new Principal.Robot("robot$all", Map.of("*", EnumSet.allOf(Action.class)));
        String newProject = "repository:fresh/app:pull,push,delete";

        assertEquals(List.of("repository:fresh/app:pull,push"), granted(service(Grants.ProjectCreation.EVERYONE, true),
                ALICE, newProject));
        assertEquals(List.of(), granted(service(Grants.ProjectCreation.ADMIN_ONLY, true), ALICE, newProject));
        assertEquals(List.of("repository:fresh/app:pull,push"),
                granted(service(Grants.ProjectCreation.ADMIN_ONLY, true), ADMIN, newProject));
        assertEquals(List.of(), granted(service(Grants.ProjectCreation.EVERYONE, false), ALICE, newProject),
                "auto-creation off");
        assertEquals(List.of(), granted(service(Grants.ProjectCreation.EVERYONE, true), ANONYMOUS, newProject));
        assertEquals(List.of(), granted(service(Grants.ProjectCreation.EVERYONE, true), robot, newProject));
    }

    private List<String> granted(Principal who, String... asked) {
        return granted(service(Grants.ProjectCreation.EVERYONE, true), who, asked);
    }

    private List<String> granted(TokenService service, Principal who, String... asked) {
        List<Scope> scopes = java.util.Arrays.stream(asked).map(s -> Scope.parse(s).orElseThrow()).toList();
        IssuedToken token = service.issue(who, scopes);
        VerifiedToken verified = tokens.verify(token.token());
        assertEquals(who.name(), verified.subject());
        return verified.access().stream().map(Scope::toString).toList();
    }

    private TokenService service(Grants.ProjectCreation creation, boolean autoCreate) {
        return new TokenService(tokens, new ScopeDecisions(projects, members, creation, autoCreate));
    }
}
