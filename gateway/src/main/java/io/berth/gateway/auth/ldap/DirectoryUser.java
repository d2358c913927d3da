package io.berth.gateway.auth.ldap;

import java.util.List;

/**
 * A user's entry in the directory, as far as signing in goes.
 *
 * @param dn       the entry's DN, which the user binds as
 * @param username the sign-in name as the directory spells it (the uid attribute's value)
 * @param email    the e-mail address, or null when the entry has none
 * @param groupDns the groups the entry names itself a member of ({@code memberOf}); empty when not read
 */
public record DirectoryUser(String dn, String username, String email, List<String> groupDns) {
    public DirectoryUser {
        groupDns = List.copyOf(groupDns);
    }
}
