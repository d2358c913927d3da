package io.berth.store.upstream;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.common.util.concurrent.Striped;
import io.berth.store.upstream.TokenService.Token;
import io.berth.store.upstream.UpstreamException.Kind;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;

/**
 * The {@code Authorization} of requests to one endpoint. It learns from the first 401 of each URL
 * how that registry wants to be asked (Bearer token dance or Basic), then signs later requests in
 * advance; Bearer tokens are kept per realm, service and scope set until shortly before they
 * expire, and fetched once however many requests need the same one at the same time. So a pull
 * never costs a sign-in while its token lives: an upstream's login endpoint can be rate-limited
 * without cold pulls failing.
 */
final class Authenticator {
    /** A token is renewed this long before it expires (less for short-lived ones). */
    private static final Duration RENEW_BEFORE = Duration.ofSeconds(10);

    private final Credential credential;
    private final TokenService tokens;
    private final Clock clock;
    private final Map<URI, Challenge> challenges = new ConcurrentHashMap<>();
    private final Cache<String, Token> cache = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofHours(24)).build();
    private final Striped<Lock> locks = Striped.lock(64);

    Authenticator(Credential credential, TokenService tokens, Clock clock) {
        this.credential = credential;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** The Authorization to send before any challenge, from what earlier answers of {@code base} taught. */
    Optional<String> preemptive(URI base, String scope) throws UpstreamException {
        if (credential instanceof Credential.Token token) {
            return Optional.of("Bearer " + token.token());
        }
        Challenge known = challenges.get(base);
        if (known == null) {
            return Optional.empty();
        }
        if (known.isBasic()) {
            return credential instanceof Credential.Basic basic
                    ? Optional.of(TokenService.basicAuthorization(basic)) : Optional.empty();
        }
        return Optional.of("Bearer " + token(base, known, scopes(scope, null), Optional.empty()).value());
    }

    /**
     * The Authorization to retry with after a 401 carrying {@code wwwAuthenticate}, when
     * {@code sent} went with the refused request; UNAUTHORIZED when there is nothing left to try.
     */
    String answer(URI base, List<String> wwwAuthenticate, String scope, Optional<String> sent, String refusal)
            throws UpstreamException {
        if (credential instanceof Credential.Token) {
            throw refused("the upstream refused the endpoint's token" + refusal + "; give the endpoint a valid token");
        }
        Challenge challenge = Challenge.pick(wwwAuthenticate).orElseThrow(() -> refused(
                "the upstream answered 401" + refusal + " without a Bearer or Basic challenge Berth can answer"));
        challenges.put(base, challenge);
        if (challenge.isBasic()) {
            if (!(credential instanceof Credential.Basic basic)) {
                throw refused("the upstream asks for a username and password" + refusal
                        + "; give the registry endpoint credentials");
            }
            if (sent.filter(s -> s.startsWith("Basic ")).isPresent()) {
                throw refused("the upstream refused the endpoint's username and password" + refusal);
            }
            return TokenService.basicAuthorization(basic);
        }
        return "Bearer " + token(base, challenge, scopes(scope, challenge.param("scope").orElse(null)), sent).value();
    }

    /** A cached token for the scopes, or a new one when none is cached, it expires soon, or it is {@code stale}. */
    private Token token(URI base, Challenge challenge, TreeSet<String> scopes, Optional<String> stale)
            throws UpstreamException {
        String key = challenge.param("realm").orElse("") + ' ' + challenge.param("service").orElse("") + ' '
                + String.join(" ", scopes);
        Lock lock = locks.get(key);
        lock.lock();
        try {
            Token cached = cache.getIfPresent(key);
            if (cached != null && fresh(cached) && !stale.equals(Optional.of("Bearer " + cached.value()))) {
                return cached;
            }
            Token fetched = tokens.fetch(base, challenge, scopes);
            cache.put(key, fetched);
            return fetched;
        } finally {
            lock.unlock();
        }
    }

    private boolean fresh(Token token) {
        Instant now = clock.instant();
        Duration left = Duration.between(now, token.expires());
        Duration margin = RENEW_BEFORE;
        if (left.compareTo(margin.multipliedBy(4)) < 0) {
            margin = left.dividedBy(4);
        }
        return left.compareTo(margin) > 0;
    }

    private static TreeSet<String> scopes(String ours, String challenged) {
        TreeSet<String> scopes = new TreeSet<>();
        // Several scopes (a mount's pull on the source repository) are one token request, as docker asks.
        for (String given : new String[] {ours, challenged}) {
            if (given != null) {
                for (String s : given.trim().split("\\s+")) {
                    if (!s.isEmpty()) {
                        scopes.add(s);
                    }
                }
            }
        }
        return scopes;
    }

    private static UpstreamException refused(String message) {
        return new UpstreamException(Kind.UNAUTHORIZED, 401, null, message, null);
    }
}
