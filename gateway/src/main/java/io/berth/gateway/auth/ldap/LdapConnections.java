package io.berth.gateway.auth.ldap;

import com.unboundid.ldap.sdk.FailoverServerSet;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.PostConnectProcessor;
import com.unboundid.ldap.sdk.ServerSet;
import com.unboundid.ldap.sdk.SingleServerSet;
import com.unboundid.ldap.sdk.StartTLSPostConnectProcessor;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.JVMDefaultTrustManager;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustAllSSLSocketVerifier;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The directory's servers as the SDK reaches them: one {@link ServerSet} (failing over in the
 * order of the URLs) whose connections are connected, upgraded with StartTLS when asked, and not
 * yet bound, with the short timeouts of the settings and the TLS trust they name. The service
 * account's pool and each user's own bind both take their connections here.
 */
final class LdapConnections {
    private LdapConnections() {
    }

    /** The servers of {@code settings}; IllegalArgumentException when the CA file cannot be read as PEM. */
    static ServerSet servers(LdapSettings settings) {
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis((int) Math.min(Integer.MAX_VALUE, millis(settings.connectTimeout())));
        options.setResponseTimeoutMillis(millis(settings.responseTimeout()));
        options.setAbandonOnTimeout(true);
        options.setFollowReferrals(false);
        options.setSSLSocketVerifier(settings.verifyHostname() ? new HostNameSSLSocketVerifier(true)
                : TrustAllSSLSocketVerifier.getInstance());
        SSLSocketFactory tls = tls(settings);
        PostConnectProcessor startTls = settings.startTls() ? new StartTLSPostConnectProcessor(tls) : null;
        List<ServerSet> servers = new ArrayList<>();
        for (String url : settings.urls()) {
            LDAPURL parsed;
            try {
                parsed = new LDAPURL(url);
            } catch (LDAPException e) {
                throw new IllegalArgumentException("auth.ldap.url: " + e.getMessage(), e); // checked by LdapSettings
            }
            boolean ldaps = parsed.getScheme().equals("ldaps");
            servers.add(new SingleServerSet(parsed.getHost(), parsed.getPort(), ldaps ? tls : null, options, null,
                    ldaps ? null : startTls));
        }
        return servers.size() == 1 ? servers.getFirst() : new FailoverServerSet(servers);
    }

    /** A name for the servers in messages: their URLs. */
    static String describe(LdapSettings settings) {
        return String.join(" ", settings.urls());
    }

    private static SSLSocketFactory tls(LdapSettings settings) {
        try {
            TrustManager[] trust = settings.caFile() == null
                    ? new TrustManager[]{JVMDefaultTrustManager.getInstance()} : trusting(settings.caFile());
            return new SSLUtil(trust).createSSLSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("auth.ldap.caFile: cannot read " + settings.caFile()
                    + " as PEM certificates: " + e.getMessage(), e);
        }
    }

    /**
     * The JDK's own PKIX trust managers with the certificates of a PEM file as the only anchors
     * (rather than the SDK's PEMFileTrustManager, which by its own account skips checks such as
     * basic constraints).
     */
    private static TrustManager[] trusting(Path caFile) throws GeneralSecurityException, IOException {
        KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
        anchors.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                anchors.setCertificateEntry("ca-" + i++, certificate);
            }
            if (i == 0) {
                throw new CertificateException("it holds no certificate");
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(anchors);
        return factory.getTrustManagers();
    }

    private static long millis(Duration d) {
        return Math.max(1, d.toMillis());
    }
}
