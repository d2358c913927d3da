package io.berth.admin.api;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldif.LDIFException;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * UnboundID's in-memory directory for the admin API's tests, on a loopback port of its own: a
 * service account that searches, and one person, {@code dora}, under {@code ou=people}. (The
 * gateway's own LDAP test helpers are not on this module's test classpath.)
 */
public final class InMemoryLdap implements AutoCloseable {
    public static final String BASE = "dc=example,dc=org";
    public static final String PEOPLE = "ou=people," + BASE;
    public static final String SERVICE_DN = "cn=berth,ou=services," + BASE;
    public static final String SERVICE_PASSWORD = "Service-Pass-1";
    public static final String USER = "dora";
    public static final String USER_PASSWORD = "Dora-Pass-1";

    private final InMemoryDirectoryServer server;

    private InMemoryLdap(InMemoryDirectoryServer server) {
        this.server = server;
    }

    /** A directory listening on 127.0.0.1, plain LDAP, with its entries in place. */
    public static InMemoryLdap start() {
        try {
            InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
            config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap",
                    InetAddress.getByName("127.0.0.1"), 0, null));
            InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
            server.add("dn: " + BASE, "objectClass: top", "objectClass: domain", "dc: example");
            server.add("dn: " + PEOPLE, "objectClass: top", "objectClass: organizationalUnit", "ou: people");
            server.add("dn: ou=services," + BASE, "objectClass: top", "objectClass: organizationalUnit",
                    "ou: services");
            server.add("dn: " + SERVICE_DN, "objectClass: top", "objectClass: applicationProcess",
                    "objectClass: simpleSecurityObject", "cn: berth", "userPassword: " + SERVICE_PASSWORD);
            server.add("dn: uid=" + USER + "," + PEOPLE, "objectClass: top", "objectClass: person",
                    "objectClass: organizationalPerson", "objectClass: inetOrgPerson", "uid: " + USER,
                    "cn: Dora Explorer", "sn: Explorer", "mail: dora@example.org", "userPassword: " + USER_PASSWORD);
            server.startListening();
            return new InMemoryLdap(server);
        } catch (LDAPException | LDIFException | UnknownHostException e) {
            throw new IllegalStateException("the test directory did not start: " + e.getMessage(), e);
        }
    }

    public String url() {
        return "ldap://127.0.0.1:" + server.getListenPort("ldap");
    }

    @Override
    public void close() {
        server.shutDown(true);
    }
}
