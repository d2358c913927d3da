package io.berth.store.upstream;

import io.berth.store.oci.Digest;
import io.berth.store.upstream.Upstream.BlobStream;
import io.berth.store.upstream.UpstreamClients.Options;
import io.berth.store.upstream.UpstreamException.Kind;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Arrays;

import static io.berth.store.upstream.UpstreamTesting.endpoint;
import static io.berth.store.upstream.UpstreamTesting.fastOptions;
import static io.berth.store.upstream.UpstreamTesting.randomBytes;
import static io.berth.store.upstream.UpstreamTesting.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bodies that break after their headers: cut short, reset, stalled, endless. The reader always
 * sees a failure (never a short body that looks complete), and a stream once handed out is not
 * retried behind the reader's back.
 */
class BodyFaultsTest {
    private static final byte[] BLOB = randomBytes(100_000, 7);
    private static final Digest DIGEST = sha256(BLOB);

    private static byte[] blobHead() {
        return RawHttpServer.head(200, "Content-Type: application/octet-stream", "Content-Length: " + BLOB.length);
    }

    private static UpstreamException readAll(RegistryClient client) throws IOException {
        BlobStream stream = client.getBlob("library/alpine", DIGEST, 0).orElseThrow();
        try (stream) {
            return assertThrows(UpstreamException.class, () -> stream.body().transferTo(OutputStream.nullOutputStream()));
        }
    }

    @Test
    void bodyCutShortOfItsContentLength_failsTheRead() throws Exception {
        try (RawHttpServer upstream = new RawHttpServer((head, socket, out) -> {
            out.write(blobHead());
            out.write(BLOB, 0, 30_000);
            out.flush();
        }); RegistryClient client = new RegistryClient(endpoint(upstream.url()), fastOptions())) {
            UpstreamException e = readAll(client);

            assertEquals(Kind.UNREACHABLE, e.kind());
            assertEquals(1, upstream.requests(), "a stream handed out is never retried");
        }
    }

    @Test
    void connectionResetMidBlob_failsTheRead() throws Exception {
        try (RawHttpServer upstream = new RawHttpServer((head, socket, out) -> {
            out.write(blobHead());
            out.write(BLOB, 0, 40_000);
            out.flush();
            socket.setSoLinger(true, 0);
            socket.close();
        }); RegistryClient client = new RegistryClient(endpoint(upstream.url()), fastOptions())) {
            UpstreamException e = readAll(client);

            assertEquals(Kind.UNREACHABLE, e.kind());
            assertEquals(1, upstream.requests());
        }
    }

    @Test
    void stallAfterTheFirstBytes_failsWithTimeout_whenTheIdleTimeoutPasses() throws Exception {
        Options options = fastOptions().withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofMillis(500));
        try (RawHttpServer upstream = new RawHttpServer((head, socket, out) -> {
            out.write(blobHead());
            out.write(BLOB, 0, 10_000);
            out.flush();
            Thread.sleep(3000);
        }); RegistryClient client = new RegistryClient(endpoint(upstream.url()), options)) {
            BlobStream stream = client.getBlob("library/alpine", DIGEST, 0).orElseThrow();
            try (stream) {
                assertArrayEquals(Arrays.copyOf(BLOB, 10_000), stream.body().readNBytes(10_000),
                        "the bytes before the stall arrive");
                UpstreamException e = assertThrows(UpstreamException.class, () -> stream.body().read());
                assertEquals(Kind.TIMEOUT, e.kind());
            }
        }
    }

    @Test
    void slowButSteadyBody_longerThanTheHeadersTimeout_streamsToTheEnd() throws Exception {
        Options options = fastOptions().withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(3));
        try (RawHttpServer upstream = new RawHttpServer((head, socket, out) -> {
            out.write(blobHead());
            for (int i = 0; i < 10; i++) {
                out.write(BLOB, i * 10_000, 10_000);
                out.flush();
                Thread.sleep(300);
            }
        }); RegistryClient client = new RegistryClient(endpoint(upstream.url()), options)) {
            try (BlobStream stream = client.getBlob("library/alpine", DIGEST, 0).orElseThrow()) {
                assertArrayEquals(BLOB, stream.body().readAllBytes(), "a transfer has no overall time limit");
            }
        }
    }

    @Test
    void endlessManifestBody_stopsAtTheSizeLimit() throws Exception {
        try (RawHttpServer upstream = new RawHttpServer((head, socket, out) -> {
            out.write(RawHttpServer.head(200, "Content-Type: application/vnd.oci.image.manifest.v1+json",
                    "Transfer-Encoding: chunked"));
            byte[] chunk = ("2000\r\n" + "a".repeat(0x2000) + "\r\n").getBytes();
            while (true) {
                out.write(chunk);
            }
        }); RegistryClient client = new RegistryClient(endpoint(upstream.url()), fastOptions())) {
            UpstreamException e = assertThrows(UpstreamException.class,
                    () -> client.getManifest("library/alpine", "latest", 1 << 20));

            assertEquals(Kind.INVALID_RESPONSE, e.kind());
            assertTrue(e.getMessage().contains("over the limit"), e.getMessage());
        }
    }

    @Test
    void manifestBodyBreakingOff_isRetried_becauseNoCallerSawIt() throws Exception {
        byte[] manifest = UpstreamTesting.imageManifest("retry");
        java.util.concurrent.atomic.AtomicInteger served = new java.util.concurrent.atomic.AtomicInteger();
        try (RawHttpServer upstream = new RawHttpServer((head, socket, out) -> {
            out.write(RawHttpServer.head(200, "Content-Type: application/vnd.oci.image.manifest.v1+json",
                    "Content-Length: " + manifest.length));
            if (served.getAndIncrement() == 0) {
                out.write(manifest, 0, manifest.length / 2);
            } else {
                out.write(manifest);
            }
            out.flush();
        }); RegistryClient client = new RegistryClient(endpoint(upstream.url()),
                fastOptions().withRetries(2, Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofSeconds(1)))) {
            assertArrayEquals(manifest, client.getManifest("library/alpine", "latest", 1 << 20).orElseThrow().bytes());
            assertEquals(2, upstream.requests());
        }
    }
}
