package io.berth.gateway.auth.token;

import java.time.Duration;

/**
 * What registry tokens say and how long they last.
 *
 * @param issuer   the {@code iss} claim, checked on every token
 * @param service  the service name clients ask for ({@code service=}), the tokens' audience
 * @param lifetime how long a token is valid (Harbor and Distribution default to 30 minutes)
 * @param leeway   clock difference tolerated on {@code exp} and {@code nbf}
 */
public record TokenSettings(String issuer, String service, Duration lifetime, Duration leeway) {
    public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(30);
    public static final Duration DEFAULT_LEEWAY = Duration.ofSeconds(30);

    public TokenSettings {
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("the token lifetime must be positive: " + lifetime);
        }
    }
}
