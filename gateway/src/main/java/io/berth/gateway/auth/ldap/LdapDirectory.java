package io.berth.gateway.auth.ldap;

import com.unboundid.ldap.sdk.BindRequest;
import com.unboundid.ldap.sdk.DereferencePolicy;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.ServerSet;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The directory users sign in with. A service account (or an anonymous connection) searches for
 * the user's entry in a small pool of connections; the password is then checked by binding as
 * that entry on a fresh connection of its own, closed right after, so a pooled connection is never
 * left bound as a user. Names are escaped into filters ({@link Filter#createEqualityFilter}), so a
 * name like {@code *)(uid=*} is only ever a name.
 *
 * <p>Wrong credentials are an empty answer; a directory that cannot be reached, times out or
 * refuses the service account is a 503 {@code UNAVAILABLE} whose message says so without naming
 * the directory's hosts (those go to the log). Blocks on the network: call it off the event loop.
 */
public final class LdapDirectory implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LdapDirectory.class);
    /** Answers to a user's bind that mean "not with these credentials", rather than "cannot say now". */
    private static final Set<ResultCode> REFUSALS = Set.of(ResultCode.INVALID_CREDENTIALS,
            ResultCode.INAPPROPRIATE_AUTHENTICATION, ResultCode.UNWILLING_TO_PERFORM,
            ResultCode.INSUFFICIENT_ACCESS_RIGHTS, ResultCode.NO_SUCH_OBJECT, ResultCode.INVALID_DN_SYNTAX,
            ResultCode.CONSTRAINT_VIOLATION, ResultCode.AUTHORIZATION_DENIED);
    /** More groups than anyone is a member of; past it, the first ones found count. */
    private static final int MAX_GROUPS = 1000;

    private final LdapSettings settings;
    private final ServerSet servers;
    private final LDAPConnectionPool pool;
    private final Filter userFilter;
    private final int timeLimitSeconds;

    /** Connects lazily: a directory that is down when Berth starts only fails sign-ins, not the start. */
    public LdapDirectory(LdapSettings settings) {
        this.settings = settings;
        this.servers = LdapConnections.servers(settings);
        this.timeLimitSeconds = (int) Math.max(1, settings.responseTimeout().toSeconds());
        try {
            this.userFilter = Filter.create(settings.userFilter());
            BindRequest service = settings.bindDn() == null ? null
                    : new SimpleBindRequest(settings.bindDn(), settings.bindPassword());
            this.pool = new LDAPConnectionPool(servers, service, 0, settings.maxConnections(), null, false);
        } catch (LDAPException e) {
            throw new IllegalArgumentException("auth.ldap: " + e.getMessage(), e);
        }
        pool.setConnectionPoolName("berth-ldap");
        pool.setMaxWaitTimeMillis(settings.responseTimeout().toMillis());
        pool.setRetryFailedOperationsDueToInvalidConnections(true); // after the directory restarted
        pool.setMaxConnectionAgeMillis(Duration.ofMinutes(15).toMillis());
        if (settings.urls().stream().anyMatch(u -> u.regionMatches(true, 0, "ldap:", 0, 5)) && !settings.startTls()) {
            LOG.warn("auth.ldap.url {} is plain LDAP without StartTLS: passwords cross the network in clear text;"
                    + " use ldaps:// or auth.ldap.startTls", LdapConnections.describe(settings));
        }
    }

    public LdapSettings settings() {
        return settings;
    }

    /** The entry of the user who signs in as {@code username}; empty when none (or several) match. */
    public Optional<DirectoryUser> find(String username) {
        if (username == null || username.isBlank()) {
            return Optional.empty();
        }
        Filter filter = Filter.createANDFilter(userFilter,
                Filter.createEqualityFilter(settings.uidAttribute(), username));
        List<String> attributes = Stream.of(settings.uidAttribute(), settings.emailAttribute(),
                settings.groupAttribute()).filter(Objects::nonNull).toList();
        List<SearchResultEntry> entries;
        try {
            entries = pool.search(new SearchRequest(settings.baseDn(), SearchScope.SUB, DereferencePolicy.NEVER, 2,
                    timeLimitSeconds, false, filter, attributes.toArray(String[]::new))).getSearchEntries();
        } catch (LDAPSearchException e) {
            if (e.getResultCode() != ResultCode.SIZE_LIMIT_EXCEEDED) {
                throw unavailable("search for the user", e);
            }
            entries = e.getSearchEntries();
        }
        if (entries.size() != 1) {
            if (entries.size() > 1) {
                LOG.warn("several directory entries match the sign-in name '{}' under {}: refused; make"
                        + " auth.ldap.userFilter or auth.ldap.uidAttribute tell them apart", username, settings.baseDn());
            }
            return Optional.empty();
        }
        SearchResultEntry entry = entries.getFirst();
        String[] uids = entry.getAttributeValues(settings.uidAttribute());
        String name = uids == null ? username : Stream.of(uids).filter(username::equalsIgnoreCase).findFirst()
                .orElse(uids[0]);
        String email = settings.emailAttribute() == null ? null : entry.getAttributeValue(settings.emailAttribute());
        String[] groups = settings.groupAttribute() == null ? null : entry.getAttributeValues(settings.groupAttribute());
        return Optional.of(new DirectoryUser(entry.getDN(), name, email, groups == null ? List.of() : List.of(groups)));
    }

    /**
     * The user whose directory password this is; empty for a wrong password, an unknown name or an
     * empty password (which a directory would take for an anonymous bind).
     */
    public Optional<DirectoryUser> authenticate(String username, String password) {
        if (password == null || password.isEmpty()) {
            return Optional.empty();
        }
        Optional<DirectoryUser> user = find(username);
        if (user.isEmpty()) {
            return user;
        }
        try (LDAPConnection connection = servers.getConnection()) {
            connection.bind(new SimpleBindRequest(user.get().dn(), password));
            return user;
        } catch (LDAPException e) {
            if (REFUSALS.contains(e.getResultCode())) {
                return Optional.empty();
            }
            throw unavailable("check the user's password", e);
        }
    }

    /**
     * The groups of a user: those their entry names ({@code memberOf}) and those a group search finds,
     * each by its DN (as written and normalized) and by its name.
     */
    public Set<String> groups(DirectoryUser user) {
        GroupNames names = new GroupNames(settings.groupNameAttribute());
        user.groupDns().forEach(names::addDn);
        if (settings.groupBaseDn() != null) {
            String filter = settings.groupFilter().replace("{dn}", Filter.encodeValue(user.dn()))
                    .replace("{uid}", Filter.encodeValue(user.username()));
            List<SearchResultEntry> entries;
            try {
                entries = pool.search(new SearchRequest(settings.groupBaseDn(), SearchScope.SUB,
                        DereferencePolicy.NEVER, MAX_GROUPS, timeLimitSeconds, false, Filter.create(filter),
                        settings.groupNameAttribute())).getSearchEntries();
            } catch (LDAPSearchException e) {
                if (e.getResultCode() != ResultCode.SIZE_LIMIT_EXCEEDED) {
                    throw unavailable("search for the user's groups", e);
                }
                entries = e.getSearchEntries();
            } catch (LDAPException e) {
                throw unavailable("search for the user's groups", e);
            }
            entries.forEach(names::addEntry);
        }
        return names.all();
    }

    /** Checks the settings against the directory: connection, service account, base DNs. */
    public LdapPing ping() {
        return LdapPing.run(settings, servers);
    }

    @Override
    public void close() {
        pool.close();
    }

    private RegistryException unavailable(String doing, LDAPException e) {
        LOG.warn("the directory {} failed to {}: {}", LdapConnections.describe(settings), doing, e.getMessage());
        return RegistryException.retryLater(ErrorCode.UNAVAILABLE, "the user directory (LDAP) cannot be used right"
                + " now (it is unreachable, too slow, or refuses Berth's service account), so directory passwords"
                + " cannot be checked: try again later; an administrator can still sign in as the local admin",
                Duration.ofSeconds(10));
    }
}
