package io.berth.store.oci;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DigestTest {
    private static final String SHA256_HEX = "a".repeat(64);
    private static final String SHA512_HEX = "0123456789abcdef".repeat(8);

    @Test
    void parse_sha256_keepsAlgorithmAndHex() {
        Digest digest = Digest.parse("sha256:" + SHA256_HEX);

        assertEquals(Digest.Algorithm.SHA256, digest.algorithm());
        assertEquals(SHA256_HEX, digest.hex());
        assertEquals("sha256:" + SHA256_HEX, digest.toString());
    }

    @Test
    void parse_sha512_keepsAlgorithmAndHex() {
        Digest digest = Digest.parse("sha512:" + SHA512_HEX);

        assertEquals(Digest.Algorithm.SHA512, digest.algorithm());
        assertEquals(SHA512_HEX, digest.hex());
    }

    @Test
    void sha256_ofKnownContent_matchesPublishedDigest() {
        // The OCI empty descriptor's well-known digest.
        Digest digest = Digest.sha256("{}".getBytes(StandardCharsets.UTF_8));

        assertEquals("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", digest.toString());
    }

    @Test
    void equals_comparesAlgorithmAndHex() {
        Digest a = Digest.parse("sha256:" + SHA256_HEX);
        Digest b = Digest.parse("sha256:" + SHA256_HEX);

        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, Digest.parse("sha512:" + "a".repeat(128)));
    }

    static Stream<String> invalidDigests() {
        return Stream.of(
                "sha256:" + "A".repeat(64), // uppercase hex
                "SHA256:" + "a".repeat(64), // uppercase algorithm
                "sha256:" + "a".repeat(63), // too short
                "sha256:" + "a".repeat(65), // too long
                "sha256:" + "a".repeat(128), // sha512 length under sha256
                "sha512:" + "a".repeat(64), // sha256 length under sha512
                "md5:d41d8cd98f00b204e9800998ecf8427e", // unknown algorithm
                "sha384:" + "a".repeat(96), // not registered with the spec
                "sha256:../..", // traversal
                "sha256:../../../etc/passwd",
                "sha256:" + "g".repeat(64), // not hex
                "sha256" + "a".repeat(64), // no colon
                ":" + "a".repeat(64), // no algorithm
                "sha256:"); // no hex
    }

    @ParameterizedTest
    @NullAndEmptySource
    @MethodSource("invalidDigests")
    void parse_invalidDigest_failsWithDigestInvalid(String text) {
        RegistryException e = assertThrows(RegistryException.class, () -> Digest.parse(text));

        assertEquals(ErrorCode.DIGEST_INVALID, e.code());
        assertTrue(Digest.tryParse(text).isEmpty());
    }

    @Test
    void parse_hugeInvalidInput_abbreviatesItInTheMessage() {
        String text = "sha256:" + "z".repeat(10_000);

        RegistryException e = assertThrows(RegistryException.class, () -> Digest.parse(text));

        assertTrue(e.getMessage().length() < 1_000, "message should not echo 10 KB of input");
    }
}
