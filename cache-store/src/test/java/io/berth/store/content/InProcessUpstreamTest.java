package io.berth.store.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.store.oci.Digest;
import io.berth.store.oci.RepositoryName;
import io.berth.store.testing.RegistryTestBase;
import io.berth.store.testing.TestDatabase;
import io.berth.store.upstream.RegistryEndpoint;
import io.berth.store.upstream.Upstream;
import io.berth.store.upstream.Upstream.BlobStream;
import io.berth.store.upstream.Upstream.Manifest;
import io.berth.store.upstream.Upstream.ManifestHead;
import io.berth.store.upstream.UpstreamException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.Arrays;
import java.util.List;

import static io.berth.store.testing.ManifestJson.EMPTY_JSON;
import static io.berth.store.testing.ManifestJson.OCI_MANIFEST;
import static io.berth.store.testing.ManifestJson.emptyConfig;
import static io.berth.store.testing.ManifestJson.subject;
import static io.berth.store.testing.ManifestJson.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replication reads this Berth in process, and reads what a client of the V2 API would: manifests
 * byte-exact by tag and digest, blobs whole and from an offset, tags in pages, referrers as an
 * index; what is not there is "none" (as a 404 is), never an error; a manifest over the size asked
 * for is refused. Nothing goes over HTTP (the registry port's client here fails any call).
 */
class InProcessUpstreamTest extends RegistryTestBase {
    private static final String SIG = "application/vnd.example.signature.v1";
    private final RepositoryName app = repo("team/app");
    private Upstream local;

    InProcessUpstreamTest() {
        super(TestDatabase.H2);
    }

    @BeforeEach
    void reader() {
        local = new InProcessUpstream(registry.repositories(), noHttp());
    }

    @Test
    void manifestsAndBlobs_readAsTheV2ApiServesThem() throws Exception {
        Image image = image("in-process", 2);
        push(app, "v1", image);

        ManifestHead head = local.headManifest("team/app", "v1").orElseThrow();
        Manifest byDigest = local.getManifest("team/app", image.digest().toString(), 1 << 20).orElseThrow();

        assertEquals(image.digest(), head.digest());
        assertEquals(OCI_MANIFEST, head.mediaType());
        assertEquals(image.manifest().length, head.size());
        assertArrayEquals(image.manifest(), byDigest.bytes());
        byte[] layer = image.layers().getFirst();
        Digest layerDigest = image.layerDigests().getFirst();
        assertEquals(layer.length, local.headBlob("team/app", layerDigest).orElseThrow());
        try (BlobStream whole = local.getBlob("team/app", layerDigest, 0).orElseThrow();
             BlobStream rest = local.getBlob("team/app", layerDigest, 3).orElseThrow()) {
            assertArrayEquals(layer, whole.body().readAllBytes());
            assertArrayEquals(Arrays.copyOfRange(layer, 3, layer.length), rest.body().readAllBytes());
            assertEquals(3, rest.offset());
            assertEquals(layer.length - 3, rest.length());
            assertEquals(layer.length, rest.size());
        }
    }

    @Test
    void whatIsNotThere_isNone_andAnOversizedManifestIsRefused() throws Exception {
        Image image = image("absent", 1);
        push(app, "v1", image);

        assertTrue(local.headManifest("team/app", "v2").isEmpty());
        assertTrue(local.headManifest("team/nothing", "v1").isEmpty());
        assertTrue(local.getManifest("nobody/here", image.digest().toString(), 1 << 20).isEmpty());
        assertTrue(local.headBlob("team/app", Digest.sha256(utf8("never uploaded"))).isEmpty());
        assertTrue(local.getBlob("team/other", image.layerDigests().getFirst(), 0).isEmpty(), "not linked there");
        assertTrue(local.tags("team/nothing", null, 10).isEmpty());
        UpstreamException tooLarge = assertThrows(UpstreamException.class,
                () -> local.getManifest("team/app", "v1", 10));
        assertEquals(UpstreamException.Kind.INVALID_RESPONSE, tooLarge.kind());
    }

    @Test
    void tagsComeInPages_andReferrersAsAnIndex() throws Exception {
        Image image = image("listed", 1);
        push(app, "a", image);
        put(app, "b", image.manifest(), OCI_MANIFEST);
        put(app, "c", image.manifest(), OCI_MANIFEST);
        upload(app, utf8(EMPTY_JSON));
        byte[] signature = utf8(io.berth.store.testing.ManifestJson.image(OCI_MANIFEST, emptyConfig(),
                "\"artifactType\":\"" + SIG + "\"," + subject(OCI_MANIFEST, image.digest().toString(),
                        image.manifest().length)));
        put(app, Digest.sha256(signature).toString(), signature, OCI_MANIFEST);

        Upstream.TagPage first = local.tags("team/app", null, 2).orElseThrow();
        Upstream.TagPage second = local.tags("team/app", "b", 2).orElseThrow();
        Manifest referrers = local.referrers("team/app", image.digest(), null).orElseThrow();

        assertEquals(List.of("a", "b"), first.tags());
        assertTrue(first.more());
        assertEquals(List.of("c"), second.tags());
        JsonNode index = new ObjectMapper().readTree(referrers.bytes());
        assertEquals("application/vnd.oci.image.index.v1+json", referrers.mediaType());
        assertEquals(1, index.path("manifests").size());
        assertEquals(Digest.sha256(signature).toString(), index.path("manifests").get(0).path("digest").asText());
        assertEquals(SIG, index.path("manifests").get(0).path("artifactType").asText());
        assertEquals(0, new ObjectMapper().readTree(local.referrers("team/app", Digest.sha256(signature), null)
                .orElseThrow().bytes()).path("manifests").size());
    }

    /** The registry port's client: named, and failing any read (none may go over HTTP). */
    private static Upstream noHttp() {
        RegistryEndpoint self = new RegistryEndpoint(-1, "this Berth", RegistryEndpoint.Type.V2,
                List.of(URI.create("http://127.0.0.1:1")), false, null, null, "test");
        return (Upstream) Proxy.newProxyInstance(Upstream.class.getClassLoader(), new Class<?>[] {Upstream.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("endpoint")) {
                        return self;
                    }
                    throw new AssertionError("read over HTTP: " + method.getName());
                });
    }
}
