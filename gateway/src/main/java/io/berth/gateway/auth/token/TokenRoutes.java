package io.berth.gateway.auth.token;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.gateway.auth.Access;
import io.berth.gateway.auth.Authenticator;
import io.berth.gateway.auth.Principal;
import io.berth.gateway.auth.Scope;
import io.berth.gateway.http.Exchange;
import io.berth.gateway.http.Route;
import io.berth.gateway.v2.Json;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The token endpoint of the Docker token spec at {@code /service/token}: {@code GET} with Basic
 * credentials (or none, for anonymous pulls) and repeated {@code scope=} parameters, as docker and
 * podman ask; and the OAuth2 form {@code POST} with {@code grant_type=password} that containerd
 * uses. It signs callers in itself, so the registry's access check does not run on it.
 */
public final class TokenRoutes {
    public static final String PATH = "/service/token";

    private final TokenService tokens;
    private final Authenticator authenticator;
    private final String service;

    private TokenRoutes(TokenService tokens, Authenticator authenticator, String service) {
        this.tokens = tokens;
        this.authenticator = authenticator;
        this.service = service;
    }

    public static List<Route> routes(TokenService tokens, Authenticator authenticator, String service) {
        TokenRoutes r = new TokenRoutes(tokens, authenticator, service);
        return List.of(Route.of("token.get", HttpMethod.GET, PATH, Access.open(), r::get),
                Route.of("token.post", HttpMethod.POST, PATH, Access.open(), r::post));
    }

    private void get(Exchange ex) {
        checkService(ex.query("service"));
        List<Scope> scopes = scopes(ex.queryAll("scope"));
        String authorization = ex.headers().get(HttpHeaderNames.AUTHORIZATION);
        ex.blocking(() -> {
            Principal who = authenticator.basic(authorization, ex.caller().remoteAddress());
            IssuedToken token = tokens.issue(who, scopes);
            ObjectNode body = Json.object();
            body.put("token", token.token());
            body.put("access_token", token.token());
            body.put("expires_in", token.expiresIn());
            body.put("issued_at", token.issuedAt().toString());
            Json.send(ex, body);
        });
    }

    /** OAuth2: {@code grant_type=password&username=…&password=…&service=…&scope=…}. */
    private void post(Exchange ex) {
        ex.collectBody(content -> {
            Map<String, List<String>> form = new QueryStringDecoder(content.toString(StandardCharsets.UTF_8),
                    StandardCharsets.UTF_8, false).parameters();
            String grant = first(form, "grant_type");
            if (!"password".equals(grant)) {
                throw new RegistryException(ErrorCode.BAD_REQUEST, "grant_type '" + grant + "' is not supported here:"
                        + " use grant_type=password with username and password");
            }
            checkService(first(form, "service"));
            List<Scope> scopes = scopes(form.getOrDefault("scope", List.of()));
            String username = first(form, "username");
            String password = first(form, "password");
            if (username == null || password == null) {
                throw new RegistryException(ErrorCode.BAD_REQUEST, "grant_type=password needs username and password");
            }
            String basic = "Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
                    .getBytes(StandardCharsets.UTF_8));
            ex.blocking(() -> {
                IssuedToken token = tokens.issue(authenticator.basic(basic, ex.caller().remoteAddress()), scopes);
                ObjectNode body = Json.object();
                body.put("access_token", token.token());
                body.put("scope", String.join(" ", scopes.stream().map(Scope::toString).toList()));
                body.put("expires_in", token.expiresIn());
                body.put("issued_at", token.issuedAt().toString());
                Json.send(ex, body);
            });
        });
    }

    private void checkService(String asked) {
        if (asked != null && !asked.equals(service)) {
            throw new RegistryException(ErrorCode.BAD_REQUEST, "this token service issues tokens for service '"
                    + service + "', not '" + asked + "'");
        }
    }

    /** Scopes from {@code scope=} values, each of which may hold several separated by spaces. */
    private static List<Scope> scopes(List<String> values) {
        List<Scope> scopes = new ArrayList<>();
        for (String value : values) {
            for (String one : value.trim().split("\\s+")) {
                if (!one.isEmpty()) {
                    Scope.parse(one).ifPresent(scopes::add);
                }
            }
        }
        return scopes;
    }

    private static String first(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }
}
