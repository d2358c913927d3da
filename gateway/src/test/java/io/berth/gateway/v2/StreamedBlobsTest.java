package io.berth.gateway.v2;

import io.berth.gateway.testing.RegistryServer;
import io.berth.gateway.testing.TestContent;
import io.berth.store.testing.InMemoryBlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.util.Arrays;

import static io.berth.gateway.testing.OciAssertions.assertHeader;
import static io.berth.gateway.testing.OciAssertions.assertStatus;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Blobs from a store that is not the local file system (as an object store is) are streamed to the
 * client: whole, by range, and after a push through the same API.
 */
class StreamedBlobsTest {
    private static final InMemoryBlobStore STORE = new InMemoryBlobStore();

    @RegisterExtension
    static final RegistryServer SERVER = new RegistryServer(paths -> STORE);

    @Test
    void pushedBlob_isServedAsAStream() {
        byte[] content = TestContent.bytes(1, 3 << 20);
        String digest = SERVER.client().pushBlob("streamed/whole", content);
        int opensBefore = STORE.opens();

        HttpResponse<byte[]> response = SERVER.client().get("/v2/streamed/whole/blobs/" + digest);

        assertStatus(200, response);
        assertArrayEquals(content, response.body());
        assertHeader(digest, response, "Docker-Content-Digest");
        assertHeader(Integer.toString(content.length), response, "Content-Length");
        assertTrue(STORE.opens() > opensBefore, "served from the streaming store");
    }

    @Test
    void range_isStreamedFromTheStoreWithExactlyThoseBytes() {
        byte[] content = TestContent.bytes(2, 200_000);
        String digest = SERVER.client().pushBlob("streamed/range", content);

        HttpResponse<byte[]> response = SERVER.client().get("/v2/streamed/range/blobs/" + digest,
                "Range", "bytes=1000-100999");

        assertStatus(206, response);
        assertArrayEquals(Arrays.copyOfRange(content, 1000, 101_000), response.body());
        assertHeader("bytes 1000-100999/200000", response, "Content-Range");
    }

    @Test
    void severalStreamsOnOneConnection_eachEndWhereItShould() {
        byte[] first = TestContent.bytes(3, 70_000);
        byte[] second = TestContent.bytes(4, 1);
        String a = SERVER.client().pushBlob("streamed/keepalive", first);
        String b = SERVER.client().pushBlob("streamed/keepalive", second);

        for (int i = 0; i < 3; i++) {
            assertArrayEquals(first, SERVER.client().get("/v2/streamed/keepalive/blobs/" + a).body());
            assertArrayEquals(second, SERVER.client().get("/v2/streamed/keepalive/blobs/" + b).body());
        }
    }
}
