package io.berth.gateway.v2;

import io.berth.gateway.testing.RegistryServer;
import io.berth.gateway.testing.TestContent;
import io.berth.gateway.testing.TestContent.Blob;
import io.berth.gateway.testing.V2Client;
import io.berth.store.testing.ManifestJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.berth.gateway.testing.OciAssertions.assertError;
import static io.berth.gateway.testing.OciAssertions.assertHeader;
import static io.berth.gateway.testing.OciAssertions.assertNoHeader;
import static io.berth.gateway.testing.OciAssertions.assertStatus;
import static io.berth.gateway.testing.OciAssertions.header;
import static io.berth.gateway.testing.OciAssertions.json;
import static io.berth.gateway.testing.OciAssertions.strings;
import static io.berth.store.testing.ManifestJson.DOCKER_LIST;
import static io.berth.store.testing.ManifestJson.DOCKER_MANIFEST;
import static io.berth.store.testing.ManifestJson.OCI_INDEX;
import static io.berth.store.testing.ManifestJson.OCI_MANIFEST;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * end-3, end-7 and end-9: pushing, pulling and deleting manifests. A manifest is stored and served
 * byte for byte as pushed, with the media type it was pushed as, and never converted.
 */
class ManifestRoutesTest {
    @RegisterExtension
    static final RegistryServer SERVER = new RegistryServer();

    private static V2Client client() {
        return SERVER.client();
    }

    /** Pushes a config and a layer unique to {@code seed} and returns an OCI manifest over them. */
    private static TestContent.ManifestBuilder image(String repository, long seed) {
        Blob config = client().pushBlob(repository, TestContent.config(seed));
        Blob layer = client().pushBlob(repository, TestContent.layer(seed, 512));
        return TestContent.image(config, layer);
    }

    private static List<String> tags(String repository) {
        HttpResponse<byte[]> response = client().get("/v2/" + repository + "/tags/list");
        assertStatus(200, response);
        return strings(json(response.body()), "tags");
    }

    // ---- push -----------------------------------------------------------------------------

    @Test
    void putByTag_answers201WithLocationAndDigest() {
        Blob manifest = image("manifests/put-tag", 1).build();

        HttpResponse<byte[]> response = client().putManifest("manifests/put-tag", "v1", manifest);

        assertStatus(201, response);
        assertHeader("/v2/manifests/put-tag/manifests/" + manifest.digest(), response, "Location");
        assertHeader(manifest.digest(), response, "Docker-Content-Digest");
        assertNoHeader(response, "OCI-Subject");
        assertStatus(200, client().get(header(response, "Location")));
    }

    @Test
    void putByDigest_answers201AndIsPullableByThatDigest() {
        Blob manifest = image("manifests/put-digest", 2).build();

        HttpResponse<byte[]> response = client().putManifest("manifests/put-digest", manifest.digest(), manifest);

        assertStatus(201, response);
        assertHeader("/v2/manifests/put-digest/manifests/" + manifest.digest(), response, "Location");
        assertHeader(manifest.digest(), response, "Docker-Content-Digest");
        assertArrayEquals(manifest.bytes(), client().get("/v2/manifests/put-digest/manifests/" + manifest.digest()).body());
        assertEquals(List.of(), tags("manifests/put-digest"));
    }

    @Test
    void putByDigestOfOtherContent_answers400DigestInvalidAndStoresNothing() {
        Blob manifest = image("manifests/put-wrong-digest", 3).build();
        Blob other = image("manifests/put-wrong-digest", 4).build();

        HttpResponse<byte[]> response = client().putManifest("manifests/put-wrong-digest", other.digest(), manifest);

        assertError(response, 400, "DIGEST_INVALID");
        assertError(client().get("/v2/manifests/put-wrong-digest/manifests/" + manifest.digest()), 404,
                "MANIFEST_UNKNOWN");
        assertError(client().get("/v2/manifests/put-wrong-digest/manifests/" + other.digest()), 404,
                "MANIFEST_UNKNOWN");
    }

