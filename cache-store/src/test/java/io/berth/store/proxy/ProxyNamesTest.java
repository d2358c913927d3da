package io.berth.store.proxy;

import io.berth.store.content.ProjectKind;
import io.berth.store.content.RepositoryHandle;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.meta.ProjectDao;
import io.berth.store.oci.Digest;
import io.berth.store.oci.Reference;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.TestDatabase;
import io.berth.store.upstream.RegistryEndpoint;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static io.berth.store.proxy.FakeUpstream.GET_BLOB;
import static io.berth.store.proxy.FakeUpstream.GET_MANIFEST;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Names in a proxy project of Docker Hub: normalisation, the allowlist, the project's settings and
 * the resolver's hook; on both databases.
 */
@OnH2AndPostgres
class ProxyNamesTest extends ProxyTestBase {
    private final Image nginx = image("nginx");

    ProxyNamesTest(TestDatabase database) {
        super(database);
    }

    @Override
    protected RegistryEndpoint.Type upstreamType() {
        return RegistryEndpoint.Type.DOCKER_HUB;
    }

    private int allCalls() {
        return List.of(FakeUpstream.HEAD_MANIFEST, GET_MANIFEST, FakeUpstream.HEAD_BLOB, GET_BLOB, FakeUpstream.TAGS,
                FakeUpstream.REFERRERS).stream().mapToInt(upstream::calls).sum();
    }

    @Test
    void singleSegmentDockerHubName_isAnOfficialImage_andSharesOneCacheWithItsFullName() throws IOException {
        Digest digest = upstreamImage("library/nginx", "1.27", nginx);

        assertArrayEquals(nginx.manifest(), source("hub/nginx").manifest(Reference.parse("1.27")).content());
        assertArrayEquals(nginx.manifest(), source("hub/library/nginx").manifest(Reference.parse("1.27")).content());
        assertArrayEquals(nginx.manifest(), source("hub/nginx").manifest(Reference.of(digest)).content());

        assertEquals(1, upstream.calls(GET_MANIFEST));
        assertEquals(repo("hub/library/nginx"), ((ProxyContentSource) source("hub/nginx")).localName());
        assertEquals(0, count("SELECT COUNT(*) FROM repository WHERE name = 'hub/nginx'"));
        assertEquals(1, count("SELECT COUNT(*) FROM repository WHERE name = 'hub/library/nginx'"));
    }

    @Test
    void blobOfASingleSegmentName_isCachedOnceForBothNames() throws IOException {
        Digest layer = upstream.putBlob(nginx.layers().get(0));

        long size = source("hub/nginx").blobSizeToRead(layer).orElseThrow();
        readAll(source("hub/nginx").openBlob(layer, 0, size).orElseThrow());
        byte[] again = readAll(source("hub/library/nginx").openBlob(layer, 0, size).orElseThrow());

        assertArrayEquals(nginx.layers().get(0), again);
        assertEquals(1, upstream.calls(GET_BLOB));
    }

    @Test
    void nameOutsideTheAllowlist_isRefusedWithoutAskingTheUpstream() throws IOException {
        settings.put(PROJECT, settings(List.of("library/*"), ProxySettings.OnUpstreamMissing.SERVE));
        proxy.forget(PROJECT);
        upstreamImage("bitnami/redis", "7", image("redis"));
        upstreamImage("library/nginx", "1.27", nginx);

        RegistryException refused = assertThrows(RegistryException.class,
                () -> source("hub/bitnami/redis").manifest(Reference.parse("7")));
        assertEquals(ErrorCode.NAME_UNKNOWN, refused.code());
        assertTrue(refused.getMessage().contains("not in the allowlist of proxy project 'hub'"), refused.getMessage());
        assertFailure(ErrorCode.NAME_UNKNOWN, () -> source("hub/bitnami/redis").blobSize(nginx.configDigest()));
        assertFailure(ErrorCode.NAME_UNKNOWN, () -> source("hub/bitnami/redis").tags(null, 10));
        assertEquals(0, allCalls());

        assertArrayEquals(nginx.manifest(), source("hub/nginx").manifest(Reference.parse("1.27")).content());
    }

    @Test
    void theProjectsBareName_namesNoUpstreamRepository() {
        assertFailure(ErrorCode.NAME_UNKNOWN, () -> source("hub").manifest(Reference.parse("latest")));
        assertEquals(0, allCalls());
    }

    @Test
    void projectWithoutProxySettings_isUnknown() {
        settings.remove(PROJECT);
        proxy.forget(PROJECT);

        assertFailure(ErrorCode.NAME_UNKNOWN, () -> source("hub/nginx").manifest(Reference.parse("latest")));
    }

    @Test
    void registryEndpointWithoutAClient_isUpstreamUnavailable() throws IOException {
        ProxyCache broken = new ProxyCache(registry, project -> Optional.ofNullable(settings.get(project)), id -> {
            throw new IllegalStateException("no such registry endpoint");
        }, executor, storage.resolve("spool-broken"), ProxyCache.Options.defaults(MAX_MANIFEST), clock);

        assertFailure(ErrorCode.UPSTREAM_UNAVAILABLE,
                () -> broken.apply(repo("hub/nginx")).manifest(Reference.parse("latest")));
    }

    @Test
    void resolver_servesProxyProjectsThroughTheCache_readOnly() throws IOException {
        upstreamImage("library/nginx", "1.27", nginx);
        registry.repositories().serve(ProjectKind.PROXY, proxy);

        RepositoryHandle handle = registry.repositories().resolve(repo("hub/nginx"));

        assertEquals(ProjectKind.PROXY, handle.kind());
        assertFailure(ErrorCode.DENIED, handle::requireWritable);
        assertArrayEquals(nginx.manifest(), handle.content().manifest(Reference.parse("1.27")).content());
        assertEquals(1, upstream.calls(GET_MANIFEST));
    }

    @Test
    void settingsIn_readsAProxyProjectsRowFromTheDatabase() {
        sql("INSERT INTO registry_endpoint (id, name, type, urls, created_at, updated_at) VALUES (7, 'hub',"
                + " 'docker-hub', 'http://127.0.0.1:1', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        registry.transactions().useTransaction(h -> {
            long projectId = h.attach(ProjectDao.class).findId(PROJECT).orElseThrow();
            h.attach(ProxyProjectDao.class).insert(projectId, 7, "library/*\nbitnami/**", 60, "delete", null, null);
        });

        ProxySettings read = ProxyCache.settingsIn(registry.transactions()).apply(PROJECT).orElseThrow();

        assertEquals(List.of("library/*", "bitnami/**"), read.allowlist());
        assertEquals(Duration.ofSeconds(60), read.freshness());
        assertEquals(ProxySettings.OnUpstreamMissing.DELETE, read.onUpstreamMissing());
        assertTrue(ProxyCache.settingsIn(registry.transactions()).apply("other").isEmpty());
    }
}
