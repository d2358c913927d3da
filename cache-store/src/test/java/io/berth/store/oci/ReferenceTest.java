package io.berth.store.oci;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReferenceTest {
    private static final String DIGEST = "sha256:" + "b".repeat(64);

    @ParameterizedTest
    @ValueSource(strings = {"latest", "v1.2.3", "1.0", "_private", "A", "RELEASE-2024_01", "0"})
    void parse_validTag_isATag(String text) {
        Reference reference = Reference.parse(text);

        assertFalse(reference.isDigest());
        assertEquals(text, reference.tag().orElseThrow());
        assertTrue(reference.digest().isEmpty());
        assertTrue(Reference.isValidTag(text));
    }

    @Test
    void parse_tagOf128Characters_isAccepted() {
        String tag = "t" + "x".repeat(127);

        assertEquals(tag, Reference.parse(tag).tag().orElseThrow());
    }

    @Test
    void parse_tagOf129Characters_failsWithTagInvalid() {
        String tag = "t" + "x".repeat(128);

        RegistryException e = assertThrows(RegistryException.class, () -> Reference.parse(tag));

        assertEquals(ErrorCode.TAG_INVALID, e.code());
        assertFalse(Reference.isValidTag(tag));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {".hidden", "-dash", "a/b", "a b", "tag!", "../x", "ümlaut"})
    void ofTag_invalidTag_failsWithTagInvalid(String text) {
        RegistryException e = assertThrows(RegistryException.class, () -> Reference.ofTag(text));

        assertEquals(ErrorCode.TAG_INVALID, e.code());
    }

    @Test
    void parse_digest_isADigestReference() {
        Reference reference = Reference.parse(DIGEST);

        assertTrue(reference.isDigest());
        assertEquals(Digest.parse(DIGEST), reference.digest().orElseThrow());
        assertTrue(reference.tag().isEmpty());
        assertEquals(DIGEST, reference.toString());
        assertEquals(Reference.of(Digest.parse(DIGEST)), reference);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha256:abc", "sha256:../..", "latest:1", "md5:" + "a"})
    void parse_textWithColonThatIsNoDigest_failsWithDigestInvalid(String text) {
        RegistryException e = assertThrows(RegistryException.class, () -> Reference.parse(text));

        assertEquals(ErrorCode.DIGEST_INVALID, e.code());
    }
}