    @Test
    void contentTypeParameters_areIgnored() {
        Blob manifest = image("manifests/content-type-params", 5).build();

        HttpResponse<byte[]> response = client().put("/v2/manifests/content-type-params/manifests/v1",
                manifest.bytes(), "Content-Type", OCI_MANIFEST + "; charset=utf-8");

        assertStatus(201, response);
        assertHeader(OCI_MANIFEST, client().get("/v2/manifests/content-type-params/manifests/v1"), "Content-Type");
    }

    @Test
    void manifestWithoutContentType_isServedWithItsMediaTypeField() {
        Blob manifest = image("manifests/no-content-type", 6).build();

        assertStatus(201, client().put("/v2/manifests/no-content-type/manifests/v1", manifest.bytes()));

        assertHeader(OCI_MANIFEST, client().get("/v2/manifests/no-content-type/manifests/v1"), "Content-Type");
    }

    @Test
    void pushingATagAgain_movesIt() {
        Blob first = client().pushImage("manifests/retag", "latest", 7);
        Blob second = client().pushImage("manifests/retag", "latest", 8);

        HttpResponse<byte[]> response = client().get("/v2/manifests/retag/manifests/latest");

        assertArrayEquals(second.bytes(), response.body());
        assertStatus(200, client().get("/v2/manifests/retag/manifests/" + first.digest()));
    }

    @Test
    void artifactWithEmptyConfigAndNoLayers_isAccepted() {
        Blob artifact = TestContent.image(TestContent.empty()).artifactType("application/vnd.example.thing").build();

        assertStatus(201, client().putManifest("manifests/empty-artifact", "v1", artifact));

        assertArrayEquals(artifact.bytes(), client().get("/v2/manifests/empty-artifact/manifests/v1").body());
    }

    // ---- pull -----------------------------------------------------------------------------

    @Test
    void get_servesTheExactBytesWithTheirMediaTypeAndDigest() {
        TestContent.ManifestBuilder builder = image("manifests/exact", 9);
        // Indented, with a trailing newline: a registry that re-serialized would change the digest.
        byte[] bytes = (builder.json().toPrettyString() + "\n").getBytes(StandardCharsets.UTF_8);
        Blob manifest = new Blob(OCI_MANIFEST, bytes);
        client().pushManifest("manifests/exact", "v1", manifest);

        HttpResponse<byte[]> response = client().get("/v2/manifests/exact/manifests/v1");

        assertStatus(200, response);
        assertArrayEquals(bytes, response.body());
        assertHeader(OCI_MANIFEST, response, "Content-Type");
        assertHeader(manifest.digest(), response, "Docker-Content-Digest");
        assertHeader(Integer.toString(bytes.length), response, "Content-Length");
    }

    @Test
    void head_answersLengthTypeAndDigestWithoutBody() {
        Blob manifest = client().pushImage("manifests/head", "v1", 10);

        HttpResponse<byte[]> response = client().head("/v2/manifests/head/manifests/v1");

        assertStatus(200, response);
        assertEquals(0, response.body().length);
        assertHeader(Long.toString(manifest.size()), response, "Content-Length");
        assertHeader(manifest.digest(), response, "Docker-Content-Digest");
        assertHeader(OCI_MANIFEST, response, "Content-Type");
    }

    @Test
    void getByDigest_servesTheTaggedManifest() {
        Blob manifest = client().pushImage("manifests/by-digest", "v1", 11);

        HttpResponse<byte[]> response = client().get("/v2/manifests/by-digest/manifests/" + manifest.digest());

        assertStatus(200, response);
        assertArrayEquals(manifest.bytes(), response.body());
        assertHeader(manifest.digest(), response, "Docker-Content-Digest");
        assertStatus(200, client().head("/v2/manifests/by-digest/manifests/" + manifest.digest()));
    }

    @Test
    void dockerManifest_isServedAsADockerManifest() {
        Blob config = client().pushBlob("manifests/docker", new Blob(ManifestJson.DOCKER_CONFIG,
                TestContent.config(12).bytes()));
        Blob layer = client().pushBlob("manifests/docker", new Blob(ManifestJson.DOCKER_LAYER, TestContent.bytes(12, 300)));
        Blob manifest = client().pushManifest("manifests/docker", "v1", TestContent.dockerImage(config, layer).build());

        HttpResponse<byte[]> response = client().get("/v2/manifests/docker/manifests/v1",
                "Accept", DOCKER_MANIFEST + ", " + DOCKER_LIST + ", " + OCI_MANIFEST + ", " + OCI_INDEX);

        assertStatus(200, response);
        assertHeader(DOCKER_MANIFEST, response, "Content-Type");
        assertArrayEquals(manifest.bytes(), response.body());
    }

