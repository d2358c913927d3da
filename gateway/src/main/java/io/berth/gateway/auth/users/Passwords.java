package io.berth.gateway.auth.users;

import at.favre.lib.crypto.bcrypt.BCrypt;

import java.nio.charset.StandardCharsets;

/**
 * bcrypt hashes of passwords and robot secrets. Verifying compares in constant time (the library
 * does), and a name that has no hash still costs one verification, so that a failed sign-in takes
 * as long whether or not the account exists.
 */
public final class Passwords {
    /** The production cost: about a quarter of a second per hash on a 2-core machine. */
    public static final int DEFAULT_COST = 12;

    private final int cost;
    private final String nothing;

    /** @param cost bcrypt's log2 cost factor, 4 to 31 (tests use 4; production {@link #DEFAULT_COST}) */
    public Passwords(int cost) {
        this.cost = cost;
        this.nothing = hash("no account has this password: it is only there to be compared with");
    }

    public String hash(String password) {
        return BCrypt.withDefaults().hashToString(cost, password.toCharArray());
    }

    /** Whether {@code password} matches {@code hash}; a null hash (no such account, no password) never does. */
    public boolean matches(String password, String hash) {
        if (password == null) {
            return false;
        }
        byte[] candidate = password.getBytes(StandardCharsets.UTF_8);
        if (hash == null) {
            BCrypt.verifyer().verify(candidate, nothing.getBytes(StandardCharsets.US_ASCII)); // same time either way
            return false;
        }
        return BCrypt.verifyer().verify(candidate, hash.getBytes(StandardCharsets.US_ASCII)).verified;
    }
}
