package io.berth.store.upstream;

import io.berth.store.Caller;
import io.berth.store.audit.AuditEntry;
import io.berth.store.audit.AuditLog;
import io.berth.store.audit.AuditQuery;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.meta.Admission;
import io.berth.store.meta.Database;
import io.berth.store.meta.ProjectDao;
import io.berth.store.meta.Transactions;
import io.berth.store.proxy.ProxyProjectDao;
import io.berth.store.testing.DatabaseTestBase;
import io.berth.store.testing.MutableClock;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Registry endpoints in the database, on both databases: sealed credentials, CRUD, conflicts, audit. */
@OnH2AndPostgres
class RegistryEndpointsTest extends DatabaseTestBase {
    private static final Caller ALICE = new Caller("alice", Caller.Kind.USER, "10.0.0.7");
    private static final Credential.Basic BASIC = new Credential.Basic("mirror-bot", "s3cret-Passw0rd");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    private Transactions tx;
    private SecretBox box;
    private RegistryEndpoints endpoints;

    RegistryEndpointsTest(TestDatabase database) {
        super(database);
    }

    @BeforeEach
    void open() {
        tx = new Transactions(Database.open(dataSource), Admission.unbounded());
        box = SecretBox.ofBase64(SecretBox.generateKey());
        endpoints = new RegistryEndpoints(tx, box, clock).as(ALICE);
    }

    @Test
    void theContractExample_isStored_andReadBackWithItsCredential() {
        RegistryEndpoint created = endpoints.create(new EndpointDraft("up", RegistryEndpoint.Type.V2,
                List.of("http://127.0.0.1:5001"), true, null, null, new Credential.Basic("u", "p")));

        assertTrue(created.id() > 0);
        RegistryEndpoint read = endpoints.get(created.id());
        assertEquals(new RegistryEndpoint(created.id(), "up", RegistryEndpoint.Type.V2,
                List.of(URI.create("http://127.0.0.1:5001")), true, null, new Credential.Basic("u", "p"), null), read);
    }

    @Test
    void theCredentialColumn_holdsNeitherThePasswordNorTheUserName() {
        long basic = endpoints.create(draft("basic", BASIC)).id();
        long token = endpoints.create(draft("token", new Credential.Token("tok-Abc.123"))).id();

        for (long id : List.of(basic, token)) {
            String column = rawCredential(id);
            assertTrue(column.startsWith("v1:"), column);
            assertFalse(column.contains("s3cret") || column.contains("mirror-bot") || column.contains("tok-Abc"),
                    column);
        }
        assertEquals(BASIC, endpoints.get(basic).credential());
        assertEquals(new Credential.Token("tok-Abc.123"), endpoints.get(token).credential());
        assertNull(rawCredentialOf(endpoints.create(draft("anonymous", null)).id()));
    }

    @Test
    void dockerHub_withoutAUrl_reachesRegistry1_andSeveralUrlsKeepTheirOrder() {
        RegistryEndpoint hub = endpoints.create(new EndpointDraft("hub", RegistryEndpoint.Type.DOCKER_HUB, null, false,
                null, "Docker Hub", null));
        RegistryEndpoint mirrored = endpoints.create(new EndpointDraft("mirrored", RegistryEndpoint.Type.V2,
                List.of("https://b.example.org/", "HTTPS://A.Example.org:8443/path//", "http://[::1]:5000"), false,
                null, null, null));

        assertEquals(List.of(URI.create("https://registry-1.docker.io")), endpoints.get(hub.id()).urls());
        assertEquals("Docker Hub", endpoints.get(hub.id()).description());
        assertEquals(List.of(URI.create("https://b.example.org"), URI.create("https://a.example.org:8443/path"),
                URI.create("http://[::1]:5000")), endpoints.get(mirrored.id()).urls());
    }