    @Test
    void unknownRepository_answers404NameUnknown() {
        assertError(client().get("/v2/manifests/nowhere/manifests/latest"), 404, "NAME_UNKNOWN");
        assertStatus(404, client().head("/v2/manifests/nowhere/manifests/latest"));
        assertError(client().delete("/v2/manifests/nowhere/manifests/latest"), 404, "NAME_UNKNOWN");
    }

    @Test
    void unknownTagOrDigest_answers404ManifestUnknown() {
        client().pushImage("manifests/unknown-ref", "v1", 13);
        String digest = TestContent.digest(TestContent.bytes(14, 10));

        assertError(client().get("/v2/manifests/unknown-ref/manifests/v2"), 404, "MANIFEST_UNKNOWN");
        assertStatus(404, client().head("/v2/manifests/unknown-ref/manifests/v2"));
        assertError(client().get("/v2/manifests/unknown-ref/manifests/" + digest), 404, "MANIFEST_UNKNOWN");
    }

    // ---- content negotiation --------------------------------------------------------------

    @Test
    void acceptListingTheStoredType_servesIt() {
        Blob manifest = client().pushImage("manifests/accept-listed", "v1", 15);

        HttpResponse<byte[]> response = client().get("/v2/manifests/accept-listed/manifests/v1",
                "Accept", DOCKER_MANIFEST + ";q=0.9, " + OCI_MANIFEST + ";q=0.5");

        assertStatus(200, response);
        assertHeader(OCI_MANIFEST, response, "Content-Type");
        assertArrayEquals(manifest.bytes(), response.body());
    }

    @Test
    void acceptInSeveralHeaders_isReadWhole() {
        Blob manifest = client().pushImage("manifests/accept-several", "v1", 16);

        HttpResponse<byte[]> response = client().get("/v2/manifests/accept-several/manifests/v1",
                "Accept", DOCKER_MANIFEST, "Accept", OCI_MANIFEST);

        assertStatus(200, response);
        assertArrayEquals(manifest.bytes(), response.body());
    }

    @Test
    void acceptWildcardOrNone_servesTheStoredType() {
        Blob manifest = client().pushImage("manifests/accept-any", "v1", 17);

        HttpResponse<byte[]> wildcard = client().get("/v2/manifests/accept-any/manifests/v1", "Accept", "*/*");
        HttpResponse<byte[]> none = client().get("/v2/manifests/accept-any/manifests/v1");
        HttpResponse<byte[]> json = client().get("/v2/manifests/accept-any/manifests/v1", "Accept", "application/json");

        for (HttpResponse<byte[]> response : List.of(wildcard, none, json)) {
            assertStatus(200, response);
            assertHeader(OCI_MANIFEST, response, "Content-Type");
            assertArrayEquals(manifest.bytes(), response.body());
        }
    }

    @Test
    void acceptListingOnlyOtherManifestTypes_answers404ManifestUnknown() {
        Blob manifest = client().pushImage("manifests/accept-other", "v1", 18);
        String dockerOnly = DOCKER_MANIFEST + ", " + DOCKER_LIST;

        assertError(client().get("/v2/manifests/accept-other/manifests/v1", "Accept", dockerOnly), 404,
                "MANIFEST_UNKNOWN");
        assertError(client().get("/v2/manifests/accept-other/manifests/" + manifest.digest(), "Accept", dockerOnly),
                404, "MANIFEST_UNKNOWN");
        assertStatus(404, client().head("/v2/manifests/accept-other/manifests/v1", "Accept", dockerOnly));
        // The manifest is still there for a client that accepts it.
        assertStatus(200, client().get("/v2/manifests/accept-other/manifests/v1", "Accept", OCI_MANIFEST));
    }

