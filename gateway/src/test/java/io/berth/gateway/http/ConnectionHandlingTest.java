package io.berth.gateway.http;

import io.berth.gateway.testing.RawConnection;
import io.berth.gateway.testing.RawResponse;
import io.berth.gateway.testing.RegistryServer;
import io.berth.gateway.testing.TestContent;
import io.berth.gateway.testing.V2Client;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import static io.berth.gateway.testing.OciAssertions.assertError;
import static io.berth.gateway.testing.OciAssertions.assertHeader;
import static io.berth.gateway.testing.OciAssertions.assertStatus;
import static io.berth.gateway.testing.OciAssertions.header;
import static io.berth.gateway.testing.RawConnection.requestHead;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTP/1.1 as clients really speak it, and as broken clients do: persistent connections,
 * pipelining, {@code Expect: 100-continue}, chunked bodies, and bodies that do not match their
 * {@code Content-Length}. Whatever arrives, the answer is an OCI error and the registry's state is
 * what it was before the broken request.
 */
class ConnectionHandlingTest {
    @RegisterExtension
    static final RegistryServer SERVER = new RegistryServer();

    private static V2Client client() {
        return SERVER.client();
    }

    @Test
    void keepAlive_servesSeveralRequestsOnOneConnection() throws IOException {
        client().pushImage("conn/keep-alive", "v1", 1);
        try (RawConnection c = SERVER.connect()) {
            assertEquals(200, c.exchange("GET", "/v2/").status());
            RawResponse tags = c.exchange("GET", "/v2/conn/keep-alive/tags/list");
            assertEquals(200, tags.status());
            assertTrue(tags.text().contains("\"v1\""), tags.text());
            assertError(c.exchange("GET", "/v2/conn/keep-alive/manifests/nope"), 404, "MANIFEST_UNKNOWN");
            assertEquals(200, c.exchange("HEAD", "/v2/conn/keep-alive/manifests/v1").status());
            assertEquals(200, c.exchange("GET", "/v2/conn/keep-alive/manifests/v1").status());
        }
    }

    @Test
    void pipelinedRequests_areAnsweredInOrder() throws IOException {
        client().pushImage("conn/pipelined", "v1", 2);
        try (RawConnection c = SERVER.connect()) {
            c.send(requestHead("GET", "/v2/conn/pipelined/tags/list")
                    + requestHead("GET", "/v2/conn/pipelined/manifests/v1")
                    + requestHead("HEAD", "/v2/conn/pipelined/manifests/v1")
                    + requestHead("GET", "/v2/conn/pipelined/manifests/nope")
                    + requestHead("GET", "/v2/"));

            assertTrue(c.read().text().contains("\"v1\""));
            assertEquals(200, c.read().status());
            assertEquals(200, c.read(true).status());
            assertError(c.read(), 404, "MANIFEST_UNKNOWN");
            assertEquals(200, c.read().status());
        }
    }

    @Test
    void expectContinue_getsAnInterimResponseBeforeTheBody() throws IOException {
        String location = client().startUpload("conn/expect");
        byte[] chunk = TestContent.bytes(3, 1000);
        try (RawConnection c = SERVER.connect()) {
            c.send(requestHead("PATCH", location, "Content-Length", "1000", "Content-Range", "0-999",
                    "Expect", "100-continue"));
            assertEquals(100, c.read().status());
            c.send(chunk);
            RawResponse accepted = c.read();
            assertEquals(202, accepted.status(), accepted.toString());
            assertEquals("0-999", accepted.header("Range").orElseThrow());
        }
    }

    @Test
    void expectContinue_forAManifestOverTheLimit_isRefusedAtOnceWithoutAskingForTheBody() throws IOException {
        try (RawConnection c = SERVER.connect()) {
            c.send(requestHead("PUT", "/v2/conn/expect-big/manifests/v1", "Content-Length",
                    Long.toString(RegistryServer.MAX_MANIFEST_SIZE + 1), "Expect", "100-continue",
                    "Content-Type", "application/vnd.oci.image.manifest.v1+json"));
            RawResponse refused = c.read();
            assertError(refused, 413, "MANIFEST_INVALID");
            assertTrue(c.closedByServer(), "the body may still come: the connection is closed");
        }
    }

