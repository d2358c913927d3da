package io.berth.gateway.auth.check;

import io.berth.gateway.testing.RegistryServer;
import io.berth.gateway.testing.TestContent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static io.berth.gateway.auth.check.Tenants.ROBOT;
import static io.berth.gateway.testing.OciAssertions.assertError;
import static io.berth.gateway.testing.OciAssertions.assertStatus;
import static io.berth.gateway.testing.OciAssertions.json;
import static io.berth.gateway.testing.OciAssertions.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /v2/_catalog} lists the repositories the caller may read: everything for a system
 * admin, the public projects and one's own for users and robots, the public projects for anonymous
 * callers; with Basic credentials, without any, and with the {@code registry:catalog:*} tokens that
 * clients fetch for it. Pages ({@code n}, {@code last}, {@code Link}) run over what the caller sees.
 */
class CatalogVisibilityTest {
    private static final Tenants TENANTS = new Tenants();
    @RegisterExtension
    static final RegistryServer SERVER = TENANTS.server;

    private static final List<String> ALPHA = List.of("alpha/a", "alpha/b/c", "alpha/z");
    private static final List<String> BRAVO = List.of("bravo/a", "bravo/m");
    private static final List<String> PUB = List.of("pub/base", "pub/tools");

    @BeforeAll
    static void repositories() {
        TENANTS.start();
        int seed = 700;
        for (String repository : concat(ALPHA, BRAVO, PUB)) {
            byte[] content = TestContent.bytes(seed++, 100);
            assertStatus(201, TENANTS.client().post("/v2/" + repository + "/blobs/uploads/?digest="
                    + TestContent.digest(content), content, "Authorization", TENANTS.basic("admin")));
        }
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> list : lists) {
            all.addAll(list);
        }
        all.sort(null);
        return all;
    }

    private static List<String> catalog(String... authorization) {
        HttpResponse<byte[]> response = TENANTS.client().get("/v2/_catalog", authorization);
        assertStatus(200, response);
        return strings(json(response.body()), "repositories");
    }

    @Test
    void aSystemAdmin_seesEveryRepository() {
        assertEquals(concat(ALPHA, BRAVO, PUB), catalog("Authorization", TENANTS.basic("admin")));
        assertEquals(concat(ALPHA, BRAVO, PUB), catalog("Authorization", TENANTS.bearer("admin", "registry:catalog:*")));
    }

    @Test
    void aUser_seesThePublicProjectsAndTheirOwn() {
        assertEquals(concat(ALPHA, PUB), catalog("Authorization", TENANTS.basic("alice")));
        assertEquals(concat(ALPHA, PUB), catalog("Authorization", TENANTS.bearer("alice", "registry:catalog:*")));
        assertEquals(concat(BRAVO, PUB), catalog("Authorization", TENANTS.basic("bob")));
        assertEquals(concat(ALPHA, BRAVO, PUB), catalog("Authorization", TENANTS.basic("carol")));
    }

    @Test
    void aRobot_seesThePublicProjectsAndItsOwn() {
        assertEquals(concat(ALPHA, PUB), catalog("Authorization", TENANTS.basic(ROBOT)));
        assertEquals(concat(ALPHA, PUB), catalog("Authorization", TENANTS.bearer(ROBOT, "registry:catalog:*")));
    }

    @Test
    void anonymousCallers_areChallengedFirst_asClientsSignInOnlyThen_andAnAnonymousTokenSeesThePublicProjects() {
        HttpResponse<byte[]> challenged = TENANTS.client().get("/v2/_catalog");
        assertError(challenged, 401, "UNAUTHORIZED");
        assertTrue(challenged.headers().firstValue("WWW-Authenticate").orElseThrow()
                .contains("scope=\"registry:catalog:*\""));

        assertEquals(PUB, catalog("Authorization", TENANTS.bearer(null, "registry:catalog:*")));
    }

    @Test
    void aTokenWithoutTheCatalogScope_isChallengedForIt() {
        HttpResponse<byte[]> refused = TENANTS.client().get("/v2/_catalog", "Authorization",
                TENANTS.bearer("alice", "repository:alpha/a:pull"));

        assertError(refused, 401, "UNAUTHORIZED");
        assertTrue(refused.headers().firstValue("WWW-Authenticate").orElseThrow()
                .contains("scope=\"registry:catalog:*\""));
    }

    @Test
    void pages_runOverWhatTheCallerSees() {
        List<String> expected = concat(ALPHA, PUB);
        for (int n = 1; n <= expected.size() + 1; n++) {
            List<String> walked = new ArrayList<>();
            String next = "/v2/_catalog?n=" + n;
            while (next != null) {
                HttpResponse<byte[]> page = TENANTS.client().get(next, "Authorization", TENANTS.basic("alice"));
                assertStatus(200, page);
                List<String> items = strings(json(page.body()), "repositories");
                assertTrue(items.size() <= n);
                walked.addAll(items);
                next = page.headers().firstValue("Link").map(l -> l.substring(1, l.indexOf('>'))).orElse(null);
            }
            assertEquals(expected, walked, "n=" + n);
        }
        assertEquals(List.of("pub/base"), strings(json(TENANTS.client().get("/v2/_catalog?n=1&last=alpha/z",
                "Authorization", TENANTS.basic("alice")).body()), "repositories"), "bravo is skipped, not counted");
    }
}
