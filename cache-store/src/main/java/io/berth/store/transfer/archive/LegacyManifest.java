package io.berth.store.transfer.archive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.store.oci.Digest;
import io.berth.store.oci.MediaTypes;

import java.util.List;
import java.util.Optional;

/**
 * The Docker schema 2 manifest for an image that a {@code docker save} archive lists in
 * {@code manifest.json} but holds no manifest for: its config is the config file as it is (so
 * its digest is the image ID) and its layers are the layer tars as they are, uncompressed
 * ({@code application/vnd.docker.image.rootfs.diff.tar}), each named by the config's matching
 * {@code rootfs.diff_ids} entry. The same archive always gives the same manifest bytes.
 */
final class LegacyManifest {
    static final String CONFIG_TYPE = "application/vnd.docker.container.image.v1+json";
    static final String LAYER_TYPE = "application/vnd.docker.image.rootfs.diff.tar";

    /** The synthesised manifest's digest and size (its bytes are held by the content). */
    record Built(Digest digest, long size) {
    }

    private LegacyManifest() {
    }

    /** Holds the config, the layers and the synthesised manifest; {@code where} names the manifest.json entry. */
    static Built synthesise(ContentBuilder content, String where, String configPath, byte[] config,
                            List<String> layerPaths) throws ArchiveException {
        ArchiveFiles files = content.files();
        JsonNode configJson = ManifestWalker.parse(config, "the config " + configPath + " of " + where);
        JsonNode diffIds = configJson.path("rootfs").path("diff_ids");
        if (diffIds.size() != layerPaths.size()) {
            throw new ArchiveException(where + " lists " + layerPaths.size() + " layers but its config " + configPath
                    + " has " + diffIds.size() + " rootfs.diff_ids: the archive is damaged; save the image again");
        }
        Digest configDigest = Digest.sha256(config);
        content.addFile(configDigest, configPath, config.length);
        content.mediaType(configDigest, CONFIG_TYPE);

        ObjectNode manifest = ManifestWalker.JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.DOCKER_MANIFEST);
        manifest.set("config", descriptor(CONFIG_TYPE, config.length, configDigest));
        ArrayNode layers = manifest.putArray("layers");
        for (int i = 0; i < layerPaths.size(); i++) {
            String path = layerPaths.get(i);
            Digest diffId = Digest.tryParse(diffIds.get(i).asText()).orElseThrow(() -> new ArchiveException(
                    "rootfs.diff_ids of " + configPath + " (" + where + ") holds an invalid digest: the archive is damaged"));
            Optional<Long> size = files.size(path);
            if (size.isEmpty() && EmptyLayers.bytesOf(diffId).isEmpty()) {
                files.require(path, where);
            }
            if (size.isPresent()) {
                content.addFile(diffId, path, size.get());
            }
            EmptyLayers.fill(content, diffId);
            content.mediaType(diffId, LAYER_TYPE);
            long held = content.entry(diffId).map(ArchiveEntry::size).orElseThrow();
            layers.add(descriptor(LAYER_TYPE, held, diffId));
        }
        byte[] bytes;
        try {
            bytes = ManifestWalker.JSON.writeValueAsBytes(manifest);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a manifest", e);
        }
        Digest digest = Digest.sha256(bytes);
        content.addBytes(digest, bytes, MediaTypes.DOCKER_MANIFEST);
        return new Built(digest, bytes.length);
    }

    private static ObjectNode descriptor(String mediaType, long size, Digest digest) {
        ObjectNode node = ManifestWalker.JSON.createObjectNode();
        node.put("mediaType", mediaType);
        node.put("size", size);
        node.put("digest", digest.toString());
        return node;
    }
}
