package io.berth.admin;

import io.berth.store.testing.TestDatabases;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The production example {@code conf/berth-postgres.yml} starts on a real PostgreSQL and serves pushes. */
class PostgresConfigTest {

    @Test
    void postgresConfig_migratesSchemaAndServesRegistry(@TempDir Path data) throws Exception {
        PGSimpleDataSource schema = (PGSimpleDataSource) TestDatabases.postgres();
        String url = schema.getURL() + (schema.getURL().contains("?") ? "&" : "?") + "currentSchema=" + schema.getCurrentSchema();
        int registryPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            registryPort = socket.getLocalPort();
        }
        DropwizardTestSupport<BerthConfiguration> app = new DropwizardTestSupport<>(BerthApplication.class,
                BerthApplicationTest.repoRoot().resolve("conf/berth-postgres.yml").toString(),
                ConfigOverride.config("storage.root", data.toString()),
                ConfigOverride.config("database.url", url),
                ConfigOverride.config("registry.bindHost", "127.0.0.1"),
                ConfigOverride.config("registry.port", String.valueOf(registryPort)),
                ConfigOverride.config("server.applicationConnectors[0].bindHost", "127.0.0.1"),
                ConfigOverride.config("server.applicationConnectors[0].port", "0"),
                ConfigOverride.config("server.adminConnectors[0].port", "0"));
        app.before();
        try {
            HttpClient http = HttpClient.newHttpClient();
            byte[] blob = "stored through PostgreSQL".getBytes();
            String digest = "sha256:" + java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(blob));
            HttpResponse<String> push = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + registryPort
                    + "/v2/ops/tools/blobs/uploads/?digest=" + digest))
                    .header("Authorization", BerthApplicationTest.adminBasic(data)).POST(HttpRequest.BodyPublishers.ofByteArray(blob))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, push.statusCode(), push.body());
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + app.getLocalPort() + "/admin/healthcheck")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
            HttpResponse<String> projects = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + app.getLocalPort() + "/api/v1/projects")).header("Authorization",
                    BerthApplicationTest.adminBasic(data)).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(projects.body().contains("\"ops\""), projects.body());
        } finally {
            app.after();
        }
    }
}
