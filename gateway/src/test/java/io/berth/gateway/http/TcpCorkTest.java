package io.berth.gateway.http;

import io.berth.gateway.testing.Await;
import io.berth.gateway.testing.RawConnection;
import io.berth.gateway.testing.RawResponse;
import io.berth.gateway.testing.RegistryServer;
import io.berth.gateway.testing.TestContent;
import io.netty.channel.Channel;
import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;

import static io.berth.gateway.testing.RawConnection.requestHead;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Long blob downloads sent zero-copy cork the connection while the file goes out, and never leave
 * it corked: a connection left corked would hold every following small response back for 200 ms.
 * Long files go out zero-copy when the send buffers are all taken, so each test takes them first.
 */
class TcpCorkTest {
    @RegisterExtension
    static final RegistryServer SERVER = new RegistryServer();
    private int taken;

    /** Larger than loopback's send and receive buffers together, so an unread download stalls. */
    private static final byte[] LARGE = TestContent.bytes(41, 24 << 20);
    private static String largeDigest;

    @BeforeAll
    static void pushLargeBlob() {
        assumeTrue(Epoll.isAvailable(), "TCP_CORK needs the epoll transport, which is not available here");
        largeDigest = SERVER.client().pushBlob("cork/large", LARGE);
    }

    @BeforeEach
    void takeAllSendBuffers() {
        while (SERVER.gateway().sendBuffers().tryReserve()) {
            taken++;
        }
    }

    @AfterEach
    void giveSendBuffersBack() {
        for (; taken > 0; taken--) {
            SERVER.gateway().sendBuffers().release();
        }
    }

    @Test
    void downloadCorksWhileTheFileIsInFlightAndUncorksWhenItIsSent() throws IOException {
        try (RawConnection c = SERVER.connect()) {
            c.send(requestHead("GET", "/v2/cork/large/blobs/" + largeDigest)); // and read nothing yet
            Await.until(() -> SERVER.gateway().connections().stream().anyMatch(TcpCork::isCorked),
                    "a connection corked while the blob is in flight");

            RawResponse blob = c.read();
            assertEquals(200, blob.status());
            assertArrayEquals(LARGE, blob.body());
            Await.until(this::noneCorked, "every connection uncorked once the blob was sent");

            RawResponse next = c.exchange("GET", "/v2/");
            assertEquals(200, next.status(), "the same connection serves the next request");
        }
    }

    @Test
    void rangeDownloadsAndErrorsLeaveNoConnectionCorked() throws IOException {
        try (RawConnection c = SERVER.connect()) {
            assertEquals(206, c.exchange("GET", "/v2/cork/large/blobs/" + largeDigest, "Range", "bytes=10-" + (10 + TcpCork.MIN_LENGTH)).status());
            Await.until(this::noneCorked, "uncorked after a range download");
            assertEquals(416, c.exchange("GET", "/v2/cork/large/blobs/" + largeDigest, "Range", "bytes=999999999-").status());
            assertEquals(404, c.exchange("GET", "/v2/cork/large/blobs/" + TestContent.digest(new byte[] {1})).status());
            assertEquals(200, c.exchange("HEAD", "/v2/cork/large/blobs/" + largeDigest).status());
            Await.until(this::noneCorked, "uncorked after errors and HEAD");
        }
    }

    @Test
    void clientThatHangsUpMidDownloadLeavesNoCorkedConnectionBehind() throws IOException {
        try (RawConnection c = SERVER.connect()) {
            c.send(requestHead("GET", "/v2/cork/large/blobs/" + largeDigest));
            Await.until(() -> SERVER.gateway().connections().stream().anyMatch(TcpCork::isCorked), "corked in flight");
        }
        Await.until(() -> SERVER.gateway().connections().stream().noneMatch(Channel::isActive) || noneCorked(),
                "the abandoned connection is closed or uncorked");
    }

    private boolean noneCorked() {
        return SERVER.gateway().connections().stream().noneMatch(TcpCork::isCorked);
    }
}