    @Test
    void badFields_areRefused_andNothingIsStored() {
        List<EndpointDraft> bad = List.of(
                new EndpointDraft("v2-without-url", RegistryEndpoint.Type.V2, List.of(), false, null, null, null),
                new EndpointDraft(null, RegistryEndpoint.Type.V2, List.of("https://r.example.org"), false, null, null, null),
                new EndpointDraft("has space", RegistryEndpoint.Type.V2, List.of("https://r.example.org"), false, null,
                        null, null),
                new EndpointDraft("no-type", null, List.of("https://r.example.org"), false, null, null, null),
                urls("ftp://r.example.org"), urls("r.example.org"), urls("https://u:hunter2@r.example.org"),
                urls("https://r.example.org?x=1"), urls("https://r.example.org#top"), urls("https://r.example.org/v2/"),
                urls("https://"), urls("https://r.example.org", "https://r.example.org/"), urls("http://bad host"),
                new EndpointDraft("ca", RegistryEndpoint.Type.V2, List.of("https://r.example.org"), false,
                        "not a certificate", null, null),
                draft("no-password", new Credential.Basic("u", "")),
                draft("no-user", new Credential.Basic(" ", "p")),
                draft("colon", new Credential.Basic("a:b", "p")),
                draft("newline", new Credential.Basic("u", "p\nInjected: yes")),
                draft("empty-token", new Credential.Token("")));

        for (EndpointDraft draft : bad) {
            RegistryException e = assertThrows(RegistryException.class, () -> endpoints.create(draft), draft.toString());
            assertEquals(ErrorCode.INVALID_INPUT, e.code(), draft + ": " + e.getMessage());
            assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        }
        assertEquals(0, endpoints.list(1, 10).total());
    }

    @Test
    void aDuplicateName_isAConflict() {
        endpoints.create(draft("up", null));

        assertFailure(ErrorCode.CONFLICT, () -> endpoints.create(draft("up", BASIC)));
        long other = endpoints.create(draft("other", null)).id();
        assertFailure(ErrorCode.CONFLICT, () -> endpoints.update(other, draft("up", null), true));
        assertEquals("other", endpoints.get(other).name());
        assertEquals(2, endpoints.list(1, 10).total());
    }

    @Test
    void list_givesPagesByName_andTheTotal() {
        IntStream.rangeClosed(1, 5).forEach(i -> endpoints.create(draft("reg-" + (6 - i), null)));

        var first = endpoints.list(1, 2);
        var last = endpoints.list(3, 2);

        assertEquals(5, first.total());
        assertEquals(List.of("reg-1", "reg-2"), first.items().stream().map(RegistryEndpoint::name).toList());
        assertEquals(List.of("reg-5"), last.items().stream().map(RegistryEndpoint::name).toList());
    }

    @Test
    void update_keepsReplacesOrRemovesTheCredential() {
        long id = endpoints.create(draft("up", BASIC)).id();
        String sealed = rawCredential(id);

        RegistryEndpoint changed = endpoints.update(id, new EndpointDraft("up-renamed", RegistryEndpoint.Type.DOCKER_HUB,
                List.of("https://mirror.example.org"), true, null, "now a hub mirror", null), true);

        assertEquals(sealed, rawCredential(id), "kept as it was");
        assertEquals(BASIC, changed.credential());
        assertEquals("up-renamed", changed.name());
        assertEquals(RegistryEndpoint.Type.DOCKER_HUB, changed.type());
        assertTrue(changed.insecure());
        assertEquals("now a hub mirror", changed.description());

        Credential.Token token = new Credential.Token("new-token");
        assertEquals(token, endpoints.update(id, draft("up-renamed", token), false).credential());
        assertNull(endpoints.update(id, draft("up-renamed", null), false).credential());
        assertNull(rawCredentialOf(id));
        assertFailure(ErrorCode.NO_SUCH_RESOURCE, () -> endpoints.update(id + 1000, draft("x", null), true));
        assertFailure(ErrorCode.NO_SUCH_RESOURCE, () -> endpoints.get(id + 1000));
    }

    @Test
    void delete_isRefusedWhileAProxyProjectMirrorsIt_andNamesTheProject() {
        long id = endpoints.create(draft("hub", null)).id();
        tx.useTransaction(h -> {
            long project = h.attach(ProjectDao.class).create("hub-cache", true, clock.instant());
            h.attach(ProxyProjectDao.class).insert(project, id, null, 300, "serve", null, null);
        });

        RegistryException refused = assertThrows(RegistryException.class, () -> endpoints.delete(id));

        assertEquals(ErrorCode.CONFLICT, refused.code());
        assertTrue(refused.getMessage().contains("hub-cache"), refused.getMessage());
        assertEquals("hub", endpoints.get(id).name());

        tx.useTransaction(h -> h.execute("DELETE FROM proxy_project"));
        endpoints.delete(id);
        assertFailure(ErrorCode.NO_SUCH_RESOURCE, () -> endpoints.get(id));
        assertFailure(ErrorCode.NO_SUCH_RESOURCE, () -> endpoints.delete(id));
    }

