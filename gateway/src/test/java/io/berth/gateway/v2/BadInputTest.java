package io.berth.gateway.v2;

import io.berth.gateway.testing.RawConnection;
import io.berth.gateway.testing.RawResponse;
import io.berth.gateway.testing.RegistryServer;
import io.berth.gateway.testing.TestContent.Blob;
import io.berth.gateway.testing.TestContent;
import io.berth.gateway.testing.V2Client;
import io.berth.store.testing.ManifestJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.berth.gateway.testing.OciAssertions.assertError;
import static io.berth.gateway.testing.OciAssertions.assertStatus;
import static io.berth.gateway.testing.OciAssertions.json;
import static io.berth.gateway.testing.OciAssertions.strings;
import static io.berth.gateway.testing.RawConnection.requestHead;
import static io.berth.store.testing.ManifestJson.OCI_INDEX;
import static io.berth.store.testing.ManifestJson.OCI_MANIFEST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input of every kind gets the spec's error and leaves nothing behind: no repository in the
 * catalog, no tag, no manifest, no blob.
 */
class BadInputTest {
    @RegisterExtension
    static final RegistryServer SERVER = new RegistryServer();

    private static V2Client client() {
        return SERVER.client();
    }

    private static List<String> catalog() {
        HttpResponse<byte[]> response = client().get("/v2/_catalog");
        assertStatus(200, response);
        return strings(json(response.body()), "repositories");
    }

    private static void assertNothingStored(String repository) {
        assertFalse(catalog().contains(repository), repository + " must not be in the catalog");
        assertError(client().get("/v2/" + repository + "/tags/list"), 404, "NAME_UNKNOWN");
    }

    private static TestContent.ManifestBuilder image(String repository, long seed) {
        Blob config = client().pushBlob(repository, TestContent.config(seed));
        Blob layer = client().pushBlob(repository, TestContent.layer(seed, 256));
        return TestContent.image(config, layer);
    }

