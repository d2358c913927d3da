package io.berth.gateway.auth.token;

import io.berth.gateway.auth.Action;
import io.berth.gateway.auth.Principal;
import io.berth.gateway.auth.Scope;
import io.berth.gateway.auth.SignInAudit;
import io.berth.gateway.auth.check.ScopeDecisions;
import io.berth.gateway.auth.projects.ProjectFacts;
import io.berth.gateway.mirror.MirrorRoute;
import io.berth.gateway.mirror.Mirrors;
import io.berth.store.error.RegistryException;
import io.berth.store.oci.RepositoryName;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the token endpoint hands out: for a signed-in (or anonymous) caller and the scopes a client
 * asked for, a token granting, per scope, what {@link ScopeDecisions} decides (the intersection of
 * the actions asked and those held); scopes with nothing granted are left out, never refused, as
 * the token spec has it (the registry then answers 401 for what is missing). The token is bound to
 * the projects it was decided on, as they are now. Blocks on the database.
 *
 * <p>Clients of the mirror modes ask for the name they pull ({@code repository:library/nginx:pull}),
 * which the registry serves from a proxy project: the pull is decided on the repository that
 * {@link Mirrors} routes the name to (with the {@code ns} the registry's challenge put into the
 * token realm), and the token is bound to that project. Other actions on such a name stay with the
 * repository it names (a push is never routed); a request routed by {@code ns} is a mirror's, which
 * only pulls, so nothing else is granted with it.
 */
public final class TokenService {
    private static final Set<Action> PULL = EnumSet.of(Action.PULL);

    private final Tokens tokens;
    private final ScopeDecisions decisions;
    private final SignInAudit audit;
    private final Mirrors mirrors;

    public TokenService(Tokens tokens, ScopeDecisions decisions) {
        this(tokens, decisions, SignInAudit.none());
    }

    /** @param audit where sign-ins ({@code docker login}) and tokens that allow writes are recorded */
    public TokenService(Tokens tokens, ScopeDecisions decisions, SignInAudit audit) {
        this(tokens, decisions, audit, Mirrors.none());
    }

    /** @param mirrors where reads of names without a project are served from, as the registry routes them */
    public TokenService(Tokens tokens, ScopeDecisions decisions, SignInAudit audit, Mirrors mirrors) {
        this.tokens = tokens;
        this.decisions = decisions;
        this.audit = audit;
        this.mirrors = mirrors;
    }

    /**
     * A token for {@code who}, calling from {@code address}, with what of {@code asked} it may have; audited.
     *
     * @param namespace the {@code ns} of the token request (from the realm of a mirror read's challenge), or null
     */
    public IssuedToken issue(Principal who, List<Scope> asked, String address, String namespace) {
        if (asked.isEmpty()) {
            audit.signedIn(who, address);
        }
        IssuedToken token = decideAll(who, asked, namespace);
        audit.tokenIssued(who, address, token.granted());
        return token;
    }

    /** As {@link #issue(Principal, List, String, String)}, for a token request without {@code ns}. */
    public IssuedToken issue(Principal who, List<Scope> asked, String address) {
        return issue(who, asked, address, null);
    }

    /** A token for {@code who} with what of {@code asked} it may have (not audited). */
    public IssuedToken issue(Principal who, List<Scope> asked) {
        return decideAll(who, asked, null);
    }

    private IssuedToken decideAll(Principal who, List<Scope> asked, String namespace) {
        List<Scope> granted = new ArrayList<>();
        Map<String, Long> projects = new LinkedHashMap<>();
        for (Scope scope : asked) {
            if (!scope.type().equals("repository")) {
                decide(who, scope, granted, projects);
                continue;
            }
            MirrorRoute route = routeOf(RepositoryName.parse(scope.name()), namespace);
            if (route == null) {
                if (namespace == null) { // a name no read can be served by: a push may still create its project
                    decide(who, scope, granted, projects);
                }
            } else if (route.namespace() != null) {
                decideRoutedPull(who, scope, route, granted, projects);
            } else if (route.mapped()) {
                decideRoutedPull(who, scope, route, granted, projects);
                Set<Action> rest = EnumSet.copyOf(scope.actions());
                rest.removeAll(PULL);
                if (!rest.isEmpty()) {
                    decide(who, new Scope(scope.type(), scope.name(), rest), granted, projects);
                }
            } else {
                decide(who, scope, granted, projects);
            }
        }
        return tokens.issue(who.name(), merged(granted), projects);
    }

    /** How the registry routes a read of {@code name} with {@code namespace}; null when it serves none. */
    private MirrorRoute routeOf(RepositoryName name, String namespace) {
        try {
            return mirrors.route(name, namespace);
        } catch (RegistryException unservable) {
            return null;
        }
    }

    /** Pull on the name the client asked for, decided on the repository that serves it. */
    private void decideRoutedPull(Principal who, Scope asked, MirrorRoute route, List<Scope> granted,
                                  Map<String, Long> projects) {
        if (!asked.actions().contains(Action.PULL)) {
            return;
        }
        ScopeDecisions.Decision decision = decisions.decide(who, Scope.repository(route.served(), Action.PULL));
        if (decision.granted().isPresent() && decision.project().isPresent()) {
            granted.add(new Scope(asked.type(), asked.name(), PULL));
            projects.put(decision.project().get().name(), decision.project().get().id());
        }
    }

    private void decide(Principal who, Scope scope, List<Scope> granted, Map<String, Long> projects) {
        ScopeDecisions.Decision decision = decisions.decide(who, scope);
        decision.granted().ifPresent(g -> {
            granted.add(g);
            if (g.type().equals("repository")) {
                projects.put(RepositoryName.parse(g.name()).project(),
                        decision.project().map(ProjectFacts::id).orElse(0L));
            }
        });
    }

    /** One scope per resource: a routed pull and the other actions on the same name join. */
    private static List<Scope> merged(List<Scope> granted) {
        Map<String, Scope> byResource = new LinkedHashMap<>();
        for (Scope scope : granted) {
            byResource.merge(scope.type() + ":" + scope.name(), scope, (a, b) -> {
                Set<Action> actions = EnumSet.copyOf(a.actions());
                actions.addAll(b.actions());
                return new Scope(a.type(), a.name(), actions);
            });
        }
        return List.copyOf(byResource.values());
    }

    /** A refresh token for {@code who}, for an OAuth2 client that asked for offline access. */
    public String refreshTokenFor(Principal who) {
        return tokens.issueRefresh(who.name());
    }

    /** The account a refresh token was given to, and when; 401 when it is not a good refresh token. */
    public Tokens.RefreshGrant accountOf(String refreshToken) {
        return tokens.verifyRefresh(refreshToken);
    }
}
