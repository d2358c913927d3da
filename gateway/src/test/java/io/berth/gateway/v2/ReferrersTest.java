package io.berth.gateway.v2;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.gateway.testing.RegistryServer;
import io.berth.gateway.testing.TestContent;
import io.berth.gateway.testing.TestContent.Blob;
import io.berth.gateway.testing.V2Client;
import io.berth.store.testing.ManifestJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static io.berth.gateway.testing.OciAssertions.assertError;
import static io.berth.gateway.testing.OciAssertions.assertHeader;
import static io.berth.gateway.testing.OciAssertions.assertNoHeader;
import static io.berth.gateway.testing.OciAssertions.assertStatus;
import static io.berth.gateway.testing.OciAssertions.json;
import static io.berth.store.testing.ManifestJson.OCI_INDEX;
import static io.berth.store.testing.ManifestJson.OCI_MANIFEST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * end-12a and end-12b: the referrers API answers an image index of the manifests whose
 * {@code subject} is the given digest, with their artifact types and annotations.
 */
class ReferrersTest {
    @RegisterExtension
    static final RegistryServer SERVER = new RegistryServer();

    private static final String SBOM = "application/vnd.example.sbom.v1+json";
    private static final String SIGNATURE_CONFIG = "application/vnd.example.signature.config.v1+json";

    private static V2Client client() {
        return SERVER.client();
    }

    /** The referrers of the answer by digest; asserts the index shape on the way. */
    private static Map<String, JsonNode> referrers(HttpResponse<byte[]> response) {
        assertStatus(200, response);
        assertHeader(OCI_INDEX, response, "Content-Type");
        JsonNode index = json(response.body());
        assertEquals(2, index.get("schemaVersion").asInt());
        assertEquals(OCI_INDEX, index.get("mediaType").asText());
        assertTrue(index.get("manifests").isArray(), index.toString());
        Map<String, JsonNode> byDigest = new HashMap<>();
        index.get("manifests").forEach(d -> byDigest.put(d.get("digest").asText(), d));
        return byDigest;
    }

    /** A subject image and three referrers: an SBOM, a signature (typed by its config) and an index. */
    private record Graph(Blob subject, Blob sbom, Blob signature, Blob index) {
    }

    private static Graph pushGraph(String repository, long seed) {
        Blob subject = client().pushImage(repository, "v1", seed);
        Blob sbom = TestContent.image(TestContent.empty()).artifactType(SBOM).subject(subject)
                .annotation("org.opencontainers.image.created", "2024-01-01T00:00:00Z")
                .annotation("org.example.sbom.format", "spdx").build();
        client().pushManifest(repository, sbom.digest(), sbom);
        Blob signatureConfig = client().pushBlob(repository, new Blob(SIGNATURE_CONFIG,
                TestContent.utf8("{\"signed\":" + seed + "}")));
        Blob signature = TestContent.image(signatureConfig).subject(subject)
                .annotation("org.example.signature.fingerprint", "abcd").build();
        client().pushManifest(repository, signature.digest(), signature);
        Blob index = TestContent.index(OCI_INDEX, sbom).subject(subject)
                .annotation("org.example.kind", "bundle").build();
        client().pushManifest(repository, index.digest(), index);
        return new Graph(subject, sbom, signature, index);
    }

    @Test
    void referrers_areListedWithArtifactTypesAndAnnotations() {
        Graph g = pushGraph("referrers/all", 1);

        Map<String, JsonNode> listed = referrers(client().get("/v2/referrers/all/referrers/" + g.subject().digest()));

        assertEquals(3, listed.size(), listed.toString());
        JsonNode sbom = listed.get(g.sbom().digest());
        assertEquals(OCI_MANIFEST, sbom.get("mediaType").asText());
        assertEquals(g.sbom().size(), sbom.get("size").asLong());
        assertEquals(SBOM, sbom.get("artifactType").asText());
        assertEquals("spdx", sbom.get("annotations").get("org.example.sbom.format").asText());
        assertEquals("2024-01-01T00:00:00Z", sbom.get("annotations").get("org.opencontainers.image.created").asText());

        JsonNode signature = listed.get(g.signature().digest());
        assertEquals(SIGNATURE_CONFIG, signature.get("artifactType").asText(),
                "a manifest without artifactType is typed by its config's media type");
        assertEquals("abcd", signature.get("annotations").get("org.example.signature.fingerprint").asText());

        JsonNode index = listed.get(g.index().digest());
        assertEquals(OCI_INDEX, index.get("mediaType").asText());
        assertEquals(g.index().size(), index.get("size").asLong());
        assertNull(index.get("artifactType"), "an index without artifactType has none in its descriptor");
        assertEquals("bundle", index.get("annotations").get("org.example.kind").asText());
    }

