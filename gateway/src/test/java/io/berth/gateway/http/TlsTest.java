package io.berth.gateway.http;

import io.berth.gateway.GatewayConfig;
import io.berth.gateway.v2.V2Api;
import io.berth.store.Registry;
import io.berth.store.testing.Requirements;
import io.berth.store.testing.TestDatabases;
import io.berth.store.testing.TestRegistries;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With a certificate and key configured, the registry speaks HTTPS and serves blobs intact over it. */
class TlsTest {
    @TempDir
    static Path dir;
    private static Path cert;
    private static GatewayServer server;
    private static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        String openssl = Requirements.executable("openssl");
        cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process p = new ProcessBuilder(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("openssl failed: " + output);
        }
        Registry registry = TestRegistries.onFilesystem(TestDatabases.h2(), dir.resolve("data"), true, 4 << 20,
                Duration.ofHours(1), Clock.systemUTC());
        GatewayConfig local = GatewayConfig.local();
        server = new GatewayServer(new GatewayConfig(local.bindHost(), 0, cert, key, local.maxHeaderSize(),
                local.maxManifestSize(), local.idleTimeout()), V2Api.routes(registry));
        server.start();
        http = HttpClient.newBuilder().sslContext(trusting(cert)).build();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void tlsConfigured_blobPushedAndPulledOverHttps_arrivesIntact() throws Exception {
        byte[] blob = randomBytes(7, 3 << 20);
        String digest = push("secure/app", blob);

        HttpResponse<byte[]> pull = http.send(HttpRequest.newBuilder(uri("/v2/secure/app/blobs/" + digest)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, pull.statusCode());
        assertArrayEquals(blob, pull.body());

        HttpResponse<byte[]> range = http.send(HttpRequest.newBuilder(uri("/v2/secure/app/blobs/" + digest))
                .header("Range", "bytes=1000-1999").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, range.statusCode());
        assertArrayEquals(java.util.Arrays.copyOfRange(blob, 1000, 2000), range.body());
    }

    /** Under TLS a blob cannot go out zero-copy: its file is read off the event loop (file reads fail the test there). */
    @Test
    void tlsConfigured_multiMebibyteBlob_arrivesByteExact() throws Exception {
        byte[] blob = randomBytes(8, 12 << 20);
        String digest = push("secure/big", blob);

        for (int i = 0; i < 3; i++) { // one connection, several downloads: each ends where the next can start
            HttpResponse<byte[]> pull = http.send(HttpRequest.newBuilder(uri("/v2/secure/big/blobs/" + digest)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, pull.statusCode());
            assertArrayEquals(blob, pull.body());
        }
    }

    /** A client that writes its whole body before reading gets its answer over TLS too, not a reset. */
    @Test
    void tlsConfigured_manifestOverTheLimitSentWhole_getsItsAnswer() throws Exception {
        int size = 5 << 20;
        try (SSLSocket socket = (SSLSocket) trusting(cert).getSocketFactory().createSocket("127.0.0.1", server.port())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /v2/secure/too-large/manifests/v1 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + size
                    + "\r\nContent-Type: application/vnd.oci.image.manifest.v1+json\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[size]);
            out.flush();

            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
            assertTrue(answer.contains("MANIFEST_INVALID"), answer);
        }
    }

    private static byte[] randomBytes(long seed, int size) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Pushes a blob with one monolithic POST; returns its digest. */
    private static String push(String repository, byte[] blob) throws Exception {
        String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(blob));
        HttpResponse<String> push = http.send(HttpRequest.newBuilder(uri("/v2/" + repository + "/blobs/uploads/?digest="
                + digest)).POST(HttpRequest.BodyPublishers.ofByteArray(blob)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, push.statusCode(), push.body());
        return digest;
    }

    private static URI uri(String path) {
        return URI.create("https://127.0.0.1:" + server.port() + path);
    }

    private static SSLContext trusting(Path certFile) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certFile)) {
            trust.setCertificateEntry("berth", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
