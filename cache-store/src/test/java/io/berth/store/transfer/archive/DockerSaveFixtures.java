package io.berth.store.transfer.archive;

import io.berth.store.oci.Digest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes {@code docker save} archives as docker writes them, for formats and faults no daemon on
 * the test machine produces: the legacy layout ({@code <id>.json}, {@code <v1 id>/layer.tar},
 * repeated layers as symbolic links) and the OCI layout of docker 25+ (after moby's
 * {@code image/tarexport/save.go}: layer tars and config under {@code blobs/sha256}, an OCI
 * manifest per image, {@code index.json} entries annotated with {@code io.containerd.image.name}
 * and {@code org.opencontainers.image.ref.name}, and {@code manifest.json} pointing into blobs/),
 * with the known faults of some releases on demand.
 */
final class DockerSaveFixtures {
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    static final String OCI_LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

    /** Faults of docker 25.x's OCI-flavoured save, and the containerd image store's way of writing it. */
    enum Quirk {
        /**
         * index.json names a multi-platform index of which only the local platform's manifest is
         * in the archive (docker with the containerd image store).
         */
        PLATFORM_INDEX_PARTLY_SAVED,
        /** {@code "manifests": null} in index.json (25.0.0 saving by digest or ID). */
        NULL_MANIFESTS,
        /** The second image is in manifest.json only (several images saved by digest). */
        SECOND_DROPPED_FROM_INDEX,
        /** The OCI manifests list no layers (25.0.0). */
        MANIFESTS_WITHOUT_LAYERS,
        /** Empty-tar layers are written as zero-byte files. */
        EMPTY_LAYER_AS_ZERO_BYTES
    }

    /** An image: its tag as docker shows it ({@code one:1.0}), config bytes, layer tars. */
    record Image(String repoTag, byte[] config, List<byte[]> layers) {
        Digest configDigest() {
            return Digest.sha256(config);
        }

        List<Digest> diffIds() {
            return layers.stream().map(Digest::sha256).toList();
        }
    }

    private DockerSaveFixtures() {
    }

