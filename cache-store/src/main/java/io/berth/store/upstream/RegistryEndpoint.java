package io.berth.store.upstream;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An upstream registry Berth may reach: what a proxy project mirrors and what replication copies
 * from and to. It may list several base URLs of the same registry (mirrors of it), tried in order.
 *
 * @param id          its id in the database (0 before it is stored)
 * @param name        a unique name people choose
 * @param type        Docker Hub or any other V2 registry
 * @param urls        base URLs ({@code https://host[:port]}), at least one, tried in order
 * @param insecure    whether TLS certificates are accepted without verification
 * @param caPem       extra CA certificates (PEM) to trust, or null
 * @param credential  what to sign in with, or null for anonymous access
 * @param description free text, or null
 */
public record RegistryEndpoint(long id, String name, Type type, List<URI> urls, boolean insecure, String caPem,
                               Credential credential, String description) {
    public RegistryEndpoint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        urls = List.copyOf(urls);
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("a registry endpoint needs at least one URL");
        }
    }

    /** What kind of registry an endpoint is. */
    public enum Type {
        /** Docker Hub: single-segment names mean {@code library/<name>}, and its rate limits apply. */
        DOCKER_HUB("docker-hub"),
        /** Any registry speaking the OCI Distribution / Docker Registry V2 API. */
        V2("v2");

        private final String wireName;

        Type(String wireName) {
            this.wireName = wireName;
        }

        /** The name in the API and the database. */
        public String wireName() {
            return wireName;
        }

        /** The type a wire name names; IllegalArgumentException for others. */
        public static Type ofWireName(String name) {
            for (Type t : values()) {
                if (t.wireName.equals(name == null ? null : name.toLowerCase(Locale.ROOT))) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown registry type '" + name + "': use docker-hub or v2");
        }
    }
}
