package io.berth.admin.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** A plain-HTTP client of the registry's V2 API (java.net.http), for what the real clients cannot show. */
public final class V2Client {
    public static final String MANIFEST_ACCEPT = String.join(", ",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json");
    public static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http;

    public V2Client(URI base) {
        this.base = base;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1).build();
    }

    public HttpClient http() {
        return http;
    }

    public URI uri(String pathAndQuery) {
        return base.resolve(pathAndQuery);
    }

    public HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofMinutes(2));
    }

    public HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** A manifest as the registry serves it. */
    public record Manifest(int status, byte[] bytes, String mediaType, String digest) {}

    public Manifest manifest(String repo, String reference) {
        HttpResponse<byte[]> r = send(request("/v2/" + repo + "/manifests/" + reference)
                .header("Accept", MANIFEST_ACCEPT).GET().build());
        return new Manifest(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(null),
                r.headers().firstValue("Docker-Content-Digest").orElse(null));
    }

    public HttpResponse<byte[]> putManifest(String repo, String reference, String mediaType, byte[] bytes) {
        return send(request("/v2/" + repo + "/manifests/" + reference).header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
    }

    /** Status of {@code GET /v2/<repo>/blobs/<digest>}, and the sha256 of the body when 200. */
    public record BlobCheck(int status, String actualDigest) {}

    public BlobCheck blob(String repo, String digest) {
        try {
            HttpResponse<InputStream> r = http.send(request("/v2/" + repo + "/blobs/" + digest).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                if (r.statusCode() != 200) {
                    in.readAllBytes();
                    return new BlobCheck(r.statusCode(), null);
                }
                return new BlobCheck(200, E2e.sha256(in));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("GET blob " + digest + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Fails unless the blob is served whole with the right digest. */
    public void assertBlob(String repo, String digest) {
        BlobCheck check = blob(repo, digest);
        assertEquals(200, check.status(), "GET /v2/" + repo + "/blobs/" + digest);
        assertEquals(digest, check.actualDigest(), "content of blob " + digest + " in " + repo);
    }

    /** Uploads a blob in one piece ({@code POST}, then {@code PUT ?digest=} with the body); returns its digest. */
    public String pushBlob(String repo, byte[] content) {
        String digest = E2e.sha256(content);
        HttpResponse<byte[]> start = send(request("/v2/" + repo + "/blobs/uploads/")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(202, start.statusCode(), () -> "POST upload: " + new String(start.body()));
        String location = start.headers().firstValue("Location").orElse(null);
        assertNotNull(location, "upload Location");
        HttpResponse<byte[]> put = send(HttpRequest.newBuilder(uploadUri(location, "digest=" + digest))
                .timeout(Duration.ofMinutes(2)).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build());
        assertEquals(201, put.statusCode(), () -> "PUT upload: " + new String(put.body()));
        return digest;
    }

    /** The upload URL from a {@code Location} header, with a query parameter appended. */
    public URI uploadUri(String location, String query) {
        URI loc = base.resolve(location);
        String sep = loc.getRawQuery() == null ? "?" : "&";
        return URI.create(loc + (query == null ? "" : sep + query));
    }

    public JsonNode json(String pathAndQuery) {
        HttpResponse<byte[]> r = send(request(pathAndQuery).GET().build());
        assertEquals(200, r.statusCode(), () -> "GET " + pathAndQuery + ": " + new String(r.body()));
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("GET " + pathAndQuery + " is not JSON: " + new String(r.body()), e);
        }
    }

    public static JsonNode parse(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + new String(json), e);
        }
    }
}
