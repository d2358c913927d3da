package io.berth.store.upstream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AES-256-GCM sealing of stored secrets: what comes back, and what fails loudly instead of giving garbage. */
class SecretBoxTest {
    private static final String SECRET = "{\"username\":\"u\",\"password\":\"pässwörd with spaces\"}";

    @Test
    void aSealedSecret_opensToTheSame_andDoesNotShowIt() {
        SecretBox box = SecretBox.ofBase64(SecretBox.generateKey());

        String sealed = box.seal(SECRET);

        assertTrue(sealed.startsWith("v1:"), sealed);
        assertFalse(sealed.contains("password") || sealed.contains("pässwörd"), sealed);
        assertEquals(SECRET, box.open(sealed));
        assertEquals("", box.open(box.seal("")));
    }

    @Test
    void eachSealing_usesAFreshNonce() {
        SecretBox box = SecretBox.ofBase64(SecretBox.generateKey());

        String first = box.seal(SECRET);
        String second = box.seal(SECRET);

        assertNotEquals(first, second);
        byte[] a = Base64.getDecoder().decode(first.substring(3));
        byte[] b = Base64.getDecoder().decode(second.substring(3));
        assertFalse(Arrays.equals(Arrays.copyOf(a, 12), Arrays.copyOf(b, 12)), "the 96-bit nonces differ");
    }

    @Test
    void aTamperedByte_anywhere_isRefused() {
        SecretBox box = SecretBox.ofBase64(SecretBox.generateKey());
        byte[] sealed = Base64.getDecoder().decode(box.seal(SECRET).substring(3));

        for (int i = 0; i < sealed.length; i++) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= 0x01;
            String value = "v1:" + Base64.getEncoder().encodeToString(tampered);
            SecretBox.UnreadableSecretException e = assertThrows(SecretBox.UnreadableSecretException.class,
                    () -> box.open(value), "byte " + i);
            assertTrue(e.getMessage().contains("another credential key, or altered"), e.getMessage());
        }
    }

    @Test
    void anotherKey_cannotOpenIt() {
        String sealed = SecretBox.ofBase64(SecretBox.generateKey()).seal(SECRET);
        SecretBox other = SecretBox.ofBase64(SecretBox.generateKey());

        SecretBox.UnreadableSecretException e = assertThrows(SecretBox.UnreadableSecretException.class,
                () -> other.open(sealed));

        assertTrue(e.getMessage().contains("encrypted with another credential key"), e.getMessage());
        assertFalse(e.getMessage().contains("pässwörd"), e.getMessage());
    }

    @Test
    void valuesThatAreNotSealed_areRefusedWithWhy() {
        SecretBox box = SecretBox.ofBase64(SecretBox.generateKey());

        assertTrue(assertThrows(SecretBox.UnreadableSecretException.class, () -> box.open("plain text")).getMessage()
                .contains("not in the v1 format"));
        assertTrue(assertThrows(SecretBox.UnreadableSecretException.class, () -> box.open("v1:not*base64"))
                .getMessage().contains("not valid base64"));
        assertTrue(assertThrows(SecretBox.UnreadableSecretException.class, () -> box.open("v1:AAAA")).getMessage()
                .contains("too short"));
    }

    @Test
    void aKeyThatIsNot32Bytes_isRefused_withoutRepeatingIt() {
        String short16 = Base64.getEncoder().encodeToString(new byte[16]);

        IllegalArgumentException wrongLength = assertThrows(IllegalArgumentException.class,
                () -> SecretBox.ofBase64(short16));
        IllegalArgumentException notBase64 = assertThrows(IllegalArgumentException.class,
                () -> SecretBox.ofBase64("not a key!"));

        assertTrue(wrongLength.getMessage().contains("of 16"), wrongLength.getMessage());
        assertFalse(wrongLength.getMessage().contains(short16), wrongLength.getMessage());
        assertTrue(notBase64.getMessage().contains("openssl rand -base64 32"), notBase64.getMessage());
    }

    @Test
    void theKeyFile_isMadeOnce_ownerOnly_andReadAgain(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("data/credential-key");

        SecretBox made = SecretBox.loadOrCreate(file);
        String sealed = made.seal(SECRET);
        String key = Files.readString(file);
        SecretBox again = SecretBox.loadOrCreate(file);

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(SecretBox.KEY_BYTES, Base64.getDecoder().decode(key.strip()).length);
        assertEquals(key, Files.readString(file));
        assertEquals(SECRET, again.open(sealed));
        assertEquals(1, Files.list(file.getParent()).count(), "no temporary file left");
    }

    @Test
    void aDamagedKeyFile_failsTheStart_sayingWhatToDo(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("credential-key");
        Files.writeString(file, "garbage", StandardCharsets.US_ASCII);

        IOException e = assertThrows(IOException.class, () -> SecretBox.loadOrCreate(file));

        assertTrue(e.getMessage().contains("does not hold a credential key") && e.getMessage().contains("restore"),
                e.getMessage());
    }

    @Test
    void toString_hidesTheKey() {
        String key = SecretBox.generateKey();
        assertFalse(SecretBox.ofBase64(key).toString().contains(key));
    }
}
