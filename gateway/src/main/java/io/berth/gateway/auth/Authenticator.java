package io.berth.gateway.auth;

import io.berth.gateway.auth.robots.Robots;
import io.berth.gateway.auth.users.User;
import io.berth.gateway.auth.users.Users;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Who Basic credentials are: a user (password checked with bcrypt) or, for a name starting with
 * {@code robot$}, a robot account; anonymous without credentials. Wrong credentials are refused
 * with 401 and counted by the {@link LoginThrottle}; the refusal never says which part was wrong,
 * and never repeats the password. Blocks (database, bcrypt): call it off the event loop.
 */
public final class Authenticator {
    private final Users users;
    private final Robots robots;
    private final LoginThrottle throttle;
    private final SignInAudit audit;

    public Authenticator(Users users, Robots robots, LoginThrottle throttle) {
        this(users, robots, throttle, SignInAudit.none());
    }

    /** @param audit where failed sign-ins are recorded (those refused by the throttle are not, to bound a flood) */
    public Authenticator(Users users, Robots robots, LoginThrottle throttle, SignInAudit audit) {
        this.users = users;
        this.robots = robots;
        this.throttle = throttle;
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
        Optional<? extends Principal> principal = username.startsWith(Robots.PREFIX)
                ? robots.authenticate(username, credentials[1])
                : users.authenticate(username, credentials[1]).map(User::principal);
        if (principal.isEmpty()) {
            throttle.failed(username, address);
            audit.failed(username, address, "wrong user name or password");
            throw new RegistryException(ErrorCode.UNAUTHORIZED, "wrong user name or password");
        }
        return principal.get();
    }

    /**
     * The account a refresh token was given to, as it is now (a user's admin rights may have
     * changed, a robot may be disabled); 401 when it is gone.
     */
    public Principal account(String name) {
        Optional<? extends Principal> principal = name.startsWith(Robots.PREFIX) ? robots.principal(name)
                : users.find(name).map(User::principal);
        return principal.orElseThrow(() -> new RegistryException(ErrorCode.UNAUTHORIZED, "the account '" + name
                + "' of this refresh token no longer exists or is disabled: sign in again"));
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
