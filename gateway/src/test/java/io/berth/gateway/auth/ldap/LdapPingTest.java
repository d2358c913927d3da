package io.berth.gateway.auth.ldap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.berth.gateway.auth.ldap.TestDirectory.PEOPLE;
import static io.berth.gateway.auth.ldap.TestDirectory.SERVICE_DN;
import static io.berth.gateway.auth.ldap.TestDirectory.SERVICE_PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The check behind {@code POST /api/v1/ldap/ping}, and TLS: LDAPS and StartTLS trusting a CA file
 * (a self-signed certificate made for the test), refused without it or for the wrong host name.
 */
class LdapPingTest {
    @TempDir
    static Path folder;
    private static TestCertificate certificate;
    private static TestDirectory server;

    @BeforeAll
    static void start() throws Exception {
        certificate = TestCertificate.create(folder, "localhost");
        server = TestDirectory.start(certificate);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void goodSettings_passEveryStep() {
        LdapPing ping = LdapPing.run(server.settings().withGroupSearch(TestDirectory.GROUPS, "(member={dn})"));

        assertTrue(ping.ok(), ping.toString());
        assertEquals(List.of("connect", "bind", "baseDn", "users", "groupBaseDn"),
                ping.checks().stream().map(LdapPing.Check::name).toList());
        assertEquals(server.url(), ping.servers());
    }

    @Test
    void aWrongBindPassword_failsAtBind_withoutRepeatingIt() {
        LdapPing ping = LdapPing.run(LdapSettings.of(server.url(), PEOPLE, SERVICE_DN, "Not-The-Service-Pass"));

        assertFailedAt(ping, "bind");
        assertFalse(ping.toString().contains("Not-The-Service-Pass"));
    }

    @Test
    void aBaseDnThatIsNotThere_failsAtBaseDn() {
        assertFailedAt(LdapPing.run(LdapSettings.of(server.url(), "ou=nobody,dc=example,dc=org", SERVICE_DN,
                SERVICE_PASSWORD)), "baseDn");
    }

    @Test
    void aUserFilterThatFindsNobody_failsAtUsers() {
        LdapSettings s = server.settings();
        assertFailedAt(LdapPing.run(new LdapSettings(s.urls(), false, null, true, s.bindDn(), s.bindPassword(),
                s.baseDn(), "(objectClass=nobody)", "uid", null, null, null, "(member={dn})", "cn",
                s.connectTimeout(), s.responseTimeout(), s.groupCacheTtl(), 2)), "users");
    }

    @Test
    void anUnreachableDirectory_failsAtConnect() throws Exception {
        assertFailedAt(LdapPing.run(LdapSettings.of(TestDirectory.nowhere(), PEOPLE, SERVICE_DN, SERVICE_PASSWORD)),
                "connect");
    }

    @Test
    void ldaps_trustingTheCaFile_signsIn_andReportsTls() {
        LdapSettings ldaps = LdapSettings.of(server.ldapsUrl("localhost"), PEOPLE, SERVICE_DN, SERVICE_PASSWORD)
                .withTls(false, certificate.pem(), true);

        LdapPing ping = LdapPing.run(ldaps);
        assertTrue(ping.ok(), ping.toString());
        assertTrue(ping.checks().getFirst().detail().contains(" over TLS"), ping.checks().getFirst().detail());
        try (LdapDirectory directory = new LdapDirectory(ldaps)) {
            assertTrue(directory.authenticate("alice", "Alice-Pass-1").isPresent());
        }
    }

    @Test
    void ldaps_withoutTheCa_orForAnotherHostName_isRefused() throws Exception {
        LdapSettings systemTrust = LdapSettings.of(server.ldapsUrl("localhost"), PEOPLE, SERVICE_DN, SERVICE_PASSWORD);
        assertFailedAt(LdapPing.run(systemTrust), "connect");

        TestCertificate elsewhere = TestCertificate.create(folder, "ldap.example.org");
        try (TestDirectory other = TestDirectory.start(elsewhere)) {
            LdapSettings otherName = LdapSettings.of(other.ldapsUrl("localhost"), PEOPLE, SERVICE_DN,
                    SERVICE_PASSWORD);
            assertFailedAt(LdapPing.run(otherName.withTls(false, elsewhere.pem(), true)), "connect");
            assertTrue(LdapPing.run(otherName.withTls(false, elsewhere.pem(), false)).ok(),
                    "without the host name check, the CA alone decides");
            assertFailedAt(LdapPing.run(otherName.withTls(false, certificate.pem(), false)), "connect");
        }
    }

    @Test
    void startTls_upgradesAPlainConnection_beforeTheServiceAccountBinds() {
        LdapSettings startTls = LdapSettings.of(server.url().replace("127.0.0.1", "localhost"), PEOPLE, SERVICE_DN,
                SERVICE_PASSWORD).withTls(true, certificate.pem(), true);

        LdapPing ping = LdapPing.run(startTls);
        assertTrue(ping.ok(), ping.toString());
        assertTrue(ping.checks().getFirst().detail().contains(" over TLS"), ping.checks().getFirst().detail());
        try (LdapDirectory directory = new LdapDirectory(startTls)) {
            assertTrue(directory.authenticate("alice", "Alice-Pass-1").isPresent());
            assertTrue(directory.authenticate("alice", "Bob-Pass-1").isEmpty());
        }
    }

    private static void assertFailedAt(LdapPing ping, String step) {
        assertFalse(ping.ok(), ping.toString());
        LdapPing.Check last = ping.checks().getLast();
        assertEquals(step, last.name(), ping.toString());
        assertFalse(last.ok());
        assertFalse(last.detail().isBlank());
    }
}
