package io.berth.gateway.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static io.berth.store.testing.ManifestJson.DOCKER_LIST;
import static io.berth.store.testing.ManifestJson.DOCKER_MANIFEST;
import static io.berth.store.testing.ManifestJson.OCI_CONFIG;
import static io.berth.store.testing.ManifestJson.OCI_EMPTY;
import static io.berth.store.testing.ManifestJson.OCI_LAYER;
import static io.berth.store.testing.ManifestJson.OCI_MANIFEST;

/**
 * Content to push: deterministic blob bytes, digests, and manifests built as JSON from the
 * descriptors of what they reference. Everything is computed here, independently of the server,
 * so a test can compare what it gets back with what it sent.
 */
public final class TestContent {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestContent() {
    }

    /** Content with the media type it is referenced by: a blob, or a manifest. */
    public record Blob(String mediaType, byte[] bytes) {
        public String digest() {
            return TestContent.digest(bytes);
        }

        public long size() {
            return bytes.length;
        }

        ObjectNode descriptor() {
            ObjectNode d = JSON.createObjectNode();
            d.put("mediaType", mediaType);
            d.put("digest", digest());
            d.put("size", size());
            return d;
        }
    }

    /** {@code size} bytes that depend only on {@code seed}. */
    public static byte[] bytes(long seed, int size) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) random.nextInt(256);
        }
        return b;
    }

    /** A layer blob of {@code size} bytes unique to {@code seed}. */
    public static Blob layer(long seed, int size) {
        return new Blob(OCI_LAYER, bytes(seed, size));
    }

    /** An image config blob unique to {@code seed}. */
    public static Blob config(long seed) {
        return new Blob(OCI_CONFIG, utf8("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Labels\":{\"seed\":\""
                + seed + "\"}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"));
    }

    /** The OCI empty descriptor's content, {@code {}}. */
    public static Blob empty() {
        return new Blob(OCI_EMPTY, utf8("{}"));
    }

    public static String digest(byte[] content) {
        return "sha256:" + hex("SHA-256", content);
    }

    public static String sha512(byte[] content) {
        return "sha512:" + hex("SHA-512", content);
    }

    private static String hex(String algorithm, byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static String text(byte[] body) {
        return body == null ? "" : new String(body, StandardCharsets.UTF_8);
    }

    /** An OCI image manifest over a config and layers. */
    public static ManifestBuilder image(Blob config, Blob... layers) {
        return new ManifestBuilder(OCI_MANIFEST, config, layers);
    }

    /** A Docker schema 2 manifest over a config and layers. */
    public static ManifestBuilder dockerImage(Blob config, Blob... layers) {
        return new ManifestBuilder(DOCKER_MANIFEST, config, layers);
    }

    /** An image index (or, with {@link io.berth.store.testing.ManifestJson#DOCKER_LIST}, a Docker manifest list) of manifests. */
    public static ManifestBuilder index(String mediaType, Blob... manifests) {
        return new ManifestBuilder(mediaType, manifests);
    }

    /** Builds the JSON of a manifest or index; fields appear in a fixed order. */
    public static final class ManifestBuilder {
        private final String mediaType;
        private final Blob config;
        private final Blob[] entries;
        private final Map<String, String> annotations = new LinkedHashMap<>();
        private String artifactType;
        private Blob subject;
        private boolean omitMediaType;

        private ManifestBuilder(String mediaType, Blob config, Blob[] layers) {
            this.mediaType = mediaType;
            this.config = config;
            this.entries = layers;
        }

        private ManifestBuilder(String mediaType, Blob[] manifests) {
            this(mediaType, null, manifests);
        }

        public ManifestBuilder artifactType(String type) {
            this.artifactType = type;
            return this;
        }

        public ManifestBuilder subject(Blob manifest) {
            this.subject = manifest;
            return this;
        }

        public ManifestBuilder annotation(String key, String value) {
            annotations.put(key, value);
            return this;
        }

        /** Leaves the {@code mediaType} field out of the JSON (the blob still carries the type). */
        public ManifestBuilder withoutMediaTypeField() {
            this.omitMediaType = true;
            return this;
        }

        public ObjectNode json() {
            ObjectNode root = JSON.createObjectNode();
            root.put("schemaVersion", 2);
            if (!omitMediaType) {
                root.put("mediaType", mediaType);
            }
            if (artifactType != null) {
                root.put("artifactType", artifactType);
            }
            if (config != null) {
                root.set("config", config.descriptor());
                ArrayNode layers = root.putArray("layers");
                for (Blob layer : entries) {
                    layers.add(layer.descriptor());
                }
            } else {
                ArrayNode manifests = root.putArray("manifests");
                for (Blob m : entries) {
                    manifests.add(m.descriptor());
                }
            }
            if (subject != null) {
                root.set("subject", subject.descriptor());
            }
            if (!annotations.isEmpty()) {
                ObjectNode a = root.putObject("annotations");
                annotations.forEach(a::put);
            }
            return root;
        }

        public Blob build() {
            return new Blob(mediaType, write(json()));
        }
    }

    /** Serializes JSON compactly. */
    public static byte[] write(Object json) {
        try {
            return JSON.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
