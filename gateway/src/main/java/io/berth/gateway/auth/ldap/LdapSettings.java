package io.berth.gateway.auth.ldap;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How Berth reaches the directory (LDAP or Active Directory) that users sign in with. Checked
 * when made: a mistake is an IllegalArgumentException naming the setting, so that the server
 * refuses to start with it rather than failing every sign-in. {@link #toString()} never shows the
 * bind password.
 *
 * @param urls               {@code ldap://} or {@code ldaps://} URLs; more than one are tried in order (failover)
 * @param startTls           upgrade {@code ldap://} connections with StartTLS before anything is sent
 * @param caFile             PEM file of the CA (or certificates) to trust; null for the JVM's trusted CAs
 * @param verifyHostname     whether the server's certificate must name the host connected to
 * @param bindDn             the service account that searches for users; null to search anonymously
 * @param bindPassword       the service account's password (null when {@code bindDn} is)
 * @param baseDn             where users are searched for (the whole subtree)
 * @param userFilter         what a user entry is, e.g. {@code (objectClass=person)}
 * @param uidAttribute       the attribute users sign in with: {@code uid}, or {@code sAMAccountName} in AD
 * @param emailAttribute     the attribute their e-mail address is in; null for none
 * @param groupAttribute     the attribute of a user entry naming their groups by DN ({@code memberOf}); null to not read it
 * @param groupBaseDn        where to search for groups that list the user; null for no group search
 * @param groupFilter        the group search's filter, in which {@code {dn}} and {@code {uid}} stand for the user's
 * @param groupNameAttribute the attribute that is a group's name ({@code cn}), matched against project members as well as its DN
 * @param connectTimeout     how long to wait for a connection
 * @param responseTimeout    how long to wait for any answer of the directory
 * @param groupCacheTtl      how long a user's groups are kept before the directory is asked again
 * @param maxConnections     connections the service account may hold open
 */
public record LdapSettings(List<String> urls, boolean startTls, Path caFile, boolean verifyHostname, String bindDn,
                           String bindPassword, String baseDn, String userFilter, String uidAttribute,
                           String emailAttribute, String groupAttribute, String groupBaseDn, String groupFilter,
                           String groupNameAttribute, Duration connectTimeout, Duration responseTimeout,
                           Duration groupCacheTtl, int maxConnections) {
    /** What a user entry is by default: people, in OpenLDAP's and AD's schemas alike. */
    public static final String DEFAULT_USER_FILTER = "(objectClass=person)";
    /** Groups that list the user as a member (groupOfNames, AD groups). */
    public static final String DEFAULT_GROUP_FILTER = "(member={dn})";

    public LdapSettings {
        urls = List.copyOf(urls);
        bindDn = blankToNull(bindDn);
        bindPassword = bindDn == null ? null : bindPassword;
        emailAttribute = blankToNull(emailAttribute);
        groupAttribute = blankToNull(groupAttribute);
        groupBaseDn = blankToNull(groupBaseDn);
        check(!urls.isEmpty(), "auth.ldap.url", "give the directory's URL, e.g. ldaps://ldap.example.org");
        for (String url : urls) {
            LDAPURL parsed = parse("auth.ldap.url", () -> new LDAPURL(url));
            check(!parsed.getScheme().equals("ldapi"), "auth.ldap.url", "'" + url + "' is not ldap:// or ldaps://");
            check(!(startTls && parsed.getScheme().equals("ldaps")), "auth.ldap.startTls",
                    "StartTLS is for ldap:// URLs; '" + url + "' is TLS from the start already");
        }
        check(caFile == null || Files.isReadable(caFile), "auth.ldap.caFile", "cannot read " + caFile);
        check(bindDn == null || bindPassword != null && !bindPassword.isEmpty(), "auth.ldap.bindPassword",
                "the service account " + bindDn + " needs its password");
        check(bindDn == null || DN.isValidDN(bindDn), "auth.ldap.bindDn", "'" + bindDn + "' is not a DN");
        check(baseDn != null && !baseDn.isBlank() && DN.isValidDN(baseDn), "auth.ldap.baseDn",
                "give where users are, e.g. ou=people,dc=example,dc=org");
        check(groupBaseDn == null || DN.isValidDN(groupBaseDn), "auth.ldap.groupBaseDn", "'" + groupBaseDn
                + "' is not a DN");
        check(notBlank(userFilter), "auth.ldap.userFilter", "say what a user entry is, e.g. " + DEFAULT_USER_FILTER);
        parse("auth.ldap.userFilter", () -> Filter.create(userFilter));
        check(groupBaseDn == null || notBlank(groupFilter), "auth.ldap.groupFilter", "say which groups list the user,"
                + " e.g. " + DEFAULT_GROUP_FILTER);
        if (groupBaseDn != null) {
            parse("auth.ldap.groupFilter", () -> Filter.create(groupFilter.replace("{dn}", "x").replace("{uid}", "x")));
        }
        check(notBlank(uidAttribute), "auth.ldap.uidAttribute", "name the attribute users sign in with (uid)");
        check(notBlank(groupNameAttribute), "auth.ldap.groupNameAttribute", "name the attribute of group names (cn)");
        check(positive(connectTimeout) && positive(responseTimeout), "auth.ldap.connectTimeout/responseTimeout",
                "timeouts must be positive");
        check(groupCacheTtl != null && !groupCacheTtl.isNegative(), "auth.ldap.groupCacheTtl", "must not be negative");
        check(maxConnections > 0, "auth.ldap.maxConnections", "must be at least 1");
    }

    /** Settings for a directory at {@code url} with users under {@code baseDn}, and the defaults for everything else. */
    public static LdapSettings of(String url, String baseDn, String bindDn, String bindPassword) {
        return new LdapSettings(List.of(url), false, null, true, bindDn, bindPassword, baseDn, DEFAULT_USER_FILTER,
                "uid", "mail", "memberOf", null, DEFAULT_GROUP_FILTER, "cn", Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofMinutes(5), 8);
    }

    /** These settings with a group search under {@code groupBase} using {@code filter}. */
    public LdapSettings withGroupSearch(String groupBase, String filter) {
        return new LdapSettings(urls, startTls, caFile, verifyHostname, bindDn, bindPassword, baseDn, userFilter,
                uidAttribute, emailAttribute, groupAttribute, groupBase, filter, groupNameAttribute, connectTimeout,
                responseTimeout, groupCacheTtl, maxConnections);
    }

    /** These settings with other TLS settings. */
    public LdapSettings withTls(boolean startTls, Path caFile, boolean verifyHostname) {
        return new LdapSettings(urls, startTls, caFile, verifyHostname, bindDn, bindPassword, baseDn, userFilter,
                uidAttribute, emailAttribute, groupAttribute, groupBaseDn, groupFilter, groupNameAttribute,
                connectTimeout, responseTimeout, groupCacheTtl, maxConnections);
    }

    @Override
    public String toString() {
        return "LdapSettings[urls=" + urls + ", startTls=" + startTls + ", caFile=" + caFile + ", verifyHostname="
                + verifyHostname + ", bindDn=" + bindDn + ", bindPassword=" + (bindPassword == null ? "none" : "***")
                + ", baseDn=" + baseDn + ", userFilter=" + userFilter + ", uidAttribute=" + uidAttribute
                + ", groupAttribute=" + groupAttribute + ", groupBaseDn=" + groupBaseDn + ", groupFilter=" + groupFilter
                + "]";
    }

    private static void check(boolean ok, String setting, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(setting + ": " + problem);
        }
    }

    private static <T> T parse(String setting, Parser<T> parser) {
        try {
            return parser.parse();
        } catch (LDAPException e) {
            throw new IllegalArgumentException(setting + ": " + e.getMessage(), e);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }

    private static boolean positive(Duration d) {
        return d != null && d.isPositive();
    }

    private interface Parser<T> {
        T parse() throws LDAPException;
    }
}
