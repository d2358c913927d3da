package io.berth.gateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A small V2 API client over {@link HttpClient} (HTTP/1.1, no redirects): one method per HTTP verb
 * taking a path and alternating header names and values, plus the push steps most tests need as
 * setup. Every response is returned whole, body as bytes, for the test to assert on.
 */
public final class V2Client implements AutoCloseable {
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    public V2Client(URI base) {
        this.base = base;
    }

    /** The absolute URI of a path (with its query) on this server. */
    public URI uri(String pathAndQuery) {
        return base.resolve(pathAndQuery);
    }

    public HttpResponse<byte[]> get(String path, String... headers) {
        return send("GET", path, BodyPublishers.noBody(), headers);
    }

    public HttpResponse<byte[]> head(String path, String... headers) {
        return send("HEAD", path, BodyPublishers.noBody(), headers);
    }

    public HttpResponse<byte[]> delete(String path, String... headers) {
        return send("DELETE", path, BodyPublishers.noBody(), headers);
    }

    public HttpResponse<byte[]> post(String path, byte[] body, String... headers) {
        return send("POST", path, BodyPublishers.ofByteArray(body), headers);
    }

    public HttpResponse<byte[]> put(String path, byte[] body, String... headers) {
        return send("PUT", path, BodyPublishers.ofByteArray(body), headers);
    }

    public HttpResponse<byte[]> patch(String path, byte[] body, String... headers) {
        return send("PATCH", path, BodyPublishers.ofByteArray(body), headers);
    }

    /**
     * Sends a body of unknown length, which the client frames with {@code Transfer-Encoding:
     * chunked}: how docker streams a layer it compresses on the fly.
     */
    public HttpResponse<byte[]> sendStreamed(String method, String path, Supplier<InputStream> body, String... headers) {
        return send(method, path, BodyPublishers.ofInputStream(body), headers);
    }

    /** Sends a request and reads the whole response. */
    public HttpResponse<byte[]> send(String method, String path, BodyPublisher body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).method(method, body);
        if (headers.length % 2 != 0) {
            throw new IllegalArgumentException("headers come in name, value pairs");
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(request.build(), BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method + " " + path, e);
        }
    }

    /** Sends a request and hands back the response body as a stream, for large downloads. */
    public HttpResponse<InputStream> getStream(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(request.build(), BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during GET " + path, e);
        }
    }

    // ---- push steps used as setup ---------------------------------------------------------

    /** Pushes a blob with a single monolithic POST and returns its digest; fails the test unless 201. */
    public String pushBlob(String repository, byte[] content) {
        String digest = TestContent.digest(content);
        HttpResponse<byte[]> response = post("/v2/" + repository + "/blobs/uploads/?digest=" + digest, content,
                "Content-Type", "application/octet-stream");
        assertEquals(201, response.statusCode(), () -> "pushing blob " + digest + " into " + repository + ": "
                + TestContent.text(response.body()));
        return digest;
    }

    /** Pushes a blob given as content with a media type (a config or layer) and returns it. */
    public TestContent.Blob pushBlob(String repository, TestContent.Blob blob) {
        pushBlob(repository, blob.bytes());
        return blob;
    }

    /** Starts an upload session and returns its location; fails the test unless 202. */
    public String startUpload(String repository) {
        HttpResponse<byte[]> response = post("/v2/" + repository + "/blobs/uploads/", new byte[0]);
        assertEquals(202, response.statusCode(), () -> "starting an upload in " + repository + ": "
                + TestContent.text(response.body()));
        return response.headers().firstValue("Location").orElseThrow();
    }

    /** PUTs a manifest with its media type as Content-Type. */
    public HttpResponse<byte[]> putManifest(String repository, String reference, TestContent.Blob manifest) {
        return put("/v2/" + repository + "/manifests/" + reference, manifest.bytes(),
                "Content-Type", manifest.mediaType());
    }

    /** PUTs a manifest and fails the test unless it was created. */
    public TestContent.Blob pushManifest(String repository, String reference, TestContent.Blob manifest) {
        HttpResponse<byte[]> response = putManifest(repository, reference, manifest);
        assertEquals(201, response.statusCode(), () -> "pushing manifest " + reference + " into " + repository
                + ": " + TestContent.text(response.body()));
        return manifest;
    }

    /**
     * Pushes a small image (a config and one layer, both unique to {@code seed}) and its manifest
     * under {@code tag}; returns the manifest.
     */
    public TestContent.Blob pushImage(String repository, String tag, long seed) {
        TestContent.Blob config = pushBlob(repository, TestContent.config(seed));
        TestContent.Blob layer = pushBlob(repository, TestContent.layer(seed, 1024));
        return pushManifest(repository, tag, TestContent.image(config, layer).build());
    }

    @Override
    public void close() {
        http.close();
    }
}
