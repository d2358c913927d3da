package io.berth.store.manifest;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.oci.Descriptor;
import io.berth.store.oci.Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.stream.Stream;

import static io.berth.store.testing.ManifestJson.DOCKER_CONFIG;
import static io.berth.store.testing.ManifestJson.DOCKER_FOREIGN_LAYER;
import static io.berth.store.testing.ManifestJson.DOCKER_LAYER;
import static io.berth.store.testing.ManifestJson.DOCKER_LIST;
import static io.berth.store.testing.ManifestJson.DOCKER_MANIFEST;
import static io.berth.store.testing.ManifestJson.EMPTY_DIGEST;
import static io.berth.store.testing.ManifestJson.OCI_CONFIG;
import static io.berth.store.testing.ManifestJson.OCI_EMPTY;
import static io.berth.store.testing.ManifestJson.OCI_INDEX;
import static io.berth.store.testing.ManifestJson.OCI_LAYER;
import static io.berth.store.testing.ManifestJson.OCI_MANIFEST;
import static io.berth.store.testing.ManifestJson.descriptor;
import static io.berth.store.testing.ManifestJson.emptyConfig;
import static io.berth.store.testing.ManifestJson.image;
import static io.berth.store.testing.ManifestJson.index;
import static io.berth.store.testing.ManifestJson.subject;
import static io.berth.store.testing.ManifestJson.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManifestParserTest {
    private static final String CONFIG = "sha256:" + "c".repeat(64);
    private static final String LAYER1 = "sha256:" + "1".repeat(64);
    private static final String LAYER2 = "sha256:" + "2".repeat(64);
    private static final String CHILD1 = "sha256:" + "d".repeat(64);
    private static final String CHILD2 = "sha256:" + "e".repeat(64);
    private static final String SUBJECT = "sha256:" + "f".repeat(64);

    private static ParsedManifest parse(String json, String contentType) {
        return ManifestParser.parse(utf8(json), contentType);
    }

    private static List<String> digests(List<Descriptor> descriptors) {
        return descriptors.stream().map(d -> d.digest().toString()).toList();
    }

    private static void assertInvalid(String json, String contentType) {
        RegistryException e = assertThrows(RegistryException.class, () -> parse(json, contentType));
        assertEquals(ErrorCode.MANIFEST_INVALID, e.code(), e.getMessage());
    }

    private static String ociImage() {
        return image(OCI_MANIFEST, descriptor(OCI_CONFIG, CONFIG, 100), null,
                descriptor(OCI_LAYER, LAYER1, 1000), descriptor(OCI_LAYER, LAYER2, 2000));
    }

    // ---- what is accepted -----------------------------------------------------------------

    @Test
    void parse_ociManifest_needsConfigAndLayersInOrder() {
        ParsedManifest parsed = parse(ociImage(), OCI_MANIFEST);

        assertEquals(OCI_MANIFEST, parsed.mediaType());
        assertFalse(parsed.isIndex());
        assertEquals(List.of(CONFIG, LAYER1, LAYER2), digests(parsed.blobs()));
        assertEquals(List.of(100L, 1000L, 2000L), parsed.blobs().stream().map(Descriptor::size).toList());
        assertTrue(parsed.children().isEmpty());
        assertNull(parsed.subject());
    }

    @Test
    void parse_ociManifestWithoutContentType_usesItsMediaTypeField() {
        assertEquals(OCI_MANIFEST, parse(ociImage(), null).mediaType());
    }

    @Test
    void parse_contentTypeWithParameters_isComparedWithoutThem() {
        assertEquals(OCI_MANIFEST, parse(ociImage(), OCI_MANIFEST + "; charset=utf-8").mediaType());
    }

    @Test
    void parse_manifestWithoutMediaTypeField_takesItFromContentType() {
        String json = image(null, descriptor(DOCKER_CONFIG, CONFIG, 10), null, descriptor(DOCKER_LAYER, LAYER1, 20));

        assertEquals(DOCKER_MANIFEST, parse(json, DOCKER_MANIFEST).mediaType());
    }

    @Test
    void parse_manifestWithoutMediaTypeOrContentType_isReadAsOciManifest() {
        String json = image(null, descriptor(OCI_CONFIG, CONFIG, 10), null, descriptor(OCI_LAYER, LAYER1, 20));

        assertEquals(OCI_MANIFEST, parse(json, "application/octet-stream").mediaType());
    }

    @Test
    void parse_ociIndex_listsChildrenAndNoBlobs() {
        String json = index(OCI_INDEX, null, descriptor(OCI_MANIFEST, CHILD1, 500), descriptor(OCI_MANIFEST, CHILD2, 600));

        ParsedManifest parsed = parse(json, OCI_INDEX);

        assertEquals(OCI_INDEX, parsed.mediaType());
        assertTrue(parsed.isIndex());
        assertEquals(List.of(CHILD1, CHILD2), digests(parsed.children()));
        assertTrue(parsed.blobs().isEmpty());
        assertNull(parsed.artifactType());
    }

    @Test
    void parse_emptyIndex_isAccepted() {
        ParsedManifest parsed = parse(index(OCI_INDEX, null), OCI_INDEX);

        assertTrue(parsed.isIndex());
        assertTrue(parsed.children().isEmpty());
    }

    @Test
    void parse_indexWithoutMediaType_isInferredFromManifestsArray() {
        String json = index(null, null, descriptor(OCI_MANIFEST, CHILD1, 500));

        assertEquals(OCI_INDEX, parse(json, null).mediaType());
    }

    @Test
    void parse_dockerSchema2Manifest_needsConfigAndLayers() {
        String json = image(DOCKER_MANIFEST, descriptor(DOCKER_CONFIG, CONFIG, 10), null, descriptor(DOCKER_LAYER, LAYER1, 20));

        ParsedManifest parsed = parse(json, DOCKER_MANIFEST);

        assertEquals(DOCKER_MANIFEST, parsed.mediaType());
        assertEquals(List.of(CONFIG, LAYER1), digests(parsed.blobs()));
        assertEquals(DOCKER_CONFIG, parsed.artifactType());
    }

    @Test
    void parse_dockerManifestList_listsChildren() {
        String json = index(DOCKER_LIST, null, descriptor(DOCKER_MANIFEST, CHILD1, 500));

        ParsedManifest parsed = parse(json, DOCKER_LIST);

        assertEquals(DOCKER_LIST, parsed.mediaType());
        assertTrue(parsed.isIndex());
        assertEquals(List.of(CHILD1), digests(parsed.children()));
    }

    @Test
    void parse_artifactWithEmptyConfig_reportsItsArtifactTypeAndSubject() {
        String json = image(OCI_MANIFEST, emptyConfig(),
                "\"artifactType\":\"application/vnd.example.sbom.v1+json\"," + subject(OCI_MANIFEST, SUBJECT, 700)
                        + ",\"annotations\":{\"org.opencontainers.image.created\":\"2024-01-01T00:00:00Z\"}",
                descriptor("application/vnd.example.sbom.v1+json", LAYER1, 30));

        ParsedManifest parsed = parse(json, OCI_MANIFEST);

        assertEquals("application/vnd.example.sbom.v1+json", parsed.artifactType());
        assertEquals(SUBJECT, parsed.subject().digest().toString());
        assertEquals(700, parsed.subject().size());
        assertEquals(OCI_MANIFEST, parsed.subject().mediaType());
        assertEquals(List.of(EMPTY_DIGEST, LAYER1), digests(parsed.blobs()));
        assertEquals("{\"org.opencontainers.image.created\":\"2024-01-01T00:00:00Z\"}", parsed.annotationsJson());
    }

    @Test
    void parse_manifestWithoutArtifactType_fallsBackToConfigMediaType() {
        String json = image(OCI_MANIFEST, descriptor("application/vnd.example.signature.config.v1+json", CONFIG, 10), null);

        assertEquals("application/vnd.example.signature.config.v1+json", parse(json, OCI_MANIFEST).artifactType());
    }

    @Test
    void parse_artifactWithEmptyConfigAndNoArtifactType_reportsEmptyMediaType() {
        String json = image(OCI_MANIFEST, emptyConfig(), null);

        assertEquals(OCI_EMPTY, parse(json, OCI_MANIFEST).artifactType());
    }

    @Test
    void parse_indexWithSubjectAndArtifactType_reportsBoth() {
        String json = index(OCI_INDEX, "\"artifactType\":\"application/vnd.example.bundle\"," + subject(OCI_INDEX, SUBJECT, 9),
                descriptor(OCI_MANIFEST, CHILD1, 500));

        ParsedManifest parsed = parse(json, OCI_INDEX);

        assertEquals("application/vnd.example.bundle", parsed.artifactType());
        assertEquals(SUBJECT, parsed.subject().digest().toString());
    }

    @Test
    void parse_nonDistributableLayers_areNotRequired() {
        String json = image(DOCKER_MANIFEST, descriptor(DOCKER_CONFIG, CONFIG, 10), null,
                descriptor(DOCKER_FOREIGN_LAYER, LAYER1, 20),
                descriptor("application/vnd.oci.image.layer.nondistributable.v1.tar+gzip", LAYER2, 30),
                descriptor(DOCKER_LAYER, CHILD1, 40));

        ParsedManifest parsed = parse(json, DOCKER_MANIFEST);

        assertEquals(List.of(CONFIG, CHILD1), digests(parsed.blobs()));
    }

    @Test
    void parse_descriptorAnnotationsAndArtifactType_areKept() {
        String child = "{\"mediaType\":\"" + OCI_MANIFEST + "\",\"digest\":\"" + CHILD1 + "\",\"size\":5,"
                + "\"artifactType\":\"application/x\",\"annotations\":{\"k\":\"v\"}}";

        Descriptor parsed = parse(index(OCI_INDEX, null, child), OCI_INDEX).children().get(0);

        assertEquals("application/x", parsed.artifactType());
        assertEquals("{\"k\":\"v\"}", parsed.annotationsJson());
    }

    @Test
    void parse_sha512Descriptors_areAccepted() {
        String sha512 = "sha512:" + "a".repeat(128);
        String json = image(OCI_MANIFEST, descriptor(OCI_CONFIG, sha512, 10), null);

        assertEquals(Digest.parse(sha512), parse(json, OCI_MANIFEST).blobs().get(0).digest());
    }

    // ---- what is refused ------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{", "not json", "{\"schemaVersion\":2,}", "[]", "\"text\"", "42", "null"})
    void parse_bodyThatIsNoJsonObject_failsWithManifestInvalid(String body) {
        assertInvalid(body, OCI_MANIFEST);
    }

    @Test
    void parse_jsonObjectFollowedByMoreContent_failsWithManifestInvalid() {
        assertInvalid(ociImage() + "{\"schemaVersion\":1}", OCI_MANIFEST);
    }

    @Test
    void parse_manifestEndingInWhitespace_isAccepted() {
        assertEquals(OCI_MANIFEST, parse(ociImage() + "\n\t \n", OCI_MANIFEST).mediaType());
    }

    @Test
    void parse_duplicateTopLevelKey_failsWithManifestInvalid() {
        String json = ociImage().replaceFirst("\\{", "{\"mediaType\":\"" + DOCKER_MANIFEST + "\",");

        assertInvalid(json, null);
    }

    @Test
    void parse_duplicateKeyInsideDescriptor_failsWithManifestInvalid() {
        String layer = "{\"mediaType\":\"" + OCI_LAYER + "\",\"digest\":\"" + LAYER1 + "\",\"digest\":\"" + LAYER2
                + "\",\"size\":1}";

        assertInvalid(image(OCI_MANIFEST, descriptor(OCI_CONFIG, CONFIG, 10), null, layer), OCI_MANIFEST);
    }

    @Test
    void parse_schemaVersion1_failsWithManifestInvalid() {
        String json = "{\"schemaVersion\":1,\"name\":\"library/x\",\"tag\":\"latest\",\"fsLayers\":[],\"history\":[]}";

        assertInvalid(json, "application/vnd.docker.distribution.manifest.v1+prettyjws");
        assertInvalid(json, null);
    }

    @Test
    void parse_missingSchemaVersion_failsWithManifestInvalid() {
        assertInvalid(ociImage().replace("\"schemaVersion\":2,", ""), OCI_MANIFEST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"3", "\"2\"", "2.5", "null"})
    void parse_schemaVersionOtherThanInteger2_failsWithManifestInvalid(String version) {
        assertInvalid(ociImage().replace("\"schemaVersion\":2", "\"schemaVersion\":" + version), OCI_MANIFEST);
    }

    @Test
    void parse_contentTypeDisagreesWithMediaType_failsWithManifestInvalid() {
        assertInvalid(ociImage(), DOCKER_MANIFEST);
    }

    @Test
    void parse_indexContentTypeForImageManifestWithoutMediaType_failsWithManifestInvalid() {
        String json = image(null, descriptor(OCI_CONFIG, CONFIG, 10), null);

        assertInvalid(json, OCI_INDEX);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "application/vnd.oci.artifact.manifest.v1+json",
            "application/json",
            "application/vnd.docker.distribution.manifest.v1+json"
    })
    void parse_unsupportedMediaType_failsWithManifestInvalid(String mediaType) {
        assertInvalid(image(mediaType, descriptor(OCI_CONFIG, CONFIG, 10), null), null);
    }

    @Test
    void parse_schema1ContentTypeWithoutMediaType_failsWithManifestInvalid() {
        assertInvalid(image(null, descriptor(OCI_CONFIG, CONFIG, 10), null),
                "application/vnd.docker.distribution.manifest.v1+prettyjws");
    }

    @Test
    void parse_indexWithoutManifests_failsWithManifestInvalid() {
        assertInvalid("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\"}", OCI_INDEX);
    }

    @Test
    void parse_manifestListWithoutManifests_failsWithManifestInvalid() {
        assertInvalid("{\"schemaVersion\":2,\"mediaType\":\"" + DOCKER_LIST + "\"}", DOCKER_LIST);
    }

    @Test
    void parse_indexWhoseManifestsIsNotAnArray_failsWithManifestInvalid() {
        assertInvalid("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":{}}", OCI_INDEX);
    }

    @Test
    void parse_imageManifestWithManifestsArray_failsWithManifestInvalid() {
        String json = ociImage().replace("\"layers\"", "\"manifests\":[],\"layers\"");

        assertInvalid(json, OCI_MANIFEST);
    }

    @Test
    void parse_imageManifestWithoutConfig_failsWithManifestInvalid() {
        assertInvalid("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"layers\":[]}", OCI_MANIFEST);
    }

    @Test
    void parse_imageManifestWithoutLayers_failsWithManifestInvalid() {
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":"
                + descriptor(OCI_CONFIG, CONFIG, 10) + "}";

        assertInvalid(json, OCI_MANIFEST);
    }

    static Stream<String> badDigests() {
        return Stream.of(
                "sha256:abc", // short
                "sha256:" + "C".repeat(64), // uppercase
                "md5:d41d8cd98f00b204e9800998ecf8427e", // unknown algorithm
                "sha256:../../../../etc/passwd"); // traversal
    }

    @ParameterizedTest
    @MethodSource("badDigests")
    void parse_layerWithBadDigest_failsWithManifestInvalid(String digest) {
        assertInvalid(image(OCI_MANIFEST, descriptor(OCI_CONFIG, CONFIG, 10), null, descriptor(OCI_LAYER, digest, 1)),
                OCI_MANIFEST);
    }

    @Test
    void parse_configWithBadDigest_failsWithManifestInvalid() {
        assertInvalid(image(OCI_MANIFEST, descriptor(OCI_CONFIG, "sha256:zz", 10), null), OCI_MANIFEST);
    }

    @Test
    void parse_indexChildWithBadDigest_failsWithManifestInvalid() {
        assertInvalid(index(OCI_INDEX, null, descriptor(OCI_MANIFEST, "sha256:1234", 10)), OCI_INDEX);
    }

    @Test
    void parse_subjectWithBadDigest_failsWithManifestInvalid() {
        assertInvalid(image(OCI_MANIFEST, emptyConfig(), subject(OCI_MANIFEST, "sha256:nothex", 10)), OCI_MANIFEST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "\"10\"", "1.5", "null", "true"})
    void parse_layerWithInvalidSize_failsWithManifestInvalid(String size) {
        String layer = "{\"mediaType\":\"" + OCI_LAYER + "\",\"digest\":\"" + LAYER1 + "\",\"size\":" + size + "}";

        assertInvalid(image(OCI_MANIFEST, descriptor(OCI_CONFIG, CONFIG, 10), null, layer), OCI_MANIFEST);
    }

    @Test
    void parse_layerWithoutSize_failsWithManifestInvalid() {
        String layer = "{\"mediaType\":\"" + OCI_LAYER + "\",\"digest\":\"" + LAYER1 + "\"}";

        assertInvalid(image(OCI_MANIFEST, descriptor(OCI_CONFIG, CONFIG, 10), null, layer), OCI_MANIFEST);
    }

    @Test
    void parse_indexChildWithNegativeSize_failsWithManifestInvalid() {
        assertInvalid(index(OCI_INDEX, null, descriptor(OCI_MANIFEST, CHILD1, -5)), OCI_INDEX);
    }

    @Test
    void parse_layerWithoutDigest_failsWithManifestInvalid() {
        String layer = "{\"mediaType\":\"" + OCI_LAYER + "\",\"size\":1}";

        assertInvalid(image(OCI_MANIFEST, descriptor(OCI_CONFIG, CONFIG, 10), null, layer), OCI_MANIFEST);
    }

    @Test
    void parse_layerWithoutMediaType_failsWithManifestInvalid() {
        String layer = "{\"digest\":\"" + LAYER1 + "\",\"size\":1}";

        assertInvalid(image(OCI_MANIFEST, descriptor(OCI_CONFIG, CONFIG, 10), null, layer), OCI_MANIFEST);
    }

    @Test
    void parse_layerThatIsNotAnObject_failsWithManifestInvalid() {
        assertInvalid(image(OCI_MANIFEST, descriptor(OCI_CONFIG, CONFIG, 10), null, "\"" + LAYER1 + "\""), OCI_MANIFEST);
    }

    @Test
    void parse_annotationsThatAreNotAnObject_failsWithManifestInvalid() {
        assertInvalid(image(OCI_MANIFEST, descriptor(OCI_CONFIG, CONFIG, 10), "\"annotations\":[\"x\"]"), OCI_MANIFEST);
    }

    /** Annotations are copied into referrers lists: one non-string value would make the whole list unreadable. */
    @ParameterizedTest
    @ValueSource(strings = {"1", "true", "{\"c\":\"d\"}", "[\"x\"]", "null"})
    void parse_annotationWithNonStringValue_failsWithManifestInvalid(String value) {
        assertInvalid(image(OCI_MANIFEST, descriptor(OCI_CONFIG, CONFIG, 10),
                "\"annotations\":{\"a\":\"ok\",\"b\":" + value + "}"), OCI_MANIFEST);
    }

    @Test
    void parse_descriptorAnnotationWithNonStringValue_failsWithManifestInvalid() {
        String child = "{\"mediaType\":\"" + OCI_MANIFEST + "\",\"digest\":\"" + CHILD1 + "\",\"size\":5,"
                + "\"annotations\":{\"k\":7}}";

        assertInvalid(index(OCI_INDEX, null, child), OCI_INDEX);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"artifactType\":7", "\"artifactType\":{}", "\"mediaType\":[]"})
    void parse_typeFieldThatIsNotAString_failsWithManifestInvalid(String field) {
        assertInvalid(image(OCI_MANIFEST, emptyConfig(), field), OCI_MANIFEST);
    }

    @Test
    void parse_nullAnnotationsAndArtifactType_areTreatedAsAbsent() {
        ParsedManifest parsed = parse(image(OCI_MANIFEST, emptyConfig(), "\"annotations\":null,\"artifactType\":null"),
                OCI_MANIFEST);

        assertNull(parsed.annotationsJson());
        assertEquals(OCI_EMPTY, parsed.artifactType());
    }
}
