package io.berth.store.upstream;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * Encrypts secrets kept at rest (upstream registry credentials) with AES-256-GCM: a random 96-bit
 * nonce per value, and the authentication tag, so that a value altered in the database or opened
 * with another key fails loudly instead of giving garbage. A sealed value is text,
 * {@code v1:<base64(nonce | ciphertext and tag)>}; the version leaves room for another scheme
 * later. The key is never logged ({@link #toString} hides it).
 */
public final class SecretBox {
    /** The length of a key, in bytes (AES-256). */
    public static final int KEY_BYTES = 32;
    private static final String VERSION = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte[] ASSOCIATED_DATA = VERSION.getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private SecretBox(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a credential key is " + KEY_BYTES + " bytes, not " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
    }

    /** A box with this key (32 bytes). */
    public static SecretBox of(byte[] key) {
        return new SecretBox(key);
    }

    /**
     * A box with the key written in base64 ({@code openssl rand -base64 32}); IllegalArgumentException
     * with what is wrong (never the key itself) when it is not the base64 of 32 bytes.
     */
    public static SecretBox ofBase64(String base64Key) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64Key.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the credential key is not base64: make one with openssl rand -base64 32");
        }
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("the credential key must be the base64 of " + KEY_BYTES + " random bytes,"
                    + " not of " + key.length + ": make one with openssl rand -base64 32");
        }
        return new SecretBox(key);
    }

    /** A new random key, in base64. */
    public static String generateKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /**
     * The box of the key in {@code file} (its base64), or of a new key written there (mode 0600)
     * when there is none. Of two processes creating it at once, both end up with the one that
     * reached the file first.
     */
    public static SecretBox loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            return read(file);
        }
        String key = generateKey();
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, ".credential-key", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temp, key + "\n", StandardCharsets.US_ASCII);
            Files.move(temp, file); // fails rather than replace a key another process wrote meanwhile
            return ofBase64(key);
        } catch (FileAlreadyExistsException e) {
            return read(file);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static SecretBox read(Path file) throws IOException {
        try {
            return ofBase64(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " does not hold a credential key (" + e.getMessage() + "); restore the"
                    + " original, or remove it to have a new key made (upstream credentials stored with the old"
                    + " one must then be set again)");
        }
    }

    /** {@code secret} encrypted under a fresh nonce, as {@code v1:<base64>}. */
    public String seal(String secret) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce);
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return VERSION + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /**
     * The secret a {@link #seal sealed} value holds; {@link UnreadableSecretException} when it is
     * not a sealed value, was altered, or was sealed with another key.
     */
    public String open(String sealed) {
        if (sealed == null || !sealed.startsWith(VERSION)) {
            throw new UnreadableSecretException("the stored secret is not in the v1 format this Berth reads");
        }
        byte[] in;
        try {
            in = Base64.getDecoder().decode(sealed.substring(VERSION.length()));
        } catch (IllegalArgumentException e) {
            throw new UnreadableSecretException("the stored secret is not valid base64: it was altered");
        }
        if (in.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new UnreadableSecretException("the stored secret is too short: it was altered");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(in, NONCE_BYTES));
            return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new UnreadableSecretException("the stored secret cannot be decrypted: it was encrypted with another"
                    + " credential key, or altered");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    private Cipher cipher(int mode, byte[] nonce) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(ASSOCIATED_DATA);
        return cipher;
    }

    @Override
    public String toString() {
        return "SecretBox[AES-256-GCM, key hidden]";
    }

    /** A sealed value that cannot be opened with this box's key; the message says why, never the secret. */
    public static final class UnreadableSecretException extends RuntimeException {
        public UnreadableSecretException(String message) {
            super(message, null, false, false);
        }
    }
}
