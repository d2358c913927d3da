package io.berth.gateway.http;

import io.berth.gateway.auth.Access;
import io.berth.gateway.auth.AccessRequest;
import io.berth.gateway.auth.Scope;
import io.berth.gateway.testing.RawConnection;
import io.berth.gateway.testing.RawResponse;
import io.berth.gateway.testing.RegistryServer;
import io.berth.gateway.testing.TestContent;
import io.berth.gateway.testing.TestRoutes;
import io.berth.gateway.testing.TokenCheck;
import io.berth.gateway.testing.V2Client;
import io.berth.store.Caller;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.event.EventLog;
import io.berth.store.event.EventType;
import io.berth.store.event.RegistryEvent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static io.berth.gateway.testing.OciAssertions.assertError;
import static io.berth.gateway.testing.RawConnection.requestHead;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The access seam: every request is checked from its head, before any of its body is read; a
 * refusal reaches the client with the check's headers, and the caller the check admitted reaches
 * the handler.
 */
class AccessCheckTest {
    private static final TokenCheck CHECK = new TokenCheck();
    private static final AtomicInteger BODY_HANDLER_RUNS = new AtomicInteger();

    @RegisterExtension
    static final RegistryServer SERVER = new RegistryServer(CHECK,
            Route.of("test.whoami", HttpMethod.GET, "/test/whoami", Access.none(),
                    ex -> TestRoutes.sendText(ex, HttpResponseStatus.OK, ex.caller().subject() + "@"
                            + ex.caller().remoteAddress())),
            Route.of("test.body", HttpMethod.PUT, "/test/body", Access.none(), ex -> {
                BODY_HANDLER_RUNS.incrementAndGet();
                ex.collectBody(body -> TestRoutes.sendText(ex, HttpResponseStatus.OK, body.readableBytes() + " bytes"));
            }));

    private static V2Client client() {
        return SERVER.client();
    }

    @Test
    void refusal_answers401WithTheChecksChallenge_andStoresNothing() {
        TestContent.Blob layer = TestContent.layer(1, 1000);
        TestContent.Blob manifest = TestContent.image(TestContent.config(1), layer).build();

        assertChallenged(client().get("/v2/"));
        assertChallenged(client().post("/v2/auth/refused/blobs/uploads/?digest=" + layer.digest(), layer.bytes()));
        assertChallenged(client().putManifest("auth/refused", "v1", manifest));

        assertEquals(404, client().head("/v2/auth/refused/blobs/" + layer.digest(), "Authorization", TokenCheck.NOW)
                .statusCode());
        assertError(client().get("/v2/auth/refused/manifests/v1", "Authorization", TokenCheck.NOW),
                404, "NAME_UNKNOWN"); // not even the repository was created
    }

    @Test
    void refusal_withExpectContinue_sendsNoContinue_andNoHandlerRuns() throws IOException {
        int runsBefore = BODY_HANDLER_RUNS.get();
        try (RawConnection c = SERVER.connect()) {
            c.send(requestHead("PUT", "/test/body", "Content-Length", "100000", "Expect", "100-continue"));

            RawResponse refused = c.read();
            assertError(refused, 401, "UNAUTHORIZED");
            assertEquals(TokenCheck.CHALLENGE, refused.header("WWW-Authenticate").orElseThrow());
            assertTrue(c.closedByServer(), "the client may or may not send its body now: the connection closes");
        }
        assertEquals(runsBefore, BODY_HANDLER_RUNS.get(), "the handler never ran");
    }

    @Test
    void refusedRequestWithASmallBody_leavesTheConnectionServingTheNext() throws IOException {
        TestContent.Blob manifest = TestContent.image(TestContent.config(2), TestContent.layer(2, 10)).build();
        try (RawConnection c = SERVER.connect()) {
            c.send(requestHead("PUT", "/v2/auth/small/manifests/v1", "Content-Type", manifest.mediaType(),
                    "Content-Length", Long.toString(manifest.size())));
            c.send(manifest.bytes());
            assertError(c.read(), 401, "UNAUTHORIZED");

            RawResponse next = c.exchange("GET", "/test/whoami", "Authorization", TokenCheck.NOW);
            assertEquals(200, next.status(), next.toString());
        }
    }

    @Test
    void refusedRequestsWithoutABody_leaveTheConnectionServingTheNext() throws IOException {
        try (RawConnection c = SERVER.connect()) {
            assertError(c.exchange("GET", "/v2/"), 401, "UNAUTHORIZED");
            assertEquals(200, c.exchange("GET", "/v2/", "Authorization", TokenCheck.NOW).status());

            c.send(requestHead("HEAD", "/v2/auth/x/manifests/v1") + requestHead("GET", "/test/whoami",
                    "Authorization", TokenCheck.NOW));
            assertEquals(401, c.read(true).status());
            assertEquals("robot$now@127.0.0.1", c.read().text());
        }
    }

    @Test
    void checkThatDecidesLaterOnAnotherThread_letsTheRequestAndItsBodyIn() throws Exception {
        byte[] blob = TestContent.bytes(3, 300_000);
        String digest = TestContent.digest(blob);
        try (RawConnection c = SERVER.connect()) {
            // The whole body is sent while the check has not decided: it must wait, not be lost.
            c.send(requestHead("POST", "/v2/auth/later/blobs/uploads/?digest=" + digest, "Authorization",
                    TokenCheck.LATER, "Content-Length", Integer.toString(blob.length)));
            c.send(blob);
            CompletableFuture<Caller> decision = CHECK.decideNext();
            decision.complete(new Caller("alice", Caller.Kind.USER, "127.0.0.1"));

            RawResponse created = c.read();
            assertEquals(201, created.status(), created.toString());
            RawResponse pulled = c.exchange("GET", "/v2/auth/later/blobs/" + digest, "Authorization", TokenCheck.NOW);
            assertEquals(digest, TestContent.digest(pulled.body()));
        }
    }

