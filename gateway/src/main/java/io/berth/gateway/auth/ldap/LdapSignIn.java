package io.berth.gateway.auth.ldap;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.berth.gateway.auth.Principal;
import io.berth.gateway.auth.users.User;
import io.berth.gateway.auth.users.Users;

import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/**
 * Sign-in of users with their directory password, in directory mode: the directory checks the
 * password, the local account is created on the first sign-in (or brought up to date), and the
 * principal carries the user's groups, which are kept for a short while ({@link
 * LdapSettings#groupCacheTtl()}) so that a client signing in for every request does not search the
 * directory for groups every time. The local admin and robots never come here. Blocks (directory,
 * database): call it off the event loop.
 */
public final class LdapSignIn {
    private final LdapDirectory directory;
    private final Users users;
    private final Cache<String, Set<String>> groups;

    /** @param clock the time the group cache expires by */
    public LdapSignIn(LdapDirectory directory, Users users, Clock clock) {
        this.directory = directory;
        this.users = users;
        this.groups = Caffeine.newBuilder().maximumSize(10_000)
                .expireAfterWrite(directory.settings().groupCacheTtl())
                .ticker(() -> clock.millis() * 1_000_000L)
                .build();
    }

    /**
     * The user whose directory password this is, with their groups; empty for a wrong password or a
     * name the directory does not know; 503 when the directory cannot say.
     */
    public Optional<Principal.User> authenticate(String username, String password) {
        Optional<DirectoryUser> entry = directory.authenticate(username, password);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        User account = users.signedInFromDirectory(entry.get().username(), entry.get().email());
        return Optional.of(new Principal.User(account.username(), account.sysadmin(), groupsOf(entry.get())));
    }

    /**
     * A directory user as they are now, for a refresh token: their account must still be a directory
     * account and their entry still be found (no password is asked; the groups may come from the cache).
     */
    public Optional<Principal.User> account(String username) {
        Optional<User> account = users.find(username).filter(u -> u.source().equals(Users.LDAP));
        if (account.isEmpty()) {
            return Optional.empty();
        }
        Set<String> known = groups.getIfPresent(username);
        if (known != null) {
            return Optional.of(new Principal.User(username, account.get().sysadmin(), known));
        }
        return directory.find(username).filter(e -> e.username().equals(username))
                .map(e -> new Principal.User(username, account.get().sysadmin(), groupsOf(e)));
    }

    /** Forgets the groups of every user, so that the next sign-ins ask the directory. */
    public void forgetGroups() {
        groups.invalidateAll();
    }

    public LdapDirectory directory() {
        return directory;
    }

    private Set<String> groupsOf(DirectoryUser entry) {
        return groups.get(entry.username(), name -> directory.groups(entry));
    }
}
