package io.berth.gateway.auth.ldap;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.util.ssl.KeyStoreKeyManager;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustAllTrustManager;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * UnboundID's in-memory directory with the users and groups of {@code directory.ldif}, listening
 * on loopback ports of its own: plain LDAP (which also offers StartTLS when made with a
 * certificate) and, with a certificate, LDAPS.
 */
final class TestDirectory implements AutoCloseable {
    static final String BASE = "dc=example,dc=org";
    static final String PEOPLE = "ou=people," + BASE;
    static final String GROUPS = "ou=groups," + BASE;
    static final String SERVICE_DN = "cn=berth,ou=services," + BASE;
    static final String SERVICE_PASSWORD = "Service-Pass-1";
    static final String DEVS = "cn=devs," + GROUPS;
    static final String OPS = "cn=ops," + GROUPS;

    private final InMemoryDirectoryServer server;

    private TestDirectory(InMemoryDirectoryServer server) {
        this.server = server;
    }

    /** A directory speaking plain LDAP only. */
    static TestDirectory start() throws Exception {
        return start(null);
    }

    /** A directory that also speaks LDAPS and StartTLS with {@code certificate}'s key, when given. */
    static TestDirectory start(TestCertificate certificate) throws Exception {
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
        config.setSchema(null); // memberOf is in no standard schema; real directories add it themselves
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        List<InMemoryListenerConfig> listeners = new ArrayList<>();
        int port = freePort(); // fixed, so that a stopped directory can come back where it was
        if (certificate == null) {
            listeners.add(InMemoryListenerConfig.createLDAPConfig("ldap", loopback, port, null));
        } else {
            SSLUtil tls = new SSLUtil(new KeyStoreKeyManager(certificate.keyStore().toFile(), certificate.pin().toCharArray(),
                    "PKCS12", "server-cert"), new TrustAllTrustManager());
            listeners.add(InMemoryListenerConfig.createLDAPConfig("ldap", loopback, port, tls.createSSLSocketFactory()));
            listeners.add(InMemoryListenerConfig.createLDAPSConfig("ldaps", loopback, 0,
                    tls.createSSLServerSocketFactory(), tls.createSSLSocketFactory()));
        }
        config.setListenerConfigs(listeners);
        InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
        server.importFromLDIF(true, Path.of(TestDirectory.class.getResource("directory.ldif").toURI()).toFile());
        server.startListening();
        return new TestDirectory(server);
    }

    String url() {
        return "ldap://127.0.0.1:" + server.getListenPort("ldap");
    }

    /** The LDAPS URL by the name the test certificate holds. */
    String ldapsUrl(String host) {
        return "ldaps://" + host + ":" + server.getListenPort("ldaps");
    }

    /** Settings for this directory with the service account, the defaults otherwise (memberOf, no group search). */
    LdapSettings settings() {
        return LdapSettings.of(url(), PEOPLE, SERVICE_DN, SERVICE_PASSWORD);
    }

    void addMember(String groupDn, String userDn) throws LDAPException {
        server.modify(groupDn, new Modification(ModificationType.ADD, "member", userDn));
    }

    void removeMember(String groupDn, String userDn) throws LDAPException {
        server.modify(groupDn, new Modification(ModificationType.DELETE, "member", userDn));
    }

    void stop() {
        server.shutDown(true);
    }

    /** Listens again, on the ports it had. */
    void restart() throws LDAPException {
        server.startListening();
    }

    @Override
    public void close() {
        stop();
    }

    /** A loopback URL where nothing listens. */
    static String nowhere() throws IOException {
        return "ldap://127.0.0.1:" + freePort();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
