package io.berth.admin.api.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.upstream.Credential;
import io.berth.store.upstream.EndpointDraft;
import io.berth.store.upstream.RegistryEndpoint;

import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The body of {@code POST /registries} and {@code PUT /registries/{id}}: {@code name} and
 * {@code type} ({@code docker-hub} or {@code v2}) required; {@code url}, or {@code urls} for
 * several mirrors of the same registry tried in order (none for Docker Hub's own); {@code insecure},
 * {@code caPem}, {@code description}; {@code credential} as {@code {"username","password"}} or
 * {@code {"token"}}. On a {@code PUT} an absent {@code credential} keeps the stored one and
 * {@code "credential": null} removes it; the other fields replace what was stored.
 */
public record RegistryRequest(String name, String type, String url, List<String> urls, Boolean insecure, String caPem,
                              String description, JsonNode credential) {
    private static final Set<String> BASIC_FIELDS = Set.of("type", "username", "password");
    private static final Set<String> TOKEN_FIELDS = Set.of("type", "token");

    /** Whether the body leaves the credential out (a {@code PUT} then keeps the stored one). */
    public boolean keepsCredential() {
        return credential == null || credential.isMissingNode();
    }

    /** The endpoint this asks for; {@code INVALID_INPUT} when a field is of the wrong shape. */
    public EndpointDraft draft() {
        if (url != null && urls != null) {
            throw invalid("give 'url' or 'urls' (several mirrors of the same registry), not both");
        }
        RegistryEndpoint.Type parsedType;
        try {
            parsedType = RegistryEndpoint.Type.ofWireName(Fields.required(type, "type"));
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
        return new EndpointDraft(name, parsedType, url != null ? List.of(url) : urls, Boolean.TRUE.equals(insecure),
                caPem, description, keepsCredential() ? null : parsedCredential());
    }

    /** The credential the body gives: null for {@code null}; a user name and password; or a token. */
    private Credential parsedCredential() {
        if (credential.isNull()) {
            return null;
        }
        if (!credential.isObject()) {
            throw invalid("'credential' must be {\"username\":…,\"password\":…}, {\"token\":…} or null");
        }
        String kind = credential.has("token") ? "token" : "basic";
        if (credential.has("type") && !credential.path("type").asText().equals(kind)) {
            throw invalid("the credential's type '" + credential.path("type").asText() + "' does not match its fields:"
                    + " basic takes username and password, token takes token");
        }
        Set<String> allowed = kind.equals("token") ? TOKEN_FIELDS : BASIC_FIELDS;
        for (Iterator<String> names = credential.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!allowed.contains(field)) {
                throw invalid("the credential has no field '" + field + "': give username and password, or token");
            }
        }
        if (kind.equals("token")) {
            return new Credential.Token(text("token"));
        }
        return new Credential.Basic(text("username"), text("password"));
    }

    private String text(String field) {
        JsonNode value = credential.get(field);
        if (value == null || value.isNull()) {
            throw invalid("the credential's '" + field + "' is required");
        }
        if (!value.isTextual()) {
            throw invalid("the credential's '" + field + "' must be a string");
        }
        return value.asText();
    }

    private static RegistryException invalid(String message) {
        return new RegistryException(ErrorCode.INVALID_INPUT, message);
    }

    @Override
    public String toString() {
        return "RegistryRequest[" + name + ", " + type + ", credential " + (keepsCredential() ? "absent"
                : credential.isNull() ? "null" : "given") + "]";
    }
}
