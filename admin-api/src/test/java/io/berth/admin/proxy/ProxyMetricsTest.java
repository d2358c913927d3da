package io.berth.admin.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.admin.BerthApplicationTest;
import io.berth.admin.api.ApiApp;
import io.berth.admin.api.ApiClient;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The proxy's metrics on {@code /admin/metrics} of the running application, with the real upstream
 * clients: a blob pulled through a proxy project's registry port moves {@code berth.proxy.*} as a
 * miss served from the upstream, then as a hit served from the cache, and its endpoint's
 * {@code berth.upstream.<name>.*} count the upstream's answers; a deleted endpoint's metrics go.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ProxyMetricsTest {
    private static final ApiApp APP = new ApiApp();
    static final DropwizardAppExtension<?> EXTENSION = APP.extension;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final byte[] blob = new byte[256 << 10];
    private final String digest;

    ProxyMetricsTest() throws Exception {
        new Random(11).nextBytes(blob);
        digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(blob));
    }

    @Test
    void blobPulls_throughAProxyProject_moveTheCacheAndUpstreamMetrics() throws Exception {
        try (BlobUpstream upstream = new BlobUpstream("library/app", digest, blob)) {
            long registryId = APP.registryEndpoint("v2", upstream.url());
            String endpoint = APP.admin().get("/api/v1/registries/" + registryId).json().get("name").asText();
            String project = ApiApp.unique("mirror");
            ApiClient.Answer created = APP.admin().post("/api/v1/projects", ApiClient.json("name", project,
                    "public", true, "proxy", Map.of("registryId", registryId)));
            assertEquals(201, created.status(), created.toString());
            String upstreamMetric = "berth.upstream." + endpoint + ".";
            assertFalse(gauges().has(upstreamMetric + "latency.count"), "an endpoint's metrics come with its first use");

            // Cold: the client has the headers while the upstream holds the body, so it reads the fill.
            CompletableFuture<HttpResponse<InputStream>> cold = HTTP.sendAsync(blobGet(project, digest),
                    HttpResponse.BodyHandlers.ofInputStream());
            HttpResponse<InputStream> coldResponse = cold.get();
            upstream.release();
            assertEquals(200, coldResponse.statusCode());
            try (InputStream body = coldResponse.body()) {
                assertArrayEquals(blob, body.readAllBytes());
            }

            JsonNode afterCold = gauges();
            assertEquals(1, value(afterCold, "berth.proxy.blob.misses"));
            assertEquals(0, value(afterCold, "berth.proxy.blob.hits"));
            assertEquals(1, value(afterCold, "berth.proxy.blob.fills.started"));
            assertEquals(blob.length, value(afterCold, "berth.proxy.blob.bytes.from-upstream"));
            assertEquals(0, value(afterCold, "berth.proxy.blob.bytes.from-cache"));
            assertEquals(1, value(afterCold, upstreamMetric + "responses.2xx"));
            assertEquals(1, value(afterCold, upstreamMetric + "latency.count"));
            assertEquals(0, value(afterCold, upstreamMetric + "circuit.state"));
            assertEquals("closed", afterCold.get(upstreamMetric + "circuit.state-name").get("value").asText());
            assertEquals(-1, value(afterCold, upstreamMetric + "rate-limit.remaining"), "no budget reported");

            HttpResponse<byte[]> warm = HTTP.send(blobGet(project, digest), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, warm.statusCode());
            assertArrayEquals(blob, warm.body());

            JsonNode afterWarm = gauges();
            assertEquals(1, value(afterWarm, "berth.proxy.blob.hits"));
            assertEquals(blob.length, value(afterWarm, "berth.proxy.blob.bytes.from-cache"));
            assertEquals(blob.length, value(afterWarm, "berth.proxy.blob.bytes.from-upstream"));
            assertEquals(1, value(afterWarm, upstreamMetric + "responses.2xx"), "a cached blob asks no upstream");

            String unknown = "sha256:" + "0".repeat(64);
            assertEquals(404, HTTP.send(blobGet(project, unknown), HttpResponse.BodyHandlers.discarding()).statusCode());
            JsonNode afterUnknown = gauges();
            assertEquals(1, value(afterUnknown, upstreamMetric + "responses.404"));
            assertEquals(2, value(afterUnknown, "berth.proxy.blob.misses"));
        }
    }

    @Test
    void aDeletedEndpoint_takesItsMetricsAlong() throws Exception {
        try (BlobUpstream upstream = new BlobUpstream("library/app", digest, blob)) {
            String name = ApiApp.unique("pinged");
            ApiClient.Answer created = APP.admin().post("/api/v1/registries", ApiClient.json("name", name,
                    "type", "v2", "url", upstream.url(), "insecure", true));
            assertEquals(201, created.status(), created.toString());
            long id = created.json().get("id").asLong();

            assertEquals(200, APP.admin().post("/api/v1/registries/" + id + "/ping", null).status());
            assertEquals(1, value(gauges(), "berth.upstream." + name + ".responses.2xx"));

            assertEquals(204, APP.admin().delete("/api/v1/registries/" + id).status());
            JsonNode after = gauges();
            after.fieldNames().forEachRemaining(metric -> assertFalse(metric.startsWith("berth.upstream." + name + "."),
                    metric + " outlived its endpoint"));
            assertTrue(after.has("berth.proxy.blob.hits"), "the cache's own metrics stay");
        }
    }

    private static HttpRequest blobGet(String project, String digest) throws Exception {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.registryPort + "/v2/" + project
                        + "/library/app/blobs/" + digest))
                .header("Authorization", BerthApplicationTest.adminBasic(APP.data)).GET().build();
    }

    private static JsonNode gauges() {
        ApiClient.Answer metrics = APP.admin().get("/admin/metrics");
        assertEquals(200, metrics.status(), metrics.toString());
        return metrics.json().get("gauges");
    }

    private static long value(JsonNode gauges, String name) {
        JsonNode gauge = gauges.get(name);
        assertTrue(gauge != null && gauge.get("value").isNumber(), name + " is not a number in " + gauge);
        return gauge.get("value").asLong();
    }
}
