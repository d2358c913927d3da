package io.berth.gateway.auth.projects;

import io.berth.gateway.auth.members.Members;
import io.berth.gateway.auth.users.Passwords;
import io.berth.gateway.auth.users.Users;
import io.berth.gateway.testing.ProxyFixtures;
import io.berth.store.Caller;
import io.berth.store.audit.AuditLog;
import io.berth.store.audit.AuditQuery;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.meta.Admission;
import io.berth.store.meta.Database;
import io.berth.store.meta.Transactions;
import io.berth.store.proxy.ProxySettings;
import io.berth.store.testing.DatabaseTestBase;
import io.berth.store.testing.MutableClock;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Proxy projects created, read and changed with their settings, in one transaction each; on both databases. */
@OnH2AndPostgres
class ProxyProjectsTest extends DatabaseTestBase {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private Transactions tx;
    private Projects projects;
    private ProxyProjects proxies;
    private long registry;

    ProxyProjectsTest(TestDatabase database) {
        super(database);
    }

    @BeforeEach
    void open() {
        tx = new Transactions(Database.open(dataSource), Admission.unbounded());
        projects = new Projects(tx, clock);
        proxies = new ProxyProjects(tx, clock);
        registry = ProxyFixtures.registryEndpoint(tx, "hub", "docker-hub", "https://registry-1.docker.io");
        new Users(tx, new Passwords(4), clock).create("alice", "Correct-Horse-42", null, true);
    }

    @Test
    void aProjectCreatedWithProxySettings_isAProxyProjectWithThem() {
        ProxySettings settings = new ProxySettings(registry, List.of("library/*"), Duration.ofMinutes(10),
                ProxySettings.OnUpstreamMissing.DELETE, 10L << 30, Duration.ofDays(30));

        projects.create("hub", true, settings);
        new Members(tx, clock).createProject("hub2", false, "alice", ProxyFixtures.settings(registry));

        assertEquals("proxy", projects.get("hub").kind());
        assertEquals(Optional.of(settings), proxies.settings("hub"));
        assertEquals("proxy", projects.get("hub2").kind());
        assertEquals(List.of("hub", "hub2"), List.copyOf(proxies.all().keySet()));
        assertEquals(Optional.empty(), proxies.settings("nothere"));
    }

    @Test
    void anUnknownRegistryEndpoint_orSettingsThatCannotHold_createNothing() {
        assertFails(ErrorCode.NO_SUCH_RESOURCE, () -> projects.create("orphan", false, ProxyFixtures.settings(999)));
        assertFails(ErrorCode.INVALID_INPUT, () -> new Members(tx, clock).createProject("negative", false, "alice",
                new ProxySettings(registry, List.of(), Duration.ofSeconds(-1), ProxySettings.OnUpstreamMissing.SERVE,
                        0, null)));
        assertFails(ErrorCode.INVALID_INPUT, () -> projects.create("badregex", false, new ProxySettings(registry,
                List.of("regex:[a-"), Duration.ofMinutes(5), ProxySettings.OnUpstreamMissing.SERVE, 0, null)));

        for (String name : List.of("orphan", "negative", "badregex")) {
            assertTrue(projects.find(name).isEmpty(), name + " was left behind");
        }
    }

    @Test
    void changingTheSettings_replacesThem_endpointIncluded_andIsAudited() {
        projects.create("hub", true, ProxyFixtures.settings(registry));
        long other = ProxyFixtures.registryEndpoint(tx, "mirror", "docker-hub", "https://mirror.gcr.io");
        ProxySettings changed = new ProxySettings(other, List.of("**"), Duration.ofHours(1),
                ProxySettings.OnUpstreamMissing.SERVE, 0, null);

        proxies.as(new Caller("alice", Caller.Kind.USER, "10.0.0.9")).change("hub", changed);

        assertEquals(Optional.of(changed), proxies.settings("hub"));
        assertTrue(new AuditLog(tx).find(AuditQuery.all(), 1, 10).entries().stream().anyMatch(line ->
                line.who().subject().equals("alice") && line.action().equals("update")
                        && line.detail().equals("proxy settings: " + ProxyProjects.describe(changed))));
    }

    @Test
    void aLocalProject_neverBecomesAProxy_andAMissingOneIsNotFound() {
        projects.create("team", false);

        assertFails(ErrorCode.CONFLICT, () -> proxies.change("team", ProxyFixtures.settings(registry)));
        assertFails(ErrorCode.NO_SUCH_RESOURCE, () -> proxies.change("nothere", ProxyFixtures.settings(registry)));
        assertEquals("local", projects.get("team").kind());
    }

    private static void assertFails(ErrorCode code, Executable action) {
        assertEquals(code, assertThrows(RegistryException.class, action).code());
    }
}
