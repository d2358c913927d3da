package io.berth.gateway.http;

import io.berth.gateway.GatewayConfig;
import io.berth.gateway.auth.AccessCheck;
import io.berth.gateway.testing.RawConnection;
import io.berth.gateway.testing.RawResponse;
import io.berth.gateway.testing.RegistryServer;
import io.berth.gateway.testing.TestContent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.berth.gateway.testing.OciAssertions.assertError;
import static io.berth.gateway.testing.RawConnection.requestHead;
import static io.berth.store.testing.ManifestJson.OCI_MANIFEST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slow bodies (slowloris) are bounded: a body held in memory must arrive whole within the body
 * timeout, a streamed one must not stall for longer; otherwise 408 and the connection closes.
 * A streamed body that keeps coming, however slowly, is not cut off.
 */
class BodyTimeoutTest {
    /** Long against the 100 ms between the trickling client's bytes, short for a test to wait out. */
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @RegisterExtension
    static final RegistryServer SERVER = new RegistryServer(GatewayConfig.local().withBodyLimits(TIMEOUT, 0),
            AccessCheck.allowAll());

    @Test
    void manifestThatStopsHalfWay_gets408AndTheConnectionCloses() throws IOException {
        try (RawConnection c = SERVER.connect()) {
            c.send(requestHead("PUT", "/v2/timeout/stalled/manifests/v1", "Content-Type", OCI_MANIFEST,
                    "Content-Length", "1000"));
            c.send("{\"schemaVersion\":");

            assertError(c.read(), 408, "UNSUPPORTED");
            assertTrue(c.closedByServer());
        }
        assertTrue(SERVER.metrics().meter("berth.registry.bodies.timed-out").getCount() > 0);
    }

    @Test
    void manifestThatTricklesIn_gets408EvenThoughBytesKeepComing() throws Exception {
        try (RawConnection c = SERVER.connect()) {
            c.send(requestHead("PUT", "/v2/timeout/trickle/manifests/v1", "Content-Type", OCI_MANIFEST,
                    "Content-Length", "100000"));
            AtomicBoolean answered = new AtomicBoolean();
            CompletableFuture<Void> trickling = trickle(c, answered, 100_000);

            RawResponse response = c.read();
            answered.set(true);
            assertError(response, 408, "UNSUPPORTED");
            trickling.join();
        }
    }

    @Test
    void uploadChunkThatStops_gets408AndIsUndone() throws IOException {
        String location = SERVER.client().startUpload("timeout/upload");
        try (RawConnection c = SERVER.connect()) {
            c.send(requestHead("PATCH", location, "Content-Length", "1000", "Content-Range", "0-999"));
            c.send(TestContent.bytes(1, 100));

            assertError(c.read(), 408, "UNSUPPORTED");
            assertTrue(c.closedByServer());
        }
        assertEquals("0-0", SERVER.client().get(location).headers().firstValue("Range").orElseThrow());
    }

    @Test
    void uploadThatKeepsComingSlowly_isNotCutOff() throws Exception {
        String location = SERVER.client().startUpload("timeout/slow-upload");
        int size = 40; // a byte every 100 ms: twice the timeout in all, never a pause as long
        try (RawConnection c = SERVER.connect()) {
            c.send(requestHead("PATCH", location, "Content-Length", Integer.toString(size)));
            trickle(c, new AtomicBoolean(), size).join();

            RawResponse accepted = c.read();
            assertEquals(202, accepted.status(), accepted.toString());
            assertEquals("0-" + (size - 1), accepted.header("Range").orElseThrow());
        }
    }

    /** Sends one byte every 100 ms until {@code bytes} are sent, the answer came, or the connection broke. */
    private static CompletableFuture<Void> trickle(RawConnection c, AtomicBoolean answered, int bytes) {
        return CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < bytes && !answered.get(); i++) {
                    c.send(new byte[] {'x'});
                    Thread.sleep(100);
                }
            } catch (IOException e) {
                // the registry gave up on the body and closed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, task -> Thread.ofVirtual().start(task));
    }
}
