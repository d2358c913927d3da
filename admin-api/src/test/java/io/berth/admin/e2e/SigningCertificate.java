package io.berth.admin.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * An RSA key with a self-signed certificate, made by the JDK's {@code keytool} (the JDK has no public
 * API that writes certificates): what a token issuer signs its tokens with, and the certificate a
 * registry trusts as its root bundle. Signs RS256 (RSASSA-PKCS1-v1_5 with SHA-256), which Distribution
 * verifies through libtrust.
 */
final class SigningCertificate {
    private static final String ALIAS = "issuer";
    private static final String STORE_PASSWORD = "berth-e2e-only";

    private final PrivateKey key;
    private final X509Certificate certificate;

    private SigningCertificate(PrivateKey key, X509Certificate certificate) {
        this.key = key;
        this.certificate = certificate;
    }

    /** A new key and certificate for {@code commonName}, valid for a week; the key store is written into {@code dir}. */
    static SigningCertificate create(Path dir, String commonName) {
        Path store = dir.resolve("issuer.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Proc.run(List.of(keytool, "-genkeypair", "-alias", ALIAS, "-keyalg", "RSA", "-keysize", "2048",
                "-sigalg", "SHA256withRSA", "-dname", "CN=" + commonName, "-validity", "7", "-ext", "BC=ca:true",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", STORE_PASSWORD,
                "-keypass", STORE_PASSWORD), Map.of(), Duration.ofMinutes(2)).assertOk();
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(in, STORE_PASSWORD.toCharArray());
            return new SigningCertificate((PrivateKey) keys.getKey(ALIAS, STORE_PASSWORD.toCharArray()),
                    (X509Certificate) keys.getCertificate(ALIAS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the key store keytool wrote", e);
        }
    }

    /** Writes the certificate as PEM to {@code file} (a registry's root certificate bundle) and returns the file. */
    Path writePem(Path file) {
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der())
                + "\n-----END CERTIFICATE-----\n";
        try {
            return Files.writeString(file, pem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The certificate in DER, base64 (not base64url) encoded: one entry of a JWS {@code x5c} header. */
    String x5cEntry() {
        return Base64.getEncoder().encodeToString(der());
    }

    /** The RS256 signature of {@code signingInput} (a JWS's {@code header.claims}). */
    byte[] sign(String signingInput) {
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return rsa.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] der() {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
