package io.berth.gateway.auth.token;

import io.berth.gateway.auth.Principal;
import io.berth.gateway.auth.Scope;
import io.berth.gateway.auth.SignInAudit;
import io.berth.gateway.auth.check.ScopeDecisions;
import io.berth.gateway.auth.projects.ProjectFacts;
import io.berth.store.oci.RepositoryName;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the token endpoint hands out: for a signed-in (or anonymous) caller and the scopes a client
 * asked for, a token granting, per scope, what {@link ScopeDecisions} decides (the intersection of
 * the actions asked and those held); scopes with nothing granted are left out, never refused, as
 * the token spec has it (the registry then answers 401 for what is missing). The token is bound to
 * the projects it names as they are now. Blocks on the database.
 */
public final class TokenService {
    private final Tokens tokens;
    private final ScopeDecisions decisions;
    private final SignInAudit audit;

    public TokenService(Tokens tokens, ScopeDecisions decisions) {
        this(tokens, decisions, SignInAudit.none());
    }

    /** @param audit where sign-ins ({@code docker login}) and tokens that allow writes are recorded */
    public TokenService(Tokens tokens, ScopeDecisions decisions, SignInAudit audit) {
        this.tokens = tokens;
        this.decisions = decisions;
        this.audit = audit;
    }

    /** A token for {@code who}, calling from {@code address}, with what of {@code asked} it may have; audited. */
    public IssuedToken issue(Principal who, List<Scope> asked, String address) {
        if (asked.isEmpty()) {
            audit.signedIn(who, address);
        }
        IssuedToken token = issue(who, asked);
        audit.tokenIssued(who, address, token.granted());
        return token;
    }

    /** A token for {@code who} with what of {@code asked} it may have. */
    public IssuedToken issue(Principal who, List<Scope> asked) {
        List<Scope> granted = new ArrayList<>();
        Map<String, Long> projects = new LinkedHashMap<>();
        for (Scope scope : asked) {
            ScopeDecisions.Decision decision = decisions.decide(who, scope);
            decision.granted().ifPresent(g -> {
                granted.add(g);
                if (g.type().equals("repository")) {
                    projects.put(RepositoryName.parse(g.name()).project(),
                            decision.project().map(ProjectFacts::id).orElse(0L));
                }
            });
        }
        return tokens.issue(who.name(), granted, projects);
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