    /** An image whose config names its layers' diff IDs, as docker's does. */
    static Image image(String repoTag, List<byte[]> layers) {
        String diffIds = layers.stream().map(l -> "\"" + Digest.sha256(l) + "\"").collect(Collectors.joining(","));
        String config = "{\"architecture\":\"amd64\",\"config\":{\"Env\":[\"TAG=" + repoTag + "\"]},"
                + "\"created\":\"2024-01-01T00:00:00Z\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":["
                + diffIds + "]}}";
        return new Image(repoTag, config.getBytes(StandardCharsets.UTF_8), List.copyOf(layers));
    }

    /** Docker's empty layer: a tar of nothing, 1024 zero bytes. */
    static byte[] emptyLayer() {
        return new byte[1024];
    }

    /** Writes a pre-25 {@code docker save} into {@code dir}; a layer seen before becomes a symlink to the first copy. */
    static void writeLegacy(Path dir, List<Image> images) throws IOException {
        Files.createDirectories(dir);
        Map<Digest, String> written = new HashMap<>();
        StringBuilder manifest = new StringBuilder("[");
        for (int i = 0; i < images.size(); i++) {
            Image image = images.get(i);
            String configName = image.configDigest().hex() + ".json";
            Files.write(dir.resolve(configName), image.config());
            List<String> layerPaths = new ArrayList<>();
            for (int l = 0; l < image.layers().size(); l++) {
                String v1Id = Digest.sha256((image.configDigest() + "/" + l).getBytes(StandardCharsets.UTF_8)).hex();
                Path layerDir = Files.createDirectories(dir.resolve(v1Id));
                Files.writeString(layerDir.resolve("VERSION"), "1.0");
                Files.writeString(layerDir.resolve("json"), "{\"id\":\"" + v1Id + "\"}");
                Digest diffId = image.diffIds().get(l);
                String first = written.putIfAbsent(diffId, v1Id);
                if (first == null) {
                    Files.write(layerDir.resolve("layer.tar"), image.layers().get(l));
                } else {
                    Files.createSymbolicLink(layerDir.resolve("layer.tar"), Path.of("..", first, "layer.tar"));
                }
                layerPaths.add(v1Id + "/layer.tar");
            }
            manifest.append(i == 0 ? "" : ",").append(item(configName, image.repoTag(), layerPaths));
        }
        Files.writeString(dir.resolve("manifest.json"), manifest.append("]\n").toString());
    }

    /**
     * Writes a docker 25+ {@code docker save} into {@code dir}, with {@code quirks}; returns the
     * digest of each image's root (its OCI manifest, or its platform index), in order.
     */
    static List<Digest> writeDocker25(Path dir, List<Image> images, Quirk... quirks) throws IOException {
        List<Quirk> faults = List.of(quirks);
        Path blobs = Files.createDirectories(dir.resolve("blobs/sha256"));
        StringBuilder manifestJson = new StringBuilder("[");
        StringBuilder index = new StringBuilder();
        List<Digest> manifests = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            Image image = images.get(i);
            Files.write(blobs.resolve(image.configDigest().hex()), image.config());
            List<String> layerPaths = new ArrayList<>();
            StringBuilder layers = new StringBuilder();
            for (int l = 0; l < image.layers().size(); l++) {
                byte[] tar = image.layers().get(l);
                Digest diffId = image.diffIds().get(l);
                boolean zero = faults.contains(Quirk.EMPTY_LAYER_AS_ZERO_BYTES) && diffId.equals(EmptyLayers.EMPTY_TAR);
                Files.write(blobs.resolve(diffId.hex()), zero ? new byte[0] : tar);
                layerPaths.add("blobs/sha256/" + diffId.hex());
                layers.append(l == 0 ? "" : ",").append("{\"mediaType\":\"" + OCI_LAYER_TAR + "\",\"digest\":\"" + diffId
                        + "\",\"size\":" + tar.length + "}");
            }
            String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
                    + OCI_CONFIG + "\",\"digest\":\"" + image.configDigest() + "\",\"size\":" + image.config().length
                    + ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}},\"layers\":["
                    + (faults.contains(Quirk.MANIFESTS_WITHOUT_LAYERS) ? "" : layers) + "]}";
            byte[] manifestBytes = manifest.getBytes(StandardCharsets.UTF_8);
            Digest manifestDigest = Digest.sha256(manifestBytes);
            Files.write(blobs.resolve(manifestDigest.hex()), manifestBytes);
            String rootType = OCI_MANIFEST;
            if (faults.contains(Quirk.PLATFORM_INDEX_PARTLY_SAVED)) {
                Digest absent = Digest.sha256(("arm64 manifest not saved " + i).getBytes(StandardCharsets.UTF_8));
                byte[] platforms = ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":["
                        + "{\"mediaType\":\"" + OCI_MANIFEST + "\",\"digest\":\"" + manifestDigest + "\",\"size\":"
                        + manifestBytes.length + ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}},"
                        + "{\"mediaType\":\"" + OCI_MANIFEST + "\",\"digest\":\"" + absent + "\",\"size\":480,"
                        + "\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\"}}]}").getBytes(StandardCharsets.UTF_8);
                manifestDigest = Digest.sha256(platforms);
                manifestBytes = platforms;
                Files.write(blobs.resolve(manifestDigest.hex()), manifestBytes);
                rootType = OCI_INDEX;
            }
            manifests.add(manifestDigest);
            if (!(i == 1 && faults.contains(Quirk.SECOND_DROPPED_FROM_INDEX))) {
                String tag = image.repoTag().substring(image.repoTag().lastIndexOf(':') + 1);
                index.append(index.isEmpty() ? "" : ",").append("{\"mediaType\":\"" + rootType + "\",\"digest\":\""
                        + manifestDigest + "\",\"size\":" + manifestBytes.length + ",\"annotations\":{"
                        + "\"io.containerd.image.name\":\"" + ImageNames.fullReference(image.repoTag()) + "\","
                        + "\"org.opencontainers.image.ref.name\":\"" + tag + "\"},"
                        + "\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}");
            }
            manifestJson.append(i == 0 ? "" : ",").append(item("blobs/sha256/" + image.configDigest().hex(),
                    image.repoTag(), layerPaths));
        }
        Files.writeString(dir.resolve("manifest.json"), manifestJson.append("]\n").toString());
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(dir.resolve("repositories"), "{}");
        String entries = faults.contains(Quirk.NULL_MANIFESTS) ? "null" : "[" + index + "]";
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"mediaType\":"
                + "\"application/vnd.oci.image.index.v1+json\",\"manifests\":" + entries + "}");
        return manifests;
    }

    private static String item(String config, String repoTag, List<String> layers) {
        return "{\"Config\":\"" + config + "\",\"RepoTags\":[\"" + repoTag + "\"],\"Layers\":["
                + layers.stream().map(l -> "\"" + l + "\"").collect(Collectors.joining(",")) + "]}";
    }
}
