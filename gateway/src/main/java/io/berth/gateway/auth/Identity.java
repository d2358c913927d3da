package io.berth.gateway.auth;

import io.berth.gateway.auth.check.Challenge;
import io.berth.gateway.auth.check.ReadableProjects;
import io.berth.gateway.auth.check.RegistryAccessCheck;
import io.berth.gateway.auth.check.ScopeDecisions;
import io.berth.gateway.auth.ldap.LdapDirectory;
import io.berth.gateway.auth.ldap.LdapSettings;
import io.berth.gateway.auth.ldap.LdapSignIn;
import io.berth.gateway.auth.members.Members;
import io.berth.gateway.auth.projects.Projects;
import io.berth.gateway.auth.projects.ProxyProjects;
import io.berth.gateway.auth.robots.Robots;
import io.berth.gateway.auth.token.SigningKey;
import io.berth.gateway.auth.token.TokenRoutes;
import io.berth.gateway.auth.token.TokenService;
import io.berth.gateway.auth.token.TokenSettings;
import io.berth.gateway.auth.token.Tokens;
import io.berth.gateway.auth.users.Passwords;
import io.berth.gateway.auth.users.Users;
import io.berth.gateway.http.Route;
import io.berth.gateway.mirror.Mirrors;
import io.berth.store.audit.AuditLog;
import io.berth.store.meta.Transactions;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
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
    private final ProxyProjects proxyProjects;
    private final Authenticator authenticator;
    private final Tokens tokens;
    private final TokenService tokenService;
    private final ScopeDecisions decisions;
    private final ReadableProjects readable;
    private final Challenge challenge;
    private final LdapSignIn directory;
    private final ExecutorService blocking = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("berth-access-", 0).factory());

    /**
     * @param realm the token endpoint's absolute URL for challenges; null to derive it from each
     *              request's {@code Host}
     * @param ldap  the directory users sign in with ({@link AuthMode#LDAP}); null to keep their
     *              passwords in the database ({@link AuthMode#DATABASE})
     */
    public record Settings(TokenSettings tokens, String realm, Grants.ProjectCreation projectCreation,
                           boolean autoCreateProjects, int passwordCost, LdapSettings ldap) {
        /** Settings in database mode. */
        public Settings(TokenSettings tokens, String realm, Grants.ProjectCreation projectCreation,
                        boolean autoCreateProjects, int passwordCost) {
            this(tokens, realm, projectCreation, autoCreateProjects, passwordCost, null);
        }
    }

    /** Without mirror modes: see {@link #Identity(Transactions, SigningKey, Settings, Mirrors, Clock)}. */
    public Identity(Transactions tx, SigningKey key, Settings settings, Clock clock) {
        this(tx, key, settings, Mirrors.none(), clock);
    }

    /**
     * In directory mode, the directory is connected to lazily: one that is down does not stop the start.
     *
     * @param mirrors how the registry routes reads in mirror modes, so that the token service grants
     *                the names clients ask for on the projects that serve them
     */
    public Identity(Transactions tx, SigningKey key, Settings settings, Mirrors mirrors, Clock clock) {
        this.users = new Users(tx, new Passwords(settings.passwordCost()), clock);
        this.robots = new Robots(tx, clock);
        this.members = new Members(tx, clock);
        this.projects = new Projects(tx, clock);
        this.proxyProjects = new ProxyProjects(tx, clock);
        this.directory = settings.ldap() == null ? null
                : new LdapSignIn(new LdapDirectory(settings.ldap()), users, clock);
        SignInAudit audit = new SignInAudit(new AuditLog(tx), clock);
        this.authenticator = new Authenticator(users, robots, LoginThrottle.defaults(), directory, audit);
        this.tokens = new Tokens(key, settings.tokens(), clock);
        this.decisions = new ScopeDecisions(projects, members, settings.projectCreation(),
                settings.autoCreateProjects());
        this.readable = new ReadableProjects(projects, members, authenticator);
        this.tokenService = new TokenService(tokens, decisions, audit, mirrors);
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

    /** The proxy projects' settings. */
    public ProxyProjects proxyProjects() {
        return proxyProjects;
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

    /** Where users' passwords are checked. */
    public AuthMode mode() {
        return directory == null ? AuthMode.DATABASE : AuthMode.LDAP;
    }

    /** The directory users sign in with, in {@link AuthMode#LDAP}; empty in database mode. */
    public Optional<LdapDirectory> directory() {
        return Optional.ofNullable(directory).map(LdapSignIn::directory);
    }

    @Override
    public void close() {
        blocking.shutdown();
        if (directory != null) {
            directory.directory().close();
        }
    }
}
