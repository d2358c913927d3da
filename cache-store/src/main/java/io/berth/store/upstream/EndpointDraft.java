package io.berth.store.upstream;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A registry endpoint as someone asked for it (the admin API, the command line), before
 * {@link RegistryEndpoints} checks it: URLs as text, and the credential in clear, which is
 * encrypted before it reaches the database.
 *
 * @param name        a unique name: letters, digits, '.', '_' and '-'
 * @param type        Docker Hub or any other V2 registry
 * @param urls        base URLs, tried in order; none for Docker Hub's own
 * @param insecure    whether TLS certificates are accepted without verification
 * @param caPem       extra CA certificates (PEM) to trust, or null
 * @param description free text, or null
 * @param credential  what to sign in with, or null for anonymous access
 */
public record EndpointDraft(String name, RegistryEndpoint.Type type, List<String> urls, boolean insecure, String caPem,
                            String description, Credential credential) {
    public EndpointDraft {
        urls = urls == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(urls)); // nulls are refused later, by name
    }

    @Override
    public String toString() {
        return "EndpointDraft[" + name + ", " + type + ", " + urls + (credential == null ? "" : ", " + credential) + "]";
    }
}
