package io.berth.gateway.auth.ldap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Directory settings refuse mistakes up front, naming the setting, and never show the bind password. */
class LdapSettingsTest {
    private static final String BASE = "ou=people,dc=example,dc=org";

    @Test
    void theDefaults_areGoodForOpenLdap() {
        LdapSettings s = LdapSettings.of("ldaps://ldap.example.org", BASE, "cn=berth,dc=example,dc=org", "S3cret-pw");

        assertTrue(s.verifyHostname());
        assertTrue(s.connectTimeout().compareTo(Duration.ofSeconds(10)) <= 0, "a sign-in never waits long");
        assertFalse(s.toString().contains("S3cret-pw"), s.toString());
    }

    @Test
    void anonymousSearch_needsNoPassword() {
        assertNull(LdapSettings.of("ldap://ldap.example.org", BASE, "", "ignored").bindPassword());
    }

    @Test
    void mistakes_areRefused_namingTheSetting() {
        refused("auth.ldap.url", () -> LdapSettings.of("http://ldap.example.org", BASE, null, null));
        refused("auth.ldap.url", () -> new LdapSettings(List.of(), false, null, true, null, null, BASE,
                "(objectClass=person)", "uid", null, null, null, "(member={dn})", "cn", Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofMinutes(5), 4));
        refused("auth.ldap.baseDn", () -> LdapSettings.of("ldap://ldap.example.org", "", null, null));
        refused("auth.ldap.baseDn", () -> LdapSettings.of("ldap://ldap.example.org", "not a dn", null, null));
        refused("auth.ldap.bindPassword", () -> LdapSettings.of("ldap://ldap.example.org", BASE, "cn=berth", ""));
        refused("auth.ldap.startTls", () -> LdapSettings.of("ldaps://ldap.example.org", BASE, null, null)
                .withTls(true, null, true));
        refused("auth.ldap.caFile", () -> LdapSettings.of("ldaps://ldap.example.org", BASE, null, null)
                .withTls(false, Path.of("/nonexistent/ca.pem"), true));
        refused("auth.ldap.groupFilter", () -> LdapSettings.of("ldap://ldap.example.org", BASE, null, null)
                .withGroupSearch("ou=groups,dc=example,dc=org", "(member={dn}"));
    }

    @Test
    void aCaFileThatIsNoPem_isRefused_whenTheDirectoryIsMade(@TempDir Path folder) throws Exception {
        Path notPem = Files.writeString(folder.resolve("ca.pem"), "not a certificate");
        LdapSettings settings = LdapSettings.of("ldaps://ldap.example.org", BASE, null, null)
                .withTls(false, notPem, true);

        refused("auth.ldap.caFile", () -> {
            new LdapDirectory(settings).close();
            return settings;
        });
    }

    private static void refused(String setting, Supplier<LdapSettings> settings) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, settings::get);
        assertTrue(e.getMessage().startsWith(setting), e.getMessage());
    }
}
