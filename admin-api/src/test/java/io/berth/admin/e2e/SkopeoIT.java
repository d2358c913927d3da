package io.berth.admin.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.store.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * skopeo against the real server: copies in and out by tag, by digest and with --all, inspect, tags,
 * delete. Authentication is on: every skopeo command signs in with {@code --creds} (or
 * {@code --src-creds} / {@code --dest-creds}), and the checks over plain HTTP use the token flow.
 */
class SkopeoIT {
    @RegisterExtension
    static final BerthProcess berth = new BerthProcess("skopeo");

    private static Path work;
    private static Skopeo skopeo;
    private static Path layout;
    private static TestImages.Image single;
    private static TestImages.Index multi;
    private static V2Client v2;

    @BeforeAll
    static void images() throws IOException {
        work = E2e.tempDir("skopeo");
        skopeo = Skopeo.require(work);
        layout = work.resolve("layout");
        single = TestImages.singleArch(layout, "single", 101, 3, 512 * 1024, "amd64");
        multi = TestImages.multiArch(layout, "multi", 202, List.of("amd64", "arm64", "arm/v7"), 256 * 1024);
        v2 = berth.v2();
    }

    @AfterAll
    static void cleanUp() {
        E2e.deleteTree(work);
    }

    /** The admin's {@code user:password} for skopeo's credential flags. */
    private static String creds() {
        return berth.adminCredentials();
    }

    private static String docker(String repoAndRef) {
        return "docker://" + berth.hostPort() + "/" + repoAndRef;
    }

    @Test
    void copyInAndOutByTag() throws IOException {
        skopeo.ok("copy", "--dest-tls-verify=false", "--dest-creds", creds(), "oci:" + layout + ":single", docker("skopeo/bytag:v1"));
        assertServed("skopeo/bytag", "v1", single);

        Path outLayout = work.resolve("out-bytag");
        skopeo.ok("copy", "--src-tls-verify=false", "--src-creds", creds(), docker("skopeo/bytag:v1"), "oci:" + outLayout + ":copied");
        assertEquals(single.manifestDigest(), layoutRef(outLayout, "copied"));
        assertLayoutHolds(outLayout, single);

        Path outDir = work.resolve("out-dir");
        skopeo.ok("copy", "--src-tls-verify=false", "--src-creds", creds(), docker("skopeo/bytag:v1"), "dir:" + outDir);
        assertArrayEquals(single.manifestBytes(), Files.readAllBytes(outDir.resolve("manifest.json")));
        for (String blob : blobsOf(single)) {
            assertEquals(blob, E2e.sha256(outDir.resolve(blob.substring("sha256:".length()))), "dir: blob " + blob);
        }
    }

    @Test
    void copyInAndOutByDigest() throws IOException {
        String ref = "skopeo/bydigest@" + single.manifestDigest();
        skopeo.ok("copy", "--dest-tls-verify=false", "--dest-creds", creds(), "oci:" + layout + ":single", docker(ref));
        V2Client.Manifest served = v2.manifest("skopeo/bydigest", single.manifestDigest());
        assertEquals(200, served.status());
        assertArrayEquals(single.manifestBytes(), served.bytes());
        assertEquals(0, v2.json("/v2/skopeo/bydigest/tags/list").path("tags").size(), "a push by digest makes no tag");

        Path outLayout = work.resolve("out-bydigest");
        skopeo.ok("copy", "--src-tls-verify=false", "--src-creds", creds(), docker(ref), "oci:" + outLayout + ":copied");
        assertEquals(single.manifestDigest(), layoutRef(outLayout, "copied"));
        assertLayoutHolds(outLayout, single);
    }

