package io.berth.gateway.auth;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * Where users' passwords are checked: in Berth's database (the default), or by an LDAP / Active
 * Directory server. The local {@code admin} and robot accounts sign in with the database in both.
 */
public enum AuthMode {
    DATABASE, LDAP;

    /** The mode's name in configuration and the admin API: {@code database} or {@code ldap}. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode named {@code value}; IllegalArgumentException names the two accepted. */
    @JsonCreator
    public static AuthMode parse(String value) {
        for (AuthMode mode : values()) {
            if (mode.name().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return mode;
            }
        }
        throw new IllegalArgumentException("the authentication mode must be 'database' or 'ldap', not '" + value + "'");
    }
}
