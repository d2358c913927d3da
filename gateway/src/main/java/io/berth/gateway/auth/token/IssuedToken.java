package io.berth.gateway.auth.token;

import io.berth.gateway.auth.Scope;

import java.time.Instant;
import java.util.List;

/**
 * A token as the token endpoint answers it: {@code {"token","access_token","expires_in","issued_at"}}.
 *
 * @param token     the signed JWT
 * @param expiresIn seconds until it expires
 * @param issuedAt  when it was made
 * @param granted   the access it grants
 */
public record IssuedToken(String token, long expiresIn, Instant issuedAt, List<Scope> granted) {
    public IssuedToken {
        granted = List.copyOf(granted);
    }
}
