package io.berth.admin.api;

import io.berth.admin.BerthApplicationTest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The registry port of an {@link ApiApp}, for tests that need content in a project. */
final class Registry {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** For an app with TLS: its certificate is self-signed, made for the test. */
    private static final HttpClient HTTPS = HttpClient.newBuilder().sslContext(SelfSignedCertificate.trustingAll())
            .build();

    private Registry() {
    }

    /** Uploads a blob into {@code repository} as the admin, which makes the repository exist. */
    static void pushBlob(ApiApp app, String repository, String content) throws Exception {
        pushBlob(app, BerthApplicationTest.adminBasic(app.data), repository, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Pushes a small image (a config, a layer and their manifest) as {@code repository:tag}, signed in as given. */
    static void pushImage(ApiApp app, String authorization, String repository, String tag) throws Exception {
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        byte[] layer = ("a layer of " + repository + ":" + tag).getBytes(StandardCharsets.UTF_8);
        pushBlob(app, authorization, repository, config);
        pushBlob(app, authorization, repository, layer);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                + sha256(config) + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + sha256(layer) + "\",\"size\":"
                + layer.length + "}]}";
        HttpResponse<String> put = send(app, HttpRequest.newBuilder(uri(app, "/v2/" + repository + "/manifests/" + tag))
                .header("Authorization", authorization)
                .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofString(manifest)));
        assertEquals(201, put.statusCode(), put.body());
    }

    /** Puts a manifest's bytes as {@code repository:reference}, signed in as given; the registry's answer. */
    static HttpResponse<String> putManifest(ApiApp app, String authorization, String repository, String reference,
                                            String mediaType, String manifest) {
        return send(app, HttpRequest.newBuilder(uri(app, "/v2/" + repository + "/manifests/" + reference))
                .header("Authorization", authorization)
                .header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofString(manifest)));
    }

    /** A request without a body on the registry port, signed in as given (null: anonymous). */
    static HttpResponse<String> request(ApiApp app, String method, String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(app, path)).method(method,
                HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(app, request);
    }

    /** {@code GET /v2/} on the registry port with {@code authorization}: its status. */
    static int v2(ApiApp app, String authorization) {
        return send(app, HttpRequest.newBuilder(uri(app, "/v2/")).header("Authorization", authorization)).statusCode();
    }

    private static void pushBlob(ApiApp app, String authorization, String repository, byte[] bytes) {
        HttpResponse<String> response = send(app, HttpRequest.newBuilder(uri(app, "/v2/" + repository
                        + "/blobs/uploads/?digest=" + sha256(bytes)))
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)));
        assertEquals(201, response.statusCode(), response.body());
    }

    private static URI uri(ApiApp app, String path) {
        return URI.create(app.registryUrl() + path);
    }

    private static HttpResponse<String> send(ApiApp app, HttpRequest.Builder request) {
        try {
            return (app.tls ? HTTPS : HTTP).send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(byte[] content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
