package io.berth.store.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.store.upstream.UpstreamException.Kind;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Asks a Bearer challenge's token realm for a token ({@code GET realm?service=&scope=}, the Docker
 * token protocol), with the endpoint's username and password when it has them. The realm is
 * checked first: one on another registrable domain than the registry, or plain http behind an
 * https registry, is refused without being contacted. Redirects from the realm are not followed.
 */
final class TokenService {
    /** The token protocol's lifetime when the answer has no {@code expires_in}. */
    static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Hops hops;
    private final Credential credential;
    private final int maxJsonSize;
    private final Clock clock;

    TokenService(Hops hops, Credential credential, int maxJsonSize, Clock clock) {
        this.hops = hops;
        this.credential = credential;
        this.maxJsonSize = maxJsonSize;
        this.clock = clock;
    }

    /** A token and when it stops being valid. */
    record Token(String value, Instant expires) {
        @Override
        public String toString() {
            return "Token[****, expires " + expires + "]";
        }
    }

    /** Fetches a token for {@code scopes} (none: a sign-in check, as for {@code GET /v2/}). */
    Token fetch(URI registry, Challenge challenge, Collection<String> scopes) throws UpstreamException {
        URI realm = realm(registry, challenge);
        StringBuilder query = new StringBuilder(realm.getRawQuery() == null ? "" : realm.getRawQuery());
        challenge.param("service").ifPresent(s -> append(query, "service", s));
        scopes.forEach(s -> append(query, "scope", s));
        URI uri = URI.create(realm.getScheme() + "://" + realm.getRawAuthority()
                + (realm.getRawPath() == null || realm.getRawPath().isEmpty() ? "/" : realm.getRawPath())
                + (query.isEmpty() ? "" : "?" + query));
        HttpRequest.Builder request = hops.request(uri, Call.get("", List.of("application/json"), null, "fetch a token"));
        if (credential instanceof Credential.Basic basic) {
            request.header("Authorization", basicAuthorization(basic));
        }
        Instant asked = clock.instant();
        try (UpstreamResponse response = hops.sendOnce(request.build(), false)) {
            int status = response.status();
            String where = "the token service at " + CredentialBoundary.origin(uri);
            if (status == 401 || status == 403) {
                throw new UpstreamException(Kind.UNAUTHORIZED, status, null, where + " refused "
                        + (credential instanceof Credential.Basic ? "the endpoint's username and password" : "an anonymous token")
                        + " (" + status + said(response) + ")", null);
            }
            if (status == 429) {
                throw new UpstreamException(Kind.RATE_LIMITED, status,
                        ResponseHeaders.retryAfter(response.headers(), clock.instant()).orElse(null),
                        where + " is rate limiting sign-ins (429" + said(response) + ")", null);
            }
            if (status >= 500) {
                throw new UpstreamException(Kind.SERVER_ERROR, status, null, where + " failed (" + status
                        + said(response) + ")", null);
            }
            if (status != 200) {
                throw new UpstreamException(Kind.INVALID_RESPONSE, status, null, where + " answered " + status
                        + said(response) + " instead of a token", null);
            }
            return parse(response.readSmall(maxJsonSize), asked, where);
        } catch (UpstreamException e) {
            throw e;
        } catch (IOException e) {
            throw new UpstreamException(Kind.UNREACHABLE, 0, null, "reading a token failed: " + e.getMessage(), e);
        }
    }

    static String basicAuthorization(Credential.Basic basic) {
        String pair = basic.username() + ":" + basic.password();
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private static URI realm(URI registry, Challenge challenge) throws UpstreamException {
        String text = challenge.param("realm").orElseThrow(() -> new UpstreamException(Kind.INVALID_RESPONSE,
                "the upstream asks for a Bearer token but names no token realm"));
        URI realm;
        try {
            realm = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new UpstreamException(Kind.INVALID_RESPONSE, "the upstream's token realm is not a URL");
        }
        String scheme = realm.getScheme() == null ? "" : realm.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || realm.getHost() == null) {
            throw new UpstreamException(Kind.INVALID_RESPONSE, "the upstream's token realm is not an http(s) URL;"
                    + " Berth does not ask it for a token");
        }
        if (!CredentialBoundary.mayHoldToken(registry, realm)) {
            throw new UpstreamException(Kind.INVALID_RESPONSE, "the upstream " + CredentialBoundary.origin(registry)
                    + " sends Berth for tokens to " + CredentialBoundary.origin(realm) + ", which is not on its domain;"
                    + " Berth refuses to sign in there (check the endpoint's URL)");
        }
        if ("https".equalsIgnoreCase(registry.getScheme()) && scheme.equals("http")) {
            throw new UpstreamException(Kind.INVALID_RESPONSE, "the upstream " + CredentialBoundary.origin(registry)
                    + " sends Berth for tokens to plain http; Berth refuses to sign in without TLS");
        }
        return realm;
    }

    private Token parse(byte[] body, Instant asked, String where) throws UpstreamException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new UpstreamException(Kind.INVALID_RESPONSE, where + " answered with malformed JSON");
        }
        String token = root == null ? "" : root.path("token").asText("");
        if (token.isEmpty() && root != null) {
            token = root.path("access_token").asText("");
        }
        if (token.isEmpty()) {
            throw new UpstreamException(Kind.INVALID_RESPONSE, where + " answered without a token");
        }
        long seconds = root.path("expires_in").asLong(0);
        Duration lifetime = seconds > 0 ? Duration.ofSeconds(seconds) : DEFAULT_LIFETIME;
        return new Token(token, asked.plus(lifetime));
    }

    private static String said(UpstreamResponse response) {
        String summary = ErrorSummary.of(response.errorBody());
        return summary.isEmpty() ? "" : ": " + summary;
    }

    private static void append(StringBuilder query, String name, String value) {
        if (!query.isEmpty()) {
            query.append('&');
        }
        query.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
}
