package io.berth.gateway.hostile;

import io.berth.gateway.testing.TestContent.Blob;
import io.berth.gateway.testing.TestContent;
import io.berth.gateway.testing.V2Client;

import java.net.http.HttpResponse;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A well-behaved client among hostile ones: pulls a manifest and a blob and pushes a small image,
 * again and again, retrying when told to ({@code 503} with {@code Retry-After}), as docker and
 * containerd do. Every step must eventually succeed.
 */
final class NormalClient {
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");
    private static final int MAX_RETRIES = 30;

    private final V2Client client;
    private final Outcomes outcomes = new Outcomes("normal client");
    private final Blob image;
    private final String blob;
    private final byte[] blobContent = TestContent.bytes(7, 1 << 20);
    private int cycles;

    NormalClient(V2Client client) {
        this.client = client;
        this.image = client.pushImage("hostile/normal", "v1", 3);
        this.blob = client.pushBlob("hostile/normal", blobContent);
    }

    /** One round of pull, pull, push. */
    void cycle() {
        HttpResponse<byte[]> manifest = retrying(() -> client.get("/v2/hostile/normal/manifests/v1",
                "Accept", image.mediaType()), outcomes, "manifest GET");
        check(manifest, 200, "manifest GET");
        HttpResponse<byte[]> layer = retrying(() -> client.get("/v2/hostile/normal/blobs/" + blob), outcomes, "blob GET");
        check(layer, 200, "blob GET");
        if (layer.statusCode() == 200 && !java.util.Arrays.equals(blobContent, layer.body())) {
            outcomes.violation("blob GET returned other bytes");
        }
        long seed = 10_000 + cycles;
        Blob config = TestContent.config(seed);
        HttpResponse<byte[]> pushed = retrying(() -> client.post("/v2/hostile/normal/blobs/uploads/?digest="
                + config.digest(), config.bytes(), "Content-Type", "application/octet-stream"), outcomes, "blob push");
        check(pushed, 201, "blob push");
        Blob manifestOfCycle = TestContent.image(config).build();
        HttpResponse<byte[]> put = retrying(() -> client.putManifest("hostile/normal", "cycle" + cycles, manifestOfCycle),
                outcomes, "manifest push");
        check(put, 201, "manifest push");
        cycles++;
    }

    private void check(HttpResponse<byte[]> response, int expected, String what) {
        if (response.statusCode() != expected) {
            outcomes.violation(what + " answered " + response.statusCode() + ": " + TestContent.text(response.body()));
        }
    }

    int cycles() {
        return cycles;
    }

    Outcomes outcomes() {
        return outcomes;
    }

    /** Runs a request again while it is answered 503 with Retry-After (waiting at most a second). */
    static HttpResponse<byte[]> retrying(Supplier<HttpResponse<byte[]>> request, Outcomes out, String what) {
        HttpResponse<byte[]> response = request.get();
        for (int i = 0; i < MAX_RETRIES && response.statusCode() == 503; i++) {
            out.record(503, response.headers().firstValue("Retry-After"), what);
            try {
                Thread.sleep(Math.min(1000, 1000L * Long.parseLong(response.headers().firstValue("Retry-After").orElse("1"))));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            response = request.get();
        }
        out.record(response.statusCode(), response.headers().firstValue("Retry-After"), what);
        return response;
    }

    /** The next page a listing's {@code Link} header points to, or null. */
    static String nextLink(HttpResponse<?> response) {
        return response.headers().firstValue("Link").map(l -> {
            Matcher m = NEXT.matcher(l);
            return m.find() ? m.group(1) : null;
        }).orElse(null);
    }
}
