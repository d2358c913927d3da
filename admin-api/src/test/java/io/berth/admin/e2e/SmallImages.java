package io.berth.admin.e2e;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Small OCI images pushed over plain V2 calls, fast enough for bursts: each has a base layer that
 * all of them share (so destinations can skip or mount it), a layer of its own and a config, both
 * made from a seed, so an image and its manifest digest are the same every run.
 */
final class SmallImages {
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final byte[] BASE_LAYER = random(-1, 8 * 1024);

    /** An image pushed as {@code repo:tag}, whose manifest has {@code digest}. */
    record Pushed(String repo, String tag, String digest) {
        String reference() {
            return repo + ":" + tag;
        }
    }

    private SmallImages() {
    }

    /** Pushes the image of {@code seed} as {@code repo:tag} (blobs, then the manifest); fails unless it was accepted. */
    static Pushed push(V2Client v2, String repo, String tag, long seed) {
        byte[] own = random(seed, 2 * 1024 + (int) Math.floorMod(seed, 1024L));
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Labels\":{\"seed\":\"" + seed
                + "\"}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + E2e.sha256(BASE_LAYER) + "\",\""
                + E2e.sha256(own) + "\"]}}").getBytes(StandardCharsets.UTF_8);
        v2.pushBlob(repo, BASE_LAYER);
        v2.pushBlob(repo, own);
        v2.pushBlob(repo, config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + E2e.sha256(config) + "\",\"size\":"
                + config.length + "},\"layers\":[" + layer(BASE_LAYER) + "," + layer(own) + "]}")
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> put = v2.putManifest(repo, tag, OCI_MANIFEST, manifest);
        assertEquals(201, put.statusCode(), () -> "PUT manifest " + repo + ":" + tag + ": " + new String(put.body(),
                StandardCharsets.UTF_8));
        return new Pushed(repo, tag, E2e.sha256(manifest));
    }

    private static String layer(byte[] content) {
        return "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + E2e.sha256(content)
                + "\",\"size\":" + content.length + "}";
    }

    private static byte[] random(long seed, int size) {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }
}