    @Test
    void acceptWeightingTheStoredTypeZero_answers404EvenWithAWildcard() {
        client().pushImage("manifests/accept-q0", "v1", 20);
        String path = "/v2/manifests/accept-q0/manifests/v1";

        assertError(client().get(path, "Accept", OCI_MANIFEST + ";q=0"), 404, "MANIFEST_UNKNOWN");
        assertError(client().get(path, "Accept", "*/*, " + OCI_MANIFEST + "; q=0.0"), 404, "MANIFEST_UNKNOWN");
        assertError(client().get(path, "Accept", DOCKER_MANIFEST + ", application/*;q=0"), 404, "MANIFEST_UNKNOWN");
        assertStatus(200, client().get(path, "Accept", OCI_MANIFEST + ";q=0.01"));
        assertStatus(200, client().get(path, "Accept", DOCKER_MANIFEST + ";q=0, */*"));
    }

    @Test
    void dockerManifest_isNeverConvertedForAnOciOnlyClient() {
        Blob config = client().pushBlob("manifests/no-conversion", new Blob(ManifestJson.DOCKER_CONFIG,
                TestContent.config(19).bytes()));
        Blob layer = client().pushBlob("manifests/no-conversion", new Blob(ManifestJson.DOCKER_LAYER,
                TestContent.bytes(19, 300)));
        client().pushManifest("manifests/no-conversion", "v1", TestContent.dockerImage(config, layer).build());

        HttpResponse<byte[]> response = client().get("/v2/manifests/no-conversion/manifests/v1",
                "Accept", OCI_MANIFEST + ", " + OCI_INDEX);

        assertError(response, 404, "MANIFEST_UNKNOWN");
    }

    // ---- subject and indexes --------------------------------------------------------------

    @Test
    void putWithSubject_answersOciSubject() {
        Blob subject = client().pushImage("manifests/subject", "v1", 20);
        Blob referrer = TestContent.image(TestContent.empty()).artifactType("application/vnd.example.sbom")
                .subject(subject).build();

        HttpResponse<byte[]> response = client().putManifest("manifests/subject", referrer.digest(), referrer);

        assertStatus(201, response);
        assertHeader(subject.digest(), response, "OCI-Subject");
        assertHeader(referrer.digest(), response, "Docker-Content-Digest");
    }

    @Test
    void putWithUnknownSubject_isAccepted() {
        client().pushImage("manifests/subject-unknown", "v1", 21);
        Blob absent = new Blob(OCI_MANIFEST, TestContent.bytes(22, 100));
        Blob referrer = TestContent.image(TestContent.empty()).artifactType("application/vnd.example.sig")
                .subject(absent).build();

        HttpResponse<byte[]> response = client().putManifest("manifests/subject-unknown", referrer.digest(), referrer);

        assertStatus(201, response);
        assertHeader(absent.digest(), response, "OCI-Subject");
    }

    @Test
    void indexOfPushedManifests_isStoredAndItsChildrenPullable() {
        Blob amd64 = image("manifests/index", 23).build();
        Blob arm64 = image("manifests/index", 24).build();
        client().pushManifest("manifests/index", amd64.digest(), amd64);
        client().pushManifest("manifests/index", arm64.digest(), arm64);
        Blob index = TestContent.index(OCI_INDEX, amd64, arm64).build();

        HttpResponse<byte[]> response = client().putManifest("manifests/index", "multi", index);

        assertStatus(201, response);
        assertHeader(index.digest(), response, "Docker-Content-Digest");
        HttpResponse<byte[]> pulled = client().get("/v2/manifests/index/manifests/multi", "Accept", OCI_INDEX);
        assertStatus(200, pulled);
        assertHeader(OCI_INDEX, pulled, "Content-Type");
        assertArrayEquals(index.bytes(), pulled.body());
        assertArrayEquals(amd64.bytes(), client().get("/v2/manifests/index/manifests/" + amd64.digest()).body());
        assertArrayEquals(arm64.bytes(), client().get("/v2/manifests/index/manifests/" + arm64.digest()).body());
    }

