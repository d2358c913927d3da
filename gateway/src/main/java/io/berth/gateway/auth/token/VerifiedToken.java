package io.berth.gateway.auth.token;

import io.berth.gateway.auth.Action;
import io.berth.gateway.auth.Scope;

import java.time.Instant;
import java.util.List;

/**
 * What a token with a good signature, audience, issuer and time says: who it was issued to and
 * the access it grants.
 *
 * @param subject  the {@code sub}: a user's or robot's name, empty for anonymous
 * @param access   the scopes granted (the Docker {@code access} claim)
 * @param issuedAt the {@code iat}, to refuse a token made before its project was (re)created
 */
public record VerifiedToken(String subject, List<Scope> access, Instant issuedAt) {
    public VerifiedToken {
        access = List.copyOf(access);
    }

    /** Whether the token grants every action of {@code needed} on its resource. */
    public boolean covers(Scope needed) {
        for (Action action : needed.actions()) {
            boolean granted = access.stream().anyMatch(s -> s.type().equals(needed.type())
                    && s.name().equals(needed.name()) && s.actions().contains(action));
            if (!granted) {
                return false;
            }
        }
        return true;
    }
}
