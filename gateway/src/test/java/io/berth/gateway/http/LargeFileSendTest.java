package io.berth.gateway.http;

import io.berth.gateway.testing.Await;
import io.berth.gateway.testing.RawConnection;
import io.berth.gateway.testing.RawResponse;
import io.berth.gateway.testing.RegistryServer;
import io.berth.gateway.testing.TestContent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.Arrays;

import static io.berth.gateway.testing.RawConnection.requestHead;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Large blobs on plain HTTP go out from buffers read off the event loop (the test guard fails any
 * file read on it): whole, in ranges, and with their buffers given back however the response ends.
 */
class LargeFileSendTest {
    @RegisterExtension
    static final RegistryServer SERVER = new RegistryServer();

    /** Larger than loopback's socket buffers together, so an unread download stalls. */
    private static final byte[] LARGE = TestContent.bytes(43, 24 << 20);
    private static String digest;
    private static int allFree;

    @BeforeAll
    static void pushLargeBlob() {
        digest = SERVER.client().pushBlob("send/large", LARGE);
        allFree = SERVER.gateway().sendBuffers().available();
    }

    @Test
    void largeBlob_arrivesWhole_andItsBuffersAreGivenBack() throws IOException {
        try (RawConnection c = SERVER.connect()) {
            RawResponse blob = c.exchange("GET", "/v2/send/large/blobs/" + digest);

            assertEquals(200, blob.status());
            assertArrayEquals(LARGE, blob.body());
            assertEquals(200, c.exchange("GET", "/v2/").status(), "the same connection serves the next request");
        }
        Await.until(() -> SERVER.gateway().sendBuffers().available() == allFree, "the send buffers given back");
    }

    @Test
    void largeRange_arrivesWhole() throws IOException {
        int from = 12345;
        int to = from + (int) SendBuffers.MIN_LENGTH + 999;
        try (RawConnection c = SERVER.connect()) {
            RawResponse part = c.exchange("GET", "/v2/send/large/blobs/" + digest, "Range", "bytes=" + from + "-" + to);

            assertEquals(206, part.status());
            assertArrayEquals(Arrays.copyOfRange(LARGE, from, to + 1), part.body());
        }
    }

    @Test
    void clientThatGoesAwayMidDownload_givesTheBuffersBack() throws IOException {
        try (RawConnection c = SERVER.connect()) {
            c.send(requestHead("GET", "/v2/send/large/blobs/" + digest)); // and read nothing
            Await.until(() -> SERVER.gateway().sendBuffers().available() < allFree, "the download took its buffers");
        }
        Await.until(() -> SERVER.gateway().sendBuffers().available() == allFree, "the send buffers given back");
    }

    @Test
    void downloadsBeyondTheSendBuffers_goOutZeroCopy_whole() throws IOException {
        int taken = 0;
        while (SERVER.gateway().sendBuffers().tryReserve()) {
            taken++;
        }
        try (RawConnection c = SERVER.connect()) {
            assertTrue(taken > 0, "the server had send buffers to take");
            RawResponse blob = c.exchange("GET", "/v2/send/large/blobs/" + digest);

            assertEquals(200, blob.status());
            assertArrayEquals(LARGE, blob.body());
        } finally {
            for (; taken > 0; taken--) {
                SERVER.gateway().sendBuffers().release();
            }
        }
    }
}