    @Test
    void copyAllOfAMultiArchIndex() throws IOException {
        skopeo.ok("copy", "--all", "--dest-tls-verify=false", "--dest-creds", creds(), "oci:" + layout + ":multi", docker("skopeo/multi:v1"));
        V2Client.Manifest index = v2.manifest("skopeo/multi", "v1");
        assertEquals(200, index.status());
        assertEquals(TestImages.OCI_INDEX, index.mediaType());
        assertEquals(E2e.sha256(index.bytes()), index.digest(), "Docker-Content-Digest is the digest of the bytes served");
        List<String> children = new ArrayList<>();
        V2Client.parse(index.bytes()).path("manifests").forEach(m -> children.add(m.path("digest").asText()));
        assertEquals(multi.images().stream().map(TestImages.Image::manifestDigest).toList(), children);
        for (TestImages.Image image : multi.images()) {
            assertServed("skopeo/multi", image.manifestDigest(), image);
        }

        Path outLayout = work.resolve("out-multi");
        skopeo.ok("copy", "--all", "--src-tls-verify=false", "--src-creds", creds(), docker("skopeo/multi:v1"), "oci:" + outLayout + ":copied");
        assertEquals(index.digest(), layoutRef(outLayout, "copied"));
        assertArrayEquals(index.bytes(), Files.readAllBytes(TestImages.blobPath(outLayout, index.digest())));
        for (TestImages.Image image : multi.images()) {
            assertLayoutHolds(outLayout, image);
        }
    }

