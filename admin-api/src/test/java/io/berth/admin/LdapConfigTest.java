package io.berth.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.gateway.auth.AuthMode;
import io.berth.gateway.auth.ldap.LdapSettings;
import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import org.apache.commons.text.StringSubstitutor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code auth.mode} and {@code auth.ldap} settings of both shipped configurations, read as the
 * server reads them with the environment variables they document (and no others).
 */
class LdapConfigTest {
    private static final ObjectMapper MAPPER = Jackson.newObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"conf/berth.yml", "conf/berth-postgres.yml"})
    void databaseMode_isTheDefault(String file) throws Exception {
        BerthConfiguration config = load(file, Map.of());

        assertEquals(AuthMode.DATABASE, config.auth.mode);
        assertEquals(LdapSettings.DEFAULT_USER_FILTER, config.auth.ldap.userFilter);
    }

    @ParameterizedTest
    @ValueSource(strings = {"conf/berth.yml", "conf/berth-postgres.yml"})
    void ldapMode_takesTheDirectoryFromTheEnvironment(String file) throws Exception {
        BerthConfiguration config = load(file, Map.of("BERTH_AUTH_MODE", "ldap",
                "BERTH_LDAP_URL", "ldaps://dc1.corp.example:636 ldaps://dc2.corp.example:636",
                "BERTH_LDAP_BIND_DN", "CN=berth,OU=Services,DC=corp,DC=example",
                "BERTH_LDAP_BIND_PASSWORD", "Is: #secret, {x} \\2a",
                "BERTH_LDAP_BASE_DN", "OU=People,DC=corp,DC=example",
                "BERTH_LDAP_USER_FILTER", "(&(objectClass=user)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))",
                "BERTH_LDAP_UID_ATTRIBUTE", "sAMAccountName",
                "BERTH_LDAP_GROUP_BASE_DN", "OU=Groups,DC=corp,DC=example",
                "BERTH_LDAP_GROUP_CACHE_TTL", "2m"));

        assertEquals(AuthMode.LDAP, config.auth.mode);
        LdapSettings ldap = config.auth.ldap.toSettings();
        assertEquals(List.of("ldaps://dc1.corp.example:636", "ldaps://dc2.corp.example:636"), ldap.urls());
        assertEquals("Is: #secret, {x} \\2a", ldap.bindPassword(), "a password survives YAML whatever it holds but '");
        assertEquals("sAMAccountName", ldap.uidAttribute());
        assertEquals("(member={dn})", ldap.groupFilter());
        assertEquals(Duration.ofMinutes(2), ldap.groupCacheTtl());
        assertEquals(Duration.ofSeconds(5), ldap.connectTimeout());
        assertNull(ldap.caFile());
        assertFalse(MAPPER.writeValueAsString(config.auth).contains("#secret"), "the bind password is never written");
    }

    @ParameterizedTest
    @ValueSource(strings = {"BERTH_LDAP_URL", "BERTH_LDAP_BASE_DN"})
    void ldapMode_withoutUrlOrBaseDn_refusesToStart_sayingWhatIsMissing(String missing) {
        Map<String, String> env = new HashMap<>(Map.of("BERTH_AUTH_MODE", "ldap",
                "BERTH_LDAP_URL", "ldap://ldap.example.org", "BERTH_LDAP_BASE_DN", "dc=example,dc=org"));
        env.remove(missing);

        ConfigurationValidationException e = assertThrows(ConfigurationValidationException.class,
                () -> load("conf/berth.yml", env));
        assertTrue(e.getMessage().contains("auth.ldap.url (BERTH_LDAP_URL) and auth.ldap.baseDn"), e.getMessage());
    }

    private static BerthConfiguration load(String file, Map<String, String> env) throws Exception {
        StringSubstitutor substitutor = new StringSubstitutor(env);
        substitutor.setEnableSubstitutionInVariables(true);
        return new YamlConfigurationFactory<>(BerthConfiguration.class, Validators.newValidator(), MAPPER, "dw")
                .build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(), substitutor),
                        BerthApplicationTest.repoRoot().resolve(file).toString());
    }
}
