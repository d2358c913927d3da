package io.berth.store.upstream;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.berth.store.upstream.UpstreamException.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS trust per endpoint, against an https upstream with a self-signed certificate made by
 * keytool: refused by default, trusted with the endpoint's CA, and anything goes when the endpoint
 * turns verification off (the host name included).
 */
class TlsTrustTest {
    private static final String PASSWORD = "changeit";

    @TempDir
    Path dir;
    private WireMockServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    // Generous timeouts: the first TLS handshake of a fresh JVM is slow on a busy machine.

    /** Starts an https upstream whose certificate names {@code san}; returns the certificate as PEM. */
    private String start(String san) throws Exception {
        Path keystore = dir.resolve("upstream.p12");
        Path pem = dir.resolve("upstream.pem");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", "upstream", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=upstream", "-ext", "san=" + san, "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        run(keytool, "-exportcert", "-rfc", "-alias", "upstream", "-keystore", keystore.toString(),
                "-storepass", PASSWORD, "-file", pem.toString());
        server = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").httpDisabled(true).dynamicHttpsPort()
                .keystorePath(keystore.toString()).keystoreType("PKCS12").keystorePassword(PASSWORD)
                .keyManagerPassword(PASSWORD));
        server.start();
        server.stubFor(get(urlPathEqualTo("/v2/")).willReturn(aResponse().withStatus(200).withBody("{}")));
        return Files.readString(pem);
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), output);
    }

    private RegistryClient client(boolean insecure, String caPem) {
        URI url = URI.create("https://127.0.0.1:" + server.httpsPort());
        return new RegistryClient(new RegistryEndpoint(1, "tls", RegistryEndpoint.Type.V2, List.of(url), insecure,
                caPem, null, null), UpstreamTesting.fastOptions()
                .withTimeouts(Duration.ofSeconds(20), Duration.ofSeconds(20), Duration.ofSeconds(20)));
    }

    @Test
    void unknownCertificate_isRefusedByDefault_withAHint() throws Exception {
        start("ip:127.0.0.1");
        try (RegistryClient client = client(false, null)) {
            UpstreamException e = assertThrows(UpstreamException.class, client::ping);
            assertEquals(Kind.UNREACHABLE, e.kind());
            assertTrue(e.getMessage().contains("CA certificate"), e.getMessage());
        }
    }

    @Test
    void endpointCa_isTrusted_inAdditionToTheDefaults() throws Exception {
        String pem = start("ip:127.0.0.1");
        try (RegistryClient client = client(false, pem)) {
            client.ping();
        }
    }

    @Test
    void endpointCa_stillChecksTheHostName() throws Exception {
        String pem = start("dns:other.example");
        try (RegistryClient client = client(false, pem)) {
            assertEquals(Kind.UNREACHABLE, assertThrows(UpstreamException.class, client::ping).kind());
        }
    }

    @Test
    void insecureEndpoint_acceptsAnyCertificateForAnyName() throws Exception {
        start("dns:other.example");
        try (RegistryClient client = client(true, null)) {
            client.ping();
        }
    }

    @Test
    void unreadableCa_isRefusedWithAClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TlsContexts.parseCaPem("not a certificate"));
        assertTrue(e.getMessage().contains("BEGIN CERTIFICATE"), e.getMessage());
    }
}