    @Test
    void inspectRawIsByteExact() {
        skopeo.ok("copy", "--dest-tls-verify=false", "--dest-creds", creds(), "oci:" + layout + ":single", docker("skopeo/inspect:v1"));
        Proc.Result byTag = skopeo.ok("inspect", "--raw", "--tls-verify=false", "--creds", creds(), docker("skopeo/inspect:v1"));
        assertEquals(new String(single.manifestBytes(), StandardCharsets.UTF_8), byTag.stdout());
        Proc.Result byDigest = skopeo.ok("inspect", "--raw", "--tls-verify=false", "--creds", creds(),
                docker("skopeo/inspect@" + single.manifestDigest()));
        assertEquals(new String(single.manifestBytes(), StandardCharsets.UTF_8), byDigest.stdout());
        Proc.Result config = skopeo.ok("inspect", "--config", "--raw", "--tls-verify=false", "--creds", creds(), docker("skopeo/inspect:v1"));
        assertEquals(single.configDigest(), E2e.sha256(config.stdout().getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void listTags() {
        for (String tag : List.of("v1", "v2", "latest")) {
            skopeo.ok("copy", "--dest-tls-verify=false", "--dest-creds", creds(), "oci:" + layout + ":single", docker("skopeo/tags:" + tag));
        }
        Proc.Result listed = skopeo.ok("list-tags", "--tls-verify=false", "--creds", creds(), docker("skopeo/tags"));
        Set<String> tags = new HashSet<>();
        V2Client.parse(listed.stdout().getBytes(StandardCharsets.UTF_8)).path("Tags").forEach(t -> tags.add(t.asText()));
        assertEquals(Set.of("v1", "v2", "latest"), tags);
    }

    @Test
    void deleteRemovesTheManifest() {
        skopeo.ok("copy", "--dest-tls-verify=false", "--dest-creds", creds(), "oci:" + layout + ":single", docker("skopeo/delete:v1"));
        assertEquals(200, v2.manifest("skopeo/delete", single.manifestDigest()).status());

        skopeo.ok("delete", "--tls-verify=false", "--creds", creds(), docker("skopeo/delete:v1"));
        assertEquals(404, v2.manifest("skopeo/delete", single.manifestDigest()).status(), "manifest by digest after delete");
        assertEquals(404, v2.manifest("skopeo/delete", "v1").status(), "manifest by tag after delete");
        Proc.Result inspect = skopeo.run("inspect", "--raw", "--tls-verify=false", "--creds", creds(), docker("skopeo/delete:v1"));
        assertFalse(inspect.ok(), "skopeo inspect of a deleted image must fail: " + inspect.describe());
    }

    /** skopeo cannot push an artifact byte-exact, so the artifact goes up with plain HTTP. */
    @Test
    void artifactWithSubjectIsListedByTheReferrersApi() throws IOException {
        skopeo.ok("copy", "--dest-tls-verify=false", "--dest-creds", creds(), "oci:" + layout + ":single", docker("skopeo/subject:v1"));
        Path artifactLayout = work.resolve("artifact");
        String artifactType = "application/vnd.berth.test.sbom.v1+json";
        TestImages.Artifact artifact = TestImages.artifactWithSubject(artifactLayout, single.manifestDigest(),
                single.manifestSize(), TestImages.OCI_MANIFEST, artifactType, 303);
        for (String blob : List.of(TestImages.EMPTY_DIGEST, artifact.layerDigest())) {
            v2.pushBlob("skopeo/subject", Files.readAllBytes(TestImages.blobPath(artifactLayout, blob)));
        }
        HttpResponse<byte[]> put = v2.putManifest("skopeo/subject", artifact.manifestDigest(), TestImages.OCI_MANIFEST,
                artifact.manifestBytes());
        assertEquals(201, put.statusCode(), () -> new String(put.body()));
        assertEquals(artifact.manifestDigest(), put.headers().firstValue("Docker-Content-Digest").orElse(null));
        assertEquals(single.manifestDigest(), put.headers().firstValue("OCI-Subject").orElse(null));
        assertArrayEquals(artifact.manifestBytes(), v2.manifest("skopeo/subject", artifact.manifestDigest()).bytes());

        HttpResponse<byte[]> referrers = v2.send(v2.request("/v2/skopeo/subject/referrers/" + single.manifestDigest())
                .GET().build());
        assertEquals(200, referrers.statusCode());
        assertEquals(TestImages.OCI_INDEX, referrers.headers().firstValue("Content-Type").orElse(null));
        JsonNode listed = V2Client.parse(referrers.body()).path("manifests");
        assertEquals(1, listed.size(), () -> new String(referrers.body()));
        assertEquals(artifact.manifestDigest(), listed.get(0).path("digest").asText());
        assertEquals(artifact.manifestSize(), listed.get(0).path("size").asLong());
        assertEquals(artifactType, listed.get(0).path("artifactType").asText());

        JsonNode filtered = v2.json("/v2/skopeo/subject/referrers/" + single.manifestDigest()
                + "?artifactType=application/vnd.example.other").path("manifests");
        assertEquals(0, filtered.size());
        // The artifact is readable by skopeo too, byte-exact.
        Proc.Result raw = skopeo.ok("inspect", "--raw", "--tls-verify=false", "--creds", creds(), docker("skopeo/subject@" + artifact.manifestDigest()));
        assertEquals(new String(artifact.manifestBytes(), StandardCharsets.UTF_8), raw.stdout());
    }

    /** The image's manifest is served byte-exact under {@code reference} and every blob with its digest. */
    private static void assertServed(String repo, String reference, TestImages.Image image) {
        V2Client.Manifest served = v2.manifest(repo, reference);
        assertEquals(200, served.status(), repo + ":" + reference);
        assertArrayEquals(image.manifestBytes(), served.bytes(), "manifest bytes of " + repo + ":" + reference);
        assertEquals(image.manifestDigest(), served.digest());
        assertEquals(TestImages.OCI_MANIFEST, served.mediaType());
        for (String blob : blobsOf(image)) {
            v2.assertBlob(repo, blob);
        }
    }

    private static List<String> blobsOf(TestImages.Image image) {
        List<String> blobs = new ArrayList<>(image.layerDigests());
        blobs.add(image.configDigest());
        return blobs;
    }

    /** The manifest digest that index.json of an OCI layout gives for a tag. */
    private static String layoutRef(Path layoutDir, String tag) throws IOException {
        for (JsonNode m : V2Client.parse(Files.readAllBytes(layoutDir.resolve("index.json"))).path("manifests")) {
            if (tag.equals(m.path("annotations").path(TestImages.REF_NAME).asText())) {
                return m.path("digest").asText();
            }
        }
        throw new AssertionError("no tag " + tag + " in " + layoutDir.resolve("index.json"));
    }

    /** The layout holds the image's manifest byte-exact and each blob under its digest. */
    private static void assertLayoutHolds(Path layoutDir, TestImages.Image image) throws IOException {
        assertArrayEquals(image.manifestBytes(), Files.readAllBytes(TestImages.blobPath(layoutDir, image.manifestDigest())));
        for (String blob : blobsOf(image)) {
            Path file = TestImages.blobPath(layoutDir, blob);
            assertTrue(Files.isRegularFile(file), "layout " + layoutDir + " lacks " + blob);
            assertEquals(blob, E2e.sha256(file));
        }
    }
}
