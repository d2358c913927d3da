package io.berth.admin;

import io.berth.gateway.auth.users.PasswordPolicy;
import io.berth.gateway.auth.users.Users;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/**
 * The built-in {@code admin} of a new installation. Its password is {@code BERTH_ADMIN_PASSWORD}
 * when that is set (and meets the password policy), otherwise generated here, written to a file
 * only its owner may read and shown once in the start-up banner. No password is built into Berth.
 * An installation that has its admin already is left alone: the variable only seeds the first start.
 */
final class InitialAdmin {
    static final String ENV = "BERTH_ADMIN_PASSWORD";
    static final String FILE = "initial-admin-password";
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What the first start did about the admin, for the banner. */
    sealed interface Outcome {
        /** The admin was there already. */
        record Existing() implements Outcome {
        }

        /** Created with the password from the environment. */
        record FromEnvironment() implements Outcome {
        }

        /** Created with a generated password, also written to {@code file}. */
        record Generated(String password, Path file) implements Outcome {
        }
    }

    private InitialAdmin() {
    }

    /**
     * Creates the admin when there is none.
     *
     * @param fromEnvironment the value of {@value #ENV}, or null
     * @param dataDir         where the generated password's file goes
     */
    static Outcome ensure(Users users, String fromEnvironment, Path dataDir) throws IOException {
        if (users.find(Users.ADMIN).isPresent()) {
            return new Outcome.Existing();
        }
        boolean given = fromEnvironment != null && !fromEnvironment.isEmpty();
        String password = given ? fromEnvironment : generate();
        if (given) {
            try {
                PasswordPolicy.check(password);
            } catch (RegistryException e) {
                throw new IllegalStateException(ENV + " is not accepted: " + e.getMessage());
            }
        }
        try {
            users.create(Users.ADMIN, password, null, true);
        } catch (RegistryException e) {
            if (e.code() == ErrorCode.CONFLICT) { // another instance on the same database was first
                return new Outcome.Existing();
            }
            throw e;
        }
        if (given) {
            return new Outcome.FromEnvironment();
        }
        Path file = dataDir.resolve(FILE);
        write(file, password + "\n");
        return new Outcome.Generated(password, file);
    }

    /** A random password of 20 characters that meets the policy (about 116 bits). */
    static String generate() {
        while (true) {
            StringBuilder b = new StringBuilder(20);
            for (int i = 0; i < 20; i++) {
                b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
            }
            try {
                PasswordPolicy.check(b.toString());
                return b.toString();
            } catch (RegistryException e) {
                // missing a character class: draw again
            }
        }
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) { // not a POSIX file system
            Files.createFile(file);
        }
        Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
