package io.berth.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Boots the real application from the quick-start {@code conf/berth.yml} (on a temp data dir and
 * free ports), pushes an image through the registry port, and reads it back through the admin API.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
public class BerthApplicationTest {
    private static final Path DATA = tempDir();
    private static final int REGISTRY_PORT = freePort();
    private static final ObjectMapper JSON = new ObjectMapper();

    static final DropwizardAppExtension<BerthConfiguration> APP = new DropwizardAppExtension<>(
            BerthApplication.class, repoRoot().resolve("conf/berth.yml").toString(),
            quickStartOverrides(DATA, REGISTRY_PORT));

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void quickStartConfig_pushedImage_isListedByAdminApi() throws Exception {
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        byte[] layer = "not really a tarball, but a blob all the same".getBytes(StandardCharsets.UTF_8);
        pushBlob("team/web", config);
        pushBlob("team/web", layer);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + sha256(config)
                + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\","
                + "\"digest\":\"" + sha256(layer) + "\",\"size\":" + layer.length + "}]}";
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(registry("/v2/team/web/manifests/1.0"))
                .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                .header("Authorization", adminBasic())
                .PUT(HttpRequest.BodyPublishers.ofString(manifest)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, put.statusCode(), put.body());

        JsonNode projects = adminGet("/api/v1/projects", 200);
        assertEquals("team", projects.get(0).get("name").asText());
        assertEquals(1, projects.get(0).get("repositoryCount").asInt());

        JsonNode repositories = adminGet("/api/v1/projects/team/repositories", 200);
        assertEquals("team/web", repositories.get(0).get("name").asText());
        assertEquals(1, repositories.get(0).get("tagCount").asInt());

        JsonNode artifacts = adminGet("/api/v1/repositories/team/web/artifacts", 200);
        JsonNode artifact = artifacts.get(0);
        assertEquals(sha256(manifest.getBytes(StandardCharsets.UTF_8)), artifact.get("digest").asText());
        assertEquals("application/vnd.oci.image.manifest.v1+json", artifact.get("mediaType").asText());
        assertEquals(manifest.length(), artifact.get("size").asLong());
        assertEquals("1.0", artifact.get("tags").get(0).asText());
        assertTrue(artifact.get("pushedAt").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), artifact.toString());
    }

    @Test
    void firstStart_generatesTheAdminPassword_intoAFileOnlyItsOwnerReads_andTheRegistryAsksForIt() throws Exception {
        Path file = DATA.resolve(InitialAdmin.FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(registry("/v2/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode());
        assertEquals("Bearer realm=\"http://127.0.0.1:" + REGISTRY_PORT + "/service/token\",service=\"berth\"",
                anonymous.headers().firstValue("WWW-Authenticate").orElseThrow());

        HttpResponse<String> token = http.send(HttpRequest.newBuilder(registry("/service/token?service=berth"
                + "&scope=repository:team/web:pull,push")).header("Authorization", adminBasic()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, token.statusCode(), token.body());
        String bearer = "Bearer " + JSON.readTree(token.body()).get("token").asText();
        HttpResponse<String> signedIn = http.send(HttpRequest.newBuilder(registry("/v2/")).header("Authorization",
                bearer).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, signedIn.statusCode(), signedIn.body());
    }

    @Test
    void unknownProjectOrRepository_answersNotFoundInTheOneErrorShape() throws Exception {
        JsonNode project = adminGet("/api/v1/projects/nope/repositories", 404);
        assertEquals("NOT_FOUND", onlyError(project).get("code").asText());
        assertTrue(onlyError(project).get("message").asText().contains("nope"), project.toString());

        JsonNode repository = adminGet("/api/v1/repositories/nope/x/artifacts", 404);
        assertEquals("NOT_FOUND", onlyError(repository).get("code").asText());

        JsonNode invalid = adminGet("/api/v1/repositories/Bad..Name/artifacts", 400);
        assertEquals("INVALID_INPUT", onlyError(invalid).get("code").asText());
        assertTrue(onlyError(invalid).get("message").asText().contains("not a valid repository name"), invalid.toString());
    }

    @Test
    void theAdminApi_asksWhoIsCalling_andShowsAnonymousCallersNoPrivateProject() throws Exception {
        HttpResponse<String> users = http.send(HttpRequest.newBuilder(admin("/api/v1/users")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, users.statusCode(), users.body());
        assertEquals("Basic realm=\"berth\"", users.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertEquals("UNAUTHORIZED", onlyError(JSON.readTree(users.body())).get("code").asText());

        HttpResponse<String> projects = http.send(HttpRequest.newBuilder(admin("/api/v1/projects")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, projects.statusCode(), projects.body());
        for (JsonNode p : JSON.readTree(projects.body())) {
            assertTrue(p.get("public").asBoolean(), projects.body());
        }
    }

    /** The one entry of an error body {@code {"errors":[{"code","message"}]}}, which has nothing else. */
    private static JsonNode onlyError(JsonNode body) {
        assertEquals(1, body.size(), body.toString());
        assertEquals(1, body.get("errors").size(), body.toString());
        JsonNode error = body.get("errors").get(0);
        assertEquals(2, error.size(), body.toString());
        return error;
    }

    @Test
    void healthChecks_reportDatabaseStorageAndDisk() throws Exception {
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(admin("/admin/healthcheck")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), health.body());
        JsonNode checks = JSON.readTree(health.body());
        for (String name : new String[] {"database", "storage", "disk"}) {
            assertTrue(checks.get(name).get("healthy").asBoolean(), name + ": " + health.body());
        }
    }

    private void pushBlob(String repository, byte[] content) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        registry("/v2/" + repository + "/blobs/uploads/?digest=" + sha256(content)))
                .header("Authorization", adminBasic())
                .POST(HttpRequest.BodyPublishers.ofByteArray(content)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
    }

    private JsonNode adminGet(String path, int expectedStatus) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(admin(path)).header("Authorization",
                adminBasic()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expectedStatus, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static String adminBasic() throws IOException {
        return adminBasic(DATA);
    }

    /** Basic credentials of the admin, whose password the first start generated into {@code data}. */
    public static String adminBasic(Path data) throws IOException {
        String password = Files.readString(data.resolve(InitialAdmin.FILE)).strip();
        return "Basic " + Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static URI registry(String path) {
        return URI.create("http://127.0.0.1:" + REGISTRY_PORT + path);
    }

    private static URI admin(String path) {
        return URI.create("http://127.0.0.1:" + APP.getLocalPort() + path);
    }

    private static String sha256(byte[] content) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

    /**
     * For conf/berth.yml: storage and H2 in {@code data}, the registry on 127.0.0.1:{@code registryPort},
     * the admin API on 127.0.0.1 and the ops connector (its bind address as configured) on free ports.
     */
    public static ConfigOverride[] quickStartOverrides(Path data, int registryPort) {
        return new ConfigOverride[] {
            ConfigOverride.config("storage.root", data.toString()),
            ConfigOverride.config("database.url", "jdbc:h2:file:" + data.resolve("db/berth")
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"),
            ConfigOverride.config("registry.bindHost", "127.0.0.1"),
            ConfigOverride.config("registry.port", String.valueOf(registryPort)),
            ConfigOverride.config("server.applicationConnectors[0].bindHost", "127.0.0.1"),
            ConfigOverride.config("server.applicationConnectors[0].port", "0"),
            ConfigOverride.config("server.adminConnectors[0].port", "0")};
    }

    public static Path repoRoot() {
        String root = System.getenv("BERTH_REPO_ROOT");
        return root != null ? Path.of(root) : Path.of("..").toAbsolutePath().normalize();
    }

    public static Path tempDir() {
        try {
            return Files.createTempDirectory("berth-app-test");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
