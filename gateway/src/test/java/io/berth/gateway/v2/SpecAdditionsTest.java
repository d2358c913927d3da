package io.berth.gateway.v2;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.gateway.testing.RegistryServer;
import io.berth.gateway.testing.TestContent.Blob;
import io.berth.gateway.testing.TestContent;
import io.berth.gateway.testing.V2Client;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.berth.gateway.testing.OciAssertions.assertError;
import static io.berth.gateway.testing.OciAssertions.assertHeader;
import static io.berth.gateway.testing.OciAssertions.assertStatus;
import static io.berth.gateway.testing.OciAssertions.json;
import static io.berth.gateway.testing.OciAssertions.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the OCI distribution spec's main branch added since v1.1.1: several tags in one push,
 * {@code ?digest-algorithm=} on uploads, and referrers lists paged with {@code Link}.
 */
class SpecAdditionsTest {
    @RegisterExtension
    static final RegistryServer SERVER = new RegistryServer();
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");

    private static V2Client client() {
        return SERVER.client();
    }

    @Test
    void pushByDigestWithTagParameters_setsEveryTagAndNamesThemInOciTag() {
        Blob config = client().pushBlob("spec/tags", TestContent.config(1));
        Blob layer = client().pushBlob("spec/tags", TestContent.layer(1, 100));
        Blob manifest = TestContent.image(config, layer).build();

        HttpResponse<byte[]> response = client().put("/v2/spec/tags/manifests/" + manifest.digest()
                + "?tag=v1&tag=v1.0&tag=latest", manifest.bytes(), "Content-Type", manifest.mediaType());

        assertStatus(201, response);
        assertEquals(Set.of("v1", "v1.0", "latest"), ociTags(response));
        assertEquals(List.of("latest", "v1", "v1.0"), strings(json(client().get("/v2/spec/tags/tags/list").body()), "tags"));
        assertHeader(manifest.digest(), client().get("/v2/spec/tags/manifests/v1.0"), "Docker-Content-Digest");
    }

    private static Set<String> ociTags(HttpResponse<?> response) {
        Set<String> tags = new HashSet<>();
        response.headers().allValues("OCI-Tag").forEach(v -> {
            for (String t : v.split(",")) {
                tags.add(t.trim());
            }
        });
        return tags;
    }

    @Test
    void pushWithAnInvalidTagParameter_isRefusedAndSetsNothing() {
        Blob config = client().pushBlob("spec/bad-tag", TestContent.config(2));
        Blob manifest = TestContent.image(config).build();

        HttpResponse<byte[]> response = client().put("/v2/spec/bad-tag/manifests/" + manifest.digest()
                + "?tag=ok&tag=-bad", manifest.bytes(), "Content-Type", manifest.mediaType());

        assertError(response, 400, "MANIFEST_INVALID");
        assertError(client().get("/v2/spec/bad-tag/manifests/ok"), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void pushWithTooManyTagParameters_is414() {
        Blob config = client().pushBlob("spec/many-tags", TestContent.config(3));
        Blob manifest = TestContent.image(config).build();
        StringBuilder query = new StringBuilder();
        for (int i = 0; i <= ManifestRoutes.MAX_TAGS_PER_PUSH; i++) {
            query.append(i == 0 ? "?" : "&").append("tag=t").append(i);
        }

        HttpResponse<byte[]> response = client().put("/v2/spec/many-tags/manifests/" + manifest.digest() + query,
                manifest.bytes(), "Content-Type", manifest.mediaType());

        assertError(response, 414, "UNSUPPORTED");
    }

    @Test
    void uploadAnnouncedAsSha512_isCompletedWithItsSha512Digest() {
        byte[] content = TestContent.bytes(4, 10_000);
        String location = client().post("/v2/spec/sha512/blobs/uploads/?digest-algorithm=sha512", new byte[0])
                .headers().firstValue("Location").orElseThrow();
        String sha512 = TestContent.sha512(content);

        HttpResponse<byte[]> done = client().put(location + "?digest=" + sha512, content,
                "Content-Type", "application/octet-stream");

        assertStatus(201, done);
        assertHeader(sha512, done, "Docker-Content-Digest");
        assertEquals(content.length, client().get("/v2/spec/sha512/blobs/" + sha512).body().length);
    }

    @Test
    void uploadWithAnUnsupportedDigestAlgorithm_is400() {
        assertError(client().post("/v2/spec/md5/blobs/uploads/?digest-algorithm=md5", new byte[0]), 400,
                "DIGEST_INVALID");
    }

    @Test
    void manyReferrersWithLargeAnnotations_comePagedWithLinkHeaders() {
        Blob subject = client().pushImage("spec/referrers", "latest", 5);
        Blob empty = client().pushBlob("spec/referrers", TestContent.empty());
        String big = "a".repeat(400_000);
        Set<String> pushed = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            Blob referrer = TestContent.image(empty).artifactType("application/vnd.example.sig.v1")
                    .subject(subject).annotation("note", i + big).build();
            client().pushManifest("spec/referrers", referrer.digest(), referrer);
            pushed.add(referrer.digest());
        }

        List<String> seen = new ArrayList<>();
        String next = "/v2/spec/referrers/referrers/" + subject.digest() + "?artifactType="
                + URLEncoder.encode("application/vnd.example.sig.v1", StandardCharsets.UTF_8);
        int pages = 0;
        while (next != null) {
            HttpResponse<byte[]> page = client().get(next);
            assertStatus(200, page);
            assertHeader("artifactType", page, "OCI-Filters-Applied");
            assertTrue(page.body().length < 2 << 20, "one page stays small: " + page.body().length + " bytes");
            JsonNode index = json(page.body());
            index.get("manifests").forEach(d -> seen.add(d.get("digest").asText()));
            pages++;
            next = page.headers().firstValue("Link").map(l -> {
                Matcher m = NEXT.matcher(l);
                assertTrue(m.find(), "Link: " + l);
                return m.group(1);
            }).orElse(null);
        }

        assertEquals(pushed, new HashSet<>(seen));
        assertEquals(pushed.size(), seen.size(), "no referrer twice");
        assertTrue(pages > 1, "paged");
    }
}
