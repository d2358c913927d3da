package io.berth.store.transfer.export;

import io.berth.store.oci.Digest;
import io.berth.store.upstream.PushOptions;
import io.berth.store.upstream.RegistryClient;
import io.berth.store.upstream.UpstreamWriter;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Images, indexes and referrers pushed into a registry through its V2 API, for the export tests. */
final class TestImages {
    static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String INDEX = "application/vnd.oci.image.index.v1+json";
    static final String LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
    static final String SBOM = "application/spdx+json";
    /** A layer every image built with {@code base} starts with: the bundle holds it once. */
    static final byte[] BASE_LAYER = random(48 * 1024, 4242);

    private final UpstreamWriter writer;

    TestImages(RegistryClient registry) {
        this.writer = registry.writer();
    }

    /** What was pushed: a manifest's digest, media type and size, and the digests of its config and layers. */
    record Pushed(Digest digest, String mediaType, long size, List<Digest> blobs) {
        String descriptor(String platform) {
            String[] p = platform == null ? null : platform.split("/");
            return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size
                    + (p == null ? "" : ",\"platform\":{\"os\":\"" + p[0] + "\",\"architecture\":\"" + p[1] + "\"}") + "}";
        }
    }

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** An image for {@code platform} of the base layer (when {@code base}) and one random layer of {@code layerSize}. */
    Pushed image(String repository, String tag, String platform, long seed, boolean base, int layerSize)
            throws Exception {
        String[] p = platform.split("/");
        byte[] config = ("{\"architecture\":\"" + p[1] + "\",\"os\":\"" + p[0] + "\",\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[]},\"seed\":" + seed + "}").getBytes(StandardCharsets.UTF_8);
        List<Digest> blobs = new ArrayList<>(List.of(blob(repository, config)));
        List<byte[]> layers = new ArrayList<>();
        if (base) {
            layers.add(BASE_LAYER);
        }
        layers.add(random(layerSize, seed));
        StringBuilder layerJson = new StringBuilder();
        for (byte[] layer : layers) {
            Digest digest = blob(repository, layer);
            blobs.add(digest);
            layerJson.append(layerJson.isEmpty() ? "" : ",").append("{\"mediaType\":\"" + LAYER + "\",\"digest\":\"")
                    .append(digest).append("\",\"size\":").append(layer.length).append('}');
        }
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + blobs.getFirst() + "\",\"size\":"
                + config.length + "},\"layers\":[" + layerJson + "]}";
        return put(repository, tag, MANIFEST, manifest, blobs);
    }

    /** An index of {@code children}, each of {@code platforms[i]}, tagged {@code tag}. */
    Pushed index(String repository, String tag, List<Pushed> children, List<String> platforms) throws Exception {
        StringBuilder entries = new StringBuilder();
        for (int i = 0; i < children.size(); i++) {
            entries.append(i == 0 ? "" : ",").append(children.get(i).descriptor(platforms.get(i)));
        }
        return put(repository, tag, INDEX, "{\"schemaVersion\":2,\"mediaType\":\"" + INDEX + "\",\"manifests\":["
                + entries + "]}", List.of());
    }

    /** An SBOM whose subject is {@code subject}, and the fallback tag index listing it ({@code sha256-<hex>}). */
    Pushed referrer(String repository, Pushed subject) throws Exception {
        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        Digest emptyDigest = blob(repository, empty);
        byte[] sbom = ("{\"spdxVersion\":\"SPDX-2.3\",\"of\":\"" + subject.digest() + "\"}").getBytes(StandardCharsets.UTF_8);
        Digest sbomDigest = blob(repository, sbom);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST + "\",\"artifactType\":\"" + SBOM
                + "\",\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"" + emptyDigest
                + "\",\"size\":2},\"layers\":[{\"mediaType\":\"" + SBOM + "\",\"digest\":\"" + sbomDigest
                + "\",\"size\":" + sbom.length + "}],\"subject\":" + subject.descriptor(null) + "}";
        Pushed referrer = put(repository, null, MANIFEST, manifest, List.of(emptyDigest, sbomDigest));
        String entry = referrer.descriptor(null).replaceFirst("\\}$", ",\"artifactType\":\"" + SBOM + "\"}");
        put(repository, "sha256-" + subject.digest().hex(), INDEX,
                "{\"schemaVersion\":2,\"mediaType\":\"" + INDEX + "\",\"manifests\":[" + entry + "]}", List.of());
        return referrer;
    }

    private Pushed put(String repository, String tag, String mediaType, String json, List<Digest> blobs)
            throws Exception {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(bytes);
        writer.putManifest(repository, tag == null ? digest.toString() : tag, mediaType, bytes);
        return new Pushed(digest, mediaType, bytes.length, blobs);
    }

    private Digest blob(String repository, byte[] bytes) throws Exception {
        Digest digest = Digest.sha256(bytes);
        writer.pushBlob(repository, digest, bytes.length, offset -> new ByteArrayInputStream(bytes, (int) offset,
                bytes.length - (int) offset), PushOptions.defaults());
        return digest;
    }
}
