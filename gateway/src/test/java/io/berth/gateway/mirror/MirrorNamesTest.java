package io.berth.gateway.mirror;

import io.berth.gateway.testing.ProxyFixtures;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.meta.Admission;
import io.berth.store.meta.Database;
import io.berth.store.meta.ProjectDao;
import io.berth.store.meta.Transactions;
import io.berth.store.oci.RepositoryName;
import io.berth.store.testing.DatabaseTestBase;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where reads are served from in each mirror mode, decided from the projects and registry endpoints
 * in the database; on both databases.
 */
@OnH2AndPostgres
class MirrorNamesTest extends DatabaseTestBase {
    private Transactions tx;

    MirrorNamesTest(TestDatabase database) {
        super(database);
    }

    @BeforeEach
    void projectsAndProxies() {
        tx = new Transactions(Database.open(dataSource), Admission.unbounded());
        for (String project : new String[] {"hub", "hub2", "ghcr", "team", "local-registry"}) {
            tx.useTransaction(h -> h.attach(ProjectDao.class).createIfAbsent(project, Instant.now()));
        }
        ProxyFixtures.makeProxy(tx, "hub", ProxyFixtures.registryEndpoint(tx, "docker-hub", "docker-hub",
                "https://registry-1.docker.io"));
        ProxyFixtures.makeProxy(tx, "hub2", ProxyFixtures.registryEndpoint(tx, "docker-hub-mirror", "docker-hub",
                "https://mirror.gcr.io"));
        ProxyFixtures.makeProxy(tx, "ghcr", ProxyFixtures.registryEndpoint(tx, "github", "v2",
                "https://ghcr.io", "https://ghcr-backup.example.com:8443"));
    }

    @Test
    void aNameOfAProject_isServedAsNamed() {
        MirrorRoute route = mirrors("hub").route(name("team/app"), null);

        assertEquals(MirrorRoute.direct(name("team/app")), route);
        assertEquals(name("hub/library/nginx"), mirrors("hub").route(name("hub/library/nginx"), null).served(),
                "mode 3: the proxy project's own path");
    }

    @Test
    void mode1_aNameOfNoProject_isServedByTheDefaultMirrorProject() {
        MirrorRoute route = mirrors("hub").route(name("library/nginx"), null);

        assertEquals(name("library/nginx"), route.requested());
        assertEquals(name("hub/library/nginx"), route.served());
        assertNull(route.namespace());
        assertTrue(route.mapped());
    }

    @Test
    void mode1_withoutADefaultMirror_orWhenItIsGone_isUnknownAtOnce() {
        RegistryException none = assertThrows(RegistryException.class,
                () -> mirrors(null).route(name("library/nginx"), null));
        assertEquals(ErrorCode.NAME_UNKNOWN, none.code());
        assertTrue(none.getMessage().contains("proxy.defaultMirrorProject"), none.getMessage());

        RegistryException gone = assertThrows(RegistryException.class,
                () -> mirrors("nothere").route(name("library/nginx"), null));
        assertEquals(ErrorCode.NAME_UNKNOWN, gone.code());
        assertTrue(gone.getMessage().contains("'nothere'"), gone.getMessage());
    }

    @Test
    void mode2_dockerIo_isServedByTheFirstDockerHubProxy_andEchoesTheNamespace() {
        MirrorRoute route = mirrors(null).route(name("library/nginx"), "docker.io");

        assertEquals(name("hub/library/nginx"), route.served());
        assertEquals("docker.io", route.namespace());
        assertEquals(name("hub/library/nginx"), mirrors(null).route(name("library/nginx"), "Docker.IO").served(),
                "hosts are not case-sensitive");
    }

    @Test
    void mode2_anyHostOfAnEndpointsUrls_port_included_choosesItsProject() {
        assertEquals(name("ghcr/org/app"), mirrors(null).route(name("org/app"), "ghcr.io").served());
        assertEquals(name("ghcr/org/app"), mirrors(null).route(name("org/app"), "ghcr-backup.example.com:8443")
                .served());
        assertEquals(name("hub2/library/nginx"), mirrors(null).route(name("library/nginx"), "mirror.gcr.io").served());
    }

    @Test
    void mode2_aNameThatStartsWithAProxyOfThatHost_isServedAsNamed_asContainerdsOverridePathSendsIt() {
        MirrorRoute route = mirrors(null).route(name("hub2/library/nginx"), "docker.io");

        assertEquals(name("hub2/library/nginx"), route.served());
        assertEquals("docker.io", route.namespace());
    }

    @Test
    void mode2_configuredHosts_comeFirst_andMapToExistingProjectsOnly() {
        MirrorNames mirrors = new MirrorNames(tx, new MirrorSettings(null, Map.of("docker.io", "hub2",
                "registry.local:5000", "local-registry", "quay.io", "missing")));

        assertEquals(name("hub2/library/nginx"), mirrors.route(name("library/nginx"), "docker.io").served());
        assertEquals(name("local-registry/x/y"), mirrors.route(name("x/y"), "registry.local:5000").served());
        assertEquals(ErrorCode.NAME_UNKNOWN, assertThrows(RegistryException.class,
                () -> mirrors.route(name("x/y"), "quay.io")).code());
    }

    @Test
    void mode2_aHostNoProxyMirrors_isUnknownAtOnce_evenForANameOfAProject() {
        for (String ns : new String[] {"quay.io", "not a host", ""}) {
            RegistryException e = assertThrows(RegistryException.class,
                    () -> mirrors("hub").route(name("team/app"), ns));
            assertEquals(ErrorCode.NAME_UNKNOWN, e.code(), ns);
        }
    }

    @Test
    void whatWasLookedUp_isRemembered_andForgottenOnAChange() {
        MirrorNames mirrors = mirrors("hub");
        assertEquals(Optional.empty(), mirrors.remembered(name("library/nginx"), null), "nothing looked up yet");
        assertEquals(Optional.empty(), mirrors.remembered(name("library/nginx"), "docker.io"));

        MirrorRoute routed = mirrors.route(name("library/nginx"), null);
        mirrors.route(name("library/nginx"), "docker.io");

        assertEquals(Optional.of(routed), mirrors.remembered(name("library/nginx"), null));
        assertEquals(name("hub/library/nginx"), mirrors.remembered(name("library/nginx"), "docker.io").orElseThrow()
                .served());
        tx.useTransaction(h -> h.attach(ProjectDao.class).createIfAbsent("library", Instant.now()));
        mirrors.forget("library");
        assertEquals(Optional.empty(), mirrors.remembered(name("library/nginx"), null));
        assertEquals(MirrorRoute.direct(name("library/nginx")), mirrors.route(name("library/nginx"), null),
                "a project of that name now serves it");
    }

    @Test
    void aProjectFoundMissing_isLookedUpAgain_onceAWriteNamesIt() {
        MirrorNames mirrors = mirrors("hub");
        assertEquals(name("hub/fresh/app"), mirrors.route(name("fresh/app"), null).served());
        tx.useTransaction(h -> h.attach(ProjectDao.class).createIfAbsent("fresh", Instant.now()));

        mirrors.written("fresh");

        assertEquals(Optional.empty(), mirrors.remembered(name("fresh/app"), null));
        assertEquals(MirrorRoute.direct(name("fresh/app")), mirrors.route(name("fresh/app"), null),
                "reads of a project a push created reach it, not the default mirror");
    }

    private MirrorNames mirrors(String defaultProject) {
        return new MirrorNames(tx, new MirrorSettings(defaultProject, Map.of()));
    }

    private static RepositoryName name(String value) {
        return RepositoryName.parse(value);
    }
}
