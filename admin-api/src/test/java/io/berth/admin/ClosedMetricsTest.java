package io.berth.admin;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With {@code auth.openMetrics: false} the API port's metrics answer system admins only; health stays open. */
@ExtendWith(DropwizardExtensionsSupport.class)
class ClosedMetricsTest {
    private static final Path DATA = BerthApplicationTest.tempDir();

    static final DropwizardAppExtension<BerthConfiguration> APP = new DropwizardAppExtension<>(
            BerthApplication.class, BerthApplicationTest.repoRoot().resolve("conf/berth.yml").toString(),
            Stream.concat(Arrays.stream(BerthApplicationTest.quickStartOverrides(DATA, BerthApplicationTest.freePort())),
                    Stream.of(ConfigOverride.config("auth.openMetrics", "false"),
                            ConfigOverride.config("auth.passwordCost", "4"))).toArray(ConfigOverride[]::new));

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void metrics_askForASystemAdmin_inTheApiErrorShape_whileHealthStaysOpen() throws Exception {
        HttpResponse<String> anonymous = get("/admin/metrics", null);
        assertEquals(401, anonymous.statusCode());
        assertEquals("Basic realm=\"berth\"", anonymous.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertTrue(anonymous.body().startsWith("{\"errors\":[{\"code\":\"UNAUTHORIZED\""), anonymous.body());

        HttpResponse<String> admin = get("/admin/metrics", BerthApplicationTest.adminBasic(DATA));
        assertEquals(200, admin.statusCode());
        assertTrue(admin.body().contains("\"gauges\""), admin.body());

        assertEquals(200, get("/admin/healthcheck", null).statusCode());
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getLocalPort() + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
