package io.berth.gateway.auth.robots;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Robot secrets: 32 random bytes (256 bits), shown once and kept only as a SHA-256 hash. A secret
 * that long cannot be guessed, so a fast hash is safe here (unlike passwords, which get bcrypt),
 * and robots, which sign in on every CI job and every kubelet pull, are not slowed down.
 */
final class RobotSecrets {
    private static final SecureRandom RANDOM = new SecureRandom();

    private RobotSecrets() {
    }

    static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String secret) {
        return "sha256:" + HexFormat.of().formatHex(sha256(secret));
    }

    /** Compares in constant time; a null hash (no such robot) never matches. */
    static boolean matches(String secret, String hash) {
        byte[] actual = sha256(secret == null ? "" : secret);
        byte[] expected = hash == null || !hash.startsWith("sha256:") ? new byte[32]
                : HexFormat.of().parseHex(hash.substring("sha256:".length()));
        return MessageDigest.isEqual(actual, expected) && hash != null && secret != null;
    }

    private static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
