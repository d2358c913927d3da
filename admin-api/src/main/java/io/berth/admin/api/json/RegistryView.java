package io.berth.admin.api.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.berth.store.upstream.Credential;
import io.berth.store.upstream.RegistryEndpoint;

import java.net.URI;
import java.util.List;

/**
 * A registry endpoint as the API shows it: never its password or token, only what kind of
 * credential it has and, for a user name and password, the user name.
 *
 * @param url        the first of {@code urls}, the one tried first
 * @param credential {@code {"type":"basic","username":…}}, {@code {"type":"token"}}, or null for anonymous access
 */
public record RegistryView(long id, String name, String type, String url, List<String> urls, boolean insecure,
                           String caPem, String description, CredentialView credential) {
    public static RegistryView of(RegistryEndpoint endpoint) {
        List<String> urls = endpoint.urls().stream().map(URI::toString).toList();
        return new RegistryView(endpoint.id(), endpoint.name(), endpoint.type().wireName(), urls.getFirst(), urls,
                endpoint.insecure(), endpoint.caPem(), endpoint.description(), CredentialView.of(endpoint.credential()));
    }

    /** What kind of credential an endpoint has, without its secret. */
    public record CredentialView(String type, @JsonInclude(JsonInclude.Include.NON_NULL) String username) {
        static CredentialView of(Credential credential) {
            return switch (credential) {
                case null -> null;
                case Credential.Basic basic -> new CredentialView("basic", basic.username());
                case Credential.Token token -> new CredentialView("token", null);
            };
        }
    }
}