    @Test
    void delete_isRefusedWhileAReplicationPolicyUsesIt_andNamesThePolicy() {
        long id = endpoints.create(draft("site-b", null)).id();
        tx.useTransaction(h -> h.createUpdate("INSERT INTO replication_policy (name, dest_registry_id, filters,"
                + " trigger_type, created_at, updated_at) VALUES ('to-site-b', :id, '[]', 'manual', :now, :now)")
                .bind("id", id).bind("now", clock.instant()).execute());

        RegistryException refused = assertThrows(RegistryException.class, () -> endpoints.delete(id));

        assertEquals(ErrorCode.CONFLICT, refused.code());
        assertTrue(refused.getMessage().contains("replication policy to-site-b"), refused.getMessage());
        assertEquals("site-b", endpoints.get(id).name());
        tx.useTransaction(h -> h.execute("DELETE FROM replication_policy"));
        endpoints.delete(id);
        assertFailure(ErrorCode.NO_SUCH_RESOURCE, () -> endpoints.get(id));
    }

    @Test
    void everyChange_isAudited_withoutTheSecret() {
        long id = endpoints.create(draft("up", BASIC)).id();
        endpoints.update(id, draft("up", null), true);
        endpoints.update(id, draft("up", new Credential.Token("t0ken-value")), false);
        endpoints.delete(id);

        List<AuditEntry> lines = new AuditLog(tx).find(AuditQuery.all(), 1, 10).entries();

        assertEquals(List.of("delete", "update", "update", "create"), lines.stream().map(AuditEntry::action).toList());
        for (AuditEntry line : lines) {
            assertEquals(ALICE, line.who());
            assertEquals("registry", line.resourceType());
            assertEquals("up", line.resource());
            assertTrue(line.detail() == null || !line.detail().contains("s3cret") && !line.detail().contains("t0ken"),
                    line.detail());
        }
        assertTrue(lines.get(3).detail().contains("credential basic (mirror-bot)"), lines.get(3).detail());
        assertTrue(lines.get(2).detail().contains("credential kept"), lines.get(2).detail());
        assertTrue(lines.get(1).detail().contains("credential token (replaced)"), lines.get(1).detail());
    }

    @Test
    void aCredentialSealedWithAnotherKey_failsWithWhatToDo_neverGarbage() {
        long id = endpoints.create(draft("up", BASIC)).id();
        RegistryEndpoints otherKey = new RegistryEndpoints(tx, SecretBox.ofBase64(SecretBox.generateKey()), clock);

        RegistryException e = assertThrows(RegistryException.class, () -> otherKey.get(id));

        assertEquals(ErrorCode.INTERNAL, e.code());
        assertTrue(e.getMessage().contains("'up'") && e.getMessage().contains("BERTH_CREDENTIAL_KEY"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        otherKey.update(id, draft("up", BASIC), false);
        assertEquals(BASIC, otherKey.get(id).credential(), "setting it again repairs it");
    }

    private static EndpointDraft draft(String name, Credential credential) {
        return new EndpointDraft(name, RegistryEndpoint.Type.V2, List.of("https://registry.example.org"), false, null,
                null, credential);
    }

    private static EndpointDraft urls(String... urls) {
        return new EndpointDraft("bad-url", RegistryEndpoint.Type.V2, List.of(urls), false, null, null, null);
    }

    private String rawCredential(long id) {
        String value = rawCredentialOf(id);
        assertTrue(value != null, "a credential is stored");
        return value;
    }

    private String rawCredentialOf(long id) {
        return tx.withHandle(h -> h.createQuery("SELECT credential FROM registry_endpoint WHERE id = :id")
                .bind("id", id).mapTo(String.class).one());
    }

    private static void assertFailure(ErrorCode code, Executable action) {
        assertEquals(code, assertThrows(RegistryException.class, action).code());
    }
}
