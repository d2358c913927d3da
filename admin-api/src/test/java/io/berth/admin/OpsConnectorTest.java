package io.berth.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jetty.HttpConnectorFactory;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.validation.BaseValidator;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin port split: Dropwizard's unauthenticated operational endpoints ({@code /admin/tasks},
 * {@code /admin/threads}) only on the ops connector, which binds 127.0.0.1 by default; health and
 * metrics on the public admin API port as well, where probes expect them.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class OpsConnectorTest {
    private static final Path DATA = BerthApplicationTest.tempDir();
    private static final ObjectMapper JSON = new ObjectMapper();

    // The ops connector keeps its configured bind address: what the quick start gives everyone.
    static final DropwizardAppExtension<BerthConfiguration> APP = new DropwizardAppExtension<>(
            BerthApplication.class, BerthApplicationTest.repoRoot().resolve("conf/berth.yml").toString(),
            BerthApplicationTest.quickStartOverrides(DATA, BerthApplicationTest.freePort()));

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void apiPort_servesHealthAndMetrics_butNotTasksOrThreads() throws Exception {
        HttpResponse<String> health = get(api("/admin/healthcheck"));
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(JSON.readTree(health.body()).path("database").path("healthy").asBoolean(), health.body());

        HttpResponse<String> metrics = get(api("/admin/metrics"));
        assertEquals(200, metrics.statusCode(), metrics.body());
        assertTrue(JSON.readTree(metrics.body()).path("counters").has("berth.registry.connections.open"), metrics.body());

        assertEquals(404, get(api("/admin/threads")).statusCode());
        assertEquals(404, get(api("/admin/tasks")).statusCode());
        assertEquals(404, post(api("/admin/tasks/gc")).statusCode());
    }

    @Test
    void opsPort_servesTasksThreadsHealthAndMetrics() throws Exception {
        HttpResponse<String> threads = get(ops("/admin/threads"));
        assertEquals(200, threads.statusCode());
        assertTrue(threads.body().contains("berth-upload-janitor"), "a thread dump: " + threads.body());
        assertEquals(200, post(ops("/admin/tasks/gc")).statusCode());
        assertEquals(200, get(ops("/admin/healthcheck")).statusCode());
        assertEquals(200, get(ops("/admin/metrics")).statusCode());
    }

    @Test
    void opsConnector_isBoundToLoopbackByDefault() throws Exception {
        Connector[] connectors = APP.getEnvironment().getApplicationContext().getServer().getConnectors();
        boolean sawOps = false;
        for (Connector connector : connectors) {
            if ("admin".equals(connector.getName())) {
                sawOps = true;
                InetSocketAddress bound = (InetSocketAddress) ((ServerSocketChannel) ((ServerConnector) connector)
                        .getTransport()).getLocalAddress();
                assertEquals("127.0.0.1", bound.getAddress().getHostAddress(), bound.toString());
                assertEquals(APP.getAdminPort(), bound.getPort());
            }
        }
        assertTrue(sawOps, "no connector named admin among " + connectors.length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"conf/berth.yml", "conf/berth-postgres.yml"})
    void shippedConfigs_putOpsOnLoopback8081_andTheApiOnAllInterfaces8080(String file) throws Exception {
        BerthConfiguration config = new YamlConfigurationFactory<>(BerthConfiguration.class,
                // Not "dw": the running APP's ConfigOverrides are dw.* system properties.
                BaseValidator.newValidator(), Jackson.newObjectMapper(), "berth-config-test")
                .build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
                        new EnvironmentVariableSubstitutor(false, true)),
                        BerthApplicationTest.repoRoot().resolve(file).toString());
        DefaultServerFactory server = (DefaultServerFactory) config.getServerFactory();
        HttpConnectorFactory ops = (HttpConnectorFactory) server.getAdminConnectors().get(0);
        HttpConnectorFactory api = (HttpConnectorFactory) server.getApplicationConnectors().get(0);
        assertEquals(System.getenv().getOrDefault("BERTH_OPS_BIND", "127.0.0.1"), ops.getBindHost());
        assertEquals(Integer.parseInt(System.getenv().getOrDefault("BERTH_OPS_PORT", "8081")), ops.getPort());
        assertEquals(System.getenv().getOrDefault("BERTH_ADMIN_BIND", "0.0.0.0"), api.getBindHost());
        assertEquals(Integer.parseInt(System.getenv().getOrDefault("BERTH_ADMIN_PORT", "8080")), api.getPort());
        assertEquals("/admin", server.getAdminContextPath());
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static URI api(String path) {
        return URI.create("http://127.0.0.1:" + APP.getLocalPort() + path);
    }

    private static URI ops(String path) {
        return URI.create("http://127.0.0.1:" + APP.getAdminPort() + path);
    }
}
