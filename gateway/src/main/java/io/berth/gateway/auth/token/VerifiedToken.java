package io.berth.gateway.auth.token;

import io.berth.gateway.auth.Action;
import io.berth.gateway.auth.Scope;

import java.time.Instant;
import java.util.List;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * What a token with a good signature, audience, issuer and time says: who it was issued to and
 * the access it grants.
 *
 * @param subject  the {@code sub}: a user's or robot's name, empty for anonymous
 * @param access   the scopes granted (the Docker {@code access} claim)
 * @param issuedAt the {@code iat}
 * @param projects the id each project it names had when it was issued (0: it did not exist yet)
 * @param expiresAt the {@code exp}
 */
public record VerifiedToken(String subject, List<Scope> access, Instant issuedAt, Map<String, Long> projects,
                            Instant expiresAt) {
    public VerifiedToken {
        access = List.copyOf(access);
        projects = Map.copyOf(projects);
    }

    /**
     * Whether the token was issued for this incarnation of a project: the one with this id, or,
     * when the project did not exist at the time, one created since.
     */
    public boolean isFor(String project, long projectId, Instant projectCreatedAt) {
        Long boundTo = projects.get(project);
        if (boundTo == null) {
            return false;
        }
        // iat has whole seconds, so it is never after the moment of issue: a project created since is not before it.
        return boundTo == projectId || boundTo == 0 && !projectCreatedAt.isBefore(issuedAt);
    }

    /** Whether the token grants every action of {@code needed} on its resource (checked on every request: no streams). */
    public boolean covers(Scope needed) {
        Set<Action> granted = EnumSet.noneOf(Action.class);
        for (Scope s : access) {
            if (s.name().equals(needed.name()) && s.type().equals(needed.type())) {
                granted.addAll(s.actions());
            }
        }
        return granted.containsAll(needed.actions());
    }
}
