package io.berth.gateway.auth.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.berth.gateway.auth.Action;
import io.berth.gateway.auth.Scope;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.IncorrectClaimException;
import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.MissingClaimException;
import io.jsonwebtoken.PrematureJwtException;
import io.jsonwebtoken.security.SignatureException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Issues and verifies registry tokens: JWTs signed ES256 with a {@code kid}, carrying {@code iss},
 * {@code sub}, {@code aud}, {@code exp}, {@code nbf}, {@code iat}, {@code jti} and the Docker
 * {@code access} claim ({@code [{"type","name","actions"}]}), and the ids of the projects it names
 * ({@code berth_projects}), so that a project deleted and created again is not the one it was for. Verification is local (no database):
 * signature, issuer, audience, and time with a small leeway; what a failure says never includes
 * the token.
 */
public final class Tokens {
    /** Berth's own claim: the id of each project the token names, when it was issued. */
    static final String PROJECTS_CLAIM = "berth_projects";
    /** Marks a refresh token, which only buys access tokens and is never one itself. */
    static final String REFRESH_CLAIM = "berth_refresh";
    /** How long a refresh token (an OAuth2 client's "offline" sign-in) lasts. */
    public static final Duration REFRESH_LIFETIME = Duration.ofDays(30);

    private final SigningKey key;
    private final TokenSettings settings;
    private final Clock clock;
    private final JwtParser parser;
    /**
     * Tokens whose signature and claims were checked, so that a client's next requests with the
     * same token cost a lookup instead of an ECDSA verification; only the expiry is checked again.
     */
    private final Cache<String, VerifiedToken> verified = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(5)).build();

    public Tokens(SigningKey key, TokenSettings settings, Clock clock) {
        this.key = key;
        this.settings = settings;
        this.clock = clock;
        this.parser = Jwts.parser().verifyWith(key.publicKey()).requireIssuer(settings.issuer())
                .requireAudience(settings.service()).clockSkewSeconds(settings.leeway().toSeconds())
                .clock(() -> Date.from(clock.instant())).build();
    }

    /** A token for {@code subject} (empty for anonymous) granting exactly {@code access}, bound to no project. */
    public IssuedToken issue(String subject, List<Scope> access) {
        return issue(subject, access, Map.of());
    }

    /**
     * A token for {@code subject} granting exactly {@code access}, bound to the projects it names:
     * project name to the id the project had when the token was issued, 0 when it did not exist.
     */
    public IssuedToken issue(String subject, List<Scope> access, Map<String, Long> projects) {
        Instant now = clock.instant();
        Instant expires = now.plus(settings.lifetime());
        List<Map<String, Object>> claim = new ArrayList<>();
        for (Scope scope : access) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("type", scope.type());
            entry.put("name", scope.name());
            entry.put("actions", scope.actions().stream().map(Action::token).toList());
            claim.add(entry);
        }
        String jwt = builder(subject, now, expires).claim("access", claim).claim(PROJECTS_CLAIM, projects)
                .signWith(key.privateKey(), Jwts.SIG.ES256).compact();
        return new IssuedToken(jwt, settings.lifetime().toSeconds(), now, access);
    }

    /** What a token grants; a token that is not good is refused with 401 {@code UNAUTHORIZED}. */
    public VerifiedToken verify(String jwt) {
        VerifiedToken known = alreadyVerified(jwt);
        if (known != null) {
            return known;
        }
        Claims claims = claims(jwt);
        if (Boolean.TRUE.equals(claims.get(REFRESH_CLAIM))) {
            throw refused("a refresh token is not an access token: exchange it at the token endpoint");
        }
        Instant issuedAt = claims.getIssuedAt() == null ? Instant.EPOCH : claims.getIssuedAt().toInstant();
        String subject = claims.getSubject() == null ? "" : claims.getSubject();
        VerifiedToken token = new VerifiedToken(subject, access(claims.get("access")), issuedAt,
                projects(claims.get(PROJECTS_CLAIM)), claims.getExpiration().toInstant());
        verified.put(jwt, token);
        return token;
    }

    /**
     * The token, when it was verified before and has not expired since; null when it has not been
     * seen (verify it). Cheap: no signature check, so the event loop may ask.
     */
    public VerifiedToken alreadyVerified(String jwt) {
        VerifiedToken known = verified.getIfPresent(jwt);
        if (known != null && clock.instant().isAfter(known.expiresAt().plus(settings.leeway()))) {
            verified.invalidate(jwt);
            throw refused("the token has expired: get a new one");
        }
        return known;
    }

    /** A refresh token for {@code subject}, good for {@link #REFRESH_LIFETIME}. */
    public String issueRefresh(String subject) {
        Instant now = clock.instant();
        return builder(subject, now, now.plus(REFRESH_LIFETIME)).claim(REFRESH_CLAIM, true)
                .signWith(key.privateKey(), Jwts.SIG.ES256).compact();
    }

    /** A token with the registered claims every token of this registry carries. */
    private JwtBuilder builder(String subject, Instant now, Instant expires) {
        return Jwts.builder().header().keyId(key.keyId()).and()
                .issuer(settings.issuer()).subject(subject).audience().add(settings.service()).and()
                .issuedAt(Date.from(now)).notBefore(Date.from(now)).expiration(Date.from(expires))
                .id(UUID.randomUUID().toString());
    }

    /** Whose a refresh token is, and since when; one that is not good, or is an access token, is refused with 401. */
    public RefreshGrant verifyRefresh(String jwt) {
        Claims claims = claims(jwt);
        if (!Boolean.TRUE.equals(claims.get(REFRESH_CLAIM)) || claims.getSubject() == null
                || claims.getSubject().isEmpty()) {
            throw refused("that is not a refresh token: sign in with grant_type=password");
        }
        return new RefreshGrant(claims.getSubject(), claims.getIssuedAt() == null ? Instant.EPOCH
                : claims.getIssuedAt().toInstant());
    }

    /**
     * What a good refresh token says.
     *
     * @param subject  the account it was given to
     * @param issuedAt when (to the second): an account changed since (a new password) has it refused
     */
    public record RefreshGrant(String subject, Instant issuedAt) {
    }

    private Claims claims(String jwt) {
        try {
            return parser.parseSignedClaims(jwt).getPayload();
        } catch (ExpiredJwtException e) {
            throw refused("the token has expired: get a new one");
        } catch (PrematureJwtException e) {
            throw refused("the token is not valid yet: check the clocks of this registry and of its token service");
        } catch (IncorrectClaimException | MissingClaimException e) {
            throw refused("the token was issued for another registry (issuer or service): get one from this registry");
        } catch (SignatureException e) {
            throw refused("the token's signature is not this registry's: get a new one");
        } catch (JwtException | IllegalArgumentException e) {
            throw refused("the token is malformed: get a new one");
        }
    }

    /** The access claim as scopes; entries Berth does not understand grant nothing. */
    private static List<Scope> access(Object claim) {
        List<Scope> scopes = new ArrayList<>();
        if (!(claim instanceof List<?> entries)) {
            return scopes;
        }
        for (Object e : entries) {
            if (e instanceof Map<?, ?> entry && entry.get("type") instanceof String type
                    && entry.get("name") instanceof String name && entry.get("actions") instanceof List<?> actions) {
                Set<Action> known = EnumSet.noneOf(Action.class);
                actions.forEach(a -> Action.of(String.valueOf(a)).ifPresent(known::add));
                if (!known.isEmpty()) {
                    scopes.add(new Scope(type, name, known));
                }
            }
        }
        return scopes;
    }

    private static Map<String, Long> projects(Object claim) {
        Map<String, Long> projects = new LinkedHashMap<>();
        if (claim instanceof Map<?, ?> map) {
            map.forEach((name, id) -> {
                if (name instanceof String n && id instanceof Number number) {
                    projects.put(n, number.longValue());
                }
            });
        }
        return projects;
    }

    private static RegistryException refused(String message) {
        return new RegistryException(ErrorCode.UNAUTHORIZED, message);
    }
}
