package io.berth.gateway.auth.check;

import io.berth.gateway.auth.AccessRequest;
import io.berth.gateway.auth.Scope;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code WWW-Authenticate} challenge that sends a client to the token service, as the Docker
 * token spec writes it: {@code Bearer realm="…/service/token",service="…",scope="…"}, with
 * {@code error="insufficient_scope"} when a token was shown but does not cover the request.
 * A read that a mirror mode routed is challenged in the client's terms: its scopes name the
 * repository the client named, and the realm carries the request's {@code ns}, which docker and
 * containerd keep when they ask the token service, so that it maps the names as the registry did.
 *
 * @param realm   the token endpoint's absolute URL; null to derive it from the request's
 *                {@code Host} (behind a proxy that rewrites hosts, configure it)
 * @param service the service name tokens are issued for
 */
public record Challenge(String realm, String service) {
    public static final String TOKEN_PATH = "/service/token";

    /** A 401 {@code UNAUTHORIZED} carrying the challenge for {@code scopes}. */
    public RegistryException refuse(AccessRequest request, List<Scope> scopes, String message, boolean insufficient) {
        StringBuilder header = new StringBuilder("Bearer realm=\"").append(realmFor(request))
                .append("\",service=\"").append(service).append('"');
        if (!scopes.isEmpty()) {
            header.append(",scope=\"").append(scopes.stream().map(request::asRequested).map(Scope::toString)
                    .collect(Collectors.joining(" "))).append('"');
        }
        if (insufficient) {
            header.append(",error=\"insufficient_scope\"");
        }
        return new RegistryException(ErrorCode.UNAUTHORIZED, message, null, Map.of("WWW-Authenticate",
                header.toString()));
    }

    private String realmFor(AccessRequest request) {
        String base;
        if (realm != null) {
            base = realm;
        } else {
            String host = request.host() != null ? request.host() : "localhost";
            base = (request.secure() ? "https://" : "http://") + host + TOKEN_PATH;
        }
        if (request.namespace() == null) {
            return base;
        }
        return base + (base.contains("?") ? "&" : "?") + "ns=" + URLEncoder.encode(request.namespace(),
                StandardCharsets.UTF_8);
    }
}
