package io.berth.gateway.auth.token;

import java.time.Instant;

/**
 * A token as the token endpoint answers it: {@code {"token","access_token","expires_in","issued_at"}}.
 *
 * @param token     the signed JWT
 * @param expiresIn seconds until it expires
 * @param issuedAt  when it was made
 */
public record IssuedToken(String token, long expiresIn, Instant issuedAt) {
}
