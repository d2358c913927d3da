package io.berth.gateway.v2;

import io.berth.gateway.testing.Await;
import io.berth.gateway.testing.HubContent;
import io.berth.gateway.testing.HubProxy;
import io.berth.gateway.testing.OciAssertions;
import io.berth.gateway.testing.RegistryServer;
import io.berth.gateway.testing.TestContent;
import io.berth.store.upstream.DockerHubEmulation;
import io.berth.store.upstream.RawHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.berth.gateway.testing.OciAssertions.assertStatus;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Blob downloads that break on the way from Docker Hub's CDN to a client of the proxy project
 * {@code hub}: a connection reset mid-blob, a body cut short of its Content-Length, the wrong
 * bytes, a stall in the body or before the headers, a 500 or 429 instead of the redirect. The
 * client's transfer always breaks (a short read, or an error before the body), never a
 * complete-looking 200; nothing is cached, no spool file is left, and the next pull, from a
 * healthy CDN, fetches the blob again and gets the right bytes.
 */
class HubBlobFaultsTest {
    private static final String REPOSITORY = "library/alpine";
    private static final int SIZE = 300_000;

    @RegisterExtension
    static final RegistryServer SERVER = new RegistryServer();
    private static long endpoint;

    private DockerHubEmulation hub;
    private HubProxy proxy;

    @BeforeAll
    static void proxyProject() {
        endpoint = HubProxy.createProject(SERVER);
    }

    @BeforeEach
    void dockerHub() throws IOException {
        hub = new DockerHubEmulation();
        hub.requireTokens(300);
        proxy = openProxy(Duration.ofSeconds(20));
    }

    @AfterEach
    void stop() {
        proxy.close();
        hub.close();
    }

    private HubProxy openProxy(Duration idleTimeout) throws IOException {
        return HubProxy.open(SERVER, endpoint, hub.registryUrl(), HubProxy.upstreamOptions(idleTimeout),
                Duration.ofSeconds(30));
    }

    private static String path(String digest) {
        return "/v2/hub/alpine/blobs/" + digest;
    }

    /** A CDN that answers every request with the blob's head and what {@code body} writes, then misbehaves. */
    private static RawHttpServer brokenCdn(byte[] blob, RawHttpServer.Responder body) throws IOException {
        return new RawHttpServer((head, socket, out) -> {
            out.write(RawHttpServer.head(200, "Content-Type: application/octet-stream",
                    "Content-Length: " + blob.length));
            body.respond(head, socket, out);
        });
    }

    @Test
    void connectionResetMidBlob_breaksTheTransfer_cachesNothing_andTheNextPullFetchesAgain() throws Exception {
        byte[] blob = TestContent.bytes(601, SIZE);
        try (RawHttpServer cdn = brokenCdn(blob, (head, socket, out) -> {
            out.write(blob, 0, 100_000);
            out.flush();
            socket.setSoLinger(true, 0); // close with a reset
            socket.close();
        })) {
            HubContent.blobRedirect(hub, REPOSITORY, TestContent.digest(blob), cdn.url() + "/blobs/reset");

            assertBrokenTransfer(path(TestContent.digest(blob)), blob);
        }
        assertNothingCached_andAHealthyPullFetchesAgain(blob);
    }

    @Test
    void bodyCutShortOfItsContentLength_breaksTheTransfer_cachesNothing_andTheNextPullFetchesAgain() throws Exception {
        byte[] blob = TestContent.bytes(602, SIZE);
        try (RawHttpServer cdn = brokenCdn(blob, (head, socket, out) -> {
            out.write(blob, 0, 200_000);
            out.flush(); // and the connection closes normally, 100,000 bytes short
        })) {
            HubContent.blobRedirect(hub, REPOSITORY, TestContent.digest(blob), cdn.url() + "/blobs/short");

            assertBrokenTransfer(path(TestContent.digest(blob)), blob);
        }
        assertNothingCached_andAHealthyPullFetchesAgain(blob);
    }

    @Test
    void wrongBytes_breakTheTransferBeforeItsLastByte_cacheNothing_andTheNextPullFetchesAgain() throws Exception {
        byte[] blob = TestContent.bytes(603, SIZE);
        byte[] wrong = blob.clone();
        wrong[SIZE / 2] ^= 1; // one bit flipped: same size, another digest
        HubContent.blobViaCdn(hub, REPOSITORY, TestContent.digest(blob), wrong);

        assertBrokenTransfer(path(TestContent.digest(blob)), blob);

        assertNothingCached_andAHealthyPullFetchesAgain(blob);
    }

    @Test
    void stallMidBlob_breaksTheTransferAtTheIdleTimeout_whileTheCdnStillStalls() throws Exception {
        proxy.close();
        proxy = openProxy(Duration.ofSeconds(2));
        byte[] blob = TestContent.bytes(604, SIZE);
        CountDownLatch stallOver = new CountDownLatch(1);
        try (RawHttpServer cdn = brokenCdn(blob, (head, socket, out) -> {
            out.write(blob, 0, 10_000);
            out.flush();
            stallOver.await(30, TimeUnit.SECONDS);
        })) {
            HubContent.blobRedirect(hub, REPOSITORY, TestContent.digest(blob), cdn.url() + "/blobs/stall");

            assertBrokenTransfer(path(TestContent.digest(blob)), blob);

            assertEquals(1, stallOver.getCount(), "the transfer broke while the CDN still stalled, not at its end");
            stallOver.countDown();
        }
        assertNothingCached_andAHealthyPullFetchesAgain(blob);
    }

