package io.berth.store.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fallback tag a destination without the referrers API gets: named by the subject, merged, never shrunk. */
class FallbackTagTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);
    private static final String C = "sha256:" + "c".repeat(64);

    private static byte[] index(String... digests) {
        StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + FallbackTag.INDEX_MEDIA_TYPE
                + "\",\"manifests\":[");
        for (int i = 0; i < digests.length; i++) {
            json.append(i == 0 ? "" : ",").append("{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                    + "\"digest\":\"").append(digests[i]).append("\",\"size\":10,\"artifactType\":\"x\"}");
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> digests(byte[] index) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode m : JSON.readTree(index).path("manifests")) {
            out.add(m.path("digest").asText());
        }
        return out;
    }

    @Test
    void tag_isTheSubjectsAlgorithmAndHex() {
        assertEquals("sha256-" + "d".repeat(64), FallbackTag.of(Digest.parse("sha256:" + "d".repeat(64))));
    }

    @Test
    void withoutATagThere_theListingIsTaggedAsItIs() throws Exception {
        byte[] listing = index(A, B);
        assertArrayEquals(listing, FallbackTag.merge(Optional.empty(), listing).orElseThrow());
    }

    @Test
    void referrersOthersPushed_stay_andTheMissingAreAppended() throws Exception {
        byte[] merged = FallbackTag.merge(Optional.of(index(C, A)), index(A, B)).orElseThrow();
        assertEquals(List.of(C, A, B), digests(merged));
    }

    @Test
    void aTagListingThemAll_isLeftAlone() throws Exception {
        assertTrue(FallbackTag.merge(Optional.of(index(B, A, C)), index(A, B)).isEmpty());
    }
}
