package io.berth.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.admin.api.ApiClient.Answer;
import io.berth.store.upstream.Credential;
import io.berth.store.upstream.Upstream;
import io.berth.store.upstream.UpstreamException;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.net.ssl.SSLHandshakeException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.berth.admin.api.ApiClient.json;
import static io.berth.admin.api.ErrorShapeTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /api/v1/registries} through HTTP, with a fake upstream client: the contract example,
 * secrets that go in and never come out, PUT's credential rules, refusals, pings and the audit log.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class RegistriesApiTest {
    private static final FakeUpstreams UPSTREAMS = new FakeUpstreams();
    private static final ApiApp APP = new ApiApp(UPSTREAMS);
    static final DropwizardAppExtension<?> EXTENSION = APP.extension;
    private static final String SECRET = "Upstream-Secret-9";

    @Test
    void theContractExample_isCreated_withItsId_andShowsNoPassword() {
        String name = ApiApp.unique("up");
        Answer created = APP.admin().post("/api/v1/registries", "{\"name\":\"" + name + "\",\"type\":\"v2\","
                + "\"url\":\"http://127.0.0.1:5001\",\"insecure\":true,\"credential\":{\"username\":\"u\","
                + "\"password\":\"p\"}}");

        assertEquals(201, created.status(), created.toString());
        JsonNode body = created.json();
        long id = body.get("id").asLong();
        assertTrue(id > 0, created.toString());
        assertTrue(created.header("Location").endsWith("/api/v1/registries/" + id), created.toString());
        assertEquals(name, body.get("name").asText());
        assertEquals("v2", body.get("type").asText());
        assertEquals("http://127.0.0.1:5001", body.get("url").asText());
        assertEquals(List.of("http://127.0.0.1:5001"), ApiClient.JSON.convertValue(body.get("urls"), List.class));
        assertTrue(body.get("insecure").asBoolean());
        assertEquals(Map.of("type", "basic", "username", "u"), ApiClient.JSON.convertValue(body.get("credential"),
                Map.class));
        assertFalse(created.body().contains("password"), created.toString());
    }

    @Test
    void theSecret_isInNoAnswer_butReachesTheUpstreamClient() {
        long basic = create(json("name", ApiApp.unique("basic"), "type", "v2", "url", "https://r.example.org",
                "credential", Map.of("username", "mirror-bot", "password", SECRET)));
        long token = create(json("name", ApiApp.unique("token"), "type", "v2", "url", "https://t.example.org",
                "credential", Map.of("token", SECRET)));

        List<Answer> answers = new ArrayList<>();
        answers.add(APP.admin().get("/api/v1/registries/" + basic));
        answers.add(APP.admin().get("/api/v1/registries/" + token));
        answers.add(APP.admin().get("/api/v1/registries?page_size=100"));
        answers.add(APP.admin().put("/api/v1/registries/" + basic, json("name", "renamed-" + basic, "type", "v2",
                "url", "https://r.example.org")));
        UPSTREAMS.answerOk(null);
        answers.add(APP.admin().post("/api/v1/registries/" + basic + "/ping", null));
        answers.add(APP.admin().get("/api/v1/audit-logs?page_size=100"));
        for (Answer answer : answers) {
            assertEquals(200, answer.status(), answer.toString());
            assertFalse(answer.body().contains(SECRET), answer.toString());
        }
        assertEquals(Map.of("type", "token"), ApiClient.JSON.convertValue(answers.get(1).json().get("credential"),
                Map.class));
        assertEquals(new Credential.Basic("mirror-bot", SECRET), UPSTREAMS.lastAsked().credential());
    }

    @Test
    void dockerHub_withoutAUrl_isRegistry1_andMirrorsAreKeptInOrder() {
        JsonNode hub = APP.admin().get("/api/v1/registries/" + create(json("name", ApiApp.unique("hub"), "type",
                "docker-hub"))).json();
        JsonNode mirrors = APP.admin().get("/api/v1/registries/" + create(json("name", ApiApp.unique("mirrors"),
                "type", "v2", "urls", List.of("https://b.example.org/", "https://a.example.org")))).json();

        assertEquals("https://registry-1.docker.io", hub.get("url").asText());
        assertEquals("docker-hub", hub.get("type").asText());
        assertTrue(hub.get("credential").isNull(), hub.toString());
        assertEquals(List.of("https://b.example.org", "https://a.example.org"),
                ApiClient.JSON.convertValue(mirrors.get("urls"), List.class));
    }

    @Test
    void put_withoutACredential_keepsIt_andWithNull_removesIt() {
        long id = create(json("name", ApiApp.unique("put"), "type", "v2", "url", "https://r.example.org",
                "credential", Map.of("username", "u", "password", SECRET)));
        String path = "/api/v1/registries/" + id;
        UPSTREAMS.answerOk(null);

        Answer kept = APP.admin().put(path, json("name", "kept-" + id, "type", "v2", "url", "https://s.example.org",
                "description", "moved"));
        assertEquals(200, kept.status(), kept.toString());
        assertEquals("https://s.example.org", kept.json().get("url").asText());
        assertEquals("moved", kept.json().get("description").asText());
        assertEquals("u", kept.json().get("credential").get("username").asText());
        assertEquals(200, APP.admin().post(path + "/ping", null).status());
        assertEquals(new Credential.Basic("u", SECRET), UPSTREAMS.lastAsked().credential());

        Answer replaced = APP.admin().put(path, json("name", "kept-" + id, "type", "v2", "url", "https://s.example.org",
                "credential", Map.of("token", "new-token")));
        assertEquals("token", replaced.json().get("credential").get("type").asText(), replaced.toString());

        Answer removed = APP.admin().put(path, json("name", "kept-" + id, "type", "v2", "url", "https://s.example.org",
                "credential", null));
        assertEquals(200, removed.status(), removed.toString());
        assertTrue(removed.json().get("credential").isNull(), removed.toString());
        assertEquals(200, APP.admin().post(path + "/ping", null).status());
        assertNull(UPSTREAMS.lastAsked().credential());
    }

    @Test
    void mistakes_getTheAdminErrorBody_sayingWhatIsWrong() {
        String name = ApiApp.unique("taken");
        create(json("name", name, "type", "v2", "url", "https://r.example.org"));

        assertInvalid(json("type", "v2", "url", "https://r.example.org"), "'name' is required");
        assertInvalid(json("name", "x", "url", "https://r.example.org"), "'type' is required");
        assertInvalid(json("name", "x", "type", "harbor", "url", "https://r.example.org"), "docker-hub or v2");
        assertInvalid(json("name", "x", "type", "v2"), "needs a URL");
        assertInvalid(json("name", "x", "type", "v2", "url", "ftp://r.example.org"), "http:// or https://");
        assertInvalid(json("name", "x", "type", "v2", "url", "https://u:" + SECRET + "@r.example.org"), "credential");
        assertInvalid(json("name", "x", "type", "v2", "url", "https://a.example.org", "urls", List.of("https://b.org")),
                "not both");
        assertInvalid(json("name", "x", "type", "v2", "url", "https://r.example.org", "credential", "u:p"),
                "'credential' must be");
        assertInvalid(json("name", "x", "type", "v2", "url", "https://r.example.org", "credential",
                Map.of("username", "u")), "'password' is required");
        assertInvalid(json("name", "x", "type", "v2", "url", "https://r.example.org", "credential",
                Map.of("user", "u", "password", SECRET)), "no field 'user'");
        assertInvalid(json("name", "x", "type", "v2", "url", "https://r.example.org", "insecur", true),
                "unknown field 'insecur'");
        assertError(APP.admin().post("/api/v1/registries", json("name", name, "type", "v2", "url",
                "https://r.example.org")), 409, "CONFLICT");
        assertError(APP.admin().get("/api/v1/registries?page_size=0"), 400, "INVALID_INPUT");
        assertError(APP.admin().get("/api/v1/registries/abc"), 404, "NOT_FOUND");
        assertError(APP.admin().get("/api/v1/registries/999999"), 404, "NOT_FOUND");
        assertError(APP.admin().post("/api/v1/registries/999999/ping", null), 404, "NOT_FOUND");
        assertError(APP.admin().delete("/api/v1/registries/999999"), 404, "NOT_FOUND");
    }

    @Test
    void theListing_isPaged_likeTheOtherListings() {
        for (int i = 0; i < 3; i++) {
            create(json("name", ApiApp.unique("paged"), "type", "docker-hub"));
        }

        Answer first = APP.admin().get("/api/v1/registries?page=1&page_size=2");

        assertEquals(200, first.status(), first.toString());
        assertEquals(2, first.json().size());
        assertTrue(Long.parseLong(first.header("X-Total-Count")) >= 3, first.toString());
        assertTrue(first.header("Link").contains("rel=\"next\""), first.toString());
    }

    @Test
    void onlySystemAdmins_mayUseIt() {
        long id = create(json("name", ApiApp.unique("guarded"), "type", "docker-hub"));
        ApiClient user = APP.user(ApiApp.unique("plain"));

        assertError(user.get("/api/v1/registries"), 403, "DENIED");
        assertError(user.post("/api/v1/registries", json("name", "mine", "type", "docker-hub")), 403, "DENIED");
        assertError(user.post("/api/v1/registries/" + id + "/ping", null), 403, "DENIED");
        assertError(APP.api().get("/api/v1/registries/" + id), 401, "UNAUTHORIZED");
        assertError(APP.api().delete("/api/v1/registries/" + id), 401, "UNAUTHORIZED");
        assertEquals(200, APP.admin().get("/api/v1/registries/" + id).status());
    }

    @Test
    void ping_answersOk_withTheRateLimit_orSaysWhatFailed() {
        long id = create(json("name", ApiApp.unique("pinged"), "type", "v2", "url", "https://r.example.org"));
        String ping = "/api/v1/registries/" + id + "/ping";

        UPSTREAMS.answerOk(new Upstream.RateLimit(100, 42, 21600, "10.0.0.1"));
        Answer ok = APP.admin().post(ping, null);
        assertEquals(200, ok.status(), ok.toString());
        assertTrue(ok.json().get("ok").asBoolean(), ok.toString());
        assertEquals(42, ok.json().get("rateLimit").get("remaining").asLong(), ok.toString());

        UPSTREAMS.fail(new UpstreamException(UpstreamException.Kind.UNAUTHORIZED, 401, null, "401 from the token"
                + " service", null));
        Answer refused = APP.admin().post(ping, null);
        assertError(refused, 400, "INVALID_INPUT");
        assertTrue(refused.errorMessage().contains("refused the credentials"), refused.toString());

        UPSTREAMS.fail(new UpstreamException(UpstreamException.Kind.UNREACHABLE, 0, null, "handshake failed",
                new SSLHandshakeException("PKIX path building failed")));
        Answer tls = APP.admin().post(ping, null);
        assertError(tls, 400, "INVALID_INPUT");
        assertTrue(tls.errorMessage().contains("TLS certificate") && tls.errorMessage().contains("caPem"), tls.toString());

        UPSTREAMS.fail(new UpstreamException(UpstreamException.Kind.UNREACHABLE, "connection refused"));
        Answer unreachable = APP.admin().post(ping, null);
        assertError(unreachable, 503, "UNAVAILABLE");
        assertTrue(unreachable.errorMessage().contains("unreachable"), unreachable.toString());
        assertTrue(unreachable.errorMessage().contains("https://r.example.org"), unreachable.toString());

        UPSTREAMS.fail(new UpstreamException(UpstreamException.Kind.TIMEOUT, "no headers within 10s"));
        assertTrue(APP.admin().post(ping, null).errorMessage().contains("timed out"));

        UPSTREAMS.fail(new UpstreamException(UpstreamException.Kind.RATE_LIMITED, 429, Duration.ofSeconds(30),
                "toomanyrequests", null));
        Answer limited = APP.admin().post(ping, null);
        assertError(limited, 503, "UNAVAILABLE");
        assertEquals("30", limited.header("Retry-After"), limited.toString());
        UPSTREAMS.answerOk(null);
    }

    @Test
    void changes_areAudited_asTheAdmin_withoutTheSecret() {
        String name = ApiApp.unique("audited");
        long id = create(json("name", name, "type", "v2", "url", "https://r.example.org", "credential",
                Map.of("username", "u", "password", SECRET)));
        APP.admin().put("/api/v1/registries/" + id, json("name", name, "type", "v2", "url", "https://r.example.org"));
        assertEquals(204, APP.admin().delete("/api/v1/registries/" + id).status());

        List<String> actions = new ArrayList<>();
        for (JsonNode line : APP.admin().get("/api/v1/audit-logs?user=admin&page_size=100").json()) {
            if (line.get("resource").asText().equals(name)) {
                assertEquals("registry", line.get("resourceType").asText(), line.toString());
                assertFalse(line.toString().contains(SECRET), line.toString());
                actions.add(line.get("action").asText());
            }
        }
        assertEquals(List.of("delete", "update", "create"), actions);
    }

    @Test
    void delete_isRefused_whileAProxyProjectMirrorsTheEndpoint() throws SQLException {
        long id = create(json("name", ApiApp.unique("mirrored"), "type", "docker-hub"));
        String project = ApiApp.unique("hubcache");
        APP.project(project, true);
        try (Connection db = database(); PreparedStatement bind = db.prepareStatement("INSERT INTO proxy_project"
                + " (project_id, registry_id, freshness_seconds) SELECT id, ?, 300 FROM project WHERE name = ?")) {
            bind.setLong(1, id);
            bind.setString(2, project);
            assertEquals(1, bind.executeUpdate());
        }

        Answer refused = APP.admin().delete("/api/v1/registries/" + id);

        assertError(refused, 409, "CONFLICT");
        assertTrue(refused.errorMessage().contains(project), refused.toString());
        assertEquals(200, APP.admin().get("/api/v1/registries/" + id).status());
    }

    private static long create(String body) {
        Answer created = APP.admin().post("/api/v1/registries", body);
        assertEquals(201, created.status(), created.toString());
        return created.json().get("id").asLong();
    }

    private static void assertInvalid(String body, String saying) {
        Answer answer = APP.admin().post("/api/v1/registries", body);
        assertError(answer, 400, "INVALID_INPUT");
        assertTrue(answer.errorMessage().contains(saying), answer.toString());
        assertFalse(answer.body().contains(SECRET), answer.toString());
    }

    /** The application's own H2 database, as a second connection in this JVM. */
    private static Connection database() throws SQLException {
        return DriverManager.getConnection("jdbc:h2:file:" + APP.data.resolve("db/berth")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH", "berth", "berth");
    }
}