    @Test
    void expectContinue_toAnUnknownEndpoint_isAnsweredAtOnceWithoutAskingForTheBody() throws IOException {
        try (RawConnection c = SERVER.connect()) {
            c.send(requestHead("PUT", "/v2/conn/x/nothing/here", "Content-Length", "1000", "Expect", "100-continue"));
            assertError(c.read(), 404, "UNSUPPORTED");
            assertTrue(c.closedByServer(), "the body may still come: the connection is closed");
        }
    }

    @Test
    void chunkedBodyWithABrokenChunkHeader_isRefusedAndItsBytesAreUndone() throws IOException {
        String location = client().startUpload("conn/broken-chunked");
        try (RawConnection c = SERVER.connect()) {
            c.send(requestHead("PATCH", location, "Transfer-Encoding", "chunked"));
            c.send("a\r\n0123456789\r\n");
            c.send("zz-not-a-size\r\nmore\r\n0\r\n\r\n");
            assertError(c.read(), 400, "UNSUPPORTED");
            assertTrue(c.closedByServer(), "after broken framing the connection is closed");
        }
        HttpResponse<byte[]> status = client().get(location);
        assertStatus(204, status);
        assertEquals("0-0", header(status, "Range"), "the ten bytes before the broken chunk were undone");
    }

    @Test
    void queryWithBrokenPercentEncoding_isAClientError() throws IOException {
        try (RawConnection c = SERVER.connect()) {
            assertError(c.exchange("GET", "/v2/_catalog?last=%zz"), 400, "UNSUPPORTED");
            assertError(c.exchange("POST", "/v2/conn/q/blobs/uploads/?digest=%4"), 400, "UNSUPPORTED");
        }
    }

    @Test
    void expectContinueFollowedByPipelinedRequests_keepsResponsesInStep() throws IOException {
        client().pushImage("conn/expect-pipelined", "v1", 10);
        String location = client().startUpload("conn/expect-pipelined");
        try (RawConnection c = SERVER.connect()) {
            c.send(requestHead("PATCH", location, "Content-Length", "10", "Expect", "100-continue"));
            assertEquals(100, c.read().status());
            c.send(TestContent.bytes(10, 10));
            c.send(requestHead("HEAD", "/v2/conn/expect-pipelined/manifests/nope")
                    + requestHead("HEAD", "/v2/conn/expect-pipelined/manifests/v1")
                    + requestHead("GET", "/v2/"));

            assertEquals(202, c.read().status());
            assertEquals(404, c.read(true).status());
            assertEquals(200, c.read(true).status());
            RawResponse base = c.read();
            assertEquals(200, base.status(), base.toString());
            assertEquals("{}", base.text());
        }
    }

    @Test
    void patchFollowedByPipelinedStatus_seesTheChunk() throws IOException {
        String location = client().startUpload("conn/patch-pipelined");
        try (RawConnection c = SERVER.connect()) {
            c.send(requestHead("PATCH", location, "Content-Length", "100"));
            c.send(TestContent.bytes(11, 100));
            c.send(requestHead("GET", location));

            assertEquals(202, c.read().status());
            RawResponse status = c.read();
            assertEquals(204, status.status());
            assertEquals("0-99", status.header("Range").orElseThrow());
        }
    }

