package io.berth.admin;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.berth.store.upstream.SecretBox;
import io.dropwizard.validation.ValidationMethod;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The {@code proxy:} section: pull-through proxy projects and the upstream registries they reach.
 * Add further keys of the section here.
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
