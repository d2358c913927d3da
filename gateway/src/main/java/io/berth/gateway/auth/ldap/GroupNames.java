package io.berth.gateway.auth.ldap;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.SearchResultEntry;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The names a user's groups go by, for matching project members: each group's DN as the directory
 * wrote it, its normalized DN (so {@code CN=Devs, OU=Groups} and {@code cn=devs,ou=groups} are one),
 * and its name (the name attribute; for a DN from {@code memberOf}, the value of its first RDN when
 * that RDN is the name attribute, which saves a lookup per group).
 */
final class GroupNames {
    private final String nameAttribute;
    private final Set<String> names = new LinkedHashSet<>();

    GroupNames(String nameAttribute) {
        this.nameAttribute = nameAttribute;
    }

    void addDn(String dn) {
        names.add(dn);
        try {
            DN parsed = new DN(dn);
            names.add(parsed.toNormalizedString());
            RDN rdn = parsed.getRDN();
            if (rdn != null) {
                String[] attributes = rdn.getAttributeNames();
                for (int i = 0; i < attributes.length; i++) {
                    if (attributes[i].equalsIgnoreCase(nameAttribute)) {
                        names.add(rdn.getAttributeValues()[i]);
                    }
                }
            }
        } catch (LDAPException e) {
            // Not a DN after all (a directory's own notion of memberOf): it still matches as written.
        }
    }

    void addEntry(SearchResultEntry entry) {
        addDn(entry.getDN());
        String[] values = entry.getAttributeValues(nameAttribute);
        if (values != null) {
            names.addAll(Arrays.asList(values));
        }
    }

    Set<String> all() {
        return Set.copyOf(names);
    }
}