    @Test
    void connectionClose_isHonoured() throws IOException {
        try (RawConnection c = SERVER.connect()) {
            RawResponse response = c.exchange("GET", "/v2/", "Connection", "close");

            assertEquals(200, response.status());
            assertEquals("close", response.header("Connection").orElseThrow());
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void http10WithoutKeepAlive_isClosedAfterTheResponse() throws IOException {
        try (RawConnection c = SERVER.connect()) {
            c.send("GET /v2/ HTTP/1.0\r\n\r\n");

            assertEquals(200, c.read().status());
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void conflictingContentLengths_answer400AndClose() throws IOException {
        String location = client().startUpload("conn/two-lengths");
        try (RawConnection c = SERVER.connect()) {
            c.send(requestHead("PATCH", location, "Content-Length", "5", "Content-Length", "6"));
            c.send("hello!");

            assertError(c.read(), 400, "UNSUPPORTED");
            assertTrue(c.closedByServer());
        }
        assertHeader("0-0", client().get(location), "Range");
    }

    @Test
    void largeChunkedPatch_arrivesIntact() throws Exception {
        long size = 20L << 20;
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        String location = client().startUpload("conn/large");

        HttpResponse<byte[]> patched = client().sendStreamed("PATCH", location,
                () -> new DigestInputStream(new RandomStream(4, size), sha));
        assertStatus(202, patched);
        assertHeader("0-" + (size - 1), patched, "Range");
        String digest = "sha256:" + HexFormat.of().formatHex(sha.digest());
        HttpResponse<byte[]> done = client().put(header(patched, "Location") + "?digest=" + digest, new byte[0]);
        assertStatus(201, done);

        HttpResponse<InputStream> pulled = client().getStream("/v2/conn/large/blobs/" + digest);
        assertEquals(200, pulled.statusCode());
        MessageDigest back = MessageDigest.getInstance("SHA-256");
        long read;
        try (InputStream in = new DigestInputStream(pulled.body(), back)) {
            read = in.transferTo(OutputStream.nullOutputStream());
        }
        assertEquals(size, read);
        assertEquals(digest, "sha256:" + HexFormat.of().formatHex(back.digest()));
    }

    /**
     * A chunk whose session is busy with another chunk waits for it while its body keeps coming:
     * the server must stop reading that body (bounded memory) and pick it up again afterwards.
     */
    @Test
    void chunkWaitingForABusySession_isHeldBackThenArrivesIntact() throws Exception {
        String location = client().startUpload("conn/held-back");
        byte[] first = TestContent.bytes(12, 1000);
        long secondSize = 40L << 20;
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(first);
        AtomicLong written = new AtomicLong();

        try (RawConnection a = SERVER.connect(); RawConnection b = SERVER.connect()) {
            a.send(requestHead("PATCH", location, "Content-Length", "1000", "Content-Range", "0-999"));
            a.send(Arrays.copyOf(first, 500));
            // The first chunk holds the session once its bytes reach the session's file (the
            // status reports only acknowledged bytes, so it cannot tell).
            awaitDataOnDisk(location, 500);

            CompletableFuture<RawResponse> second = CompletableFuture.supplyAsync(() -> {
                try {
                    b.send(requestHead("PATCH", location, "Content-Length", Long.toString(secondSize),
                            "Content-Range", "1000-" + (1000 + secondSize - 1)));
                    try (InputStream in = new RandomStream(13, secondSize)) {
                        byte[] buffer = new byte[64 * 1024];
                        int n;
                        while ((n = in.read(buffer)) > 0) {
                            sha.update(buffer, 0, n);
                            b.send(Arrays.copyOf(buffer, n));
                            written.addAndGet(n);
                        }
                    }
                    return b.read();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            // The server takes in more than its high-water mark before it stops reading; wait for
            // that much to be sent, so the second body is held back before the session frees up.
            while (written.get() <= BodyStream.HIGH_WATER && !second.isDone()) {
                Thread.sleep(5);
            }

            a.send(Arrays.copyOfRange(first, 500, 1000));
            RawResponse firstDone = a.read();
            assertEquals(202, firstDone.status(), firstDone.toString());
            assertEquals("0-999", firstDone.header("Range").orElseThrow());

            RawResponse secondDone = second.join();
            assertEquals(202, secondDone.status(), secondDone.toString());
            assertEquals("0-" + (1000 + secondSize - 1), secondDone.header("Range").orElseThrow());
        }
        String digest = "sha256:" + HexFormat.of().formatHex(sha.digest());
        assertStatus(201, client().put(location + "?digest=" + digest, new byte[0]));
    }

    /** Polls the upload's status until its Range is {@code range}. */
    private static void awaitDataOnDisk(String location, long bytes) throws Exception {
        String id = location.substring(location.lastIndexOf('/') + 1);
        java.nio.file.Path data = new io.berth.store.blob.StoragePaths(SERVER.storage()).uploadData(id);
        for (int i = 0; i < 10_000; i++) {
            if (java.nio.file.Files.size(data) >= bytes) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("upload " + location + " never held " + bytes + " bytes on disk");
    }

    @Test
    void bodyShorterThanContentLength_isUndoneWhenTheClientGoesAway() throws IOException {
        byte[] content = TestContent.bytes(5, 3000);
        String digest = TestContent.digest(content);
        String location = client().startUpload("conn/short-body");
        assertStatus(202, client().patch(location, Arrays.copyOfRange(content, 0, 1000), "Content-Range", "0-999"));

        try (RawConnection c = SERVER.connect()) {
            c.send(requestHead("PATCH", location, "Content-Length", "2000", "Content-Range", "1000-2999"));
            c.send(Arrays.copyOfRange(content, 1000, 1700));
        }

        // The half-sent chunk is either undone before this one starts, or refused before it writes
        // a byte: in both orders the session holds exactly the first 1000 bytes when this arrives.
        HttpResponse<byte[]> resumed = client().patch(location, Arrays.copyOfRange(content, 1000, 3000),
                "Content-Range", "1000-2999");
        assertStatus(202, resumed);
        assertHeader("0-2999", resumed, "Range");
        assertStatus(201, client().put(location + "?digest=" + digest, new byte[0]));
        assertArrayEquals(content, client().get("/v2/conn/short-body/blobs/" + digest).body());
    }

    @Test
    void finalPutShorterThanContentLength_leavesTheSessionAsItWas() throws IOException {
        byte[] content = TestContent.bytes(6, 3000);
        String digest = TestContent.digest(content);
        String location = client().startUpload("conn/short-put");
        assertStatus(202, client().patch(location, Arrays.copyOfRange(content, 0, 1000), "Content-Range", "0-999"));

        try (RawConnection c = SERVER.connect()) {
            c.send(requestHead("PUT", location + "?digest=" + digest, "Content-Length", "2000",
                    "Content-Range", "1000-2999"));
            c.send(Arrays.copyOfRange(content, 1000, 2500));
        }

        HttpResponse<byte[]> done = client().put(location + "?digest=" + digest, Arrays.copyOfRange(content, 1000, 3000),
                "Content-Range", "1000-2999");
        assertStatus(201, done);
        assertArrayEquals(content, client().get("/v2/conn/short-put/blobs/" + digest).body());
    }

    @Test
    void manifestShorterThanContentLength_isNotStored() throws IOException {
        TestContent.Blob manifest = client().pushImage("conn/short-manifest", "v1", 7);

        try (RawConnection c = SERVER.connect()) {
            c.send(requestHead("PUT", "/v2/conn/short-manifest/manifests/v2", "Content-Type", manifest.mediaType(),
                    "Content-Length", Long.toString(manifest.size())));
            c.send(Arrays.copyOfRange(manifest.bytes(), 0, manifest.bytes().length / 2));
        }

        // The request never completed, so no handler ever ran for it.
        assertError(client().get("/v2/conn/short-manifest/manifests/v2"), 404, "MANIFEST_UNKNOWN");
        assertStatus(200, client().get("/v2/conn/short-manifest/manifests/v1"));
    }

    @Test
    void bodyLongerThanContentLength_isAMalformedNextRequest() throws IOException {
        String location = client().startUpload("conn/long-body");
        byte[] chunk = TestContent.bytes(8, 100);

        try (RawConnection c = SERVER.connect()) {
            c.send(requestHead("PATCH", location, "Content-Length", "100"));
            c.send(chunk);
            c.send("these bytes are not HTTP\r\n\r\n");

            RawResponse accepted = c.read();
            assertEquals(202, accepted.status(), accepted.toString());
            assertEquals("0-99", accepted.header("Range").orElseThrow());
            assertError(c.read(), 400, "UNSUPPORTED");
            assertTrue(c.closedByServer());
        }

        HttpResponse<byte[]> status = client().get(location);
        assertStatus(204, status);
        assertHeader("0-99", status, "Range");
    }

    @Test
    void contentRangeDisagreeingWithContentLength_answers400SizeInvalidAndKeepsTheConnection() throws IOException {
        String location = client().startUpload("conn/range-vs-length");

        try (RawConnection c = SERVER.connect()) {
            c.send(requestHead("PATCH", location, "Content-Length", "50", "Content-Range", "0-99"));
            c.send(TestContent.bytes(9, 50));
            assertError(c.read(), 400, "SIZE_INVALID");

            RawResponse status = c.exchange("GET", location);
            assertEquals(204, status.status());
            assertEquals("0-0", status.header("Range").orElseThrow());
        }
    }

    @Test
    void garbageRequestLine_answers400AndCloses() throws IOException {
        try (RawConnection c = SERVER.connect()) {
            c.send("this is not http\r\n\r\n");

            RawResponse response = c.read();
            assertError(response, 400, "UNSUPPORTED");
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void oversizedHeaders_answer431AndClose() throws IOException {
        try (RawConnection c = SERVER.connect()) {
            c.send(requestHead("GET", "/v2/", "X-Padding", "x".repeat(32 * 1024)));

            assertError(c.read(), 431, "UNSUPPORTED");
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void unknownEndpoints_answer404() throws IOException {
        assertError(client().get("/v3/"), 404, "UNSUPPORTED");
        assertError(client().get("/favicon.ico"), 404, "UNSUPPORTED");
        assertError(client().get("/v2/conn/x/unknown/thing"), 404, "UNSUPPORTED");
        assertError(client().get("/v2//tags/list"), 404, "UNSUPPORTED");
        try (RawConnection c = SERVER.connect()) {
            assertError(c.exchange("GET", "/v2/conn/x/blobs/uploads/../../etc"), 404, "UNSUPPORTED");
            assertError(c.exchange("PATCH", "/v2/conn/x/blobs/uploads/../../../etc/passwd", "Content-Length", "0"),
                    404, "UNSUPPORTED");
        }
    }

    @Test
    void wrongMethodOnAKnownPath_answers405Unsupported() {
        String digest = TestContent.digest(new byte[0]);
        assertUnsupported(client().post("/v2/conn/x/manifests/v1", new byte[0]), "GET", "HEAD", "PUT", "DELETE");
        assertUnsupported(client().put("/v2/conn/x/blobs/" + digest, new byte[0]), "GET", "HEAD", "DELETE");
        assertUnsupported(client().patch("/v2/conn/x/tags/list", new byte[0]), "GET", "HEAD");
        assertUnsupported(client().delete("/v2/_catalog"), "GET", "HEAD");
        assertUnsupported(client().post("/v2/", new byte[0]), "GET", "HEAD");
        assertUnsupported(client().put("/v2/conn/x/referrers/" + digest, new byte[0]), "GET");
        assertUnsupported(client().get("/v2/conn/x/blobs/uploads/"), "POST");
    }

    @Test
    void headOnListings_answersTheGetsHeadersWithoutABody() throws IOException {
        client().pushImage("conn/head-listing", "v1", 5);
        String[] paths = {"/v2/conn/head-listing/tags/list", "/v2/_catalog?n=1",
                "/v2/conn/head-listing/referrers/" + TestContent.digest(new byte[0])};

        try (RawConnection c = SERVER.connect()) {
            for (String path : paths) {
                RawResponse get = c.exchange("GET", path);
                RawResponse head = c.exchange("HEAD", path);

                assertEquals(200, head.status(), path);
                assertEquals(0, head.body().length, path);
                assertEquals(Integer.toString(get.body().length), head.header("Content-Length").orElseThrow(), path);
                assertEquals(get.header("Content-Type"), head.header("Content-Type"), path);
                assertEquals(get.header("Link"), head.header("Link"), path);
            }
            assertEquals(200, c.exchange("GET", "/v2/").status(), "the connection still reads requests in step");
        }
    }

    private static void assertUnsupported(HttpResponse<byte[]> response, String... allowed) {
        assertError(response, 405, "UNSUPPORTED");
        String allow = header(response, "Allow");
        for (String method : allowed) {
            assertTrue(Arrays.asList(allow.split("\\s*,\\s*")).contains(method), () -> "Allow: " + allow);
        }
    }

    /** A stream of pseudo-random bytes that never holds more than a small buffer. */
    private static final class RandomStream extends InputStream {
        private final SplittableRandom random;
        private long left;

        RandomStream(long seed, long size) {
            this.random = new SplittableRandom(seed);
            this.left = size;
        }

        @Override
        public int read() {
            if (left <= 0) {
                return -1;
            }
            left--;
            return random.nextInt(256);
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) random.nextInt(256);
            }
            left -= n;
            return n;
        }
    }
}
