package io.berth.gateway.auth.check;

import io.berth.gateway.auth.AccessCheck;
import io.berth.gateway.auth.AccessRequest;
import io.berth.gateway.auth.Action;
import io.berth.gateway.auth.Authenticator;
import io.berth.gateway.auth.Principal;
import io.berth.gateway.auth.Scope;
import io.berth.gateway.auth.projects.ProjectFacts;
import io.berth.gateway.auth.robots.Robots;
import io.berth.gateway.auth.token.Tokens;
import io.berth.gateway.auth.token.VerifiedToken;
import io.berth.store.Caller;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The registry's access check: a request goes on when its credentials cover every scope its
 * route needs.
 * <ul>
 * <li>a Bearer token must be this registry's, valid now, cover each scope, and be for the project
 * it names as it is now (a token from before a project was deleted and created again grants
 * nothing in the new one); otherwise 401 with a challenge, so the client fetches a fitting token;</li>
 * <li>Basic credentials are checked directly (users and robots) and must hold each scope; a
 * signed-in caller who lacks one gets 403 {@code DENIED};</li>
 * <li>without credentials, what anonymous callers hold (pulls of public projects) goes on, and
 * anything else, {@code GET /v2/} included, gets the challenge that starts {@code docker login}.</li>
 * </ul>
 * A request's optional scopes (a mount's source) are granted on the same terms, but one not held
 * refuses nothing. The caller it admits carries what it may read ({@link ReadableProjects}): the
 * repositories it was granted pull on for this request, and the rest only when a handler asks.
 * A push that may create its project creates it here, with the pushing user as its project admin.
 * A read that a mirror mode routed to a proxy project is decided on that project: its scopes name
 * the repository that serves it, and a token may grant them under the name the client used, as long
 * as it is bound to that project (a token the token service decided on another project is not).
 * Decisions that need the database or bcrypt run on the blocking executor, never on the event loop;
 * a token seen before, or an anonymous pull, on projects looked up recently, is decided where the
 * request is.
 */
public final class RegistryAccessCheck implements AccessCheck {
    private final Authenticator authenticator;
    private final Tokens tokens;
    private final ScopeDecisions decisions;
    private final ReadableProjects readable;
    private final Challenge challenge;
    private final Executor blocking;

    public RegistryAccessCheck(Authenticator authenticator, Tokens tokens, ScopeDecisions decisions,
                               ReadableProjects readable, Challenge challenge, Executor blocking) {
        this.authenticator = authenticator;
        this.tokens = tokens;
        this.decisions = decisions;
        this.readable = readable;
        this.challenge = challenge;
        this.blocking = blocking;
    }

