package io.berth.sync.execution;

import io.berth.store.oci.Digest;
import io.berth.store.upstream.PushOptions;
import io.berth.store.upstream.RegistryClient;
import io.berth.store.upstream.UpstreamWriter;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Images, indexes and referrers pushed into a registry through its V2 API, for the replication tests. */
final class SourceImages {
    static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String INDEX = "application/vnd.oci.image.index.v1+json";
    static final String LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
    static final String SBOM = "application/spdx+json";

    private final UpstreamWriter writer;

    SourceImages(RegistryClient registry) {
        this.writer = registry.writer();
    }

    /** What was pushed: a manifest's digest, media type and size, and the digests of its layers. */
    record Pushed(Digest digest, String mediaType, long size, List<Digest> layers) {
        String descriptor(String platform) {
            String[] p = platform == null ? null : platform.split("/");
            return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size
                    + (p == null ? "" : ",\"platform\":{\"os\":\"" + p[0] + "\",\"architecture\":\"" + p[1] + "\""
                    + (p.length > 2 ? ",\"variant\":\"" + p[2] + "\"" : "") + "}") + "}";
        }
    }

    /** An image of {@code layers} random layers of {@code layerSize} bytes, tagged {@code tag} (null: untagged). */
    Pushed image(String repository, String tag, long seed, int layers, int layerSize) throws Exception {
        int[] sizes = new int[layers];
        java.util.Arrays.fill(sizes, layerSize);
        return imageOfSizes(repository, tag, seed, sizes);
    }

    /** An image of random layers of these sizes, in this order, tagged {@code tag} (null: untagged). */
    Pushed imageOfSizes(String repository, String tag, long seed, int... layerSizes) throws Exception {
        int layers = layerSizes.length;
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":" + seed + "}")
                .getBytes(StandardCharsets.UTF_8);
        Digest configDigest = blob(repository, config);
        StringBuilder layerJson = new StringBuilder();
        List<Digest> layerDigests = new ArrayList<>();
        Random random = new Random(seed);
        for (int i = 0; i < layers; i++) {
            byte[] layer = new byte[layerSizes[i]];
            random.nextBytes(layer);
            Digest digest = blob(repository, layer);
            layerDigests.add(digest);
            layerJson.append(i == 0 ? "" : ",").append("{\"mediaType\":\"" + LAYER + "\",\"digest\":\"")
                    .append(digest).append("\",\"size\":").append(layerSizes[i]).append('}');
        }
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":"
                + config.length + "},\"layers\":[" + layerJson + "]}";
        return put(repository, tag, MANIFEST, manifest, layerDigests);
    }

    /** An index of {@code children}, each {@code platforms[i]}, tagged {@code tag}. */
    Pushed index(String repository, String tag, List<Pushed> children, List<String> platforms) throws Exception {
        StringBuilder entries = new StringBuilder();
        for (int i = 0; i < children.size(); i++) {
            entries.append(i == 0 ? "" : ",").append(children.get(i).descriptor(platforms.get(i)));
        }
        return put(repository, tag, INDEX, "{\"schemaVersion\":2,\"mediaType\":\"" + INDEX + "\",\"manifests\":["
                + entries + "]}", List.of());
    }

    /**
     * An SBOM artifact whose subject is {@code subject}, and the fallback tag index listing it
     * ({@code sha256-<hex>}), as clients write it for a registry without the referrers API.
     */
    Pushed referrer(String repository, Pushed subject) throws Exception {
        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        Digest emptyDigest = blob(repository, empty);
        byte[] sbom = "{\"spdxVersion\":\"SPDX-2.3\"}".getBytes(StandardCharsets.UTF_8);
        Digest sbomDigest = blob(repository, sbom);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST + "\",\"artifactType\":\"" + SBOM
                + "\",\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"" + emptyDigest
                + "\",\"size\":2},\"layers\":[{\"mediaType\":\"" + SBOM + "\",\"digest\":\"" + sbomDigest
                + "\",\"size\":" + sbom.length + "}],\"subject\":" + subject.descriptor(null) + "}";
        Pushed referrer = put(repository, null, MANIFEST, manifest, List.of(sbomDigest));
        String entry = referrer.descriptor(null).replaceFirst("\\}$", ",\"artifactType\":\"" + SBOM + "\"}");
        put(repository, subject.digest().algorithm().prefix() + "-" + subject.digest().hex(), INDEX,
                "{\"schemaVersion\":2,\"mediaType\":\"" + INDEX + "\",\"manifests\":[" + entry + "]}", List.of());
        return referrer;
    }

    private Pushed put(String repository, String tag, String mediaType, String json, List<Digest> layers)
            throws Exception {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(bytes);
        writer.putManifest(repository, tag == null ? digest.toString() : tag, mediaType, bytes);
        return new Pushed(digest, mediaType, bytes.length, layers);
    }

    private Digest blob(String repository, byte[] bytes) throws Exception {
        Digest digest = Digest.sha256(bytes);
        writer.pushBlob(repository, digest, bytes.length, offset -> new ByteArrayInputStream(bytes, (int) offset,
                bytes.length - (int) offset), PushOptions.defaults());
        return digest;
    }
}
