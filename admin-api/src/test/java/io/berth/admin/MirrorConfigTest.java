package io.berth.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.gateway.mirror.MirrorSettings;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import org.apache.commons.text.StringSubstitutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mirror modes' settings ({@code proxy.defaultMirrorProject}, {@code proxy.namespaces}) of both
 * shipped configurations, read as the server reads them with the environment variables they document.
 */
class MirrorConfigTest {
    private static final ObjectMapper MAPPER = Jackson.newObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"conf/berth.yml", "conf/berth-postgres.yml"})
    void noMirrorIsSet_byDefault(String file) throws Exception {
        MirrorSettings settings = load(file, Map.of()).proxy.toMirrorSettings();

        assertNull(settings.defaultProject());
        assertEquals(Map.of(), settings.namespaces());
    }

    @ParameterizedTest
    @ValueSource(strings = {"conf/berth.yml", "conf/berth-postgres.yml"})
    void theEnvironment_setsTheDefaultMirror_andMapsMoreHosts(String file) throws Exception {
        MirrorSettings settings = load(file, Map.of("BERTH_PROXY_DEFAULT_MIRROR_PROJECT", "hub",
                "BERTH_PROXY_NAMESPACES", "ghcr.io=ghcr, Registry.Local:5000=mirror")).proxy.toMirrorSettings();

        assertEquals("hub", settings.defaultProject());
        assertEquals(Map.of("ghcr.io", "ghcr", "registry.local:5000", "mirror"), settings.namespaces());
    }

    @Test
    void namespaces_mayBeAYamlMap_too() throws Exception {
        ProxyConfig proxy = MAPPER.readValue("{\"namespaces\":{\"quay.io\":\"quay\"}}", ProxyConfig.class);

        assertEquals(Map.of("quay.io", "quay"), proxy.toMirrorSettings().namespaces());
    }

    @Test
    void aBadPairOrProjectName_isRefused_sayingWhich() {
        Exception pair = assertThrows(Exception.class,
                () -> load("conf/berth.yml", Map.of("BERTH_PROXY_NAMESPACES", "ghcr.io")).proxy.toMirrorSettings());
        assertTrue(pair.getMessage().contains("'ghcr.io' is not host=project"), pair.getMessage());
        Exception project = assertThrows(Exception.class, () -> load("conf/berth.yml",
                Map.of("BERTH_PROXY_DEFAULT_MIRROR_PROJECT", "Not/A/Project")).proxy.toMirrorSettings());
        assertTrue(project.getMessage().contains("not a valid project name"), project.getMessage());
    }

    private static BerthConfiguration load(String file, Map<String, String> env) throws Exception {
        StringSubstitutor substitutor = new StringSubstitutor(env);
        substitutor.setEnableSubstitutionInVariables(true);
        return new YamlConfigurationFactory<>(BerthConfiguration.class, Validators.newValidator(), MAPPER, "dw")
                .build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(), substitutor),
                        BerthApplicationTest.repoRoot().resolve(file).toString());
    }
}
