package io.berth.store.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;

/**
 * A credential as the {@code registry_endpoint.credential} column keeps it: the JSON
 * {@code {"type":"basic","username":…,"password":…}} or {@code {"type":"token","token":…}},
 * sealed by a {@link SecretBox} (so the user name is not in clear either).
 */
final class CredentialCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SecretBox box;

    CredentialCodec(SecretBox box) {
        this.box = box;
    }

    /** The column's value for {@code credential}; null for none. */
    String seal(Credential credential) {
        if (credential == null) {
            return null;
        }
        ObjectNode json = JSON.createObjectNode();
        switch (credential) {
            case Credential.Basic basic -> json.put("type", "basic").put("username", basic.username())
                    .put("password", basic.password());
            case Credential.Token token -> json.put("type", "token").put("token", token.token());
        }
        return box.seal(json.toString());
    }

    /** The credential the column's value holds; {@link SecretBox.UnreadableSecretException} when it cannot be opened. */
    Credential open(String sealed) {
        if (sealed == null) {
            return null;
        }
        JsonNode json;
        try {
            json = JSON.readTree(box.open(sealed));
        } catch (IOException e) {
            throw new SecretBox.UnreadableSecretException("the stored credential is not the JSON Berth writes");
        }
        return switch (json.path("type").asText()) {
            case "basic" -> new Credential.Basic(json.path("username").asText(), json.path("password").asText());
            case "token" -> new Credential.Token(json.path("token").asText());
            default -> throw new SecretBox.UnreadableSecretException("the stored credential has an unknown type");
        };
    }
}
