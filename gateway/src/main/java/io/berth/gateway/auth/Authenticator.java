package io.berth.gateway.auth;

import io.berth.gateway.auth.ldap.LdapSignIn;
import io.berth.gateway.auth.robots.Robots;
import io.berth.gateway.auth.token.Tokens;
import io.berth.gateway.auth.users.User;
import io.berth.gateway.auth.users.Users;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;

import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;

/**
 * Who Basic credentials are: a user (password checked with bcrypt, or in directory mode by the
 * directory) or, for a name starting with {@code robot$}, a robot account; anonymous without
 * credentials. In directory mode the local {@code admin} and robots still sign in here, so that a
 * directory that is down locks nobody out of administration. Wrong credentials are refused with
 * 401 and counted by the {@link LoginThrottle}; the refusal never says which part was wrong, and
 * never repeats the password. A directory that cannot answer is a 503, not counted. Blocks
 * (database, bcrypt, directory): call it off the event loop.
 */
public final class Authenticator {
    private final Users users;
    private final Robots robots;
    private final LoginThrottle throttle;
    private final LdapSignIn directory;
    private final SignInAudit audit;

    /** Users sign in with passwords kept in the database. */
    public Authenticator(Users users, Robots robots, LoginThrottle throttle) {
        this(users, robots, throttle, null, SignInAudit.none());
    }

    /**
     * @param directory the directory users other than the local admin sign in with; null for none
     * @param audit     where failed sign-ins are recorded (those refused by the throttle are not, to bound a flood)
     */
    public Authenticator(Users users, Robots robots, LoginThrottle throttle, LdapSignIn directory,
                         SignInAudit audit) {
        this.users = users;
        this.robots = robots;
        this.throttle = throttle;
        this.directory = directory;
        this.audit = audit;
    }

    /**
     * The principal of an {@code Authorization: Basic …} header value, or anonymous when it is null.
     *
     * @param address the client's address, for the throttle; null when unknown
     */
    public Principal basic(String authorization, String address) {
        if (authorization == null) {
            return new Principal.Anonymous();
        }
        String[] credentials = decode(authorization);
        String username = credentials[0];
        throttle.check(username, address);
        Optional<? extends Principal> principal;
        try {
            principal = username.startsWith(Robots.PREFIX) ? robots.authenticate(username, credentials[1])
                    : user(username, credentials[1]);
        } catch (RegistryException e) {
            if (e.code() == ErrorCode.UNAUTHORIZED) {
                throttle.failed(username, address);
                audit.failed(username, address, e.getMessage());
            }
            throw e;
        }
        if (principal.isEmpty()) {
            throttle.failed(username, address);
            audit.failed(username, address, "wrong user name or password");
            throw new RegistryException(ErrorCode.UNAUTHORIZED, "wrong user name or password");
        }
        return principal.get();
    }

    /**
     * The account a refresh token was given to, as it is now (a user's admin rights may have
     * changed, a robot may be disabled, a directory user left the directory or changed groups); 401
     * when it is gone or signs in another way than it did.
     */
    public Principal account(String name) {
        Optional<? extends Principal> principal;
        if (name.startsWith(Robots.PREFIX)) {
            principal = robots.principal(name);
        } else if (directory == null || Users.ADMIN.equals(name)) {
            principal = users.find(name).filter(u -> u.source().equals(Users.DATABASE)).map(User::principal);
        } else {
            principal = directory.account(name);
        }
        return principal.orElseThrow(() -> new RegistryException(ErrorCode.UNAUTHORIZED, "the account '" + name
                + "' of this refresh token no longer exists or is disabled: sign in again"));
    }

    /**
     * The account of a refresh token, as {@link #account}; 401 also for a database user whose
     * account changed (a new password, e-mail or rights) after the token was given, so that a
     * password change ends the offline sign-ins made with the old one.
     */
    public Principal refreshed(Tokens.RefreshGrant grant) {
        String name = grant.subject();
        if (!name.startsWith(Robots.PREFIX) && (directory == null || Users.ADMIN.equals(name))
                && users.find(name).filter(u -> u.updatedAt().truncatedTo(ChronoUnit.SECONDS)
                .isAfter(grant.issuedAt())).isPresent()) {
            throw new RegistryException(ErrorCode.UNAUTHORIZED, "the account '" + name + "' changed after this"
                    + " refresh token was given (a new password?): sign in again");
        }
        return account(name);
    }

    /** A user by password: the local admin always, others too unless a directory signs them in. */
    private Optional<Principal.User> user(String username, String password) {
        if (directory == null || Users.ADMIN.equals(username)) {
            return users.authenticate(username, password).map(User::principal);
        }
        return directory.authenticate(username, password);
    }

    /** User name and password from a Basic header value; 401 when it is not one. */
    private static String[] decode(String authorization) {
        int space = authorization.indexOf(' ');
        if (space < 0 || !authorization.substring(0, space).equalsIgnoreCase("Basic")) {
            throw new RegistryException(ErrorCode.UNAUTHORIZED, "sign in with Basic credentials (user name and password)");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(space + 1).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new RegistryException(ErrorCode.UNAUTHORIZED, "the Basic credentials are not base64: sign in again");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            throw new RegistryException(ErrorCode.UNAUTHORIZED, "the Basic credentials have no user name: sign in again");
        }
        return new String[]{decoded.substring(0, colon), decoded.substring(colon + 1)};
    }
}
