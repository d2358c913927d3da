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
 * podman ask; and the OAuth2 form {@code POST} that containerd and newer docker clients use
 * ({@code grant_type=password}, and {@code refresh_token} with a token from an offline sign-in). It signs callers in itself, so the registry's access check does not run on it.
 * An {@code ns} in the URL's query maps the names asked for as the registry mapped the read that
 * was challenged (see {@link TokenService}).
 */
public final class TokenRoutes {
    public static final String PATH = "/service/token";
    /**
     * The query parameter the registry's challenge puts into the realm of a read a mirror mode
     * routed by {@code ns}; clients keep it when they ask for a token (GET and POST alike).
     */
    static final String NS = "ns";

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
        String namespace = ex.query(NS);
        String authorization = ex.headers().get(HttpHeaderNames.AUTHORIZATION);
        ex.blocking(() -> {
            Principal who = authenticator.basic(authorization, ex.caller().remoteAddress());
            IssuedToken token = tokens.issue(who, scopes, ex.caller().remoteAddress(), namespace);
            ObjectNode body = Json.object();
            body.put("token", token.token());
            body.put("access_token", token.token());
            body.put("expires_in", token.expiresIn());
            body.put("issued_at", token.issuedAt().toString());
            Json.send(ex, body);
        });
    }

    /**
     * OAuth2: {@code grant_type=password} (with {@code username}, {@code password}, and
     * {@code access_type=offline} for a refresh token too) or {@code grant_type=refresh_token};
     * both with {@code service} and {@code scope}.
     */
    private void post(Exchange ex) {
        ex.collectBody(content -> {
            Map<String, List<String>> form = new QueryStringDecoder(content.toString(StandardCharsets.UTF_8),
                    StandardCharsets.UTF_8, false).parameters();
            checkService(first(form, "service"));
            List<Scope> scopes = scopes(form.getOrDefault("scope", List.of()));
            String grant = first(form, "grant_type");
            String address = ex.caller().remoteAddress();
            if ("password".equals(grant)) {
                String username = first(form, "username");
                String password = first(form, "password");
                if (username == null || password == null) {
                    throw new RegistryException(ErrorCode.BAD_REQUEST, "grant_type=password needs username and password");
                }
                String basic = "Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
                        .getBytes(StandardCharsets.UTF_8));
                boolean offline = "offline".equals(first(form, "access_type"));
                ex.blocking(() -> answer(ex, authenticator.basic(basic, address), scopes, offline, address));
            } else if ("refresh_token".equals(grant)) {
                String refresh = first(form, "refresh_token");
                if (refresh == null) {
                    throw new RegistryException(ErrorCode.BAD_REQUEST, "grant_type=refresh_token needs refresh_token");
                }
                ex.blocking(() -> answer(ex, authenticator.refreshed(tokens.accountOf(refresh)), scopes, false,
                        address));
            } else {
                throw new RegistryException(ErrorCode.BAD_REQUEST, "grant_type '" + grant + "' is not supported here:"
                        + " use password (with username and password) or refresh_token");
            }
        });
    }

    private void answer(Exchange ex, Principal who, List<Scope> scopes, boolean offline, String address) {
        IssuedToken token = tokens.issue(who, scopes, address, ex.query(NS));
        ObjectNode body = Json.object();
        body.put("access_token", token.token());
        body.put("scope", String.join(" ", scopes.stream().map(Scope::toString).toList()));
        body.put("expires_in", token.expiresIn());
        body.put("issued_at", token.issuedAt().toString());
        if (offline && !(who instanceof Principal.Anonymous)) {
            body.put("refresh_token", tokens.refreshTokenFor(who));
        }
        Json.send(ex, body);
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
