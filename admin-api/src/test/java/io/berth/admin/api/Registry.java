package io.berth.admin.api;

import io.berth.admin.BerthApplicationTest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The registry port of an {@link ApiApp}, for tests that need content in a project. */
final class Registry {
    private Registry() {
    }

    /** Uploads a blob into {@code repository} as the admin, which makes the repository exist. */
    static void pushBlob(ApiApp app, String repository, String content) throws Exception {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + app.registryPort + "/v2/" + repository + "/blobs/uploads/?digest=" + digest))
                .header("Authorization", BerthApplicationTest.adminBasic(app.data))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
    }
}