    @Test
    void emptyArtifactType_countsAsMissing() {
        Blob subject = client().pushImage("referrers/empty-type", "v1", 12);
        Blob signatureConfig = client().pushBlob("referrers/empty-type", new Blob(SIGNATURE_CONFIG,
                TestContent.utf8("{\"signed\":12}")));
        Blob manifest = TestContent.image(signatureConfig).artifactType("").subject(subject).build();
        client().pushManifest("referrers/empty-type", manifest.digest(), manifest);
        Blob index = TestContent.index(OCI_INDEX, manifest).artifactType("").subject(subject).build();
        client().pushManifest("referrers/empty-type", index.digest(), index);

        Map<String, JsonNode> listed = referrers(client().get("/v2/referrers/empty-type/referrers/"
                + subject.digest()));

        assertEquals(SIGNATURE_CONFIG, listed.get(manifest.digest()).get("artifactType").asText(),
                "an image manifest with an empty artifactType is typed by its config's media type");
        assertNull(listed.get(index.digest()).get("artifactType"),
                "an index with an empty artifactType has none in its descriptor");
    }

    @Test
    void unfilteredListing_hasNoFiltersAppliedHeader() {
        Graph g = pushGraph("referrers/unfiltered", 2);

        assertNoHeader(client().get("/v2/referrers/unfiltered/referrers/" + g.subject().digest()),
                "OCI-Filters-Applied");
    }

    @Test
    void artifactTypeFilter_keepsOnlyThatTypeAndSaysSo() {
        Graph g = pushGraph("referrers/filtered", 3);

        HttpResponse<byte[]> response = client().get("/v2/referrers/filtered/referrers/" + g.subject().digest()
                + "?artifactType=" + URLEncoder.encode(SBOM, StandardCharsets.UTF_8));

        assertEquals(Map.of(g.sbom().digest(), g.sbom().digest()), digests(referrers(response)));
        assertHeader("artifactType", response, "OCI-Filters-Applied");
    }

    @Test
    void artifactTypeFilterMatchingNothing_answersAnEmptyIndex() {
        Graph g = pushGraph("referrers/filtered-none", 4);

        HttpResponse<byte[]> response = client().get("/v2/referrers/filtered-none/referrers/" + g.subject().digest()
                + "?artifactType=application%2Fvnd.example.none");

        assertTrue(referrers(response).isEmpty());
        assertHeader("artifactType", response, "OCI-Filters-Applied");
    }

    @Test
    void manifestsWithOtherSubjectsOrInOtherRepositories_areNotListed() {
        Graph g = pushGraph("referrers/scoped", 5);
        Blob other = client().pushImage("referrers/scoped", "other", 6);
        Blob unrelated = TestContent.image(TestContent.empty()).artifactType(SBOM).subject(other).build();
        client().pushManifest("referrers/scoped", unrelated.digest(), unrelated);
        Blob elsewhere = TestContent.image(TestContent.empty()).artifactType("application/vnd.example.elsewhere")
                .subject(g.subject()).build();
        client().pushManifest("referrers/neighbour", elsewhere.digest(), elsewhere);

        Map<String, JsonNode> listed = referrers(client().get("/v2/referrers/scoped/referrers/" + g.subject().digest()));

        assertEquals(3, listed.size());
        assertFalse(listed.containsKey(unrelated.digest()));
        assertFalse(listed.containsKey(elsewhere.digest()));
    }

    @Test
    void deletedReferrer_isNoLongerListed() {
        Graph g = pushGraph("referrers/deleted", 7);

        assertStatus(202, client().delete("/v2/referrers/deleted/manifests/" + g.sbom().digest()));

        Map<String, JsonNode> listed = referrers(client().get("/v2/referrers/deleted/referrers/" + g.subject().digest()));
        assertEquals(2, listed.size());
        assertFalse(listed.containsKey(g.sbom().digest()));
    }

    @Test
    void subjectWithoutReferrers_answers200WithAnEmptyIndex() {
        Blob lonely = client().pushImage("referrers/none", "v1", 8);

        assertTrue(referrers(client().get("/v2/referrers/none/referrers/" + lonely.digest())).isEmpty());
        assertTrue(referrers(client().get("/v2/referrers/none/referrers/"
                + TestContent.digest(TestContent.bytes(9, 10)))).isEmpty());
    }

    @Test
    void unknownRepository_answers200WithAnEmptyIndex() {
        assertTrue(referrers(client().get("/v2/referrers/nowhere/referrers/"
                + TestContent.digest(TestContent.bytes(10, 10)))).isEmpty());
    }

    @Test
    void malformedDigest_answers400DigestInvalid() {
        client().pushImage("referrers/bad-digest", "v1", 11);

        assertError(client().get("/v2/referrers/bad-digest/referrers/v1"), 400, "DIGEST_INVALID");
        assertError(client().get("/v2/referrers/bad-digest/referrers/sha256:ABC"), 400, "DIGEST_INVALID");
    }

    private static Map<String, String> digests(Map<String, JsonNode> listed) {
        Map<String, String> m = new HashMap<>();
        listed.keySet().forEach(d -> m.put(d, d));
        return m;
    }
}