    @Test
    void dockerManifestList_isServedAsSuch() {
        Blob config = client().pushBlob("manifests/list", new Blob(ManifestJson.DOCKER_CONFIG, TestContent.config(25).bytes()));
        Blob layer = client().pushBlob("manifests/list", new Blob(ManifestJson.DOCKER_LAYER, TestContent.bytes(25, 300)));
        Blob child = TestContent.dockerImage(config, layer).build();
        client().pushManifest("manifests/list", child.digest(), child);
        Blob list = client().pushManifest("manifests/list", "multi", TestContent.index(DOCKER_LIST, child).build());

        HttpResponse<byte[]> response = client().get("/v2/manifests/list/manifests/multi",
                "Accept", DOCKER_LIST + ", " + DOCKER_MANIFEST);

        assertStatus(200, response);
        assertHeader(DOCKER_LIST, response, "Content-Type");
        assertArrayEquals(list.bytes(), response.body());
    }

    @Test
    void indexWithAnUnknownChild_answers404ManifestBlobUnknownAndStoresNothing() {
        Blob known = client().pushImage("manifests/index-missing", "child", 26);
        Blob missing = image("manifests/index-missing", 27).build();
        Blob index = TestContent.index(OCI_INDEX, known, missing).build();

        HttpResponse<byte[]> response = client().putManifest("manifests/index-missing", "multi", index);

        assertError(response, 404, "MANIFEST_BLOB_UNKNOWN");
        assertError(client().get("/v2/manifests/index-missing/manifests/multi"), 404, "MANIFEST_UNKNOWN");
        assertError(client().get("/v2/manifests/index-missing/manifests/" + index.digest()), 404, "MANIFEST_UNKNOWN");
        assertEquals(List.of("child"), tags("manifests/index-missing"));
    }

    // ---- delete ---------------------------------------------------------------------------

    @Test
    void deleteByDigest_answers202AndRemovesTheManifestWithItsTags() {
        Blob manifest = client().pushImage("manifests/delete-digest", "a", 28);
        client().pushManifest("manifests/delete-digest", "b", manifest);
        Blob kept = client().pushImage("manifests/delete-digest", "c", 29);
        String path = "/v2/manifests/delete-digest/manifests/" + manifest.digest();

        assertStatus(202, client().delete(path));

        assertError(client().get(path), 404, "MANIFEST_UNKNOWN");
        assertStatus(404, client().head(path));
        assertError(client().get("/v2/manifests/delete-digest/manifests/a"), 404, "MANIFEST_UNKNOWN");
        assertError(client().get("/v2/manifests/delete-digest/manifests/b"), 404, "MANIFEST_UNKNOWN");
        assertEquals(List.of("c"), tags("manifests/delete-digest"));
        assertArrayEquals(kept.bytes(), client().get("/v2/manifests/delete-digest/manifests/c").body());
        assertError(client().delete(path), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void deleteByTag_removesOnlyTheTag() {
        Blob manifest = client().pushImage("manifests/delete-tag", "a", 30);
        client().pushManifest("manifests/delete-tag", "b", manifest);

        assertStatus(202, client().delete("/v2/manifests/delete-tag/manifests/a"));

        assertError(client().get("/v2/manifests/delete-tag/manifests/a"), 404, "MANIFEST_UNKNOWN");
        assertArrayEquals(manifest.bytes(), client().get("/v2/manifests/delete-tag/manifests/b").body());
        assertArrayEquals(manifest.bytes(),
                client().get("/v2/manifests/delete-tag/manifests/" + manifest.digest()).body());
        assertEquals(List.of("b"), tags("manifests/delete-tag"));
        assertError(client().delete("/v2/manifests/delete-tag/manifests/a"), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void deleteJustAfterPull_isNotHiddenByACachedCopy() {
        Blob manifest = client().pushImage("manifests/delete-cached", "v1", 31);
        assertStatus(200, client().get("/v2/manifests/delete-cached/manifests/v1"));
        assertStatus(200, client().get("/v2/manifests/delete-cached/manifests/" + manifest.digest()));

        assertStatus(202, client().delete("/v2/manifests/delete-cached/manifests/" + manifest.digest()));

        assertError(client().get("/v2/manifests/delete-cached/manifests/v1"), 404, "MANIFEST_UNKNOWN");
        assertError(client().get("/v2/manifests/delete-cached/manifests/" + manifest.digest()), 404,
                "MANIFEST_UNKNOWN");
        assertFalse(tags("manifests/delete-cached").contains("v1"));
    }
}
