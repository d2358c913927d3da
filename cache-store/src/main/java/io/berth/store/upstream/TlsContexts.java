package io.berth.store.upstream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * The TLS trust of a registry endpoint: the JVM's default CAs; those plus the endpoint's own CA
 * certificates ({@code caPem}); or, for an endpoint marked insecure, any certificate for any host.
 */
public final class TlsContexts {
    private TlsContexts() {
    }

    /** The SSL context for connections to {@code endpoint}. */
    static SSLContext forEndpoint(RegistryEndpoint endpoint) {
        try {
            if (endpoint.insecure()) {
                return trustingEverything();
            }
            if (endpoint.caPem() == null || endpoint.caPem().isBlank()) {
                return SSLContext.getDefault();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustDefaultsAnd(parseCaPem(endpoint.caPem())).getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /**
     * A context that accepts any server certificate for any host: what "TLS verification off" means
     * for an endpoint (and for a test's client of a server with a certificate made for the test).
     */
    public static SSLContext trustingEverything() throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustEverything()}, null);
        return context;
    }

    /**
     * The certificates of a PEM text (one or more {@code BEGIN CERTIFICATE} blocks); an
     * IllegalArgumentException says what is wrong with it (for the admin API to check a CA first).
     */
    public static List<X509Certificate> parseCaPem(String pem) {
        if (pem == null || !pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new IllegalArgumentException("the CA is not a PEM certificate: paste one or more"
                    + " '-----BEGIN CERTIFICATE-----' blocks");
        }
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate c : factory.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                certificates.add((X509Certificate) c);
            }
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("the CA PEM holds no certificate");
            }
            return certificates;
        } catch (CertificateException e) {
            throw new IllegalArgumentException("the CA PEM cannot be read: " + e.getMessage(), e);
        }
    }

    private static TrustManagerFactory trustDefaultsAnd(List<X509Certificate> extra) throws GeneralSecurityException {
        TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        defaults.init((KeyStore) null);
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
        int n = 0;
        for (TrustManager tm : defaults.getTrustManagers()) {
            if (tm instanceof X509TrustManager x509) {
                for (X509Certificate ca : x509.getAcceptedIssuers()) {
                    store.setCertificateEntry("default-" + n++, ca);
                }
            }
        }
        for (X509Certificate ca : extra) {
            store.setCertificateEntry("endpoint-" + n++, ca);
        }
        TrustManagerFactory combined = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        combined.init(store);
        return combined;
    }

    /**
     * Trusts every certificate and, being an extended trust manager, makes JSSE skip the host name
     * check too: what "TLS verification off" means for an endpoint.
     */
    private static final class TrustEverything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
