package io.berth.gateway.auth.users;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;

/**
 * What a password must be, as in Harbor: 8 to 72 characters (bcrypt reads no further than 72
 * bytes), with at least one upper-case letter, one lower-case letter and one digit.
 */
public final class PasswordPolicy {
    public static final int MIN_LENGTH = 8;
    public static final int MAX_BYTES = 72;

    private PasswordPolicy() {
    }

    /** Refuses a password that does not meet the policy, saying what is missing; never echoes it. */
    public static void check(String password) {
        if (password == null || password.length() < MIN_LENGTH) {
            throw weak("at least " + MIN_LENGTH + " characters");
        }
        if (password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw weak("at most " + MAX_BYTES + " bytes");
        }
        if (password.chars().noneMatch(Character::isUpperCase) || password.chars().noneMatch(Character::isLowerCase)
                || password.chars().noneMatch(Character::isDigit)) {
            throw weak("an upper-case letter, a lower-case letter and a digit");
        }
    }

    private static RegistryException weak(String needs) {
        return new RegistryException(ErrorCode.INVALID_INPUT, "the password is too weak: it needs " + needs
                + " (8 to 72 characters with an upper-case letter, a lower-case letter and a digit)");
    }
}
