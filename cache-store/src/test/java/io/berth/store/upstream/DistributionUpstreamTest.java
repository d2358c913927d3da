package io.berth.store.upstream;

import io.berth.store.oci.Digest;
import io.berth.store.upstream.Upstream.BlobStream;
import io.berth.store.upstream.Upstream.Manifest;
import io.berth.store.upstream.Upstream.ManifestHead;
import io.berth.store.upstream.Upstream.TagPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static io.berth.store.upstream.UpstreamTesting.IMAGE_CONFIG;
import static io.berth.store.upstream.UpstreamTesting.MANIFEST_TYPE;
import static io.berth.store.upstream.UpstreamTesting.imageManifest;
import static io.berth.store.upstream.UpstreamTesting.randomBytes;
import static io.berth.store.upstream.UpstreamTesting.sha256;
import static io.berth.store.upstream.UpstreamTesting.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client against a real upstream: CNCF Distribution ({@code docker-registry}), started by pid
 * on 127.0.0.1 with a small image pushed to it with plain HTTP calls.
 */
class DistributionUpstreamTest {
    private static final byte[] LAYER = randomBytes(200_000, 42);
    private static final byte[] MANIFEST = imageManifest(IMAGE_CONFIG, LAYER);

    private static LocalDistribution registry;
    private static URI url;
    private static RegistryClient client;

    @BeforeAll
    static void startDistribution(@TempDir Path dir) throws Exception {
        registry = LocalDistribution.start(dir, true);
        url = registry.url();
        push("test/app", "v1");
        push("test/app", "v2");
        client = registry.client();
    }

    @AfterAll
    static void stopDistribution() throws InterruptedException {
        if (registry != null) {
            registry.close();
        }
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static void push(String repository, String tag) throws Exception {
        for (byte[] blob : List.of(IMAGE_CONFIG, LAYER)) {
            HttpResponse<Void> started = HTTP.send(HttpRequest.newBuilder(url.resolve("/v2/" + repository
                    + "/blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertEquals(202, started.statusCode());
            String location = started.headers().firstValue("Location").orElseThrow();
            URI upload = url.resolve(location + (location.contains("?") ? "&" : "?") + "digest=" + sha256(blob));
            assertEquals(201, HTTP.send(HttpRequest.newBuilder(upload).PUT(HttpRequest.BodyPublishers.ofByteArray(blob))
                    .header("Content-Type", "application/octet-stream").build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
        }
        assertEquals(201, HTTP.send(HttpRequest.newBuilder(url.resolve("/v2/" + repository + "/manifests/" + tag))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(MANIFEST)).header("Content-Type", MANIFEST_TYPE).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
    }

    @Test
    void manifest_headAndGet_byTagAndByDigest() throws Exception {
        Digest digest = sha256(MANIFEST);
        ManifestHead head = client.headManifest("test/app", "v1").orElseThrow();
        assertEquals(digest, head.digest());
        assertEquals(MANIFEST_TYPE, head.mediaType());
        assertEquals(MANIFEST.length, head.size());

        Manifest byTag = client.getManifest("test/app", "v1", 1 << 20).orElseThrow();
        assertArrayEquals(MANIFEST, byTag.bytes());
        assertEquals(digest, byTag.digest());
        assertArrayEquals(MANIFEST, client.getManifest("test/app", digest.toString(), 1 << 20).orElseThrow().bytes());
        assertTrue(client.getManifest("test/app", "missing", 1 << 20).isEmpty());
        assertTrue(client.getManifest("test/none", "v1", 1 << 20).isEmpty());
    }

    @Test
    void blob_headGetAndRange() throws Exception {
        Digest digest = sha256(LAYER);
        assertEquals(LAYER.length, client.headBlob("test/app", digest).orElseThrow());
        try (BlobStream whole = client.getBlob("test/app", digest, 0).orElseThrow()) {
            assertArrayEquals(LAYER, whole.body().readAllBytes());
        }
        try (BlobStream rest = client.getBlob("test/app", digest, 150_000).orElseThrow()) {
            assertEquals(LAYER.length, rest.size());
            assertEquals(50_000, rest.length());
            assertArrayEquals(Arrays.copyOfRange(LAYER, 150_000, LAYER.length), rest.body().readAllBytes());
        }
        assertTrue(client.headBlob("test/app", sha256(utf8("absent"))).isEmpty());
    }

    @Test
    void tags_referrersAndPing() throws Exception {
        assertEquals(new TagPage(List.of("v1", "v2"), false), client.tags("test/app", null, 100).orElseThrow());
        assertTrue(client.referrers("test/app", sha256(MANIFEST), null).isEmpty(), "2.8 has no referrers API");
        client.ping();
    }
}
