package io.berth.store.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Small builders for manifest JSON in tests: descriptors, image manifests and indexes, written as
 * plain strings so a test can also write them wrong on purpose.
 */
public final class ManifestJson {
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public static final String DOCKER_FOREIGN_LAYER = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
    /** The content of the OCI empty descriptor, and its digest. */
    public static final String EMPTY_JSON = "{}";
    public static final String EMPTY_DIGEST = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

    private ManifestJson() {
    }

    public static String sha256(byte[] content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public static String descriptor(String mediaType, String digest, long size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }

    /** A descriptor of {@code content}, with its real sha256 and size. */
    public static String descriptor(String mediaType, byte[] content) {
        return descriptor(mediaType, sha256(content), content.length);
    }

    /** The OCI empty descriptor ({@code {}}), as artifacts use for their config. */
    public static String emptyConfig() {
        return descriptor(OCI_EMPTY, EMPTY_DIGEST, 2);
    }

    /**
     * An image manifest; {@code mediaType} may be null to leave the field out, {@code extra} is
     * inserted verbatim as further top-level fields (e.g. {@code "artifactType":"x"}), or null.
     */
    public static String image(String mediaType, String config, String extra, String... layers) {
        StringBuilder json = new StringBuilder("{\"schemaVersion\":2");
        if (mediaType != null) {
            json.append(",\"mediaType\":\"").append(mediaType).append('"');
        }
        if (extra != null) {
            json.append(',').append(extra);
        }
        json.append(",\"config\":").append(config).append(",\"layers\":[").append(String.join(",", layers)).append("]}");
        return json.toString();
    }

    /** An image index or manifest list; as {@link #image}, for {@code manifests}. */
    public static String index(String mediaType, String extra, String... manifests) {
        StringBuilder json = new StringBuilder("{\"schemaVersion\":2");
        if (mediaType != null) {
            json.append(",\"mediaType\":\"").append(mediaType).append('"');
        }
        if (extra != null) {
            json.append(',').append(extra);
        }
        json.append(",\"manifests\":[").append(String.join(",", manifests)).append("]}");
        return json.toString();
    }

    /** A {@code "subject":{...}} field for {@code extra}. */
    public static String subject(String mediaType, String digest, long size) {
        return "\"subject\":" + descriptor(mediaType, digest, size);
    }
}
