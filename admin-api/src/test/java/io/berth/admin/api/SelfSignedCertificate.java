package io.berth.admin.api;

import io.berth.store.testing.Requirements;
import io.berth.store.upstream.TlsContexts;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;

/**
 * A certificate and PKCS#8 key for 127.0.0.1, made by openssl, for a registry port on TLS; and a
 * client context that trusts any certificate, for the test's own requests to it.
 *
 * @param cert the certificate (PEM)
 * @param key  its private key (PEM, PKCS#8)
 */
record SelfSignedCertificate(Path cert, Path key) {

    /** Writes a new certificate and key into {@code dir}. */
    static SelfSignedCertificate forLoopback(Path dir) {
        String openssl = Requirements.executable("openssl");
        try {
            Files.createDirectories(dir);
            SelfSignedCertificate made = new SelfSignedCertificate(dir.resolve("cert.pem"), dir.resolve("key.pem"));
            Process p = new ProcessBuilder(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", made.key().toString(), "-out", made.cert().toString()).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("openssl failed: " + output);
            }
            return made;
        } catch (IOException e) {
            throw new IllegalStateException("cannot make a certificate: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A TLS context that accepts any server certificate. */
    static SSLContext trustingAll() {
        try {
            return TlsContexts.trustingEverything();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
