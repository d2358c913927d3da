package io.berth.gateway.auth.ldap;

import com.unboundid.ldap.sdk.DereferencePolicy;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.ServerSet;
import com.unboundid.ldap.sdk.SimpleBindRequest;

import java.util.ArrayList;
import java.util.List;

/**
 * What a check of the directory settings found, step by step, for {@code POST /api/v1/ldap/ping}:
 * connecting (with TLS when asked), binding as the service account, the users' base DN and what
 * the user filter finds there, and the groups' base DN. It stops at the first step that fails, so
 * the last check says what to fix. No detail ever holds the bind password.
 *
 * @param ok      whether every step passed
 * @param servers the directory's URLs as configured
 * @param millis  how long the whole check took
 * @param checks  the steps taken, in order
 */
public record LdapPing(boolean ok, String servers, long millis, List<Check> checks) {
    public LdapPing {
        checks = List.copyOf(checks);
    }

    /** Checks {@code settings} on a connection of its own (not a pooled one). */
    public static LdapPing run(LdapSettings settings) {
        return run(settings, LdapConnections.servers(settings));
    }

    static LdapPing run(LdapSettings settings, ServerSet servers) {
        long start = System.nanoTime();
        List<Check> checks = new ArrayList<>();
        try (LDAPConnection connection = servers.getConnection()) {
            checks.add(new Check("connect", true, "connected to " + connection.getConnectedAddress() + ":"
                    + connection.getConnectedPort() + (connection.getSSLSession() == null ? " without TLS"
                    : " over " + connection.getSSLSession().getProtocol())));
            if (bind(settings, connection, checks) && exists(connection, checks, "baseDn", settings.baseDn())
                    && users(settings, connection, checks) && settings.groupBaseDn() != null) {
                exists(connection, checks, "groupBaseDn", settings.groupBaseDn());
            }
        } catch (LDAPException e) {
            checks.add(failed("connect", e, "check auth.ldap.url, the network and, for TLS, auth.ldap.caFile"));
        }
        boolean ok = checks.stream().allMatch(Check::ok);
        return new LdapPing(ok, LdapConnections.describe(settings), (System.nanoTime() - start) / 1_000_000, checks);
    }

    private static boolean bind(LdapSettings settings, LDAPConnection connection, List<Check> checks) {
        if (settings.bindDn() == null) {
            checks.add(new Check("bind", true, "no service account: users are searched for anonymously"));
            return true;
        }
        try {
            connection.bind(new SimpleBindRequest(settings.bindDn(), settings.bindPassword()));
            checks.add(new Check("bind", true, "bound as " + settings.bindDn()));
            return true;
        } catch (LDAPException e) {
            checks.add(failed("bind", e, "check auth.ldap.bindDn and auth.ldap.bindPassword"));
            return false;
        }
    }

    private static boolean exists(LDAPConnection connection, List<Check> checks, String name, String dn) {
        try {
            boolean found = connection.getEntry(dn, "1.1") != null;
            checks.add(new Check(name, found, found ? dn + " exists" : "there is no entry " + dn
                    + " (or the service account may not read it): check auth.ldap." + name));
            return found;
        } catch (LDAPException e) {
            checks.add(failed(name, e, "check auth.ldap." + name));
            return false;
        }
    }

    private static boolean users(LdapSettings settings, LDAPConnection connection, List<Check> checks) {
        try {
            int found = connection.search(new SearchRequest(settings.baseDn(), SearchScope.SUB,
                    DereferencePolicy.NEVER, 1, 5, false, Filter.create(settings.userFilter()),
                    settings.uidAttribute())).getEntryCount();
            checks.add(found > 0 ? new Check("users", true, settings.userFilter() + " finds users under "
                    + settings.baseDn()) : new Check("users", false, "no entry under " + settings.baseDn()
                    + " matches " + settings.userFilter() + ", so nobody could sign in: check auth.ldap.userFilter"));
            return found > 0;
        } catch (LDAPException e) {
            boolean some = e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED;
            checks.add(some ? new Check("users", true, settings.userFilter() + " finds users under "
                    + settings.baseDn()) : failed("users", e, "check auth.ldap.userFilter"));
            return some;
        }
    }

    private static Check failed(String name, LDAPException e, String advice) {
        return new Check(name, false, e.getResultCode().getName() + ": " + e.getMessage() + "; " + advice);
    }

    /**
     * One step of the check.
     *
     * @param name   {@code connect}, {@code bind}, {@code baseDn}, {@code users} or {@code groupBaseDn}
     * @param ok     whether it passed
     * @param detail what was found, or why it failed
     */
    public record Check(String name, boolean ok, String detail) {
    }
}
