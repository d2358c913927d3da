package io.berth.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.berth.gateway.auth.ldap.LdapSettings;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code auth.ldap:} section: the LDAP or Active Directory server users sign in with when
 * {@code auth.mode} is {@code ldap}. Read only in that mode; {@link LdapSettings} checks it in
 * depth at start-up. The bind password is never written out (it is write-only for Jackson).
 */
public class LdapAuthSettings {
    /** {@code ldap://} or {@code ldaps://} URL(s); several, separated by spaces or commas, are tried in order. */
    @JsonProperty
    public String url = "";

    /** Upgrade {@code ldap://} connections with StartTLS before anything is sent. */
    @JsonProperty
    public boolean startTls = false;

    /** PEM file of the CA(s) to trust for LDAPS / StartTLS; empty for the JVM's trusted CAs. */
    @JsonProperty
    public String caFile = "";

    /** Whether the directory's certificate must name the host connected to. */
    @JsonProperty
    public boolean verifyHostname = true;

    /** The service account that searches for users; empty to search anonymously. */
    @JsonProperty
    public String bindDn = "";

    /** The service account's password. */
    @JsonProperty(access = JsonProperty.Access.WRITE_ONLY)
    public String bindPassword = "";

    /** Where users are (searched in the whole subtree). */
    @JsonProperty
    public String baseDn = "";

    /** What a user entry is. */
    @JsonProperty
    public String userFilter = LdapSettings.DEFAULT_USER_FILTER;

    /** The attribute users sign in with: {@code uid}, or {@code sAMAccountName} for Active Directory. */
    @JsonProperty
    public String uidAttribute = "uid";

    /** The attribute of the e-mail address; empty for none. */
    @JsonProperty
    public String emailAttribute = "mail";

    /** The user entry's attribute naming their groups by DN; empty not to read it. */
    @JsonProperty
    public String groupAttribute = "memberOf";

    /** Where to search for groups that list the user; empty for no group search. */
    @JsonProperty
    public String groupBaseDn = "";

    /** The group search's filter, {@code {dn}} and {@code {uid}} standing for the user's; empty for {@code (member={dn})}. */
    @JsonProperty
    public String groupFilter = "";

    /** The attribute that is a group's name, which project members may name instead of its DN. */
    @JsonProperty
    public String groupNameAttribute = "cn";

    @NotNull
    @JsonProperty
    public Duration connectTimeout = Duration.seconds(5);

    @NotNull
    @JsonProperty
    public Duration responseTimeout = Duration.seconds(5);

    /** How long a user's groups are kept before the directory is asked again. */
    @NotNull
    @JsonProperty
    public Duration groupCacheTtl = Duration.minutes(5);

    /** Connections the service account may hold open. */
    @Min(1)
    @Max(64)
    @JsonProperty
    public int maxConnections = 8;

    /** The gateway's settings; IllegalArgumentException naming the setting that is wrong. */
    public LdapSettings toSettings() {
        return new LdapSettings(urls(), startTls, isBlank(caFile) ? null : Path.of(caFile.trim()), verifyHostname,
                bindDn, bindPassword, baseDn, userFilter, uidAttribute, emailAttribute, groupAttribute, groupBaseDn,
                isBlank(groupFilter) ? LdapSettings.DEFAULT_GROUP_FILTER : groupFilter, groupNameAttribute,
                java.time.Duration.ofMillis(connectTimeout.toMilliseconds()),
                java.time.Duration.ofMillis(responseTimeout.toMilliseconds()),
                java.time.Duration.ofMillis(groupCacheTtl.toMilliseconds()), maxConnections);
    }

    /** The URLs of {@link #url}, in order. */
    public List<String> urls() {
        return Arrays.stream(url == null ? new String[0] : url.trim().split("[\\s,]+")).filter(u -> !u.isEmpty())
                .toList();
    }

    static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
