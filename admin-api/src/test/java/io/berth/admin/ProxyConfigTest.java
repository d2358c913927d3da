package io.berth.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.berth.store.upstream.SecretBox;
import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import org.apache.commons.text.StringSubstitutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code proxy:} section of both shipped configurations: the credential key from
 * {@code BERTH_CREDENTIAL_KEY}, or else a key file made on the first start under the storage root.
 */
class ProxyConfigTest {
    private static final ObjectMapper MAPPER = Jackson.newObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"conf/berth.yml", "conf/berth-postgres.yml"})
    void withoutAKey_aKeyFileIsMade_ownerOnly_andUsedAgain(String file, @TempDir Path root) throws Exception {
        ProxyConfig proxy = load(file, Map.of()).proxy;

        String sealed = proxy.credentialBox(root).seal("secret");
        Path keyFile = root.resolve("credential-key");

        assertTrue(Files.exists(keyFile));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        assertEquals("secret", load(file, Map.of()).proxy.credentialBox(root).open(sealed));
    }

    @ParameterizedTest
    @ValueSource(strings = {"conf/berth.yml", "conf/berth-postgres.yml"})
    void theKey_comesFromTheEnvironment_andIsNeverWrittenOut(String file, @TempDir Path root) throws Exception {
        String key = SecretBox.generateKey();
        ProxyConfig proxy = load(file, Map.of("BERTH_CREDENTIAL_KEY", key)).proxy;

        String sealed = proxy.credentialBox(root).seal("secret");

        assertEquals("secret", SecretBox.ofBase64(key).open(sealed));
        assertFalse(Files.exists(root.resolve("credential-key")), "no key file when the key is configured");
        assertFalse(MAPPER.copy().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS).writeValueAsString(proxy)
                .contains(key), "the key is never written");
    }

    @Test
    void aKeyThatIsNot32Bytes_refusesToStart_withoutRepeatingIt() {
        String key = Base64.getEncoder().encodeToString("sixteen bytes!!!".getBytes());

        ConfigurationValidationException e = assertThrows(ConfigurationValidationException.class,
                () -> load("conf/berth.yml", Map.of("BERTH_CREDENTIAL_KEY", key)));

        assertTrue(e.getMessage().contains("BERTH_CREDENTIAL_KEY") && e.getMessage().contains("32 random bytes"),
                e.getMessage());
        assertFalse(e.getMessage().contains(key), e.getMessage());
    }

    private static BerthConfiguration load(String file, Map<String, String> env) throws Exception {
        StringSubstitutor substitutor = new StringSubstitutor(env);
        substitutor.setEnableSubstitutionInVariables(true);
        return new YamlConfigurationFactory<>(BerthConfiguration.class, Validators.newValidator(), MAPPER, "dw")
                .build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(), substitutor),
                        BerthApplicationTest.repoRoot().resolve(file).toString());
    }
}
