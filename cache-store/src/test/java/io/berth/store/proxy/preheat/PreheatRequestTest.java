package io.berth.store.proxy.preheat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How preheat requests read their references and platforms, and refuse bad ones by name. */
class PreheatRequestTest {
    private static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

    @Test
    void references_readAsDockerWritesThem_withoutRegistryOrProject() {
        PreheatReference tagged = PreheatReference.parse("library/nginx:1.27");
        PreheatReference bare = PreheatReference.parse("busybox");
        PreheatReference pinned = PreheatReference.parse("library/alpine@" + DIGEST);
        PreheatReference both = PreheatReference.parse("library/alpine:3.20@" + DIGEST);

        assertEquals("library/nginx", tagged.repository());
        assertEquals("1.27", tagged.reference().toString());
        assertEquals("busybox", bare.repository());
        assertEquals("latest", bare.reference().toString());
        assertEquals(DIGEST, pinned.reference().toString());
        assertEquals("library/alpine", both.repository());
        assertEquals(DIGEST, both.reference().toString(), "the digest wins, as with docker");
        assertEquals("hub/library/nginx", tagged.in("hub").value());
        assertEquals("library/nginx:1.27", tagged.text());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "Library/nginx", "library/nginx:", "library/nginx:-x", "localhost:5000/app",
            "library/alpine@sha256:abc", "library//nginx", "/nginx", "library/nginx@"})
    void aBadReference_isRefused_namingIt(String reference) {
        RegistryException e = assertThrows(RegistryException.class,
                () -> PreheatRequest.of(List.of("library/ok:1", reference), null));

        assertEquals(ErrorCode.INVALID_INPUT, e.code());
        assertTrue(e.getMessage().contains("'" + reference + "'"), e.getMessage());
    }

    @Test
    void aRequest_needsReferences_withinTheLimit() {
        assertEquals(ErrorCode.INVALID_INPUT, assertThrows(RegistryException.class,
                () -> PreheatRequest.of(List.of(), null)).code());
        assertEquals(ErrorCode.INVALID_INPUT, assertThrows(RegistryException.class,
                () -> PreheatRequest.of(null, null)).code());
        assertEquals(ErrorCode.INVALID_INPUT, assertThrows(RegistryException.class, () -> PreheatRequest.of(
                Collections.nCopies(PreheatRequest.MAX_REFERENCES + 1, "library/app"), null)).code());
        assertEquals(2, PreheatRequest.of(List.of("a", "b"), List.of()).references().size());
    }

    @Test
    void platforms_matchOsAndArchitecture_andTheVariantOnlyWhenGiven() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode armV7 = json.readTree("{\"os\":\"linux\",\"architecture\":\"arm\",\"variant\":\"v7\"}");

        assertTrue(Platform.parse("linux/arm").matches(armV7));
        assertTrue(Platform.parse("linux/arm/v7").matches(armV7));
        assertFalse(Platform.parse("linux/arm/v6").matches(armV7));
        assertFalse(Platform.parse("linux/amd64").matches(armV7));
        assertFalse(Platform.parse("linux/amd64").matches(null));
        assertEquals("linux/arm/v7", Platform.describe(armV7));
    }

    @ParameterizedTest
    @ValueSource(strings = {"linux", "linux/", "Linux/amd64", "linux/amd64/v1/x", "linux amd64"})
    void aBadPlatform_isRefused_namingIt(String platform) {
        RegistryException e = assertThrows(RegistryException.class,
                () -> PreheatRequest.of(List.of("library/app"), List.of(platform)));

        assertEquals(ErrorCode.INVALID_INPUT, e.code());
        assertTrue(e.getMessage().contains("'" + platform + "'"), e.getMessage());
    }
}