    // ---- repository names -----------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"Upper/case", "bad/Name", "a//b", "a/", "/a", "-a/b", "a/b-", "a/b..c", "a/.b", "a/b/",
            "a%2Fb", "a b"})
    void invalidNames_answer400NameInvalidEverywhere(String name) throws IOException {
        List<String> before = catalog();
        byte[] blob = TestContent.bytes(1, 10);
        Blob manifest = TestContent.image(TestContent.empty()).build();
        try (RawConnection c = SERVER.connect()) {
            String encoded = name.replace(" ", "%20");
            assertError(c.exchange("GET", "/v2/" + encoded + "/tags/list"), 400, "NAME_INVALID");
            assertError(c.exchange("GET", "/v2/" + encoded + "/manifests/latest"), 400, "NAME_INVALID");
            assertError(c.exchange("GET", "/v2/" + encoded + "/blobs/" + TestContent.digest(blob)), 400, "NAME_INVALID");
            assertError(c.exchange("POST", "/v2/" + encoded + "/blobs/uploads/", "Content-Length", "0"), 400,
                    "NAME_INVALID");
            c.send(requestHead("POST", "/v2/" + encoded + "/blobs/uploads/?digest=" + TestContent.digest(blob),
                    "Content-Length", "10"));
            c.send(blob);
            assertError(c.read(), 400, "NAME_INVALID");
            c.send(requestHead("PUT", "/v2/" + encoded + "/manifests/latest", "Content-Type", OCI_MANIFEST,
                    "Content-Length", Long.toString(manifest.size())));
            c.send(manifest.bytes());
            assertError(c.read(), 400, "NAME_INVALID");
        }
        assertEquals(before, catalog());
    }

    @Test
    void dotDotInName_answers400NameInvalid() throws IOException {
        List<String> before = catalog();
        try (RawConnection c = SERVER.connect()) {
            assertError(c.exchange("GET", "/v2/bad/../etc/tags/list"), 400, "NAME_INVALID");
            assertError(c.exchange("GET", "/v2/../../etc/manifests/latest"), 400, "NAME_INVALID");
            assertError(c.exchange("POST", "/v2/bad/../../../tmp/blobs/uploads/", "Content-Length", "0"), 400,
                    "NAME_INVALID");
        }
        assertEquals(before, catalog());
    }

    @Test
    void nameOf255Characters_isAcceptedAndOf256Rejected() {
        String longest = "long/" + "a".repeat(250);
        String tooLong = longest + "b";

        assertStatus(201, client().post("/v2/" + longest + "/blobs/uploads/?digest="
                + TestContent.digest(new byte[1]), new byte[1]));
        assertError(client().post("/v2/" + tooLong + "/blobs/uploads/?digest="
                + TestContent.digest(new byte[1]), new byte[1]), 400, "NAME_INVALID");
        assertError(client().get("/v2/" + tooLong + "/tags/list"), 400, "NAME_INVALID");
        assertTrue(catalog().contains(longest));
        assertFalse(catalog().contains(tooLong));
    }

    // ---- digests and tags -----------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"sha256:ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789", "sha256:abc",
            "md5:d41d8cd98f00b204e9800998ecf8427e", "sha256:", "sha256:zz"})
    void malformedManifestDigest_isUnknownOnReadsAndInvalidOnPushes(String digest) {
        Blob manifest = image("bad/manifest-digest", 2).build();
        client().pushManifest("bad/manifest-digest", "v1", manifest);

        assertError(client().get("/v2/bad/manifest-digest/manifests/" + digest), 404, "MANIFEST_UNKNOWN");
        assertStatus(404, client().head("/v2/bad/manifest-digest/manifests/" + digest));
        assertError(client().delete("/v2/bad/manifest-digest/manifests/" + digest), 404, "MANIFEST_UNKNOWN");
        assertError(client().putManifest("bad/manifest-digest", digest, manifest), 400, "DIGEST_INVALID");
        assertEquals(List.of("v1"), strings(json(client().get("/v2/bad/manifest-digest/tags/list").body()), "tags"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-leading-dash", ".leading-dot", "a+b",
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    void invalidTag_isUnknownOnReadsAndInvalidOnPushes(String tag) {
        client().pushManifest("bad/tag", "v1", image("bad/tag", 4).build());
        Blob manifest = image("bad/tag", 3).build();

        assertError(client().putManifest("bad/tag", tag, manifest), 400, "MANIFEST_INVALID");

        assertError(client().get("/v2/bad/tag/manifests/" + manifest.digest()), 404, "MANIFEST_UNKNOWN");
        assertEquals(List.of("v1"), strings(json(client().get("/v2/bad/tag/tags/list").body()), "tags"));
        // A reference that cannot exist is unknown on reads, as the OCI conformance suite, Distribution and zot expect.
        assertError(client().get("/v2/bad/tag/manifests/" + tag), 404, "MANIFEST_UNKNOWN");
        assertStatus(404, client().head("/v2/bad/tag/manifests/" + tag));
        assertError(client().delete("/v2/bad/tag/manifests/" + tag), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void tagOf128Characters_isAccepted() {
        String tag = "t".repeat(128);
        Blob manifest = image("bad/long-tag", 4).build();

        assertStatus(201, client().putManifest("bad/long-tag", tag, manifest));

        assertEquals(List.of(tag), strings(json(client().get("/v2/bad/long-tag/tags/list").body()), "tags"));
    }

    // ---- manifests ------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "{\"schemaVersion\":2,", "[]", "{\"schemaVersion\":1}",
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"}",
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{},\"layers\":[]}",
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"x/y\",\"digest\":\"sha256:abc\",\"size\":1},\"layers\":[]}",
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"layers\":[]}"})
    void malformedManifest_answers400ManifestInvalidAndStoresNothing(String body) {
        String repository = "bad/manifest-" + Integer.toHexString(body.hashCode());

        HttpResponse<byte[]> response = client().put("/v2/" + repository + "/manifests/v1", TestContent.utf8(body),
                "Content-Type", OCI_MANIFEST);

        assertError(response, 400, "MANIFEST_INVALID");
        assertNothingStored(repository);
    }

    @Test
    void contentTypeOtherThanTheMediaTypeField_answers400ManifestInvalid() {
        Blob manifest = image("bad/content-type", 5).build();

        HttpResponse<byte[]> response = client().put("/v2/bad/content-type/manifests/v1", manifest.bytes(),
                "Content-Type", ManifestJson.DOCKER_MANIFEST);

        assertError(response, 400, "MANIFEST_INVALID");
        assertEquals(List.of(), strings(json(client().get("/v2/bad/content-type/tags/list").body()), "tags"));
    }

    @Test
    void indexMediaTypeOnAnImageManifest_answers400ManifestInvalid() {
        Blob manifest = image("bad/index-type", 6).withoutMediaTypeField().build();

        HttpResponse<byte[]> response = client().put("/v2/bad/index-type/manifests/v1", manifest.bytes(),
                "Content-Type", OCI_INDEX);

        assertError(response, 400, "MANIFEST_INVALID");
        assertEquals(List.of(), strings(json(client().get("/v2/bad/index-type/tags/list").body()), "tags"));
    }

    @Test
    void unsupportedMediaType_answers400ManifestInvalid() {
        HttpResponse<byte[]> response = client().put("/v2/bad/media-type/manifests/v1",
                TestContent.utf8("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.example.thing\",\"layers\":[]}"),
                "Content-Type", "application/vnd.example.thing");

        assertError(response, 400, "MANIFEST_INVALID");
        assertNothingStored("bad/media-type");
    }

    @Test
    void manifestReferencingMissingBlobs_answersManifestBlobUnknownAndStoresNothing() {
        Blob config = TestContent.config(7);
        Blob layer = TestContent.layer(7, 100);
        Blob manifest = TestContent.image(config, layer).build();

        HttpResponse<byte[]> response = client().putManifest("bad/missing-blobs", "v1", manifest);

        assertError(response, 404, "MANIFEST_BLOB_UNKNOWN");
        assertNothingStored("bad/missing-blobs");
        assertError(client().get("/v2/bad/missing-blobs/manifests/" + manifest.digest()), 404, "NAME_UNKNOWN");
    }

    @Test
    void manifestMissingOneOfItsLayers_storesNothingInAnExistingRepository() {
        Blob config = client().pushBlob("bad/missing-layer", TestContent.config(8));
        Blob present = client().pushBlob("bad/missing-layer", TestContent.layer(8, 100));
        Blob absent = TestContent.layer(9, 100);
        Blob manifest = TestContent.image(config, present, absent).build();

        assertError(client().putManifest("bad/missing-layer", "v1", manifest), 404, "MANIFEST_BLOB_UNKNOWN");

        assertError(client().get("/v2/bad/missing-layer/manifests/v1"), 404, "MANIFEST_UNKNOWN");
        assertError(client().get("/v2/bad/missing-layer/manifests/" + manifest.digest()), 404, "MANIFEST_UNKNOWN");
        assertEquals(List.of(), strings(json(client().get("/v2/bad/missing-layer/tags/list").body()), "tags"));
    }

    @Test
    void overlongArtifactType_answers400ManifestInvalid() {
        String type = "application/vnd." + "x".repeat(300);
        Blob manifest = TestContent.image(TestContent.empty()).artifactType(type).build();

        assertError(client().putManifest("bad/artifact-type", "v1", manifest), 400, "MANIFEST_INVALID");

        assertNothingStored("bad/artifact-type");
    }

    @Test
    void overlongConfigMediaType_answers400ManifestInvalid() {
        Blob config = client().pushBlob("bad/config-type", new Blob("application/vnd." + "y".repeat(300),
                TestContent.config(10).bytes()));
        Blob manifest = TestContent.image(config).build();

        assertError(client().putManifest("bad/config-type", "v1", manifest), 400, "MANIFEST_INVALID");

        assertEquals(List.of(), strings(json(client().get("/v2/bad/config-type/tags/list").body()), "tags"));
    }

    // ---- size limit -----------------------------------------------------------------------

    /** A valid manifest of exactly {@code size} bytes: an artifact padded with an annotation. */
    private static Blob manifestOfSize(int size) {
        TestContent.ManifestBuilder builder = TestContent.image(TestContent.empty());
        int overhead = builder.annotation("pad", "").build().bytes().length;
        return builder.annotation("pad", "p".repeat(size - overhead)).build();
    }

    @Test
    void manifestOfExactlyTheLimit_isAccepted() {
        Blob manifest = manifestOfSize((int) RegistryServer.MAX_MANIFEST_SIZE);
        assertEquals(RegistryServer.MAX_MANIFEST_SIZE, manifest.size());

        assertStatus(201, client().putManifest("bad/size-limit", "v1", manifest));

        HttpResponse<byte[]> pulled = client().get("/v2/bad/size-limit/manifests/v1");
        assertStatus(200, pulled);
        assertEquals(manifest.digest(), TestContent.digest(pulled.body()));
    }

    @Test
    void manifestOverTheLimitWithContentLength_answers413AndStoresNothing() throws Exception {
        Blob manifest = manifestOfSize((int) RegistryServer.MAX_MANIFEST_SIZE + 1);

        try (RawConnection c = SERVER.connect()) {
            c.send(requestHead("PUT", "/v2/bad/too-large/manifests/v1", "Content-Type", OCI_MANIFEST,
                    "Content-Length", Long.toString(manifest.size())));
            // The limit is checked on the head: the answer comes before the body is sent.
            assertError(c.read(), 413, "MANIFEST_INVALID");
            assertTrue(c.closedByServer());
        }
        assertNothingStored("bad/too-large");
    }

    @Test
    void manifestOverTheLimitChunked_answers413AndStoresNothing() throws Exception {
        Blob manifest = manifestOfSize((int) RegistryServer.MAX_MANIFEST_SIZE + 1);

        try (RawConnection c = SERVER.connect()) {
            c.send(requestHead("PUT", "/v2/bad/too-large-chunked/manifests/v1", "Content-Type", OCI_MANIFEST,
                    "Transfer-Encoding", "chunked"));
            // The server answers as soon as it has seen too much and closes: write on another
            // thread so that a refused write cannot keep this one from reading the answer.
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try {
                    byte[] bytes = manifest.bytes();
                    for (int at = 0; at < bytes.length; at += 64 * 1024) {
                        int n = Math.min(64 * 1024, bytes.length - at);
                        c.send(Integer.toHexString(n) + "\r\n");
                        c.send(Arrays.copyOfRange(bytes, at, at + n));
                        c.send("\r\n");
                    }
                    c.send("0\r\n\r\n");
                } catch (IOException expected) {
                    // the server closed the connection after answering
                }
            });
            RawResponse response = c.read();
            assertError(response, 413, "MANIFEST_INVALID");
            assertTrue(c.closedByServer());
            writing.join();
        }
        assertNothingStored("bad/too-large-chunked");
    }

    @Test
    void requestLineLongerThanTheRegistryReads_is414AndHeadersTooLarge431() throws IOException {
        String tags = "?tag=" + "t".repeat(100) + "&tag=u".repeat(90);
        try (RawConnection c = SERVER.connect()) {
            assertError(c.exchange("GET", "/v2/bad/long/manifests/latest" + tags + "x".repeat(9000)), 414, "UNSUPPORTED");
        }
        try (RawConnection c = SERVER.connect()) {
            assertError(c.exchange("GET", "/v2/", "X-Filler", "x".repeat(20_000)), 431, "UNSUPPORTED");
        }
    }
}
