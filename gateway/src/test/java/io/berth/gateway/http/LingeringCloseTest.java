package io.berth.gateway.http;

import io.berth.gateway.testing.RawConnection;
import io.berth.gateway.testing.RawResponse;
import io.berth.gateway.testing.RegistryServer;
import io.berth.gateway.testing.TestContent;
import io.berth.gateway.testing.TokenCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;

import static io.berth.gateway.testing.OciAssertions.assertError;
import static io.berth.gateway.testing.RawConnection.requestHead;
import static io.berth.store.testing.ManifestJson.OCI_MANIFEST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An answer given from the request head reaches a client that writes its whole body before it
 * reads anything (Python's http.client does), instead of a "connection reset by peer": the
 * registry reads and drops the rest of the body, then closes; a small rest of known length is
 * dropped and the connection kept.
 */
class LingeringCloseTest {
    private static final int FIVE_MIB = 5 << 20;

    @RegisterExtension
    static final RegistryServer SERVER = new RegistryServer();

    @RegisterExtension
    static final RegistryServer REFUSING = new RegistryServer(new TokenCheck());

    @Test
    void manifestOverTheLimit_sentWholeBeforeReading_gets413NotAReset() throws IOException {
        try (RawConnection c = SERVER.connect()) {
            c.send(requestHead("PUT", "/v2/linger/too-large/manifests/v1", "Content-Type", OCI_MANIFEST,
                    "Content-Length", Integer.toString(FIVE_MIB)));
            c.send(TestContent.bytes(1, FIVE_MIB));

            assertError(c.read(), 413, "MANIFEST_INVALID");
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void refusedUpload_sentWholeBeforeReading_gets401NotAReset() throws IOException {
        byte[] blob = TestContent.bytes(2, FIVE_MIB);
        try (RawConnection c = REFUSING.connect()) {
            c.send(requestHead("POST", "/v2/linger/refused/blobs/uploads/?digest=" + TestContent.digest(blob),
                    "Content-Length", Integer.toString(blob.length)));
            c.send(blob);

            RawResponse refused = c.read();
            assertError(refused, 401, "UNAUTHORIZED");
            assertEquals(TokenCheck.CHALLENGE, refused.header("WWW-Authenticate").orElseThrow());
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void refusedChunkedUpload_sentWholeBeforeReading_gets401NotAReset() throws IOException {
        try (RawConnection c = REFUSING.connect()) {
            c.send(requestHead("POST", "/v2/linger/chunked/blobs/uploads/", "Transfer-Encoding", "chunked"));
            for (int i = 0; i < 40; i++) {
                c.send("20000\r\n").send(TestContent.bytes(i, 0x20000)).send("\r\n");
            }
            c.send("0\r\n\r\n");

            assertError(c.read(), 401, "UNAUTHORIZED");
            assertTrue(c.closedByServer(), "a body of unknown length is not waited for");
        }
    }

    @Test
    void answerFromTheHeadWithASmallBody_dropsTheBodyAndKeepsTheConnection() throws IOException {
        try (RawConnection c = SERVER.connect()) {
            c.send(requestHead("POST", "/v2/", "Content-Length", "1000"));
            c.send(TestContent.bytes(3, 1000));
            assertError(c.read(), 405, "UNSUPPORTED");

            c.send(requestHead("DELETE", "/v2/linger/small/manifests/nope", "Content-Length", "2000"));
            c.send(TestContent.bytes(4, 2000));
            assertEquals(404, c.read().status(), "a handler that does not ask for the body");

            assertEquals(200, c.exchange("GET", "/v2/").status());
        }
    }

    @Test
    void clientThatNeverStopsSending_isCutOffOnceItSentTooMuch() throws IOException {
        long sent = 0;
        try (RawConnection c = SERVER.connect()) {
            c.send(requestHead("PUT", "/v2/linger/endless/manifests/v1", "Transfer-Encoding", "chunked"));
            byte[] chunk = ("10000\r\n" + "x".repeat(0x10000) + "\r\n").getBytes();
            try {
                while (sent < 4 * LingeringClose.MAX_BYTES) {
                    c.send(chunk);
                    sent += chunk.length;
                }
            } catch (IOException expected) {
                // the registry gave up on the client
            }
        }
        assertTrue(sent < 4 * LingeringClose.MAX_BYTES, "the registry read " + sent + " bytes into the void");
    }
}
