package io.berth.gateway.v2;

import io.berth.gateway.testing.RegistryServer;
import io.berth.gateway.testing.TestContent;
import io.berth.gateway.testing.V2Client;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.berth.gateway.testing.OciAssertions.assertError;
import static io.berth.gateway.testing.OciAssertions.assertNoHeader;
import static io.berth.gateway.testing.OciAssertions.assertStatus;
import static io.berth.gateway.testing.OciAssertions.json;
import static io.berth.gateway.testing.OciAssertions.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /v2/_catalog}: every repository in lexical order, a page at a time. The catalog is
 * the whole registry's, so each test names repositories under its own project and checks only
 * those.
 */
class CatalogTest {
    @RegisterExtension
    static final RegistryServer SERVER = new RegistryServer();

    private static V2Client client() {
        return SERVER.client();
    }

    private static List<String> push(String project, String... repositories) {
        List<String> names = new ArrayList<>();
        for (String r : repositories) {
            String name = project + "/" + r;
            client().pushBlob(name, TestContent.bytes(name.hashCode(), 10));
            names.add(name);
        }
        names.sort(null);
        return names;
    }

    /** Follows Link headers from {@code first} to the end and returns every repository seen. */
    private static List<String> walk(String first) {
        List<String> all = new ArrayList<>();
        String next = first;
        while (next != null) {
            HttpResponse<byte[]> page = client().get(next);
            assertStatus(200, page);
            all.addAll(strings(json(page.body()), "repositories"));
            Optional<String> link = page.headers().firstValue("Link");
            next = link.isPresent() ? TagListTest.nextLink(page) : null;
        }
        return all;
    }

    @Test
    void catalog_listsRepositoriesInLexicalOrder() {
        List<String> pushed = push("catalog-sorted", "b", "a", "c/d", "a-b", "a.b");

        List<String> all = strings(json(client().get("/v2/_catalog").body()), "repositories");

        List<String> sorted = new ArrayList<>(all);
        sorted.sort(null);
        assertEquals(sorted, all);
        assertTrue(all.containsAll(pushed), all.toString());
    }

    @Test
    void n_pagesThroughTheWholeCatalogByLink() {
        List<String> pushed = push("catalog-paged", "one", "two", "three", "four", "five");

        List<String> walked = walk("/v2/_catalog?n=2");

        List<String> sorted = new ArrayList<>(walked);
        sorted.sort(null);
        assertEquals(sorted, walked, "pages follow each other in order, without repeats");
        assertEquals(walked.stream().distinct().toList(), walked);
        assertTrue(walked.containsAll(pushed), walked.toString());
        assertEquals(strings(json(client().get("/v2/_catalog").body()), "repositories"), walked);
    }

    @Test
    void nAndLast_answerThePageAfterLast() {
        List<String> pushed = push("catalog-last", "a", "b", "c", "d");

        HttpResponse<byte[]> response = client().get("/v2/_catalog?n=2&last=catalog-last/a");

        assertStatus(200, response);
        assertEquals(pushed.subList(1, 3), strings(json(response.body()), "repositories"));
        String link = TagListTest.nextLink(response);
        assertTrue(link.startsWith("/v2/_catalog?"), link);
        assertEquals(List.of(pushed.get(3)), strings(json(client().get(link).body()), "repositories").subList(0, 1));
    }

    @Test
    void nZero_answersAnEmptyListWithoutLink() {
        push("catalog-zero", "a");

        HttpResponse<byte[]> response = client().get("/v2/_catalog?n=0");

        assertStatus(200, response);
        assertEquals(List.of(), strings(json(response.body()), "repositories"));
        assertNoHeader(response, "Link");
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", "-3"})
    void invalidN_answers400PaginationNumberInvalid(String n) {
        assertError(client().get("/v2/_catalog?n=" + n), 400, "UNSUPPORTED");
    }
}
