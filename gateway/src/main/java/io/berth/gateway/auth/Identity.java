package io.berth.gateway.auth;

import io.berth.gateway.auth.check.Challenge;
import io.berth.gateway.auth.check.ReadableProjects;
import io.berth.gateway.auth.check.RegistryAccessCheck;
import io.berth.gateway.auth.check.ScopeDecisions;
import io.berth.gateway.auth.members.Members;
import io.berth.gateway.auth.projects.Projects;
import io.berth.gateway.auth.robots.Robots;
import io.berth.gateway.auth.token.SigningKey;
import io.berth.gateway.auth.token.TokenRoutes;
import io.berth.gateway.auth.token.TokenService;
import io.berth.gateway.auth.token.TokenSettings;
import io.berth.gateway.auth.token.Tokens;
import io.berth.gateway.auth.users.Passwords;
import io.berth.gateway.auth.users.Users;
import io.berth.gateway.http.Route;
import io.berth.store.meta.Transactions;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Identity and access, put together once: the accounts (users, robots, project members), the
 * token service and its routes, and the registry's access check, all deciding from the same
 * {@link Grants}. The admin API manages the accounts through the same objects.
 */
public final class Identity implements AutoCloseable {
    private final Users users;
    private final Robots robots;
    private final Members members;
    private final Projects projects;
    private final Authenticator authenticator;
    private final Tokens tokens;
    private final TokenService tokenService;
    private final ScopeDecisions decisions;
    private final ReadableProjects readable;
    private final Challenge challenge;
    private final ExecutorService blocking = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("berth-access-", 0).factory());

    /**
     * @param realm the token endpoint's absolute URL for challenges; null to derive it from each
     *              request's {@code Host}
     */
    public record Settings(TokenSettings tokens, String realm, Grants.ProjectCreation projectCreation,
                           boolean autoCreateProjects, int passwordCost) {
    }

    public Identity(Transactions tx, SigningKey key, Settings settings, Clock clock) {
        this.users = new Users(tx, new Passwords(settings.passwordCost()), clock);
        this.robots = new Robots(tx, clock);
        this.members = new Members(tx, clock);
        this.projects = new Projects(tx);
        this.authenticator = new Authenticator(users, robots, LoginThrottle.defaults());
        this.tokens = new Tokens(key, settings.tokens(), clock);
        this.decisions = new ScopeDecisions(projects, members, settings.projectCreation(),
                settings.autoCreateProjects());
        this.readable = new ReadableProjects(projects, members, authenticator);
        this.tokenService = new TokenService(tokens, decisions);
        this.challenge = new Challenge(settings.realm(), settings.tokens().service());
    }

    /** The registry's access check: tokens, Basic credentials, anonymous pulls of public projects. */
    public AccessCheck accessCheck() {
        return new RegistryAccessCheck(authenticator, tokens, decisions, readable, challenge, blocking);
    }

    /** The token endpoint's routes, served beside the registry's. */
    public List<Route> routes() {
        return TokenRoutes.routes(tokenService, authenticator, challenge.service());
    }

    public Users users() {
        return users;
    }

    public Robots robots() {
        return robots;
    }

    public Members members() {
        return members;
    }

    public Projects projects() {
        return projects;
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    public Tokens tokens() {
        return tokens;
    }

    public ScopeDecisions decisions() {
        return decisions;
    }

    @Override
    public void close() {
        blocking.shutdown();
    }
}
