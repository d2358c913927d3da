package io.berth.gateway.v2;

import io.berth.gateway.auth.projects.Projects;
import io.berth.gateway.testing.RegistryServer;
import io.berth.gateway.testing.TestContent;
import io.berth.gateway.testing.TestContent.Blob;
import io.berth.gateway.testing.V2Client;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Clock;

import static io.berth.gateway.testing.OciAssertions.assertError;
import static io.berth.gateway.testing.OciAssertions.assertHeader;
import static io.berth.gateway.testing.OciAssertions.assertStatus;
import static io.berth.store.testing.ManifestJson.OCI_INDEX;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * A client's view of a project that allows sparse indexes (a replica that receives only some
 * platforms): pushing an index whose children are partly missing answers 201 there and 404
 * MANIFEST_BLOB_UNKNOWN elsewhere; the index pulls byte-exact, a present child pulls, a missing one
 * answers 404 MANIFEST_UNKNOWN; an image manifest without its blobs is still refused.
 */
class SparseIndexRoutesTest {
    @RegisterExtension
    static final RegistryServer SERVER = new RegistryServer();

    private static V2Client client() {
        return SERVER.client();
    }

    private static Blob image(String repository, long seed) {
        Blob config = client().pushBlob(repository, TestContent.config(seed));
        Blob layer = client().pushBlob(repository, TestContent.layer(seed, 512));
        return TestContent.image(config, layer).build();
    }

    private static void allowSparseIndexes(String project) {
        new Projects(SERVER.registry().transactions(), Clock.systemUTC()).setAllowSparseIndexes(project, true);
    }

    @Test
    void indexWithAMissingChild_isAccepted_inAProjectThatAllowsSparseIndexes() {
        Blob arm64 = client().pushImage("replica/app", "arm64", 61);
        Blob amd64 = TestContent.image(TestContent.config(62), TestContent.layer(62, 512)).build(); // never pushed
        allowSparseIndexes("replica");
        Blob index = TestContent.index(OCI_INDEX, amd64, arm64).build();

        HttpResponse<byte[]> response = client().putManifest("replica/app", "v1", index);

        assertStatus(201, response);
        assertHeader(index.digest(), response, "Docker-Content-Digest");
        HttpResponse<byte[]> pulled = client().get("/v2/replica/app/manifests/v1", "Accept", OCI_INDEX);
        assertStatus(200, pulled);
        assertArrayEquals(index.bytes(), pulled.body());
        assertStatus(200, client().get("/v2/replica/app/manifests/" + arm64.digest()));
        assertError(client().get("/v2/replica/app/manifests/" + amd64.digest()), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void indexWithAMissingChild_isRefused_inAnotherProject() {
        Blob present = client().pushImage("strict/app", "arm64", 63);
        Blob absent = TestContent.image(TestContent.config(64), TestContent.layer(64, 512)).build();

        assertError(client().putManifest("strict/app", "v1", TestContent.index(OCI_INDEX, absent, present).build()),
                404, "MANIFEST_BLOB_UNKNOWN");
    }

    @Test
    void imageWithoutItsBlobs_isRefused_evenWhereSparseIndexesAreAllowed() {
        client().pushImage("replica/img", "seed", 65);
        allowSparseIndexes("replica");
        Blob withoutBlobs = TestContent.image(TestContent.config(66), TestContent.layer(66, 512)).build();

        assertError(client().putManifest("replica/img", "v1", withoutBlobs), 404, "MANIFEST_BLOB_UNKNOWN");
    }
}
