package io.berth.gateway.v2;

import io.berth.gateway.testing.RegistryServer;
import io.berth.gateway.testing.TestContent.Blob;
import io.berth.gateway.testing.TestContent;
import io.berth.store.StoredManifest;
import io.berth.store.content.ProjectKind;
import io.berth.store.meta.ProjectDao;
import io.berth.store.oci.Descriptor;
import io.berth.store.oci.Digest;
import io.berth.store.testing.InMemoryContentSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static io.berth.gateway.testing.OciAssertions.assertError;
import static io.berth.gateway.testing.OciAssertions.assertHeader;
import static io.berth.gateway.testing.OciAssertions.assertStatus;
import static io.berth.gateway.testing.OciAssertions.json;
import static io.berth.gateway.testing.OciAssertions.strings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The V2 routes read through a repository's content source, not the store: a project of another
 * kind served by a source in memory answers manifests, blobs, tags and referrers from it, and
 * refuses pushes and deletes.
 */
class ContentSourceSeamTest {
    @RegisterExtension
    static final RegistryServer SERVER = new RegistryServer();
    private static final InMemoryContentSource SOURCE = new InMemoryContentSource();
    private static final byte[] LAYER = TestContent.bytes(1, 100_000);
    private static final Blob CONFIG = TestContent.config(2);
    private static final Blob MANIFEST = TestContent.image(CONFIG, new Blob("application/vnd.oci.image.layer.v1.tar",
            LAYER)).build();
    private static final Digest REFERRER = Digest.sha256(TestContent.utf8("a signature"));

    @BeforeAll
    static void mirrorProjectServedFromMemory() {
        SERVER.registry().transactions().useTransaction(h -> {
            h.attach(ProjectDao.class).createIfAbsent("mirror", Instant.now());
            h.execute("UPDATE project SET kind = 'proxy' WHERE name = 'mirror'");
        });
        SOURCE.manifest("1.0", new StoredManifest(Digest.parse(MANIFEST.digest()), MANIFEST.mediaType(),
                MANIFEST.bytes(), null)).blob(LAYER).blob(CONFIG.bytes())
                .referrer(new Descriptor(MANIFEST.mediaType(), REFERRER, 11, "application/vnd.example.sig", null));
        SERVER.registry().repositories().serve(ProjectKind.PROXY, name -> SOURCE);
    }

    @Test
    void manifestsAndBlobs_comeFromTheSource() {
        int before = SOURCE.reads();

        HttpResponse<byte[]> manifest = SERVER.client().get("/v2/mirror/app/manifests/1.0");
        HttpResponse<byte[]> layer = SERVER.client().get("/v2/mirror/app/blobs/" + TestContent.digest(LAYER),
                "Range", "bytes=10-109");

        assertStatus(200, manifest);
        assertArrayEquals(MANIFEST.bytes(), manifest.body());
        assertHeader(MANIFEST.digest(), manifest, "Docker-Content-Digest");
        assertStatus(206, layer);
        assertArrayEquals(Arrays.copyOfRange(LAYER, 10, 110), layer.body());
        assertTrue(SOURCE.reads() >= before + 3, "answered from the source");
        assertError(SERVER.client().get("/v2/mirror/app/manifests/2.0"), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void tagsAndReferrers_comeFromTheSource() {
        assertEquals(List.of("1.0"), strings(json(SERVER.client().get("/v2/mirror/app/tags/list").body()), "tags"));
        assertEquals(REFERRER.toString(), json(SERVER.client().get("/v2/mirror/app/referrers/" + MANIFEST.digest()).body())
                .get("manifests").get(0).get("digest").asText());
    }

    @Test
    void pushesAndDeletes_areRefusedAsTheProjectIsReadOnly() {
        assertError(SERVER.client().putManifest("mirror/app", "2.0", MANIFEST), 403, "DENIED");
        assertError(SERVER.client().post("/v2/mirror/app/blobs/uploads/", new byte[0]), 403, "DENIED");
        assertError(SERVER.client().delete("/v2/mirror/app/manifests/1.0"), 403, "DENIED");
        assertError(SERVER.client().delete("/v2/mirror/app/blobs/" + TestContent.digest(LAYER)), 403, "DENIED");
    }
}
