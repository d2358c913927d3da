package io.berth.gateway.v2;

import io.berth.gateway.testing.RawConnection;
import io.berth.gateway.testing.RawResponse;
import io.berth.gateway.testing.RegistryServer;
import io.berth.gateway.testing.TestContent;
import io.berth.gateway.testing.TestContent.Blob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Arrays;

import static io.berth.gateway.testing.OciAssertions.assertError;
import static io.berth.gateway.testing.OciAssertions.assertHeader;
import static io.berth.gateway.testing.OciAssertions.assertStatus;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RFC 9110 conditional requests on blobs and manifests, whose ETag is their quoted digest: a
 * client holding the content gets a 304, a resumed download gets its range only for the same
 * tag, and a conditional manifest push applies only to the state the client saw (else 412).
 */
class ConditionalRequestsTest {
    @RegisterExtension
    static final RegistryServer SERVER = new RegistryServer();

    private static String etag(String digest) {
        return "\"" + digest + "\"";
    }

    @Test
    void blobWithMatchingIfNoneMatch_answers304WithoutBody() throws IOException {
        byte[] content = TestContent.bytes(1, 4096);
        String digest = SERVER.client().pushBlob("cond/blob", content);
        String path = "/v2/cond/blob/blobs/" + digest;
        String other = etag(TestContent.digest(new byte[1]));

        try (RawConnection c = SERVER.connect()) {
            for (String ifNoneMatch : new String[] {etag(digest), "W/" + etag(digest), other + ", " + etag(digest), "*"}) {
                RawResponse response = c.exchange("GET", path, "If-None-Match", ifNoneMatch);
                assertEquals(304, response.status(), ifNoneMatch);
                assertEquals(etag(digest), response.header("ETag").orElseThrow());
                assertEquals(digest, response.header("Docker-Content-Digest").orElseThrow());
                assertTrue(response.header("Content-Length").isEmpty(), "a 304 has no length of its own");
            }
            RawResponse changed = c.exchange("GET", path, "If-None-Match", other);
            assertEquals(200, changed.status());
            assertArrayEquals(content, changed.body(), "the connection is still in step after the 304s");
            assertEquals(304, c.exchange("HEAD", path, "If-None-Match", etag(digest)).status());
        }
    }

    @Test
    void blobRangeWithIfRange_isHonouredOnlyForTheSameTag() {
        byte[] content = TestContent.bytes(2, 4096);
        String digest = SERVER.client().pushBlob("cond/range", content);
        String path = "/v2/cond/range/blobs/" + digest;

        HttpResponse<byte[]> same = SERVER.client().get(path, "Range", "bytes=100-199", "If-Range", etag(digest));
        HttpResponse<byte[]> other = SERVER.client().get(path, "Range", "bytes=100-199",
                "If-Range", etag(TestContent.digest(new byte[1])));
        HttpResponse<byte[]> date = SERVER.client().get(path, "Range", "bytes=100-199",
                "If-Range", "Wed, 21 Oct 2015 07:28:00 GMT");

        assertStatus(206, same);
        assertArrayEquals(Arrays.copyOfRange(content, 100, 200), same.body());
        for (HttpResponse<byte[]> whole : java.util.List.of(other, date)) {
            assertStatus(200, whole);
            assertArrayEquals(content, whole.body());
        }
    }

    @Test
    void manifestWithMatchingIfNoneMatch_answers304ByTagAndDigest() {
        Blob manifest = SERVER.client().pushImage("cond/manifest", "v1", 3);
        String etag = etag(manifest.digest());

        for (String reference : new String[] {"v1", manifest.digest()}) {
            HttpResponse<byte[]> response = SERVER.client().get("/v2/cond/manifest/manifests/" + reference,
                    "If-None-Match", etag);
            assertStatus(304, response);
            assertEquals(0, response.body().length);
            assertHeader(etag, response, "ETag");
            assertHeader(manifest.digest(), response, "Docker-Content-Digest");
        }
        HttpResponse<byte[]> moved = SERVER.client().get("/v2/cond/manifest/manifests/v1",
                "If-None-Match", etag(TestContent.digest(new byte[1])));
        assertStatus(200, moved);
        assertArrayEquals(manifest.bytes(), moved.body());
    }

    @Test
    void manifestPushWithIfMatch_appliesOnlyWhileTheTagIsWhereTheClientSawIt() {
        Blob v1 = SERVER.client().pushImage("cond/push", "shared", 4);
        Blob v2 = SERVER.client().pushImage("cond/push", "v2", 5);
        Blob v3 = SERVER.client().pushImage("cond/push", "v3", 6);

        HttpResponse<byte[]> moved = SERVER.client().put("/v2/cond/push/manifests/shared", v2.bytes(),
                "Content-Type", v2.mediaType(), "If-Match", etag(v1.digest()));
        HttpResponse<byte[]> stale = SERVER.client().put("/v2/cond/push/manifests/shared", v3.bytes(),
                "Content-Type", v3.mediaType(), "If-Match", etag(v1.digest()));
        HttpResponse<byte[]> weak = SERVER.client().put("/v2/cond/push/manifests/shared", v3.bytes(),
                "Content-Type", v3.mediaType(), "If-Match", "W/" + etag(v2.digest()));

        assertStatus(201, moved);
        assertError(stale, 412, "DENIED");
        assertError(weak, 412, "DENIED");
        assertHeader(v2.digest(), SERVER.client().head("/v2/cond/push/manifests/shared"), "Docker-Content-Digest");
    }

    @Test
    void manifestPushWithIfNoneMatchStar_createsATagButNeverOverwritesIt() {
        Blob first = SERVER.client().pushImage("cond/create", "first", 7);
        Blob second = SERVER.client().pushImage("cond/create", "second", 8);

        assertStatus(201, SERVER.client().put("/v2/cond/create/manifests/once", first.bytes(),
                "Content-Type", first.mediaType(), "If-None-Match", "*"));
        assertError(SERVER.client().put("/v2/cond/create/manifests/once", second.bytes(),
                "Content-Type", second.mediaType(), "If-None-Match", "*"), 412, "DENIED");

        assertHeader(first.digest(), SERVER.client().head("/v2/cond/create/manifests/once"), "Docker-Content-Digest");
    }
}
