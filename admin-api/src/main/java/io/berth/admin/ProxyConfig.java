package io.berth.admin;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.berth.gateway.mirror.MirrorSettings;
import io.berth.store.upstream.SecretBox;
import io.dropwizard.validation.ValidationMethod;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code proxy:} section: the key that seals upstream registries' credentials, and how clients
 * that name no proxy project reach one (the mirror modes). Every value can come from the
 * environment: the namespaces as {@code host=project} pairs.
 */
public class ProxyConfig {
    /** The key file's name under the storage root, when {@link #credentialKey} is empty. */
    public static final String KEY_FILE = "credential-key";

    /**
     * The key that encrypts upstream registries' credentials in the database: the base64 of 32
     * random bytes ({@code openssl rand -base64 32}); empty for a key made on the first start in
     * {@code <storage root>/credential-key}. Never logged.
     */
    @JsonProperty(access = JsonProperty.Access.WRITE_ONLY)
    public String credentialKey = "";

    /**
     * Mode 1, dockerd's {@code registry-mirrors}: the proxy project that serves names whose first
     * component is no project ({@code library/nginx}); empty for none.
     */
    @JsonProperty
    public String defaultMirrorProject;

    /**
     * Mode 2, containerd's {@code hosts.toml}: upstream hosts ({@code ns=} values) and the proxy
     * project serving each, beside the hosts of the proxy projects' registry endpoints.
     */
    private final Map<String, String> namespaces = new LinkedHashMap<>();

    /**
     * The namespaces as a YAML map ({@code ghcr.io: ghcr}) or as text of {@code host=project} pairs
     * separated by commas or blanks, the form an environment variable gives.
     */
    @JsonProperty("namespaces")
    public void setNamespaces(JsonNode value) {
        namespaces.clear();
        if (value == null || value.isNull()) {
            return;
        }
        if (value.isObject()) {
            value.properties().forEach(e -> namespaces.put(e.getKey(), e.getValue().asText()));
        } else {
            namespaces.putAll(MirrorSettings.parseNamespaces(value.asText()));
        }
    }

    @JsonProperty("namespaces")
    public Map<String, String> getNamespaces() {
        return Map.copyOf(namespaces);
    }

    /** The gateway's settings; IllegalArgumentException names a project or host that cannot be one. */
    public MirrorSettings toMirrorSettings() {
        return new MirrorSettings(defaultMirrorProject, namespaces);
    }

    /** A key that is set must be one; the message never repeats it. */
    @ValidationMethod(message = "credentialKey (BERTH_CREDENTIAL_KEY) must be empty or the base64 of 32 random bytes"
            + " (openssl rand -base64 32)")
    @JsonIgnore
    public boolean isCredentialKeyValid() {
        if (credentialKey == null || credentialKey.isBlank()) {
            return true;
        }
        try {
            SecretBox.ofBase64(credentialKey);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** What seals credentials: the configured key, else the key file under {@code storageRoot}, made when missing. */
    public SecretBox credentialBox(Path storageRoot) throws IOException {
        if (credentialKey == null || credentialKey.isBlank()) {
            return SecretBox.loadOrCreate(storageRoot.resolve(KEY_FILE));
        }
        return SecretBox.ofBase64(credentialKey);
    }
}