    @Test
    void checkThatRefusesLater_answersItsRefusalAndKeepsTheConnection() throws Exception {
        try (RawConnection c = SERVER.connect()) {
            c.send(requestHead("PUT", "/test/body", "Authorization", TokenCheck.LATER, "Content-Length", "10"));
            c.send("0123456789");
            CHECK.decideNext().completeExceptionally(new RegistryException(ErrorCode.DENIED, "not yours"));

            assertError(c.read(), 403, "DENIED");
            assertEquals(200, c.exchange("GET", "/v2/", "Authorization", TokenCheck.NOW).status());
        }
    }

    @Test
    void callerAdmittedByTheCheck_reachesTheHandler() throws Exception {
        try (RawConnection c = SERVER.connect()) {
            assertEquals("robot$now@127.0.0.1", c.exchange("GET", "/test/whoami", "Authorization", TokenCheck.NOW).text());

            c.send(requestHead("GET", "/test/whoami", "Authorization", TokenCheck.LATER));
            CHECK.decideNext().complete(new Caller("alice", Caller.Kind.USER, "192.0.2.1"));
            assertEquals("alice@192.0.2.1", c.read().text());
        }
    }

    @Test
    void callerAdmittedByTheCheck_isRecordedInTheEventsOfWhatItPushed() {
        TestContent.Blob config = TestContent.config(5);
        TestContent.Blob layer = TestContent.layer(5, 100);
        for (TestContent.Blob blob : List.of(config, layer)) {
            assertEquals(201, client().post("/v2/auth/events/blobs/uploads/?digest=" + blob.digest(), blob.bytes(),
                    "Authorization", TokenCheck.NOW).statusCode());
        }
        TestContent.Blob manifest = TestContent.image(config, layer).build();
        assertEquals(201, client().put("/v2/auth/events/manifests/v1", manifest.bytes(), "Content-Type",
                manifest.mediaType(), "Authorization", TokenCheck.NOW).statusCode());

        RegistryEvent pushed = new EventLog(SERVER.registry().transactions()).after(0, 10_000).stream()
                .filter(e -> e.type() == EventType.PUSHED && e.repository().equals("auth/events"))
                .findFirst().orElseThrow();
        assertEquals(new Caller("robot$now", Caller.Kind.ROBOT, "127.0.0.1"), pushed.caller());
    }

    @Test
    void everyRouteAsksForTheScopesItNeeds() {
        String digest = TestContent.digest(new byte[] {1});
        client().get("/v2/", "Authorization", TokenCheck.NOW);
        client().get("/v2/_catalog", "Authorization", TokenCheck.NOW);
        client().get("/v2/auth/scopes/manifests/v1", "Authorization", TokenCheck.NOW);
        client().delete("/v2/auth/scopes/manifests/v1", "Authorization", TokenCheck.NOW);
        client().post("/v2/auth/scopes/blobs/uploads/?mount=" + digest + "&from=auth/source", new byte[0],
                "Authorization", TokenCheck.NOW);

        assertEquals(List.of(), scopesAskedFor("GET", "/v2/"));
        assertEquals(List.of("registry:catalog:*"), scopesAskedFor("GET", "/v2/_catalog"));
        assertEquals(List.of("repository:auth/scopes:pull"), scopesAskedFor("GET", "/v2/auth/scopes/manifests/v1"));
        assertEquals(List.of("repository:auth/scopes:delete"), scopesAskedFor("DELETE", "/v2/auth/scopes/manifests/v1"));
        assertEquals(List.of("repository:auth/scopes:push"), scopesAskedFor("POST", "/v2/auth/scopes/blobs/uploads/"));
        assertEquals(List.of("repository:auth/source:pull"), lastRequest("POST", "/v2/auth/scopes/blobs/uploads/")
                .optional().stream().map(Scope::toString).toList(), "a mount's source is asked for optionally");
    }

    @Test
    void invalidRepositoryName_isAnsweredFromTheHeadWithoutAskingTheCheck() throws IOException {
        try (RawConnection c = SERVER.connect()) {
            assertError(c.exchange("GET", "/v2/Auth/Upper/manifests/v1", "Authorization", TokenCheck.NOW),
                    400, "NAME_INVALID");
        }
        assertTrue(CHECK.seen().stream().noneMatch(r -> r.path().startsWith("/v2/Auth/")));
    }

    private static List<String> scopesAskedFor(String method, String path) {
        return lastRequest(method, path).scopes().stream().map(Scope::toString).toList();
    }

    private static AccessRequest lastRequest(String method, String path) {
        return CHECK.seen().stream()
                .filter(r -> r.method().equals(method) && r.path().equals(path))
                .reduce((first, second) -> second)
                .orElseThrow(() -> new AssertionError("the check never saw " + method + " " + path));
    }

    private static void assertChallenged(HttpResponse<byte[]> response) {
        assertError(response, 401, "UNAUTHORIZED");
        assertEquals(TokenCheck.CHALLENGE, response.headers().firstValue("WWW-Authenticate").orElseThrow());
    }
}