    @Override
    public CompletionStage<Caller> check(AccessRequest request) {
        try {
            Caller known = decideFromMemory(request);
            if (known != null) {
                return CompletableFuture.completedFuture(known);
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.supplyAsync(() -> decide(request), blocking);
    }

    /**
     * The decision for a token seen before, or an anonymous pull, on projects looked up recently:
     * what a client does on every request after its first, decided without the database or a
     * signature check, so on the calling (event loop) thread. Null when something is not at hand
     * (or the request has optional scopes): then it is decided off the loop.
     */
    private Caller decideFromMemory(AccessRequest request) {
        if (!request.optional().isEmpty()) {
            return null;
        }
        String authorization = request.authorization().isEmpty() ? null : request.authorization().getFirst();
        if (authorization == null) {
            return anonymousFromMemory(request);
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        VerifiedToken token;
        try {
            token = tokens.alreadyVerified(authorization.substring(7).trim());
        } catch (RegistryException e) {
            return null; // expired: refused off the loop, with the challenge
        }
        if (token == null) {
            return null;
        }
        if (request.scopes().size() != 1 || !request.scopes().getFirst().type().equals("repository")) {
            return null; // every pull and push route names one repository; others are decided off the loop
        }
        Optional<ProjectFacts> project = decisions.rememberedProjectOf(request.scopes().getFirst());
        return project.isEmpty() ? null : bearer(request, token, needed -> project);
    }

    /**
     * An anonymous request every scope of which is open (pulls of public projects, what a mirror
     * serves), on projects looked up recently; null for anything else.
     */
    private Caller anonymousFromMemory(AccessRequest request) {
        if (request.scopes().isEmpty()) {
            return null;
        }
        Set<String> pulls = new HashSet<>();
        for (Scope needed : request.scopes()) {
            Optional<ScopeDecisions.Decision> decision = needed.type().equals("repository")
                    ? decisions.decideAnonymousFromMemory(needed) : Optional.empty();
            if (decision.isEmpty() || !decision.get().allows(needed)) {
                return null;
            }
            addPull(pulls, needed);
        }
        return Caller.anonymous(request.remoteAddress()).reading(readable.of(new Principal.Anonymous(), pulls));
    }

    private Caller decide(AccessRequest request) {
        String authorization = request.authorization().isEmpty() ? null : request.authorization().getFirst();
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            VerifiedToken token;
            try {
                token = tokens.verify(authorization.substring(7).trim());
            } catch (RegistryException e) {
                throw challenge.refuse(request, request.allScopes(), e.getMessage(), false);
            }
            return bearer(request, token, decisions::projectOf);
        }
        Principal who;
        try {
            who = authenticator.basic(authorization, request.remoteAddress());
        } catch (RegistryException e) {
            throw e.code() == ErrorCode.UNAUTHORIZED ? challenge.refuse(request, request.allScopes(), e.getMessage(),
                    false) : e;
        }
        boolean anonymous = who instanceof Principal.Anonymous;
        if (anonymous && request.scopes().isEmpty()) {
            throw challenge.refuse(request, request.optional(), "sign in to use this registry (docker login)", false);
        }
        if (anonymous && request.scopes().contains(Scope.catalog())) {
            // Clients sign in only when challenged: an open answer would show a signed-in user the public list.
            throw challenge.refuse(request, request.scopes(), "sign in, or get an anonymous token, to list the"
                    + " catalog", false);
        }
        List<Scope> intoNewProjects = new ArrayList<>();
        Set<String> pulls = new HashSet<>();
        for (Scope needed : request.scopes()) {
            ScopeDecisions.Decision decision = decisions.decide(who, needed);
            if (!decision.allows(needed)) {
                if (anonymous) {
                    throw challenge.refuse(request, request.allScopes(), "sign in: " + needed + " is not open to"
                            + " anonymous users", false);
                }
                throw new RegistryException(ErrorCode.DENIED, who.name() + " may not " + needed.actions() + " "
                        + needed.name() + ": ask a project admin for a role that allows it");
            }
            if (decision.project().isEmpty()) {
                intoNewProjects.add(needed);
            }
            addPull(pulls, needed);
        }
        for (Scope wanted : request.optional()) {
            ScopeDecisions.Decision decision = decisions.decide(who, wanted);
            if (decision.allows(wanted) && decision.project().isPresent()) { // nothing to read in a project not there
                addPull(pulls, wanted);
            }
        }
        intoNewProjects.forEach(needed -> decisions.createForPush(who, needed)); // only once every scope holds
        return caller(who.name(), request).reading(readable.of(who, pulls));
    }

    /** A request with a verified token; {@code projectOf} looks up each scope's project as it is now. */
    private Caller bearer(AccessRequest request, VerifiedToken token,
                          Function<Scope, Optional<ProjectFacts>> projectOf) {
        Principal who = token.subject().isEmpty() || token.subject().startsWith(Robots.PREFIX) ? null
                : new Principal.User(token.subject(), false);
        List<Scope> intoNewProjects = new ArrayList<>();
        Set<String> pulls = new HashSet<>();
        for (Scope needed : request.scopes()) {
            if (!covers(token, request, needed)) {
                throw challenge.refuse(request, request.allScopes(), "the token does not grant " + needed
                        + ": get one that does", true);
            }
            Optional<ProjectFacts> project = projectOf.apply(needed);
            if (project.isEmpty()) {
                intoNewProjects.add(needed);
            } else if (!isFor(token, project.get())) {
                if (!token.projects().containsKey(project.get().name())) {
                    // A mirror mode serves the read from a project the token was not decided on.
                    throw challenge.refuse(request, request.allScopes(), "the token does not grant "
                            + request.asRequested(needed) + " in project '" + project.get().name()
                            + "', which serves it: get one that does", true);
                }
                throw challenge.refuse(request, request.allScopes(), "the token was issued for an earlier project '"
                        + project.get().name() + "' (deleted since): get a new one", false);
            }
            addPull(pulls, needed);
        }
        for (Scope wanted : request.optional()) {
            // Docker asks one token for the target and the source; it holds only what its subject may have.
            if (token.covers(wanted) && decisions.projectOf(wanted).filter(p -> isFor(token, p)).isPresent()) {
                addPull(pulls, wanted);
            }
        }
        if (who != null) { // a token granting a push into a project not there yet: the push creates it
            intoNewProjects.forEach(needed -> decisions.createForPush(who, needed));
        }
        boolean listsCatalog = request.scopes().contains(Scope.catalog());
        return caller(token.subject(), request).reading(readable.ofToken(token, pulls, listsCatalog));
    }

    /**
     * Whether the token grants {@code needed}: on the repository named, or, for a read a mirror mode
     * routed, on the repository the client named (what docker and containerd ask for). Either way the
     * token must be bound to the project that serves the read, which the caller checks.
     */
    private static boolean covers(VerifiedToken token, AccessRequest request, Scope needed) {
        if (token.covers(needed)) {
            return true;
        }
        Scope requested = request.asRequested(needed);
        return requested != needed && token.covers(requested);
    }

    private static boolean isFor(VerifiedToken token, ProjectFacts project) {
        return token.isFor(project.name(), project.id(), project.createdAt());
    }

    /** Notes a repository scope's pull, which the caller's {@link io.berth.store.Readable} then grants at once. */
    private static void addPull(Set<String> pulls, Scope scope) {
        if (scope.type().equals("repository") && scope.actions().contains(Action.PULL)) {
            pulls.add(scope.name());
        }
    }

    private static Caller caller(String subject, AccessRequest request) {
        if (subject.isEmpty()) {
            return Caller.anonymous(request.remoteAddress());
        }
        Caller.Kind kind = subject.startsWith(Robots.PREFIX) ? Caller.Kind.ROBOT : Caller.Kind.USER;
        return new Caller(subject, kind, request.remoteAddress());
    }
}
