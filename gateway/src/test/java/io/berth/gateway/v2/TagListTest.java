package io.berth.gateway.v2;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.gateway.testing.RegistryServer;
import io.berth.gateway.testing.TestContent;
import io.berth.gateway.testing.TestContent.Blob;
import io.berth.gateway.testing.V2Client;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.berth.gateway.testing.OciAssertions.assertError;
import static io.berth.gateway.testing.OciAssertions.assertNoHeader;
import static io.berth.gateway.testing.OciAssertions.assertStatus;
import static io.berth.gateway.testing.OciAssertions.header;
import static io.berth.gateway.testing.OciAssertions.json;
import static io.berth.gateway.testing.OciAssertions.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** end-8a and end-8b: listing tags, whole or a page at a time with {@code n}, {@code last} and {@code Link}. */
class TagListTest {
    @RegisterExtension
    static final RegistryServer SERVER = new RegistryServer();

    /** RFC 5988: {@code <uri>; rel="next"}. */
    static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"next\"");

    private static final List<String> TAGS = List.of("10", "9", "C", "a", "b", "latest", "v1.0", "v1.0-rc1", "v1_0");

    private static V2Client client() {
        return SERVER.client();
    }

    /** Pushes one manifest under all of {@link #TAGS}, in an order unlike the sorted one. */
    private static void pushTags(String repository) {
        Blob manifest = client().pushImage(repository, "latest", repository.hashCode());
        for (String tag : TAGS.reversed()) {
            client().pushManifest(repository, tag, manifest);
        }
    }

    static String nextLink(HttpResponse<byte[]> response) {
        Matcher m = NEXT_LINK.matcher(header(response, "Link"));
        assertTrue(m.find(), () -> "Link is not <uri>; rel=\"next\": " + header(response, "Link"));
        return m.group(1);
    }

    @Test
    void tags_areListedInAsciiOrderWithTheRepositoryName() {
        pushTags("tags/sorted");

        HttpResponse<byte[]> response = client().get("/v2/tags/sorted/tags/list");

        assertStatus(200, response);
        assertTrue(header(response, "Content-Type").startsWith("application/json"));
        JsonNode body = json(response.body());
        assertEquals("tags/sorted", body.get("name").asText());
        List<String> expected = new ArrayList<>(TAGS);
        expected.sort(null);
        assertEquals(expected, strings(body, "tags"));
        assertNoHeader(response, "Link");
    }

    @Test
    void n_limitsThePageAndLinksToTheNext() {
        pushTags("tags/paged");
        List<String> all = new ArrayList<>(TAGS);
        all.sort(null);

        HttpResponse<byte[]> first = client().get("/v2/tags/paged/tags/list?n=4");
        assertStatus(200, first);
        assertEquals(all.subList(0, 4), strings(json(first.body()), "tags"));

        HttpResponse<byte[]> second = client().get(nextLink(first));
        assertStatus(200, second);
        assertEquals(all.subList(4, 8), strings(json(second.body()), "tags"));

        HttpResponse<byte[]> third = client().get(nextLink(second));
        assertStatus(200, third);
        assertEquals(all.subList(8, 9), strings(json(third.body()), "tags"));
        assertNoHeader(third, "Link");
    }

    @Test
    void pageEndingExactlyAtTheLastTag_hasNoLink() {
        pushTags("tags/exact-page");

        HttpResponse<byte[]> response = client().get("/v2/tags/exact-page/tags/list?n=" + TAGS.size());

        assertEquals(TAGS.size(), strings(json(response.body()), "tags").size());
        assertNoHeader(response, "Link");
    }

    @Test
    void last_startsAfterThatTag() {
        pushTags("tags/last");

        HttpResponse<byte[]> withN = client().get("/v2/tags/last/tags/list?n=2&last=a");
        HttpResponse<byte[]> withoutN = client().get("/v2/tags/last/tags/list?last=latest");

        assertEquals(List.of("b", "latest"), strings(json(withN.body()), "tags"));
        assertEquals(List.of("v1.0", "v1.0-rc1", "v1_0"), strings(json(withoutN.body()), "tags"));
        assertNoHeader(withoutN, "Link");
    }

    @Test
    void nZero_answersAnEmptyListWithoutLink() {
        pushTags("tags/n-zero");

        HttpResponse<byte[]> response = client().get("/v2/tags/n-zero/tags/list?n=0");

        assertStatus(200, response);
        assertEquals(List.of(), strings(json(response.body()), "tags"));
        assertNoHeader(response, "Link");
    }

    @Test
    void repositoryWithoutTags_answersAnEmptyList() {
        client().pushBlob("tags/untagged", TestContent.bytes(1, 10));

        HttpResponse<byte[]> response = client().get("/v2/tags/untagged/tags/list");

        assertStatus(200, response);
        assertEquals(List.of(), strings(json(response.body()), "tags"));
    }

    @Test
    void unknownRepository_answers404NameUnknown() {
        assertError(client().get("/v2/tags/nowhere/tags/list"), 404, "NAME_UNKNOWN");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10000", "10001", "99999999999999999999"})
    void nBeyondThePageLimit_answersAFullPageInsteadOfAnError(String n) {
        pushTags("tags/big-n");

        HttpResponse<byte[]> response = client().get("/v2/tags/big-n/tags/list?n=" + n);

        assertStatus(200, response);
        assertEquals(TAGS.size(), strings(json(response.body()), "tags").size());
        assertNoHeader(response, "Link");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "-1", "1.5", "", "+3", "0x10"})
    void invalidN_answers400PaginationNumberInvalid(String n) {
        pushTags("tags/bad-n");

        assertError(client().get("/v2/tags/bad-n/tags/list?n=" + n), 400, "UNSUPPORTED");
    }
}