    @Test
    void stallBeforeTheHeaders_isUnavailableByTheDeadline_whileTheCdnStillStalls() throws Exception {
        proxy.close();
        proxy = HubProxy.open(SERVER, endpoint, hub.registryUrl(), HubProxy.upstreamOptions(Duration.ofSeconds(20)),
                Duration.ofSeconds(2));
        byte[] blob = TestContent.bytes(607, SIZE);
        CountDownLatch stallOver = new CountDownLatch(1);
        try (RawHttpServer cdn = new RawHttpServer((head, socket, out) -> stallOver.await(30, TimeUnit.SECONDS))) {
            HubContent.blobRedirect(hub, REPOSITORY, TestContent.digest(blob), cdn.url() + "/blobs/silent");

            HttpResponse<byte[]> answer = SERVER.client().get(path(TestContent.digest(blob)));

            OciAssertions.assertError(answer, 503, "UNAVAILABLE");
            OciAssertions.assertHeader("2", answer, "Retry-After");
            assertEquals(1, stallOver.getCount(), "answered while the CDN still stalled");
            stallOver.countDown();
        }
        proxy.close(); // ends the fill that still waits for the CDN
        proxy = openProxy(Duration.ofSeconds(20));
        assertNothingCached_andAHealthyPullFetchesAgain(blob);
    }

    @Test
    void serverErrorBeforeTheBody_isUnavailable_andA429PassesItsRetryAfterOn() throws Exception {
        byte[] failing = TestContent.bytes(605, 1000);
        byte[] limited = TestContent.bytes(606, 1000);
        HubContent.blobFails(hub, REPOSITORY, TestContent.digest(failing), aResponse().withStatus(500)
                .withBody("{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":\"oops\"}]}"));
        HubContent.blobFails(hub, REPOSITORY, TestContent.digest(limited), aResponse().withStatus(429)
                .withHeader("Retry-After", "120").withBody("{\"errors\":[{\"code\":\"TOOMANYREQUESTS\","
                        + "\"message\":\"You have reached your unauthenticated pull rate limit.\"}]}"));

        HttpResponse<byte[]> unavailable = SERVER.client().get(path(TestContent.digest(failing)));
        HttpResponse<byte[]> tooMany = SERVER.client().get(path(TestContent.digest(limited)));

        OciAssertions.assertError(unavailable, 503, "UNAVAILABLE");
        assertTrue(unavailable.headers().firstValue("Retry-After").isPresent(), "a 503 says when to come back");
        OciAssertions.assertError(tooMany, 429, "TOOMANYREQUESTS");
        OciAssertions.assertHeader("120", tooMany, "Retry-After");
        assertNothingCached_andAHealthyPullFetchesAgain(failing);
    }

    /**
     * The client's transfer of the blob broke: an OCI error before the body, or a body that ends
     * before its Content-Length (the client's read fails); never a 200 whose body reads to its end.
     */
    private static void assertBrokenTransfer(String path, byte[] right) {
        HttpResponse<InputStream> answer = SERVER.client().getStream(path);
        if (answer.statusCode() != 200) {
            try (InputStream in = answer.body()) {
                OciAssertions.assertErrorBody(in.readAllBytes(), answer.statusCode(), "UNAVAILABLE",
                        "an error before the body");
                assertEquals(503, answer.statusCode());
                return;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertEquals(String.valueOf(right.length), answer.headers().firstValue("Content-Length").orElse(null));
        byte[] read = new byte[right.length];
        int total = 0;
        try (InputStream in = answer.body()) {
            for (int n; (n = in.read(read, total, read.length - total)) > 0; ) {
                total += n;
            }
        } catch (IOException broken) {
            assertTrue(total < right.length, "the read failed before the last byte");
            return;
        }
        fail("a complete-looking 200 with " + total + " bytes, "
                + (Arrays.equals(right, read) ? "the right ones" : "wrong ones"));
    }

    private void assertNothingCached_andAHealthyPullFetchesAgain(byte[] blob) throws IOException {
        String digest = TestContent.digest(blob);
        assertFalse(proxy.links(REPOSITORY, digest), "the repository links no blob");
        assertFalse(proxy.stores(digest), "the store holds nothing under the digest");
        Await.until(() -> spoolIsEmpty(), "the failed fill's spool file is deleted");

        HubContent.blobViaCdn(hub, REPOSITORY, blob);
        HttpResponse<byte[]> again = SERVER.client().get(path(digest));

        assertStatus(200, again);
        assertArrayEquals(blob, again.body());
        Await.until(() -> links(digest), "the verified blob is cached");
    }

    private boolean spoolIsEmpty() {
        try {
            return proxy.spoolFiles().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean links(String digest) {
        try {
            return proxy.links(REPOSITORY, digest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
