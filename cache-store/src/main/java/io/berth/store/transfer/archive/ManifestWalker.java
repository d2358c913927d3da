package io.berth.store.transfer.archive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.store.oci.Digest;
import io.berth.store.oci.MediaTypes;

import java.io.IOException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Walks the manifests an archive holds from a root, index to children to config and layers, and
 * records on each held digest the media type the referring descriptor gives it. Content the
 * archive lacks (a delta bundle) ends that branch of the walk quietly.
 */
final class ManifestWalker {
    static final ObjectMapper JSON = new ObjectMapper();

    private final ContentBuilder content;
    private final Set<Digest> walked = new HashSet<>();

    ManifestWalker(ContentBuilder content) {
        this.content = content;
    }

    /** Walks the manifest {@code digest} of type {@code mediaType} (null: read from the manifest itself). */
    void walk(Digest digest, String mediaType) throws IOException {
        if (!walked.add(digest)) {
            return;
        }
        Optional<byte[]> bytes = content.manifestBytes(digest);
        if (bytes.isEmpty()) {
            return;
        }
        JsonNode manifest = parse(bytes.get(), "manifest " + digest + " in " + content.files().describe());
        String type = mediaType != null ? mediaType : mediaTypeOf(manifest);
        content.mediaType(digest, type);
        if (MediaTypes.isIndex(type) || manifest.path("manifests").isArray()) {
            for (JsonNode child : manifest.path("manifests")) {
                Optional<Digest> d = digestOf(child);
                if (d.isPresent()) {
                    walk(d.get(), textOrNull(child, "mediaType"));
                }
            }
            return;
        }
        describe(manifest.path("config"));
        for (JsonNode layer : manifest.path("layers")) {
            describe(layer);
        }
    }

    private void describe(JsonNode descriptor) {
        Optional<Digest> digest = digestOf(descriptor);
        if (digest.isPresent()) {
            EmptyLayers.fill(content, digest.get());
            content.mediaType(digest.get(), textOrNull(descriptor, "mediaType"));
        }
    }

    /** A manifest's own media type: its {@code mediaType} field, else guessed from its shape as registries do. */
    static String mediaTypeOf(JsonNode manifest) {
        String declared = textOrNull(manifest, "mediaType");
        if (declared != null) {
            return declared;
        }
        if (manifest.path("manifests").isArray()) {
            return MediaTypes.OCI_INDEX;
        }
        return MediaTypes.OCI_MANIFEST;
    }

    static JsonNode parse(byte[] bytes, String what) throws ArchiveException {
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw new ArchiveException(what + " is empty: the archive is damaged; write it again");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ArchiveException(what + " is not valid JSON (" + e.getOriginalMessage() + "): the archive is damaged;"
                    + " write it again", e);
        } catch (IOException e) {
            throw new ArchiveException(what + " cannot be read: " + e.getMessage(), e);
        }
    }

    static Optional<Digest> digestOf(JsonNode descriptor) {
        return Digest.tryParse(textOrNull(descriptor, "digest"));
    }

    static String textOrNull(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
