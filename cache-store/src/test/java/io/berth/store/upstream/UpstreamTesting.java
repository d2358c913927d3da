package io.berth.store.upstream;

import io.berth.store.oci.Digest;
import io.berth.store.upstream.UpstreamClients.Options;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/** Endpoints, options and content for the upstream client's tests. */
final class UpstreamTesting {
    static final String INDEX_TYPE = "application/vnd.oci.image.index.v1+json";
    static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";

    private UpstreamTesting() {
    }

    /**
     * Short backoffs so failing paths finish quickly, one try unless a test asks for more, and
     * timeouts long enough for a busy machine (tests of timeouts set their own).
     */
    static Options fastOptions() {
        return Options.defaults()
                .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10))
                .withRetries(1, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(2));
    }

    static RegistryEndpoint endpoint(Credential credential, URI... urls) {
        return new RegistryEndpoint(1, "hub", RegistryEndpoint.Type.DOCKER_HUB, List.of(urls), false, null,
                credential, null);
    }

    static RegistryEndpoint endpoint(URI... urls) {
        return endpoint(null, urls);
    }

    static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static Digest sha256(byte[] bytes) {
        return Digest.sha256(bytes);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A minimal image config blob. */
    static final byte[] IMAGE_CONFIG = utf8("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":"
            + "\"layers\",\"diff_ids\":[]}}");

    /** An OCI image manifest of {@code config} and one gzip layer {@code layer}. */
    static byte[] imageManifest(byte[] config, byte[] layer) {
        return utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST_TYPE + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + sha256(config) + "\",\"size\":"
                + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                + "\"digest\":\"" + sha256(layer) + "\",\"size\":" + layer.length + "}]}");
    }

    /** A small OCI image manifest, distinct per {@code salt}. */
    static byte[] imageManifest(String salt) {
        return utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST_TYPE + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + sha256(utf8(salt)) + "\",\"size\":"
                + salt.length() + "},\"layers\":[]}");
    }

    /** A URL on 127.0.0.1 where nothing listens (connections are refused). */
    static URI deadUrl() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + s.getLocalPort());
        }
    }
}
